"""A meeting cycle in the browser: prepare, run live with two managers at once, close, export."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from tracker.auth.models import User
from tracker.db import db
from tracker.meetings import agenda, live, services
from tracker.meetings.models import AgendaEntry, Attendance, Meeting, MeetingStatus

from .conftest import browser_login_to, fresh, settle

pytestmark = pytest.mark.e2e

REFERENCE = re.compile(r"^\d{4}-\d{4}$")
POLL_MS = 6_000  # the live page polls every 2.5 s; others' changes show within 5 s


@pytest.fixture
def world(make_network, make_user, make_series):
    """Two networks (roll call: Alpha, Beta), a manager of each, a series and its next meeting."""
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna = make_user("manager", alpha, name="Anna Alpha")
    bert = make_user("manager", beta, name="Bert Beta")
    office = make_user("admin", None, name="Olga Office")
    series = make_series()
    meeting = services.upcoming(series)
    db.session.commit()
    return SimpleNamespace(
        alpha=alpha, beta=beta, anna=anna, bert=bert, office=office, series=series,
        meeting=meeting,
    )


@pytest.fixture
def prepared(world, make_item):
    """The meeting's agenda prepared: standing topics, one item of each network.

    ``entry_a`` / ``entry_b`` are the ids of the entries of Alpha's and Beta's item.
    """
    world.item_a = make_item(
        actor=world.anna, title="Laserschweißen: Partner gesucht", responsible_network=world.alpha
    )
    world.item_b = make_item(
        actor=world.bert, title="Messestand Hannover teilen", responsible_network=world.beta
    )
    agenda.prepare_agenda(world.meeting, actor=world.anna)
    db.session.commit()
    by_item = {e.item_id: e.id for e in world.meeting.entries}
    world.entry_a, world.entry_b = by_item[world.item_a.id], by_item[world.item_b.id]
    # The live page with both items' entries open (one line each otherwise)
    world.live = f"/meetings/{world.meeting.id}/live?open={world.entry_a},{world.entry_b}"
    settle(
        world.anna, world.bert, world.office, world.alpha, world.beta, world.meeting,
        world.item_a, world.item_b,
    )
    return world


def open_as(new_page, base_url: str, user, path: str):
    """A new browser context, logged in as ``user``, showing ``path``."""
    page = new_page()
    browser_login_to(page, base_url, user, path)
    return page


def entry_section(page, entry_id: int):
    return page.locator(f"section#entry-{entry_id}")


def save_outcome(page, entry_id: int):
    """The Save button of the entry's outcome form (discussed, note, decision)."""
    return entry_section(page, entry_id).locator("form.entry-outcome button[type=submit]")


def close_in_meeting(world, discussed: dict[int, str]):
    """Mark entries discussed with a decision and close the meeting (as Anna, server side)."""
    anna = db.session.get(User, world.anna.id)
    for entry_id, decision in discussed.items():
        entry = db.session.get(AgendaEntry, entry_id)
        live.update_entry(
            entry, actor=anna, expected_version=entry.version, discussed=True, decision=decision
        )
    office = db.session.get(User, world.office.id)  # the moderator closes
    following = live.close_meeting(db.session.get(Meeting, world.meeting.id), actor=office)
    db.session.commit()
    world.next_meeting_id = following.id
    db.session.close()
    return world


def test_prepare_then_refresh_keeps_removal_and_adds_new(page, live_server, world, make_item):
    first = make_item(
        actor=world.anna, title="Fachkräfte Optik gesucht", responsible_network=world.alpha
    )
    settle(world.anna, world.bert, world.meeting, first)
    browser_login_to(page, live_server, world.anna, f"/meetings/{world.meeting.id}")
    prepare = page.locator("form[action$='/prepare'] button[type=submit]")
    expect(prepare).to_have_text("Tagesordnung vorbereiten")
    prepare.click()
    entries = page.locator("ol.agenda > li.agenda-entry")
    expect(entries.locator(".top-number")).to_have_text(["TOP 1", "TOP 2", "TOP 3", "TOP 4"])
    expect(entries).to_contain_text(
        ["Begrüßung", "Protokoll der letzten Runde", "Fachkräfte Optik gesucht", "Verschiedenes"]
    )
    item_entry = entries.filter(has_text="Fachkräfte Optik gesucht")
    expect(item_entry.locator("a.ref")).to_have_text(first.reference)
    group = item_entry.locator("xpath=preceding-sibling::h3[contains(@class,'network-group')][1]")
    expect(group).to_have_text("Testnetzwerk Alpha")
    item_entry.locator("form[action$='/remove'] button").click()
    expect(entries).to_have_count(3)
    bert = db.session.get(User, world.bert.id)  # the fixture's objects are detached by now
    second = settle(
        make_item(actor=bert, title="Messe gemeinsam besuchen", responsible_network=bert.network)
    )
    expect(prepare).to_have_text("Tagesordnung aktualisieren")
    prepare.click()
    expect(page.locator("main .alert-success")).to_contain_text("neue TOPs: 1")
    expect(entries).to_contain_text(
        ["Begrüßung", "Protokoll der letzten Runde", "Messe gemeinsam besuchen", "Verschiedenes"]
    )
    expect(entries).to_have_count(4)
    expect(entries.filter(has_text=second.reference)).to_have_count(1)
    removed = page.locator("main details")
    expect(removed.locator("summary")).to_have_text("1 entfernter TOP")
    expect(removed).to_contain_text("Fachkräfte Optik gesucht")


def test_decision_saved_by_one_manager_shows_on_others_live_page(new_page, live_server, prepared):
    path = prepared.live
    anna = open_as(new_page, live_server, prepared.anna, path)
    bert = open_as(new_page, live_server, prepared.bert, path)
    entry = prepared.entry_a
    expect(bert.locator(f"#decision-{entry}")).to_have_value("")
    section = entry_section(anna, entry)
    section.locator(f"#discussed-{entry}").check()
    section.locator(f"#decision-{entry}").fill("Alpha vermittelt Kontakt zur Hochschule.")
    with anna.expect_response(lambda r: r.url.endswith(f"/entries/{entry}/outcome")) as answer:
        save_outcome(anna, entry).click()
    assert answer.value.status == 200
    expect(entry_section(anna, entry)).to_have_class(re.compile(r"\bdiscussed\b"))
    expect(bert.locator(f"#decision-{entry}")).to_have_value(
        "Alpha vermittelt Kontakt zur Hochschule.", timeout=POLL_MS
    )
    expect(bert.locator(f"#discussed-{entry}")).to_be_checked()
    expect(entry_section(bert, entry)).to_have_class(re.compile(r"\bdiscussed\b"))


def test_stale_decision_save_shows_conflict_keeps_input_then_saves(new_page, live_server, prepared):
    path = prepared.live
    anna = open_as(new_page, live_server, prepared.anna, path)
    bert = open_as(new_page, live_server, prepared.bert, path)
    entry = prepared.entry_b
    bert.locator(f"#decision-{entry}").fill("Bert: Stand ist schon gebucht.")
    anna.locator(f"#decision-{entry}").fill("Anna: Wir teilen uns die Kosten.")
    with anna.expect_response(lambda r: r.url.endswith(f"/entries/{entry}/outcome")) as answer:
        save_outcome(anna, entry).click()
    assert answer.value.status == 200
    with bert.expect_response(lambda r: r.url.endswith(f"/entries/{entry}/outcome")) as answer:
        save_outcome(bert, entry).click()
    assert answer.value.status == 409
    section = entry_section(bert, entry)
    expect(section.locator(".conflict-notice")).to_contain_text("Anna: Wir teilen uns die Kosten.")
    expect(section.locator(f"#decision-{entry}")).to_have_value("Bert: Stand ist schon gebucht.")
    with bert.expect_response(lambda r: r.url.endswith(f"/entries/{entry}/outcome")) as answer:
        save_outcome(bert, entry).click()
    assert answer.value.status == 200
    expect(section.locator(".conflict-notice")).to_have_count(0)
    assert fresh(AgendaEntry, entry).decision == "Bert: Stand ist schon gebucht."


def test_quick_add_with_keyboard_shows_item_on_both_pages(new_page, live_server, prepared):
    path = prepared.live
    anna = open_as(new_page, live_server, prepared.anna, path)
    bert = open_as(new_page, live_server, prepared.bert, path)
    title = anna.locator("#quick-add #title")
    title.focus()
    anna.keyboard.type("Wasserstoff-Speicher testen")
    anna.keyboard.press("Tab")
    expect(anna.locator("#quick-add #company_name")).to_be_focused()
    anna.keyboard.type("Elbe Energie GmbH")
    anna.keyboard.press("Enter")
    result = anna.locator("#quick-add-result")
    expect(result).to_have_attribute("data-reference", REFERENCE)
    reference = result.get_attribute("data-reference")
    expect(result).to_contain_text(f"{reference} angelegt (Elbe Energie GmbH).")
    expect(title).to_have_value("")
    expect(title).to_be_focused()
    for page, timeout in ((anna, None), (bert, POLL_MS)):
        entry = page.locator(
            "#live-agenda section.live-entry", has_text="Wasserstoff-Speicher testen"
        )
        expect(entry.locator(".live-line .ref")).to_have_text(reference, timeout=timeout)
        expect(entry).to_contain_text("Elbe Energie GmbH")
        expect(entry.locator(".top-number")).to_have_text(re.compile(r"^TOP \d+$"))


def test_close_with_absent_network_freezes_minutes_and_plans_next(page, live_server, prepared):
    meeting = prepared.meeting
    browser_login_to(page, live_server, prepared.office, prepared.live)  # the moderator
    with page.expect_response(lambda r: r.url.endswith("/attendance")) as answer:
        page.locator(f"#present-{prepared.beta.id}").uncheck()
    assert answer.value.ok
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.locator("form[action$='/close'] button[type=submit]").click()
    expect(page).to_have_url(f"{live_server}/meetings/{meeting.id}")
    assert len(asked) == 1 and "Sitzung abschließen?" in asked[0]
    expect(page.locator("main h1 .badge")).to_have_text("Abgeschlossen")
    expect(page.locator("form[action$='/prepare']")).to_have_count(0)
    minutes = page.locator("ol.agenda > li.agenda-entry", has_text="Messestand Hannover teilen")
    expect(minutes).to_contain_text("Nicht besprochen: vertagt")
    expect(minutes).to_contain_text("zurückgestellt")
    page.goto(f"{live_server}/meetings/")
    expect(page.locator("section[aria-labelledby=h-archive] tbody a")).to_have_attribute(
        "href", f"/meetings/{meeting.id}"
    )
    upcoming = page.locator("section[aria-labelledby=h-upcoming] a.list-group-item")
    expect(upcoming).to_have_count(1)
    expect(upcoming).to_contain_text("Geplant")
    following = fresh(Meeting, int(upcoming.get_attribute("href").rsplit("/", 1)[1]))
    closed = fresh(Meeting, meeting.id)
    assert closed.status is MeetingStatus.CLOSED
    assert following.status is MeetingStatus.PLANNED
    assert services.local_date(following) - services.local_date(closed) == timedelta(days=7)
    assert fresh(Attendance, (meeting.id, prepared.beta.id)).present is False
    assert fresh(AgendaEntry, prepared.entry_b).deferred is True


def test_next_agenda_carries_over_undiscussed_and_timeline_links_meeting(
    page, live_server, prepared
):
    world = close_in_meeting(prepared, {prepared.entry_a: "Kontakt über die Hochschule"})
    browser_login_to(page, live_server, world.anna, f"/meetings/{world.next_meeting_id}")
    page.locator("form[action$='/prepare'] button[type=submit]").click()
    entries = page.locator("ol.agenda > li.agenda-entry")
    carried = entries.filter(has_text="Messestand Hannover teilen")
    expect(carried).to_contain_text("einmal vertagt")
    expect(entries.filter(has_text="Laserschweißen: Partner gesucht")).to_have_count(0)
    page.goto(f"{live_server}/items/{world.item_a.id}")
    link = page.locator(f"#timeline a[href='/meetings/{world.meeting.id}']")
    expect(link).to_contain_text(world.series.name)
    expect(page.locator("#timeline")).to_contain_text("Kontakt über die Hochschule")


EXPORTS = {  # format: (content type, test of the body)
    "pdf": ("application/pdf", lambda body: body.startswith(b"%PDF-")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        lambda body: body.startswith(b"PK"),
    ),  # a zip archive
    "md": ("text/markdown", lambda body: "Kontakt über die Hochschule" in body.decode()),
}


def test_closed_meeting_exports_minutes_as_files(page, live_server, prepared):
    world = close_in_meeting(prepared, {prepared.entry_a: "Kontakt über die Hochschule"})
    browser_login_to(page, live_server, world.anna, f"/meetings/{world.meeting.id}")
    page.locator("main .dropdown-toggle").click()
    menu = page.locator("main .dropdown-menu")
    expect(menu).to_contain_text("Protokoll")

    def link(fmt: str):
        return menu.locator(f"a[href*='/meetings/{world.meeting.id}/minutes.{fmt}']").first

    with page.expect_download() as download:
        link("pdf").click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert download.value.failure() is None
    for fmt, (content_type, looks_right) in EXPORTS.items():
        response = page.context.request.get(link(fmt).get_attribute("href"))
        assert response.status == 200, fmt
        assert response.headers["content-type"].startswith(content_type), fmt
        assert response.headers["content-disposition"].startswith("attachment"), fmt
        assert looks_right(response.body()), fmt


def test_draft_in_one_entry_does_not_hide_new_entries(new_page, live_server, prepared):
    path = prepared.live
    anna = open_as(new_page, live_server, prepared.anna, path)
    bert = open_as(new_page, live_server, prepared.bert, path)
    bert.locator(f"#note-{prepared.entry_b}").fill("Entwurf, noch nicht gespeichert")
    bert.locator("main h1").click()  # Bert leaves the note without saving it
    anna.locator(f"#present-{prepared.alpha.id}").uncheck()
    anna.locator("#quick-add #title").fill("Drohnen für Vermessung")
    anna.locator("#quick-add #company_name").fill("Luftbild GmbH")
    anna.locator("#quick-add #company_name").press("Enter")
    expect(anna.locator("#live-agenda")).to_contain_text("Drohnen für Vermessung")
    expect(bert.locator("#live-agenda")).to_contain_text("Drohnen für Vermessung", timeout=POLL_MS)
    expect(bert.locator(f"#present-{prepared.alpha.id}")).not_to_be_checked()
    expect(bert.locator(f"#note-{prepared.entry_b}")).to_have_value(
        "Entwurf, noch nicht gespeichert"
    )


def test_save_after_other_closed_meeting_keeps_note_and_says_why(new_page, live_server, prepared):
    path = prepared.live
    office = open_as(new_page, live_server, prepared.office, path)  # the moderator closes
    bert = open_as(new_page, live_server, prepared.bert, path)
    entry = prepared.entry_b
    bert.locator(f"#note-{entry}").fill("Bert tippt noch")
    office.on("dialog", lambda dialog: dialog.accept())
    office.locator("form[action$='/close'] button[type=submit]").click()
    expect(office.locator("main h1 .badge")).to_have_text("Abgeschlossen")
    with bert.expect_response(lambda r: r.url.endswith(f"/entries/{entry}/outcome")) as answer:
        save_outcome(bert, entry).click()
    assert answer.value.status == 409
    expect(bert.locator(f"#note-{entry}")).to_have_value("Bert tippt noch", timeout=2_000)
    expect(entry_section(bert, entry).locator("[role=alert]")).to_contain_text(
        "Diese Sitzung ist abgeschlossen", timeout=2_000
    )


def save_decision(page, entry_id: int, text: str):
    """Fill the entry's decision and save it; wait for the saved entry."""
    page.locator(f"#decision-{entry_id}").fill(text)
    with page.expect_response(lambda r: r.url.endswith(f"/entries/{entry_id}/outcome")) as answer:
        save_outcome(page, entry_id).click()
    assert answer.value.status == 200


def test_entry_being_edited_is_kept_while_others_update(new_page, live_server, prepared):
    path = prepared.live
    anna = open_as(new_page, live_server, prepared.anna, path)
    bert = open_as(new_page, live_server, prepared.bert, path)
    edited, other = prepared.entry_a, prepared.entry_b
    bert.locator(f"#note-{edited}").fill("Bert schreibt noch")
    save_decision(anna, edited, "Anna: beschlossen")
    save_decision(anna, other, "Anna: vertagt")
    expect(bert.locator(f"#decision-{other}")).to_have_value("Anna: vertagt", timeout=POLL_MS)
    section = entry_section(bert, edited)
    expect(section).to_have_class(re.compile(r"\bborder-warning\b"))
    expect(section.locator(f"#note-{edited}")).to_have_value("Bert schreibt noch")
    expect(section.locator(f"#decision-{edited}")).to_have_value("")


def test_entry_left_unchanged_then_shows_the_change(new_page, live_server, prepared):
    path = prepared.live
    anna = open_as(new_page, live_server, prepared.anna, path)
    bert = open_as(new_page, live_server, prepared.bert, path)
    entry = prepared.entry_a
    bert.locator(f"#decision-{entry}").focus()
    with bert.expect_response(
        lambda r: "/live/fragment?" in r.url and r.status == 200, timeout=POLL_MS
    ) as poll:
        save_decision(anna, entry, "Anna: beschlossen")
    changes = poll.value.text()
    assert 'id="live-changes"' in changes and f'id="entry-{entry}"' in changes
    assert f'id="entry-{prepared.entry_b}"' not in changes  # only the changed entry comes
    expect(entry_section(bert, entry)).to_have_class(re.compile(r"\bborder-warning\b"))
    expect(bert.locator(f"#decision-{entry}")).to_have_value("")
    bert.locator("main h1").click()  # Bert leaves the field without typing
    expect(bert.locator(f"#decision-{entry}")).to_have_value("Anna: beschlossen")
    expect(entry_section(bert, entry)).not_to_have_class(re.compile(r"\bborder-warning\b"))


def test_removed_and_moved_entries_reach_open_live_page(page, live_server, prepared):
    browser_login_to(page, live_server, prepared.bert, prepared.live)
    removed, moved = prepared.entry_a, prepared.entry_b
    expect(page.locator(f"#entry-{moved} .top-number")).to_have_text("TOP 4")
    anna = db.session.get(User, prepared.anna.id)
    entry = db.session.get(AgendaEntry, removed)
    agenda.remove_entry(entry, actor=anna, expected_version=entry.version)
    office = db.session.get(User, prepared.office.id)  # the moderator reorders
    agenda.move_entry(db.session.get(AgendaEntry, moved), -2, actor=office)
    db.session.commit()
    db.session.close()
    expect(page.locator(f"#entry-{removed}")).to_have_count(0, timeout=POLL_MS)
    expect(page.locator(f"#entry-{moved} .top-number")).to_have_text("TOP 1")


def test_task_owner_chosen_from_people_the_page_lists_once(new_page, live_server, prepared):
    path = prepared.live
    anna = open_as(new_page, live_server, prepared.anna, path)
    bert = open_as(new_page, live_server, prepared.bert, path)
    entry, other = prepared.entry_a, prepared.entry_b
    section = entry_section(anna, entry)
    section.locator(f"#task-{entry}").fill("Kontakt zu Laserzentrum herstellen")
    section.locator(f"#owner-{entry}").select_option(label="Bert Beta (Beta)")
    section.locator("form.entry-task button[type=submit]").click()
    expect(entry_section(anna, entry).locator("ul.tasks")).to_contain_text(
        "Kontakt zu Laserzentrum herstellen – Bert Beta"
    )
    # An entry that a poll brings anew gets the people too.
    save_decision(bert, other, "Bert: vertagt")
    expect(anna.locator(f"#decision-{other}")).to_have_value("Bert: vertagt", timeout=POLL_MS)
    people = anna.evaluate("document.getElementById('people-options').content.children.length")
    assert people >= 2  # Anna and Bert at least
    expect(anna.locator(f"#owner-{other} option")).to_have_count(people + 1)  # and the placeholder
    expect(anna.locator(f"#owner-{entry} option")).to_have_count(people + 1)
