"""A whole weekly meeting in the browser, as its three participants run it.

The coordination office prepares the agenda and opens live mode; two managers of different
networks join. One network is absent. Outcomes, an inline item change, a quick-add, a
task and a conflict on one entry happen while everyone's page is open; the office closes
the meeting; the next agenda and the minutes (Markdown, DOCX, PDF) show what was decided.
"""

import io
import re
import zipfile
from datetime import date

import pytest
from playwright.sync_api import expect

from tracker.db import db
from tracker.items.models import Item
from tracker.meetings import services
from tracker.meetings.models import AgendaEntry, Meeting, MeetingStatus

from .conftest import browser_login_to, fresh, settle

pytestmark = pytest.mark.e2e

POLL_MS = 6_000  # the page polls every 2.5 s


@pytest.fixture
def walk(make_network, make_user, make_series, make_item, make_company):
    """Three networks, a manager of two of them, the office, one item per network."""
    alpha, beta = make_network("EnergieNord"), make_network("H2Wartburg")
    gamma = make_network("OptoNet")
    anna = make_user("manager", alpha, name="Anna Albrecht")
    bert = make_user("manager", beta, name="Bert Brandt")
    office = make_user("admin", None, name="Olga Ost")
    meeting = services.upcoming(make_series())
    items = {
        "anna": make_item(actor=anna, title="Förderung Wärmepumpe", responsible_network=alpha,
                          company=make_company(name="Wärmetechnik Gera GmbH")),
        "bert": make_item(actor=bert, title="Elektrolyseur-Test gesucht",
                          responsible_network=beta, company=make_company(name="Gaswerk AG")),
        "gamma": make_item(actor=office, title="Linsenprüfung", responsible_network=gamma,
                           reporting_network=gamma, company=make_company(name="Optik Jena")),
    }
    db.session.commit()
    settle(anna, bert, office, alpha, beta, gamma, meeting, *items.values())
    return dict(anna=anna, bert=bert, office=office, gamma=gamma, meeting=meeting, items=items)


def entry_of(page, title: str):
    return page.locator("#live-agenda section.live-entry", has_text=title)


def opened(page, title: str):
    """The entry with its forms: its line clicked open unless it is open already."""
    section = entry_of(page, title)
    if not section.locator("form.entry-outcome").count():
        section.locator("a.line-open").click()
        expect(section.locator("form.entry-outcome")).to_be_visible()
    return section


def save_note(page, title: str, note: str):
    form = opened(page, title).locator("form.entry-note-form")
    form.locator("textarea[name=note]").fill(note)
    with page.expect_response(re.compile(r"/entries/\d+/note$")) as answer:
        form.locator("button[type=submit]").click()
    return answer.value


def save_outcome(page, title: str, note: str = "", decision: str = "", discussed=True):
    if note:
        assert save_note(page, title, note).ok
    form = opened(page, title).locator("form.entry-outcome")
    if discussed:
        form.locator("input[name=discussed]").check()
    else:
        form.locator("input[name=discussed]").uncheck()
    if decision:
        form.locator("textarea[name=decision]").fill(decision)
    with page.expect_response(re.compile(r"/entries/\d+/outcome$")) as answer:
        form.locator("button[type=submit]").click()
    return answer.value


def test_a_whole_meeting_from_agenda_to_minutes(new_page, live_server, walk):
    meeting = walk["meeting"]
    office = new_page()
    browser_login_to(office, live_server, walk["office"], f"/meetings/{meeting.id}")
    office.get_by_role("button", name="Tagesordnung vorbereiten").click()
    for item in walk["items"].values():
        expect(office.locator("main")).to_contain_text(item.title)
    office.get_by_role("button", name="Live-Modus öffnen").click()
    office.wait_for_url(re.compile(r"/live$"))
    path = f"/meetings/{meeting.id}/live"
    anna, bert = new_page(), new_page()
    browser_login_to(anna, live_server, walk["anna"], path)
    browser_login_to(bert, live_server, walk["bert"], path)

    # Roll call: OptoNet is absent.
    with office.expect_response(re.compile(r"/attendance$")):
        office.locator(f"#present-{walk['gamma'].id}").uncheck()
    expect(anna.locator(f"#present-{walk['gamma'].id}")).not_to_be_checked(timeout=POLL_MS)

    # Anna records the outcome of her entry; Bert, who opened it, sees it without reloading.
    opened(bert, "Förderung Wärmepumpe")
    assert save_outcome(anna, "Förderung Wärmepumpe", note="Programm passt",
                        decision="EnergieNord berät zur BAFA-Förderung").ok
    expect(entry_of(bert, "Förderung Wärmepumpe")).to_contain_text(
        "BAFA-Förderung", timeout=POLL_MS)

    # A task for Bert on Anna's entry.
    task_form = opened(anna, "Förderung Wärmepumpe").locator("form.entry-task")
    task_form.locator("input[name=title]").fill("Kontakt zum Energieberater herstellen")
    task_form.locator("select[name=owner]").select_option(label="Bert Brandt (H2Wartburg)")
    task_form.locator("input[name=due_date]").fill("2030-01-20")
    with anna.expect_response(re.compile(r"/tasks$")):
        task_form.locator("button[type=submit]").click()
    expect(entry_of(bert, "Förderung Wärmepumpe")).to_contain_text(
        "Energieberater", timeout=POLL_MS)

    # Bert changes his item's follow-up date in place.
    bert_item = opened(bert, "Elektrolyseur-Test").locator("form.entry-item")
    bert_item.locator("input[name=follow_up_date]").fill("2030-03-05")
    with bert.expect_response(re.compile(r"/entries/\d+/item$")) as answer:
        bert_item.locator("button[name=action][value='']").click()
    assert answer.value.status == 200
    assert fresh(Item, walk["items"]["bert"].id).follow_up_date == date(2030, 3, 5)

    # Both write a note on Bert's entry: both notes stay. Their decisions conflict: the later
    # save keeps its text and says so.
    assert save_note(anna, "Elektrolyseur-Test", "Labor in Ilmenau").ok
    assert save_note(bert, "Elektrolyseur-Test", "Termin nächste Woche").ok
    expect(entry_of(anna, "Elektrolyseur-Test").locator(".entry-notes")).to_contain_text(
        "Bert Brandt: Termin nächste Woche", timeout=POLL_MS)
    assert save_outcome(bert, "Elektrolyseur-Test", decision="Bert testet im Mai").ok
    conflict = save_outcome(anna, "Elektrolyseur-Test", decision="Anna prüft", discussed=False)
    assert conflict.status == 409
    notice = entry_of(anna, "Elektrolyseur-Test").locator(".conflict-notice")
    expect(notice).to_contain_text("Bert testet im Mai")
    expect(entry_of(anna, "Elektrolyseur-Test").locator("textarea[name=decision]")).to_have_value(
        "Anna prüft")

    # Anna quick-adds a new concern with the keyboard; everyone sees it.
    anna.locator("#quick-add #title").focus()
    anna.keyboard.type("Fachkräfte für Batteriefertigung")
    anna.keyboard.press("Tab")
    anna.keyboard.type("Batteriewerk Arnstadt GmbH")
    anna.keyboard.press("Enter")
    expect(anna.locator("#quick-add-result")).to_contain_text(re.compile(r"\d{4}-\d{4}"))
    expect(entry_of(bert, "Batteriefertigung")).to_be_visible(timeout=POLL_MS)
    expect(entry_of(office, "Batteriefertigung")).to_be_visible(timeout=POLL_MS)

    # The office closes; the managers' pages say so.
    office.once("dialog", lambda dialog: dialog.accept())
    office.locator("#live-close button").click()
    office.wait_for_url(re.compile(rf"/meetings/{meeting.id}$"))
    for page in (anna, bert):
        expect(page.locator("#live-meeting-status")).to_have_text("Abgeschlossen", timeout=POLL_MS)
    assert fresh(Meeting, meeting.id).status is MeetingStatus.CLOSED

    # The next meeting's agenda carries the absent network's entry over.
    following = services.upcoming(fresh(Meeting, meeting.id).series)
    following_id = following.id
    db.session.close()
    office.goto(f"/meetings/{following_id}")
    office.get_by_role("button", name="Tagesordnung vorbereiten").click()
    expect(office.locator("main")).to_contain_text("Linsenprüfung")

    # The minutes in three formats.
    minutes = office.request.get(f"/meetings/{meeting.id}/minutes.md?lang=de")
    assert minutes.ok
    text = minutes.text()
    assert re.search(r"Anwesend:.*EnergieNord.*H2Wartburg", text), text
    assert re.search(r"Abwesend:.*OptoNet", text), text
    assert "EnergieNord berät zur BAFA-Förderung" in text
    assert "Kontakt zum Energieberater herstellen" in text
    docx = office.request.get(f"/meetings/{meeting.id}/minutes.docx?lang=de")
    assert docx.ok
    body = zipfile.ZipFile(io.BytesIO(docx.body())).read("word/document.xml").decode()
    assert "BAFA-Förderung" in body and "OptoNet" in body
    pdf = office.request.get(f"/meetings/{meeting.id}/minutes.pdf?lang=de")
    assert pdf.ok and pdf.body().startswith(b"%PDF")
    entries = db.session.scalars(
        db.select(AgendaEntry).where(AgendaEntry.meeting_id == meeting.id)).all()
    assert any(e.deferred for e in entries if e.network_id == walk["gamma"].id)
    db.session.close()
