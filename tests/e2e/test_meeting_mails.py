"""The meeting mails in the browser, as each role concerned meets them (German pages).

The coordination office (past its second factor) puts a steering group on the series'
distribution list, sends the agenda from the meeting page after checking who gets it; a
manager answers "Wir können nicht" from the delivered mail without logging in, and the
office sees the reply and the network's entries deferred; the office closes the meeting
on its live page and the minutes reach the participants and the distribution list (no
confidential item in that copy), the task owner their tasks. Managers and observers find
no way to send the agenda.

The sender runs in the test thread (``deliver()``) between the browser's requests; links in
the mails point at the live server (``BASE_URL``). The meeting lies three days ahead of
the real clock (the browser's cookies follow the real one), so nothing depends on the
day the tests run. The main pages are saved as ``meeting-mails-*.png`` in
TRACKER_TEST_SHOTS (default: test-artifacts/).
"""

from __future__ import annotations

import io
import os
import re
import zipfile
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from itsdangerous import URLSafeSerializer
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from tests.mail_server import html_of, text_of
from tracker.db import db, utcnow
from tracker.mail.models import OutboxMessage
from tracker.meetings import agenda, attendance_replies, services
from tracker.meetings.models import (
    AgendaEntry,
    Attendance,
    AttendanceReply,
    InformedRecipient,
    Meeting,
    MeetingStatus,
)

from .conftest import ARTIFACTS, browser_login_to, fresh, office_logs_in, settle

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)
POLL_MS = 6_000  # the live page polls every 2.5 s
SERIES = "Netzwerkmanager-Runde"
SECRET = "Geheime Übernahme der Firma X"
SECRET_COMPANY = "Verschwiegen Beteiligungs GmbH"
PUBLIC_A = "Laserschweißen: Partner gesucht"
ITEM_B = "Messestand Hannover teilen"
TASK = "Standfläche bei der Messe anfragen"
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / f"meeting-mails-{name}.png", full_page=True)


@pytest.fixture
def world(
    app, live_server, mail_server, make_network, make_user, make_series, make_item, make_company
):
    """Two networks in the roll call, the office, a manager of each, an observer of Beta.

    The meeting (three days ahead) has its agenda prepared: a public and a confidential
    item of Alpha, one item of Beta. Links in mails point at the live server.
    """
    app.config["BASE_URL"] = live_server
    app.config["MFA_REQUIRED_FOR_ADMINS"] = True  # as in production
    alpha, beta = make_network("Alpha"), make_network("Beta")
    office = make_user("admin", name="Olga Office", email="office@example.org", locale="de")
    anna = make_user("manager", alpha, name="Anna Alpha", email="anna@example.org", locale="de")
    bert = make_user("manager", beta, name="Bert Beta", email="bert@example.org", locale="de")
    otto = make_user("observer", beta, name="Otto Obs", email="otto@example.org", locale="de")
    series = make_series(name=SERIES, actor=office)
    services.set_roll_call(series, [alpha, beta])
    public = make_item(actor=anna, title=PUBLIC_A, responsible_network=alpha)
    secret = make_item(
        actor=anna,
        title=SECRET,
        responsible_network=alpha,
        confidential=True,
        company=make_company(name=SECRET_COMPANY),
    )
    item_b = make_item(actor=bert, title=ITEM_B, responsible_network=beta)
    meeting = services.upcoming(series)
    ahead = utcnow() + timedelta(days=3)
    meeting.starts_at = ahead.replace(hour=9, minute=0, second=0, microsecond=0)
    agenda.prepare_agenda(meeting, actor=office)
    db.session.commit()
    settle(alpha, beta, office, anna, bert, otto, series, meeting, public, secret, item_b)
    return SimpleNamespace(
        alpha=alpha,
        beta=beta,
        office=office,
        anna=anna,
        bert=bert,
        otto=otto,
        series=series,
        meeting=meeting,
        public=public,
        secret=secret,
        item_b=item_b,
        mails=mail_server,
    )


def delivered(deliver, **expected):
    """Run the sender until nothing is due; check its counts; end the test thread's reads."""
    report = deliver()
    db.session.close()
    assert {name: getattr(report, name) for name in expected} == expected
    return report


def one_mail(mails, address: str, subject_start: str):
    found = [m for m in mails.to(address) if m["Subject"].startswith(subject_start)]
    assert len(found) == 1, [m["Subject"] for m in mails.to(address)]
    return found[0]


def attachments(message) -> dict[str, bytes]:
    return {part.get_content_type(): part.get_content() for part in message.iter_attachments()}


def calendar_text(message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    return part.get_content()


def docx_text(body: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(body)).read("word/document.xml").decode()


def pdf_text(body: bytes) -> str:
    import subprocess

    return subprocess.run(
        ["pdftotext", "-", "-"], input=body, capture_output=True, check=True
    ).stdout.decode()


def read_link(link: str) -> SimpleNamespace:
    """What an attendance link says, read by the app's own check (then the session ends)."""
    token = link.rsplit("/", 1)[1]
    try:
        answer = attendance_replies.read(token)
        return SimpleNamespace(
            network_id=answer.network.id, present=answer.present, recipient_id=answer.recipient.id
        )
    finally:
        db.session.close()


def forged(app, token: str, **changes) -> str:
    """The token's payload changed (another network, say), its signature kept."""
    serializer = URLSafeSerializer(app.config["SECRET_KEY"], salt="meeting-attendance-reply")
    payload = {**serializer.loads(token), **changes}
    other = URLSafeSerializer("not our key", salt="meeting-attendance-reply").dumps(payload)
    return other.rsplit(".", 1)[0] + "." + token.rsplit(".", 1)[1]


def replies() -> int:
    db.session.close()
    try:
        return db.session.scalar(select(func.count()).select_from(AttendanceReply))
    finally:
        db.session.close()


def presence(meeting_id: int, network_id: int) -> bool | None:
    """A network's recorded attendance (None: nothing recorded, counted present)."""
    row = fresh(Attendance, (meeting_id, network_id))
    return None if row is None else row.present


def entries_of(meeting_id: int, network_id: int) -> list[AgendaEntry]:
    db.session.close()
    try:
        return list(
            db.session.scalars(
                select(AgendaEntry).where(
                    AgendaEntry.meeting_id == meeting_id,
                    AgendaEntry.network_id == network_id,
                    AgendaEntry.removed.is_(False),
                )
            )
        )
    finally:
        db.session.close()


def agenda_entry(page: Page, title: str):
    return page.locator("ol.agenda > li.agenda-entry", has_text=title)


def test_the_office_sends_the_agenda_a_manager_answers_the_minutes_go_out(
    app, new_page, live_server, world, deliver
):
    meeting_id = world.meeting.id
    mails = world.mails

    # 1. The office puts the steering group on the series' distribution list.
    office = new_page()
    office_logs_in(office, live_server, world.office, f"/meetings/series/{world.series.id}")
    office.get_by_role("link", name="Verteiler für das Protokoll (ohne Zugang)").click()
    office.wait_for_url(f"{live_server}/meetings/series/{world.series.id}/informed")
    expect(office.locator("main h1")).to_have_text(f"Verteiler: {SERIES}")
    expect(office.locator("main")).to_contain_text("Noch niemand steht im Verteiler.")
    form = office.locator("main form").last
    form.get_by_label("Name").fill("Lenkungskreis")
    form.get_by_label("E-Mail").fill("lenkung-at-example.org")
    expect(form.get_by_label("Sprache der Mails")).to_have_value("de")
    form.get_by_role("button", name="Hinzufügen").click()
    email = office.locator("main form").last.get_by_label("E-Mail")
    expect(email).to_have_value("lenkung-at-example.org")  # the input comes back
    expect(email).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(office.locator("main form .invalid-feedback")).to_have_text("Ungültige E-Mail-Adresse.")
    expect(office.locator("main form").last.get_by_label("Name")).to_have_value("Lenkungskreis")
    shot(office, "informed-invalid")
    email.fill("lenkung@example.org")
    office.locator("main form").last.get_by_role("button", name="Hinzufügen").click()
    expect(office.locator("main .alert-success")).to_have_text(
        "lenkung@example.org erhält das Protokoll dieser Terminreihe."
    )
    row = office.locator("main tr.informed-recipient")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Lenkungskreis")
    expect(row).to_contain_text("lenkung@example.org")
    expect(row).to_contain_text("DE")
    shot(office, "informed")
    db.session.close()
    (recipient,) = db.session.scalars(select(InformedRecipient)).all()
    assert (recipient.name, recipient.email, recipient.locale) == (
        "Lenkungskreis",
        "lenkung@example.org",
        "de",
    )
    db.session.close()

    # 2. The office opens the meeting, checks who gets the agenda, sends it.
    office.goto(f"/meetings/{meeting_id}")
    expect(office.locator("#mails")).to_contain_text("Die Tagesordnung wurde noch nicht versandt.")
    office.get_by_role("link", name="Tagesordnung versenden …").click()
    office.wait_for_url(f"{live_server}/meetings/{meeting_id}/agenda-mail")
    expect(office.locator("main h1")).to_contain_text(f"Tagesordnung versenden: {SERIES}")
    rows = office.locator("main table tbody tr")
    expect(rows).to_have_count(4)
    for person, links in (
        (world.office, "–"),
        (world.anna, "ja"),
        (world.bert, "ja"),
        (world.otto, "–"),
    ):
        row = rows.filter(has_text=person.email)
        expect(row).to_contain_text(person.name)
        expect(row.locator("td").last).to_have_text(links)
    expect(rows.filter(has_text=world.anna.email)).to_contain_text("Alpha")
    expect(office.locator("main")).to_contain_text("Verteiler")  # informed: minutes only
    shot(office, "send-agenda")
    assert mails.messages == []
    office.get_by_role("button", name="Tagesordnung an 4 Empfänger·innen versenden").click()
    office.wait_for_url(f"{live_server}/meetings/{meeting_id}")
    expect(office.locator("main .alert-success")).to_have_text(
        "Die Tagesordnung geht an 4 Empfänger·innen."
    )

    # 3. The mails: German, PDF, DOCX, invitation, Alpha's two attendance links.
    delivered(deliver, sent=4, failed=0)
    assert sorted(m["To"].addresses[0].addr_spec for m in mails.messages) == [
        "anna@example.org",
        "bert@example.org",
        "office@example.org",
        "otto@example.org",
    ]
    mail = one_mail(mails, world.anna.email, "Tagesordnung: ")
    assert mail["Subject"].startswith(f"Tagesordnung: {SERIES} am ")
    text = text_of(mail)
    assert text.startswith("Guten Tag Anna Alpha,"), text
    assert PUBLIC_A in text and SECRET in text  # Anna may see her network's confidential item
    assert '<html lang="de">' in html_of(mail)
    files = attachments(mail)
    assert files[PDF].startswith(b"%PDF") and PUBLIC_A in pdf_text(files[PDF])
    assert zipfile.is_zipfile(io.BytesIO(files[DOCX])) and "Laserschwei" in docx_text(files[DOCX])
    assert "METHOD:REQUEST" in calendar_text(mail)
    (present,) = re.findall(r"- Wir nehmen teil: <(http://[^>\s]+)>", text)
    (absent,) = re.findall(r"- Wir können nicht: <(http://[^>\s]+)>", text)
    for link in (present, absent):
        assert link.startswith(f"{live_server}/meetings/attendance/")
    assert read_link(present) == SimpleNamespace(
        network_id=world.alpha.id, present=True, recipient_id=world.anna.id
    )
    assert read_link(absent) == SimpleNamespace(
        network_id=world.alpha.id, present=False, recipient_id=world.anna.id
    )
    bert_links = re.findall(
        r"<(http://[^>\s]+/meetings/attendance/[^>\s]+)>",
        text_of(one_mail(mails, world.bert.email, "Tagesordnung: ")),
    )
    assert {read_link(link).network_id for link in bert_links} == {world.beta.id}
    for address in (world.bert.email, world.otto.email):  # Beta sees no Alpha secret
        copy = one_mail(mails, address, "Tagesordnung: ")
        assert "Vertrauliches Anliegen" in text_of(copy)
        for body in (text_of(copy), html_of(copy), pdf_text(attachments(copy)[PDF])):
            assert "Geheime" not in body and "Verschwiegen" not in body
    for address in (world.office.email, world.otto.email):  # no manager: no links
        assert "/meetings/attendance/" not in one_mail(mails, address, "Tagesordnung").as_string()
    office.reload()
    expect(office.locator("#mails")).to_contain_text(
        re.compile(r"Tagesordnung am .+ an 4 Empfänger·innen versandt\s*· 4 zugestellt")
    )

    # 4. From the mail, not logged in: "Wir können nicht".
    outsider = new_page()
    outsider.goto(absent)
    expect(outsider.locator("#nav-main")).to_have_count(0)
    expect(outsider.locator("main h1")).to_have_text("Anwesenheit")
    expect(outsider.locator("main")).to_contain_text(
        "Bestätigen, dass Testnetzwerk Alpha an dieser Sitzung nicht teilnehmen kann? "
        "Seine Anliegen werden dann auf die nächste Sitzung zurückgestellt."
    )
    shot(outsider, "attendance-confirm")
    assert replies() == 0  # opening the link changes nothing
    assert presence(meeting_id, world.alpha.id) is not False
    assert not any(e.deferred for e in entries_of(meeting_id, world.alpha.id))
    outsider.get_by_role("button", name="Ja, wir können nicht teilnehmen").click()
    expect(outsider.locator("#attendance-answer")).to_have_text(
        "Vielen Dank. Vermerkt: Testnetzwerk Alpha kann nicht teilnehmen; seine Anliegen "
        "werden auf die nächste Sitzung zurückgestellt."
    )
    shot(outsider, "attendance-done")
    assert replies() == 1
    assert presence(meeting_id, world.alpha.id) is False
    alpha_entries = [e for e in entries_of(meeting_id, world.alpha.id) if e.item_id]
    assert len(alpha_entries) == 2 and all(e.deferred for e in alpha_entries)
    assert not any(e.deferred for e in entries_of(meeting_id, world.beta.id))

    outsider.goto(absent)  # the same link again
    expect(outsider.locator("#attendance-answer")).to_contain_text(
        re.compile(
            r"^Diese Antwort wurde bereits am .+ vermerkt\. "
            r"Testnetzwerk Alpha kann nicht teilnehmen\.$"
        )
    )
    expect(outsider.locator("main").get_by_role("button")).to_have_count(0)
    shot(outsider, "attendance-again")
    assert replies() == 1

    token = absent.rsplit("/", 1)[1]
    payload, signature = token.rsplit(".", 1)
    middle = len(signature) // 2
    flipped = (
        signature[:middle] + ("A" if signature[middle] != "A" else "B") + signature[middle + 1 :]
    )
    for bad in (f"{payload}.{flipped}", forged(app, token, n=world.beta.id), token[:-12]):
        answer = outsider.goto(f"{live_server}/meetings/attendance/{bad}")
        assert answer.status == 404, bad
        expect(outsider.locator("main h1")).to_have_text("Anwesenheit")
        expect(outsider.locator("#attendance-answer")).to_have_text(
            "Dieser Link ist ungültig. Bitte verwenden Sie den Link aus der Mail."
        )
        expect(outsider.locator("form#attendance-confirm")).to_have_count(0)
    shot(outsider, "attendance-invalid")
    assert replies() == 1
    assert presence(meeting_id, world.beta.id) is not False

    office.reload()
    reply = office.locator("#replies li.attendance-reply")
    expect(reply).to_have_count(1)
    expect(reply).to_contain_text("Alpha: kann nicht teilnehmen")
    expect(office.locator("#replies")).to_contain_text("Rückmeldungen zur Teilnahme")
    for title in (PUBLIC_A, SECRET):
        expect(agenda_entry(office, title)).to_contain_text("zurückgestellt")
    expect(agenda_entry(office, ITEM_B)).not_to_contain_text("zurückgestellt")
    shot(office, "meeting-replies")

    # 5. The office runs the meeting live: a decision and a task on Beta's entry; closes.
    office.goto(f"/meetings/{meeting_id}/live")
    live_b = office.locator("#live-agenda section.live-entry", has_text=ITEM_B)
    live_b.locator("a.line-open").click()  # one line per entry: open Beta's
    outcome = live_b.locator("form.entry-outcome")
    outcome.locator("input[name=discussed]").check()
    outcome.locator("textarea[name=decision]").fill("Beta bucht den Stand gemeinsam")
    with office.expect_response(re.compile(r"/entries/\d+/outcome$")) as answer:
        outcome.locator("button[type=submit]").click()
    assert answer.value.ok
    task_form = live_b.locator("form.entry-task")
    task_form.locator("input[name=title]").fill(TASK)
    task_form.locator("select[name=owner]").select_option(label="Bert Beta (Beta)")
    task_form.locator("input[name=due_date]").fill("2030-01-20")
    with office.expect_response(re.compile(r"/tasks$")) as answer:
        task_form.locator("button[type=submit]").click()
    assert answer.value.ok
    expect(live_b).to_contain_text(TASK, timeout=POLL_MS)
    delivered(deliver, sent=1)  # the task's own notification, as for any task
    assert one_mail(mails, world.bert.email, "Eine neue Aufgabe für Sie: ")
    office.once("dialog", lambda dialog: dialog.accept())
    office.locator("#live-close button").click()
    office.wait_for_url(f"{live_server}/meetings/{meeting_id}")
    assert fresh(Meeting, meeting_id).status is MeetingStatus.CLOSED

    delivered(deliver, sent=6, failed=0)  # minutes: 4 participants + Lenkungskreis; tasks: Bert
    for person in (world.office, world.anna, world.bert, world.otto):
        minutes = one_mail(mails, person.email, "Protokoll: ")
        assert minutes["Subject"].startswith(f"Protokoll: {SERIES} am ")
        assert text_of(minutes).startswith(f"Guten Tag {person.name},")
        assert "Beta bucht den Stand gemeinsam" in text_of(minutes)
    anna_minutes = text_of(one_mail(mails, world.anna.email, "Protokoll: "))
    # The distribution copy: Anna's own confidential item is a placeholder in the mail too.
    assert SECRET not in anna_minutes and "Vertrauliches Anliegen" in anna_minutes, anna_minutes
    assert re.search(r"Abwesend:.*Alpha", anna_minutes), anna_minutes

    informed = one_mail(mails, "lenkung@example.org", "Protokoll: ")
    assert informed["To"].addresses[0].display_name == "Lenkungskreis"
    informed_text = text_of(informed)
    assert informed_text.startswith("Guten Tag Lenkungskreis,"), informed_text
    assert "Beta bucht den Stand gemeinsam" in informed_text and PUBLIC_A in informed_text
    assert "Vertrauliches Anliegen" in informed_text and "Abwesend: Alpha" in informed_text
    assert "Verteiler" in informed_text and f"{live_server}/meetings/" not in informed_text
    files = attachments(informed)
    assert files[PDF].startswith(b"%PDF") and zipfile.is_zipfile(io.BytesIO(files[DOCX]))
    for body in (informed_text, html_of(informed), pdf_text(files[PDF]), docx_text(files[DOCX])):
        for secret in ("Geheime", "Firma X", "Verschwiegen"):
            assert secret not in body

    tasks = one_mail(mails, world.bert.email, "Ihre Aufgaben aus ")
    assert tasks["Subject"].startswith(f"Ihre Aufgaben aus „{SERIES}“ am ")
    tasks_text = text_of(tasks)
    assert tasks_text.startswith("Guten Tag Bert Beta,")
    assert f"- **{TASK}** – fällig am 20.01.2030" in tasks_text, tasks_text
    item_line = rf"Anliegen: \d{{4}}-\d{{4}} {ITEM_B} <{live_server}/items/{world.item_b.id}>"
    assert re.search(item_line, tasks_text), tasks_text
    assert f"<{live_server}/meetings/tasks>" in tasks_text
    for person in (world.office, world.anna, world.otto):  # no task: no tasks mail
        assert not [m for m in mails.to(person.email) if m["Subject"].startswith("Ihre Aufgaben")]
    assert "lenkung@example.org" not in {
        m["To"].addresses[0].addr_spec
        for m in mails.messages
        if not m["Subject"].startswith("Protokoll")
    }

    office.reload()
    expect(office.locator("#mails")).to_contain_text(
        re.compile(r"Protokoll am .+ an 5 Empfänger·innen versandt\s*· 5 zugestellt")
    )
    expect(office.get_by_role("link", name="Tagesordnung versenden …")).to_have_count(0)
    shot(office, "meeting-closed")

    expired = outsider.goto(present)  # the other link, after the meeting: expired
    assert expired.status == 410
    expect(outsider.locator("#attendance-answer")).to_have_text(
        "Diese Sitzung ist vorbei: ihre Links zur Teilnahme sind abgelaufen."
    )
    expect(outsider.locator("form#attendance-confirm")).to_have_count(0)
    assert replies() == 1 and presence(meeting_id, world.alpha.id) is False


@pytest.mark.parametrize("role", ["anna", "otto"])
def test_managers_and_observers_cannot_send_the_agenda(new_page, live_server, world, role):
    person = getattr(world, role)
    meeting_id = world.meeting.id
    page = new_page()
    browser_login_to(page, live_server, person, f"/meetings/{meeting_id}")
    expect(page.locator("main ol.agenda")).to_contain_text(PUBLIC_A)
    expect(page.get_by_role("link", name="Tagesordnung versenden …")).to_have_count(0)
    expect(page.locator("#mails")).to_have_count(0)
    # With a valid CSRF token of their own session, so only the role decides.
    csrf = page.locator("input[name=csrf_token]").first.get_attribute("value")
    url = f"{live_server}/meetings/{meeting_id}/agenda-mail"
    assert page.request.get(url).status == 403
    assert page.request.post(url, form={"csrf_token": csrf}).status == 403
    informed = f"{live_server}/meetings/series/{world.series.id}/informed"
    assert page.request.get(informed).status == 403
    assert (
        page.request.post(
            informed, form={"csrf_token": csrf, "email": "x@example.org", "locale": "de"}
        ).status
        == 403
    )
    db.session.close()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(InformedRecipient)) == 0
    db.session.close()
