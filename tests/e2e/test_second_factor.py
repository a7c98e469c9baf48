"""The second login factor in the browser: authenticator app, recovery codes, passkeys, reset.

Codes are computed with pyotp from this process's clock, which the live server's threads
read too (``--clock`` moves both). A time step is accepted once: a login after the set-up
uses the next step's code, which the server accepts as clock drift, so a step ending
between typing and sending changes nothing.

Passkeys come from Chromium's virtual authenticator (DevTools protocol). WebAuthn takes no
IP address as relying party, so those tests open the app as http://localhost:<port>.

Each main page is saved as ``2fa-*.png`` in TRACKER_TEST_SHOTS (default: test-artifacts/).
"""

from __future__ import annotations

import os
import re
import time
from contextlib import contextmanager
from pathlib import Path

import pyotp
import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tracker.audit.models import AuditEvent
from tracker.auth import factors
from tracker.auth.factor_models import Passkey, RecoveryCode, TotpFactor
from tracker.db import db, write_intent

from .conftest import ARTIFACTS, PASSWORD, browser_login, browser_logout, settle

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)
WRONG_CODE = "Dieser Code ist falsch oder wurde schon verwendet."
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"2fa-{name}.png", full_page=True)


def next_code(secret: str) -> str:
    """The code of the coming time step: newer than any used so far, accepted as drift."""
    return pyotp.TOTP(secret).at(time.time() + factors.STEP_SECONDS)


def wrong_code(secret: str) -> str:
    """Six digits that no time step near now gives."""
    totp, now = pyotp.TOTP(secret), time.time()
    near = {totp.at(now + shift * factors.STEP_SECONDS) for shift in range(-3, 4)}
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in near)


def with_totp(user) -> tuple[str, list[str]]:
    """Give the user a confirmed authenticator app; return its secret and recovery codes."""
    secret = factors.start_totp(user).secret
    codes = factors.confirm_totp(user, pyotp.TOTP(secret).at(time.time()))
    assert codes is not None
    db.session.commit()
    return secret, codes


@contextmanager
def reading():
    """The test thread's session for a read, closed before and after (as in ``fresh``)."""
    db.session.close()
    token = write_intent.set(False)
    try:
        yield db.session
    finally:
        db.session.close()
        write_intent.reset(token)


def rows_of(model, user) -> list:
    """The user's rows of ``model`` as they are now."""
    with reading() as session:
        return list(session.scalars(select(model).where(model.user_id == user.id)))


def audited(event: str) -> list[str]:
    """The details of the audit entries ``event``, oldest first."""
    query = select(AuditEvent.details).where(AuditEvent.event == event).order_by(AuditEvent.id)
    with reading() as session:
        return list(session.scalars(query))


def password_step(page: Page, base_url: str, user, landing: str) -> None:
    """Send e-mail and password; wait for ``landing`` (the factor page, the set-up, ...)."""
    page.goto(f"{base_url}/login")
    form = page.locator("main form")
    form.locator("#email").fill(user.email)
    form.locator("#password").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base_url}{landing}")


def enter_code(page: Page, code: str) -> None:
    page.locator("main form #code").fill(code)
    page.locator("main form button[type=submit]").click()


def expect_refused(page: Page, base_url: str, path: str, message: str) -> None:
    """The code was refused: the same page again, the field marked, the German reason."""
    expect(page.locator("#code-error")).to_have_text(message)
    expect(page.locator("#code")).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(page).to_have_url(f"{base_url}{path}")
    expect(page.locator("#nav-main")).to_have_count(0)  # still not logged in


def expect_logged_in(page: Page, base_url: str, user) -> None:
    """On the start page, the user's name in the navbar."""
    page.wait_for_url(f"{base_url}/")
    expect(page.locator("#user-menu")).to_have_text(user.name)


@pytest.fixture
def manager(make_network, make_user):
    return make_user("manager", make_network("Alpha"), name="Anna Alpha")


def test_manager_sets_up_the_app_and_logs_in_with_its_code(page, live_server, manager):
    settle(manager)
    browser_login(page, live_server, manager)
    page.goto(f"{live_server}/account")
    factor = page.locator("main section[aria-labelledby=factor-heading]")
    expect(factor).to_contain_text("Keine Authenticator-App eingerichtet.")
    shot(page, "account")
    factor.get_by_role("button", name="Authenticator-App einrichten").click()
    page.wait_for_url(f"{live_server}/account/totp")
    expect(page.locator("main h1")).to_have_text("Authenticator-App einrichten")
    qr = page.locator("main .totp-qr svg")
    expect(qr).to_be_visible()
    assert qr.bounding_box()["width"] >= 100  # big enough to scan
    secret = page.locator("#totp-secret").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    shot(page, "totp-setup")

    enter_code(page, pyotp.TOTP(secret).at(time.time()))
    expect(page.locator("main h1")).to_have_text("Wiederherstellungscodes")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    shot(page, "recovery-codes")
    page.get_by_role("link", name="Ich habe die Codes gespeichert").click()
    page.wait_for_url(f"{live_server}/account")
    expect(factor).to_contain_text("Eingerichtet am")
    expect(factor).to_contain_text("10 unbenutzte Wiederherstellungscodes.")
    confirmed_step = rows_of(TotpFactor, manager)[0].last_step
    browser_logout(page)

    password_step(page, live_server, manager, "/login/factor")
    expect(page.locator("main h1")).to_have_text("Zweiter Faktor")
    expect(page.locator("#nav-main")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("Code aus Ihrer Authenticator-App")
    shot(page, "factor")
    enter_code(page, wrong_code(secret))
    expect_refused(page, live_server, "/login/factor", WRONG_CODE)
    shot(page, "factor-wrong-code")
    enter_code(page, next_code(secret))
    expect_logged_in(page, live_server, manager)
    assert '"method": "totp"' in audited("login")[-1]
    assert rows_of(TotpFactor, manager)[0].last_step > confirmed_step  # used up, no replay


def test_a_recovery_code_logs_in_once(page, live_server, manager):
    _, codes = with_totp(manager)
    settle(manager)
    password_step(page, live_server, manager, "/login/factor")
    enter_code(page, codes[0])
    expect_logged_in(page, live_server, manager)
    expect(page.locator(".alert-warning")).to_contain_text(
        "Wiederherstellungscode verwendet. Es bleiben 9 Codes."
    )
    shot(page, "recovery-used")
    browser_logout(page)

    password_step(page, live_server, manager, "/login/factor")
    enter_code(page, codes[0])
    expect_refused(page, live_server, "/login/factor", WRONG_CODE)
    shot(page, "recovery-refused")
    enter_code(page, codes[1].upper().replace("-", " "))  # as typed from paper
    expect_logged_in(page, live_server, manager)
    page.goto(f"{live_server}/account")
    expect(page.locator("main")).to_contain_text("8 unbenutzte Wiederherstellungscodes.")
    used = [c for c in rows_of(RecoveryCode, manager) if c.used_at is not None]
    assert len(used) == 2


def test_office_must_set_up_a_factor_before_any_page(app, page, live_server, make_user):
    app.config["MFA_REQUIRED_FOR_ADMINS"] = True  # the live server serves this app object
    admin = settle(make_user("admin", name="Olga Office"))
    password_step(page, live_server, admin, "/login/setup")
    expect(page.locator("main .alert-info")).to_contain_text(
        "Ihr Konto braucht einen zweiten Faktor."
    )
    expect(page.locator("main .totp-qr svg")).to_be_visible()
    expect(page.get_by_role("link", name="Abbrechen")).to_have_count(0)
    expect(page.locator("#nav-main")).to_have_count(0)
    shot(page, "forced-setup")
    for path in ("/", "/admin/users", "/account", "/items/"):
        page.goto(f"{live_server}{path}")
        expect(page).to_have_url(re.compile(r"/login\?next="))
        expect(page.locator("#password")).to_be_visible()

    page.goto(f"{live_server}/login/setup")  # the set-up waits for the code meanwhile
    secret = page.locator("#totp-secret").inner_text()
    enter_code(page, wrong_code(secret))
    expect_refused(
        page,
        live_server,
        "/login/setup",
        "Dieser Code ist falsch. Bitte versuchen Sie den aktuellen.",
    )
    enter_code(page, pyotp.TOTP(secret).at(time.time()))
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Ich habe die Codes gespeichert").click()
    expect_logged_in(page, live_server, admin)
    page.goto(f"{live_server}/admin/users")
    expect(page.locator("main h1")).to_have_text("Verwaltung")
    assert '"method": "totp setup"' in audited("login")[-1]


def _virtual_authenticator(page: Page) -> tuple:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    added = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    return cdp, added["authenticatorId"]


def test_passkey_as_second_factor_and_instead_of_the_password(page, live_server, manager):
    settle(manager)
    site = live_server.replace("127.0.0.1", "localhost")
    cdp, authenticator = _virtual_authenticator(page)
    browser_login(page, site, manager)
    page.goto(f"{site}/account")
    page.locator("#passkey-name").fill("Laptop")
    page.get_by_role("button", name="Passkey hinzufügen").click()
    expect(page.locator(".alert-success")).to_contain_text("Der Passkey wurde hinzugefügt.")
    expect(page.locator("#passkeys tbody tr")).to_have_count(1)
    expect(page.locator("#passkeys tbody")).to_contain_text("Laptop")
    expect(page.locator("#passkey-status")).to_be_empty()
    # A passkey alone comes with no recovery codes: the page asks for them.
    expect(page.locator(".alert-warning")).to_contain_text("Wiederherstellungscodes")
    expect(page.locator("main")).to_contain_text("0 unbenutzte Wiederherstellungscodes.")
    shot(page, "account-passkey")
    stored = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert [c["isResidentCredential"] for c in stored["credentials"]] == [True]
    assert [p.name for p in rows_of(Passkey, manager)] == ["Laptop"]
    browser_logout(page)

    password_step(page, site, manager, "/login/factor")
    expect(page.locator("main")).to_contain_text("Bestätigen Sie die Anmeldung mit Ihrem Passkey.")
    expect(page.locator("#code")).to_have_count(0)  # no code could be typed
    shot(page, "factor-passkey")
    page.get_by_role("button", name="Passkey verwenden").click()
    expect_logged_in(page, site, manager)
    assert '"method": "password and passkey"' in audited("login")[-1]
    browser_logout(page)

    expect(page.locator("#passkey-status")).to_be_empty()
    shot(page, "login-passkey")
    page.get_by_role("button", name="Mit Passkey anmelden").click()
    expect_logged_in(page, site, manager)
    assert '"method": "passkey"' in audited("login")[-1]
    passkey = rows_of(Passkey, manager)[0]
    assert passkey.last_used_at is not None and passkey.sign_count >= 2


@pytest.mark.parametrize("required", [False, True], ids=["optional", "required"])
def test_office_resets_the_factors_of_a_user(
    app, new_page, live_server, manager, make_user, required
):
    admin = make_user("admin", name="Olga Office")
    secret, _ = with_totp(manager)
    settle(manager, admin)
    own = new_page()  # the manager, logged in before the reset
    password_step(own, live_server, manager, "/login/factor")
    enter_code(own, next_code(secret))
    expect_logged_in(own, live_server, manager)

    office = new_page()
    browser_login(office, live_server, admin)
    office.goto(f"{live_server}/admin/users")
    office.locator("main table").get_by_role("link", name="Anna Alpha").click()
    expect(office.locator("main h2")).to_have_text("Anna Alpha")
    office.get_by_role("button", name="Zweiten Faktor zurücksetzen").click()
    expect(office.locator(".alert-success")).to_contain_text(
        "Der zweite Faktor von Anna Alpha wurde zurückgesetzt."
    )
    expect(office).to_have_url(f"{live_server}/admin/users/{manager.id}")
    shot(office, "admin-reset")
    assert [rows_of(m, manager) for m in (TotpFactor, RecoveryCode, Passkey)] == [[], [], []]

    own.goto(f"{live_server}/account")  # the reset ended the manager's session
    expect(own).to_have_url(re.compile(r"/login\?next=%2Faccount$"))
    app.config["MFA_REQUIRED_FOR_MANAGERS"] = required
    if required:
        password_step(own, live_server, manager, "/login/setup")
        expect(own.locator("main .alert-info")).to_contain_text("zweiten Faktor")
        expect(own.locator("#nav-main")).to_have_count(0)
        shot(own, "after-reset-setup")
    else:
        password_step(own, live_server, manager, "/")
        expect_logged_in(own, live_server, manager)
        own.goto(f"{live_server}/account")
        expect(own.locator("main")).to_contain_text("Keine Authenticator-App eingerichtet.")
        expect(own.locator("main")).to_contain_text("Kein Passkey registriert.")
        shot(own, "after-reset-account")
