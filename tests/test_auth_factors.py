"""The second factor: authenticator app (TOTP), recovery codes, the requirement, the office's reset.

The clock is fixed (time-machine): codes are computed with pyotp at that moment.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pyotp
import pytest
from conftest import PASSWORD  # tests/conftest.py (tests/ is on sys.path)
from sqlalchemy import func, select

from tracker.audit.models import AuditEvent
from tracker.auth import factors, passwords
from tracker.auth.factor_models import RecoveryCode, TotpFactor
from tracker.auth.models import LoginAttempt
from tracker.db import db

MOMENT = datetime(2026, 12, 10, 9, 0, 5, tzinfo=UTC)
pytestmark = pytest.mark.time_machine(MOMENT, tick=False)
NEW_PASSWORD = "a brand new passphrase 42"


def with_totp(user) -> tuple[str, list[str]]:
    """Give the user a confirmed authenticator app; return its secret and recovery codes."""
    secret = factors.start_totp(user).secret
    codes = factors.confirm_totp(user, pyotp.TOTP(secret).at(MOMENT.timestamp() - 30))
    db.session.commit()
    return secret, codes


def code(secret: str, shift: int = 0) -> str:
    return pyotp.TOTP(secret).at(MOMENT.timestamp() + shift)


def events(name: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event == name)))


def logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def password_step(client, user, password=PASSWORD):
    return client.post("/login", data={"email": user.email, "password": password})


def test_account_page_sets_up_the_app_with_a_local_qr_code(client, login, make_user):
    user = make_user()
    login(user)
    assert client.post("/account/totp/start").location.endswith("/account/totp")
    page = client.get("/account/totp").text
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
    assert "<svg" in page and "otpauth" not in page  # drawn here, no outside QR service
    answer = client.post("/account/totp", data={"code": code(secret)})
    assert answer.status_code == 200
    assert len(re.findall(r"<li>[a-z2-9]{5}-[a-z2-9]{5}</li>", answer.text)) == 10
    assert factors.has_totp(user) and events("factor_added")[0].details == '{"method": "totp"}'
    digests = db.session.scalars(select(RecoveryCode.digest)).all()
    assert len(digests) == 10 and not any(c[:5] in page for c in digests)


def test_wrong_setup_code_leaves_the_app_unconfirmed(client, login, make_user):
    user = make_user()
    login(user)
    client.post("/account/totp/start")
    assert client.post("/account/totp", data={"code": "000000"}).status_code == 400
    assert not factors.has_totp(user) and events("factor_added") == []


def test_login_asks_for_the_code_and_is_not_logged_in_before(client, make_user):
    user = make_user()
    secret, _ = with_totp(user)
    assert password_step(client, user).location.endswith("/login/factor")
    assert not logged_in(client)
    answer = client.post("/login/factor", data={"code": code(secret)})
    assert answer.status_code == 302 and answer.location == "/"
    assert logged_in(client)
    assert '"method": "totp"' in events("login")[-1].details


def test_wrong_code_is_refused_counted_and_audited(client, make_user):
    user = make_user()
    with_totp(user)
    password_step(client, user)
    assert client.post("/login/factor", data={"code": "123456"}).status_code == 401
    assert not logged_in(client)
    assert (
        db.session.scalar(
            select(func.count(LoginAttempt.id)).where(LoginAttempt.kind == "factor_failed")
        )
        == 1
    )
    assert events("factor_failed")[0].subject == user.email


def test_a_code_is_not_accepted_twice(app, make_user):
    user = make_user()
    secret, _ = with_totp(user)
    first, second = app.test_client(), app.test_client()
    for client in (first, second):
        password_step(client, user)
    assert first.post("/login/factor", data={"code": code(secret)}).status_code == 302
    assert second.post("/login/factor", data={"code": code(secret)}).status_code == 401
    assert not logged_in(second)


def test_an_older_code_after_a_newer_one_is_refused(client, make_user):
    user = make_user()
    secret, _ = with_totp(user)
    password_step(client, user)
    assert client.post("/login/factor", data={"code": code(secret, 30)}).status_code == 302
    client.post("/logout")
    password_step(client, user)
    assert client.post("/login/factor", data={"code": code(secret)}).status_code == 401


def test_a_recovery_code_works_once(app, make_user):
    user = make_user()
    _, codes = with_totp(user)
    first, second = app.test_client(), app.test_client()
    password_step(first, user)
    assert first.post("/login/factor", data={"code": codes[3].upper()}).status_code == 302
    assert logged_in(first) and '"left": 9' in events("recovery_code_used")[0].details
    password_step(second, user)
    assert second.post("/login/factor", data={"code": codes[3]}).status_code == 401
    assert not logged_in(second)


def test_admin_without_a_factor_must_set_one_up_first(app, client, make_user):
    app.config["MFA_REQUIRED_FOR_ADMINS"] = True
    admin = make_user("admin")
    assert password_step(client, admin).location.endswith("/login/setup")
    assert client.get("/admin/users").status_code == 302 and not logged_in(client)
    page = client.get("/login/setup").text
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', page).group(1)
    assert client.post("/login/setup", data={"code": "999999"}).status_code == 400
    answer = client.post("/login/setup", data={"code": code(secret)})
    assert answer.status_code == 200 and "recovery-codes" in answer.text
    assert client.get("/admin/users").status_code == 200


@pytest.mark.parametrize("required", [True, False])
def test_the_office_can_require_a_factor_of_managers(app, client, make_user, required):
    app.config["MFA_REQUIRED_FOR_MANAGERS"] = required
    manager, observer = make_user("manager"), make_user("observer")
    answer = password_step(client, manager)
    assert answer.location.endswith("/login/setup" if required else "/")
    assert password_step(app.test_client(), observer).location == "/"


def test_admin_cannot_remove_the_only_factor(app, client, make_user):
    app.config["MFA_REQUIRED_FOR_ADMINS"] = True
    admin = make_user("admin")
    secret, _ = with_totp(admin)
    password_step(client, admin)
    client.post("/login/factor", data={"code": code(secret)})
    client.post("/account/totp/remove")
    assert factors.has_totp(admin) and events("factor_removed") == []


def test_office_resets_a_lost_factor_with_an_audit_entry(app, client, login, make_user):
    app.config["MFA_REQUIRED_FOR_MANAGERS"] = True
    manager, admin = make_user("manager"), make_user("admin")
    with_totp(manager)
    login(admin)
    client.post(f"/admin/users/{manager.id}/factors/reset")
    assert (
        db.session.scalars(select(TotpFactor.secret).where(TotpFactor.user_id == manager.id)).all()
        == []
    )
    assert db.session.scalar(select(func.count(RecoveryCode.id))) == 0
    entry = events("factor_reset")[0]
    assert entry.actor_id == admin.id and entry.subject == manager.email
    assert password_step(app.test_client(), manager).location.endswith("/login/setup")


def test_password_reset_does_not_bypass_the_factor(client, make_user):
    user = make_user()
    with_totp(user)
    token = passwords.reset_token(user)
    data = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(f"/password/reset/{token}", data=data).status_code == 302
    assert password_step(client, user, NEW_PASSWORD).location.endswith("/login/factor")
    assert not logged_in(client)


def test_wrong_codes_are_rate_limited(app, client, make_user):
    app.config["RATELIMIT_ENABLED"] = True
    user = make_user()
    secret, _ = with_totp(user)
    password_step(client, user)
    answers = [client.post("/login/factor", data={"code": "111111"}).status_code for _ in range(5)]
    assert answers == [401] * 5
    assert client.post("/login/factor", data={"code": code(secret)}).status_code == 429
    assert not logged_in(client) and len(events("factor_refused")) == 1


def test_the_pending_login_expires(client, make_user, time_machine):
    user = make_user()
    secret, _ = with_totp(user)
    password_step(client, user)
    time_machine.shift(301)
    answer = client.post("/login/factor", data={"code": code(secret, 301)})
    assert answer.status_code == 302 and answer.location.endswith("/login")
    assert not logged_in(client)


def test_the_office_switches_the_managers_requirement_on_the_users_page(
    app, client, login, make_user
):
    app.config["MFA_REQUIRED_FOR_MANAGERS"] = False
    manager, admin = make_user("manager"), make_user("admin")
    login(admin)
    client.post("/admin/users/factor-policy", data={"required_for_managers": "y"})
    assert events("setting_changed")[0].actor_id == admin.id
    assert password_step(app.test_client(), manager).location.endswith("/login/setup")
    client.post("/admin/users/factor-policy", data={})  # unticked
    assert password_step(app.test_client(), manager).location == "/"
    assert len(events("setting_changed")) == 2
    page = client.get("/admin/users").text
    assert 'id="factor-policy"' in page and "required_for_managers" in page


def test_a_manager_may_not_change_the_requirement(app, client, login, make_user):
    login(make_user("manager"))
    assert (
        client.post("/admin/users/factor-policy", data={"required_for_managers": "y"}).status_code
        == 403
    )
    assert events("setting_changed") == []


def test_command_line_resets_the_last_admins_factor(app, make_user):
    admin = make_user("admin")
    with_totp(admin)
    result = app.test_cli_runner().invoke(args=["users", "reset-factors", admin.email.upper()])
    assert result.exit_code == 0, result.output
    assert not factors.has_factor(admin) and factors.recovery_codes_left(admin) == 0
    entry = events("factor_reset")[0]
    assert entry.actor_id is None and entry.subject == admin.email
    missing = app.test_cli_runner().invoke(args=["users", "reset-factors", "nobody@example.org"])
    assert missing.exit_code != 0 and "no user" in missing.output


def test_account_page_offers_no_removal_of_the_only_required_factor(app, client, make_user):
    app.config["MFA_REQUIRED_FOR_ADMINS"] = True
    admin = make_user("admin")
    secret, _ = with_totp(admin)
    password_step(client, admin)
    client.post("/login/factor", data={"code": code(secret)})
    page = client.get("/account").text
    assert "/account/totp/remove" not in page and "Passkey hinzu" in page
    app.config["MFA_REQUIRED_FOR_ADMINS"] = False
    assert "/account/totp/remove" in client.get("/account").text
