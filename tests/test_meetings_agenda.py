"""The agenda rules of DESIGN.md 4, one test each, and the refresh that keeps manual edits."""

from datetime import UTC, datetime, timedelta

import pytest

from tracker.db import db
from tracker.items import lifecycle
from tracker.meetings import agenda, live, services
from tracker.meetings.models import EntryKind, EntryReason, MeetingStatus

NOW = datetime.now(UTC).replace(microsecond=0)


@pytest.fixture
def world(make_network, make_user, make_series):
    a, b = make_network("Alpha"), make_network("Beta")
    series = make_series()
    services.set_roll_call(series, [b, a])
    previous = services.upcoming(series)
    previous.starts_at = NOW - timedelta(days=7)
    previous.status = MeetingStatus.CLOSED
    previous.closed_at = NOW - timedelta(days=7) + timedelta(hours=2)
    db.session.commit()
    meeting = services.ensure_next_meeting(series)
    db.session.commit()
    return dict(
        a=a,
        b=b,
        series=series,
        previous=previous,
        meeting=meeting,
        manager=make_user("manager", a),
        manager_b=make_user("manager", b),
        admin=make_user("admin"),
    )


def _entries(meeting):
    return [e for e in sorted(meeting.entries, key=lambda e: e.position) if not e.removed]


def _reasons(meeting):
    return {e.item.title: e.reason for e in meeting.entries if e.item}


def _old_item(make_item, world, **values):
    item = make_item(actor=world["manager"], **values)
    item.created_at = NOW - timedelta(days=30)
    db.session.commit()
    return item


def test_standing_topics_open_and_close_the_agenda(world):
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    titles = [e.title for e in _entries(world["meeting"])]
    assert titles == ["Begrüßung", "Protokoll der letzten Runde", "Verschiedenes"]


def test_items_created_since_previous_meeting_are_new(world, make_item):
    make_item(actor=world["manager"], title="Frisch")
    _old_item(make_item, world, title="Alt")
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    assert _reasons(world["meeting"]) == {"Frisch": EntryReason.NEW}


def test_follow_up_due_by_meeting_date_qualifies(world, make_item):
    day = services.local_date(world["meeting"])
    _old_item(make_item, world, title="Fällig", follow_up_date=day)
    _old_item(make_item, world, title="Später", follow_up_date=day + timedelta(days=1))
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    assert _reasons(world["meeting"]) == {"Fällig": EntryReason.FOLLOW_UP}


def test_undiscussed_entries_carry_over_with_counter(world, make_item):
    item = _old_item(make_item, world, title="Offen")
    from tracker.meetings.models import AgendaEntry

    db.session.add(
        AgendaEntry(
            meeting=world["previous"],
            kind=EntryKind.ITEM,
            item=item,
            reason=EntryReason.NEW,
            carry_over_count=2,
            position=10,
        )
    )
    db.session.commit()
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    entry = next(e for e in world["meeting"].entries if e.item_id == item.id)
    assert entry.reason is EntryReason.CARRY_OVER and entry.carry_over_count == 3
    assert entry.is_stale


def test_discussed_entries_do_not_carry_over(world, make_item):
    from tracker.meetings.models import AgendaEntry

    item = _old_item(make_item, world, title="Besprochen")
    db.session.add(
        AgendaEntry(
            meeting=world["previous"],
            kind=EntryKind.ITEM,
            item=item,
            reason=EntryReason.NEW,
            discussed=True,
            position=10,
        )
    )
    db.session.commit()
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    assert item.title not in _reasons(world["meeting"])


def test_flagged_items_qualify(world, make_item):
    _old_item(make_item, world, title="Markiert").for_next_meeting = True
    db.session.commit()
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    assert _reasons(world["meeting"]) == {"Markiert": EntryReason.FLAGGED}


def test_handoffs_awaiting_acceptance_qualify(world, make_item):
    _old_item(make_item, world, title="Angeboten", responsible_network=world["b"])
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    assert _reasons(world["meeting"]) == {"Angeboten": EntryReason.HANDOFF}


def test_first_rule_wins(world, make_item):
    make_item(actor=world["manager"], title="Neu und angeboten", responsible_network=world["b"])
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    assert _reasons(world["meeting"]) == {"Neu und angeboten": EntryReason.NEW}


def test_items_grouped_by_network_in_roll_call_order(world, make_item):
    make_item(actor=world["manager"], title="A1", responsible_network=world["a"])
    make_item(actor=world["manager"], title="Ohne")
    make_item(actor=world["manager_b"], title="B1", responsible_network=world["b"])
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    order = [e.item.title for e in _entries(world["meeting"]) if e.item]
    assert order == ["Ohne", "B1", "A1"]  # unassigned first, then roll call B, A


def test_refresh_adds_new_and_keeps_manual_edits(world, make_item):
    meeting = world["meeting"]
    first = make_item(actor=world["manager"], title="Erstes", responsible_network=world["a"])
    agenda.prepare_agenda(meeting, actor=world["manager"])
    free = agenda.add_free_topic(meeting, "Veranstaltungskalender", actor=world["manager"])
    entry = next(e for e in meeting.entries if e.item_id == first.id)
    agenda.move_entry(entry, -10, actor=world["admin"])
    begruessung = next(e for e in meeting.entries if e.title == "Begrüßung")
    agenda.remove_entry(begruessung, actor=world["manager"], expected_version=None)
    make_item(actor=world["manager"], title="Zweites", responsible_network=world["a"])
    added = agenda.prepare_agenda(meeting, actor=world["manager"])
    titles = [e.heading.split(" ", 1)[-1] if e.item else e.title for e in _entries(meeting)]
    assert [e.item.title for e in added if e.item] == ["Zweites"]
    assert titles[0] == "Erstes" and "Begrüßung" not in titles
    assert free in meeting.entries and titles.index("Zweites") > titles.index("Erstes")


def test_refresh_twice_adds_nothing(world, make_item):
    make_item(actor=world["manager"])
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    assert agenda.prepare_agenda(world["meeting"], actor=world["manager"]) == []


def test_closing_defers_absent_networks_and_carries_over(world, make_item):
    meeting = world["meeting"]
    item_a = make_item(actor=world["manager"], title="A", responsible_network=world["a"])
    item_b = make_item(actor=world["manager_b"], title="B", responsible_network=world["b"])
    agenda.prepare_agenda(meeting, actor=world["manager"])
    live.set_attendance(meeting, world["b"], False, actor=world["manager_b"])
    next_meeting = live.close_meeting(meeting, actor=world["admin"])
    db.session.commit()
    agenda.prepare_agenda(next_meeting, actor=world["manager"])
    carried = {e.item_id: e for e in next_meeting.entries if e.item_id}
    assert carried[item_b.id].carry_over_count == 0  # deferred: absence does not count
    assert carried[item_a.id].carry_over_count == 1


def test_closing_records_outcome_in_item_timeline(world, make_item):
    meeting = world["meeting"]
    item = make_item(actor=world["manager"], title="Ergebnis")
    agenda.prepare_agenda(meeting, actor=world["manager"])
    entry = next(e for e in meeting.entries if e.item_id == item.id)
    live.update_entry(
        entry,
        actor=world["manager"],
        expected_version=entry.version,
        discussed=True,
        decision="Alpha übernimmt",
    )
    live.close_meeting(meeting, actor=world["admin"])
    outcome = item.activities[-1]
    assert outcome.meeting_id == meeting.id and "Alpha übernimmt" in outcome.body


def test_closed_agenda_cannot_change(world):
    meeting = world["meeting"]
    live.close_meeting(meeting, actor=world["admin"])
    from tracker.exceptions import InvalidTransition

    with pytest.raises(InvalidTransition):
        agenda.add_free_topic(meeting, "Zu spät", actor=world["manager"])


def test_observer_cannot_prepare(world, make_user):
    from tracker.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        agenda.prepare_agenda(world["meeting"], actor=make_user("observer"))


def test_quick_add_puts_item_on_agenda(world):
    meeting = world["meeting"]
    item = live.quick_add(
        meeting, actor=world["manager"], title="Schnell", kind="need", company_name="Eilig GmbH"
    )
    assert item.source_meeting_id == meeting.id and item.reporting_network == world["a"]
    assert any(e.item_id == item.id for e in meeting.entries)


def test_accepting_in_meeting_uses_item_rules(world, make_item):
    item = make_item(actor=world["manager"], responsible_network=world["b"])
    lifecycle.perform(item, "accept", actor=world["manager_b"], expected_version=item.version)
    assert item.assignee == world["manager_b"]


def _carried(world, item, count=0):
    from tracker.meetings.models import AgendaEntry

    db.session.add(
        AgendaEntry(
            meeting=world["previous"],
            kind=EntryKind.ITEM,
            item=item,
            reason=EntryReason.NEW,
            carry_over_count=count,
            position=10,
        )
    )
    db.session.commit()


def test_flag_names_the_reason_and_carry_over_counter_stays(world, make_item):
    item = _old_item(make_item, world, title="Vorgemerkt")
    item.for_next_meeting = True
    _carried(world, item)
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    entry = next(e for e in world["meeting"].entries if e.item_id == item.id)
    assert (entry.reason, entry.carry_over_count) == (EntryReason.FLAGGED, 1)


def test_refresh_tells_when_a_handoff_was_accepted_meanwhile(world, make_item):
    item = _old_item(make_item, world, title="Angeboten", responsible_network=world["b"])
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    lifecycle.perform(item, "accept", actor=world["manager_b"], expected_version=item.version)
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    assert _reasons(world["meeting"]) == {"Angeboten": EntryReason.LAPSED}


def test_refresh_gives_a_newly_flagged_entry_its_reason(world, make_item):
    item = _old_item(make_item, world, title="Offen")
    _carried(world, item)
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    item.for_next_meeting = True
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    assert _reasons(world["meeting"]) == {"Offen": EntryReason.FLAGGED}


def test_agenda_page_says_einmal_vertagt_once(world, make_item, client, login):
    item = _old_item(make_item, world, title="Offen")
    _carried(world, item)
    agenda.prepare_agenda(world["meeting"], actor=world["manager"])
    db.session.commit()
    login(world["manager"])
    page = client.get(f"/meetings/{world['meeting'].id}").text
    assert page.count("vertagt") == 1 and "einmal vertagt" in page
