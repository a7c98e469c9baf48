"""The office closes a meeting on its live page and downloads both copies of the minutes.

The outcomes are recorded beforehand (server side): decisions and tasks of two owners on
Alpha's and Beta's items, a decision on Alpha's confidential item; Beta is absent, so
its second item goes to the list "Vertagt". The distribution copy shows the confidential
item as "Vertrauliches Anliegen" even to the office; the internal copy shows it. The meeting
page with its export menu and the first page of each PDF are saved as
``minutes-copies-*.png`` in TRACKER_TEST_SHOTS (default: test-artifacts/).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tracker.db import db, utcnow, write_intent
from tracker.mail.models import OutboxMessage
from tracker.meetings import agenda, live, services
from tracker.meetings.models import Meeting, MeetingStatus

from .conftest import ARTIFACTS, fresh, office_logs_in, settle

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)
SECRET = "Geheime Übernahme der Firma X"
SECRET_COMPANY = "Verschwiegen Beteiligungs GmbH"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"minutes-copies-{name}.png", full_page=True)


def first_page_png(pdf: Path, name: str) -> None:
    """The PDF's first page as a picture, to look at (pdftoppm, where it is installed)."""
    if shutil.which("pdftoppm"):
        stem = SHOTS / f"minutes-copies-{name}"
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-singlefile", str(pdf),
                        str(stem)], check=True)  # fmt: skip


def _record(meeting, office, anna, bert, entries) -> None:
    """What the call decided, as the live page's services record it."""
    services.start_meeting(meeting, actor=office)
    live.set_attendance(meeting, bert.network, False, actor=office)
    outcomes = {
        "public": "Kontakt über die Hochschule herstellen",
        "secret": f"{SECRET}: Kaufpreis prüfen",
        "fair": "Stand gemeinsam buchen",
    }
    for key, decision in outcomes.items():
        live.update_entry(
            entries[key], actor=office, expected_version=None, discussed=True, decision=decision
        )
    for owner, title, due, key in (
        (anna, "Hochschule anschreiben", date(2030, 1, 14), "public"),
        (bert, "Standfläche anfragen", date(2030, 1, 10), "fair"),
        (anna, f"Unterlagen zur {SECRET}", date(2030, 1, 20), "secret"),
    ):
        live.add_task(meeting, actor=office, title=title, owner=owner, due_date=due,
                      entry=entries[key])  # fmt: skip


@pytest.fixture
def world(app, make_network, make_user, make_series, make_item, make_company):
    app.config["MFA_REQUIRED_FOR_ADMINS"] = True  # as in production
    alpha, beta = make_network("Alpha"), make_network("Beta")
    office = make_user("admin", name="Olga Office", email="office@example.org", locale="de")
    anna = make_user("manager", alpha, name="Anna Alpha", email="anna@example.org", locale="de")
    bert = make_user("manager", beta, name="Bert Beta", email="bert@example.org", locale="de")
    series = make_series(name="Netzwerkmanager-Runde", actor=office)
    services.set_roll_call(series, [alpha, beta])
    items = {
        "public": make_item(actor=anna, title="Laserschweißen: Partner gesucht",
                            responsible_network=alpha),
        "secret": make_item(actor=anna, title=SECRET, responsible_network=alpha,
                            confidential=True, company=make_company(name=SECRET_COMPANY)),
        "fair": make_item(actor=bert, title="Messestand Hannover teilen", responsible_network=beta),
        "later": make_item(actor=bert, title="Fachkräftetag im März", responsible_network=beta),
    }  # fmt: skip
    meeting = services.upcoming(series)
    meeting.starts_at = (utcnow() + timedelta(days=3)).replace(hour=9, minute=0, second=0)
    agenda.prepare_agenda(meeting, actor=office)
    by_item = {e.item_id: e for e in meeting.entries if e.item_id}
    _record(meeting, office, anna, bert, {k: by_item[i.id] for k, i in items.items()})
    db.session.commit()
    settle(office, meeting)
    return SimpleNamespace(office=office, meeting=meeting)


def queued_minutes(meeting_id: int) -> list[OutboxMessage]:
    """The meeting's minutes in the outbox, read like ``fresh`` reads (no write lock)."""
    db.session.close()
    token = write_intent.set(False)
    try:
        query = select(OutboxMessage).where(
            OutboxMessage.kind == "minutes", OutboxMessage.about == f"meeting:{meeting_id}"
        )
        return list(db.session.scalars(query.order_by(OutboxMessage.id)))
    finally:
        db.session.close()
        write_intent.reset(token)


def pdf_text(path: Path) -> str:
    run = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(run.stdout.decode().split())


def download(page: Page, link, target: Path) -> Path:
    with page.expect_download() as event:
        link.click()
    assert event.value.failure() is None
    event.value.save_as(target)
    return target


def test_office_closes_the_meeting_and_downloads_both_copies(
    new_page, live_server, world, tmp_path
):
    meeting_id = world.meeting.id
    office = new_page()
    office_logs_in(office, live_server, world.office, f"/meetings/{meeting_id}/live")
    office.once("dialog", lambda dialog: dialog.accept())
    office.locator("#live-close button").click()
    office.wait_for_url(f"{live_server}/meetings/{meeting_id}")
    assert fresh(Meeting, meeting_id).status is MeetingStatus.CLOSED
    expect(office.locator("main h1 .badge")).to_have_text("Abgeschlossen")

    office.locator("main .dropdown-toggle").click()
    menu = office.locator("main .dropdown-menu")
    expect(menu).to_contain_text("Protokoll · Fassung für den Verteiler")
    expect(menu).to_contain_text("Protokoll · Interne Fassung")
    shot(office, "export-menu")
    files = {}
    for variant in ("distribution", "internal"):
        row = menu.locator(f"li.export-minutes-{variant}").first  # the PDF
        expect(row).to_contain_text("PDF")
        link = row.get_by_role("link", name=re.compile(r"PDF, Deutsch$"))
        files[variant] = download(office, link, tmp_path / f"{variant}.pdf")
        if variant == "distribution":
            office.locator("main .dropdown-toggle").click()  # the download closed the menu
    shared, internal = (pdf_text(files[v]) for v in ("distribution", "internal"))
    first_page_png(files["distribution"], "distribution-page1")
    first_page_png(files["internal"], "internal-page1")

    for text in (shared, internal):
        assert text.index("Beschlüsse") < text.index("Aufgaben") < text.index("Besprochene")
        assert "Abwesend Beta" in text and "Anna Alpha" in text and "Bert Beta" in text
        assert "Stand gemeinsam buchen" in text and "10.01.2030" in text
        assert "Fachkräftetag im März" in text.split("Vertagt")[-1]
        assert "Beta abwesend" in text.split("Vertagt")[-1]
    assert "Fassung für den Verteiler" in shared and "Vertrauliches Anliegen" in shared
    for secret in ("Geheime", "Firma X", "Verschwiegen", "Kaufpreis"):
        assert secret not in shared
    assert "Interne Fassung: bitte nicht weiterleiten." in internal
    assert SECRET in internal and "Kaufpreis prüfen" in internal

    # Sending the minutes again: the distribution copy is preselected; the office picks the
    # internal one for the participants.
    office.keyboard.press("Escape")
    office.get_by_role("link", name="Protokoll versenden…").click()
    office.wait_for_url(f"{live_server}/meetings/{meeting_id}/minutes-mail")
    expect(office.locator("main h1")).to_contain_text("Protokoll versenden")
    expect(office.get_by_label(re.compile(r"^Fassung für den Verteiler"))).to_be_checked()
    shot(office, "send-minutes")
    office.get_by_label(re.compile(r"^Interne Fassung")).check()
    office.get_by_role("button", name="Protokoll versenden").click()
    office.wait_for_url(f"{live_server}/meetings/{meeting_id}")
    expect(office.locator(".alert-success")).to_contain_text("Das Protokoll geht an 3 Empfänger")
    variants = [m.params.get("variant") for m in queued_minutes(meeting_id)]
    assert variants == ["distribution"] * 3 + ["internal"] * 3  # on closing, then again
