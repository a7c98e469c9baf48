"""The item lifecycle, hand-offs, references and optimistic locking, through the services."""

from datetime import timedelta

import pytest

from tracker.db import db
from tracker.exceptions import ConflictError, InvalidTransition, PermissionDenied, ValidationFailed
from tracker.items import lifecycle, services
from tracker.items.models import ActivityKind, ItemStatus


@pytest.fixture
def two_networks(make_network, make_user):
    a, b = make_network("Alpha"), make_network("Beta")
    return a, b, make_user("manager", a), make_user("manager", b)


def test_create_without_responsible_network_is_new(two_networks, make_item):
    a, _b, manager_a, _ = two_networks
    item = make_item(actor=manager_a)
    assert item.status is ItemStatus.NEW
    assert item.reporting_network == a and item.responsible_network is None


def test_create_for_own_network_accepts_implicitly(two_networks, make_item):
    a, _b, manager_a, _ = two_networks
    item = make_item(actor=manager_a, responsible_network=a)
    assert item.status is ItemStatus.IN_PROGRESS
    assert item.assignee == manager_a and item.accepted_at is not None


def test_create_for_other_network_awaits_acceptance(two_networks, make_item):
    _a, b, manager_a, _ = two_networks
    item = make_item(actor=manager_a, responsible_network=b)
    assert item.status is ItemStatus.ASSIGNED and item.assignee is None


def test_create_sets_default_follow_up(two_networks, make_item, today):
    item = make_item(actor=two_networks[2])
    assert item.follow_up_date == today + timedelta(days=14)


def test_observer_cannot_create(make_user, make_network, make_company):
    observer = make_user("observer")
    with pytest.raises(PermissionDenied):
        services.create_item(
            actor=observer,
            title="x",
            kind="need",
            company=make_company(),
            reporting_network=make_network(),
        )


def test_manager_cannot_report_for_other_network(two_networks, make_company):
    _a, b, manager_a, _ = two_networks
    with pytest.raises(PermissionDenied):
        services.create_item(
            actor=manager_a, title="x", kind="need", company=make_company(), reporting_network=b
        )


def test_references_are_sequential_per_year(two_networks, make_item, today):
    refs = [make_item(actor=two_networks[2]).reference for _ in range(3)]
    year = today.year
    assert refs == [f"{year}-0001", f"{year}-0002", f"{year}-0003"]


def test_reference_numbers_are_never_reused(two_networks, make_item, today):
    first = make_item(actor=two_networks[2])
    db.session.delete(first)
    db.session.commit()
    assert make_item(actor=two_networks[2]).reference == f"{today.year}-0002"


def test_accept_handoff_moves_to_in_progress(two_networks, make_item):
    _a, b, manager_a, manager_b = two_networks
    item = make_item(actor=manager_a, responsible_network=b)
    lifecycle.perform(item, "accept", actor=manager_b, expected_version=item.version)
    assert item.status is ItemStatus.IN_PROGRESS and item.assignee == manager_b
    assert ActivityKind.ACCEPTED in [a.kind for a in item.activities]


def test_reporter_cannot_accept_handoff(two_networks, make_item):
    _a, b, manager_a, _ = two_networks
    item = make_item(actor=manager_a, responsible_network=b)
    assert "accept" not in [a.name for a in lifecycle.available_actions(item, manager_a)]
    with pytest.raises(PermissionDenied):
        lifecycle.perform(item, "accept", actor=manager_a, expected_version=None)


def test_return_needs_reason(two_networks, make_item):
    _a, b, manager_a, manager_b = two_networks
    item = make_item(actor=manager_a, responsible_network=b)
    with pytest.raises(ValidationFailed):
        lifecycle.perform(item, "return", actor=manager_b, expected_version=None, note=" ")


def test_return_of_new_item_goes_back_to_reporter(two_networks, make_item):
    _a, b, manager_a, manager_b = two_networks
    item = make_item(actor=manager_a, responsible_network=b)
    lifecycle.perform(
        item, "return", actor=manager_b, expected_version=None, note="Nicht unser Thema"
    )
    assert item.status is ItemStatus.NEW and item.responsible_network is None
    returned = [a for a in item.activities if a.kind is ActivityKind.RETURNED]
    assert returned[0].body == "Nicht unser Thema"


def test_return_of_handoff_restores_previous_network(two_networks, make_item):
    a, b, manager_a, manager_b = two_networks
    item = make_item(actor=manager_a, responsible_network=a)
    lifecycle.hand_off(item, b, actor=manager_a, expected_version=item.version)
    assert item.status is ItemStatus.ASSIGNED
    lifecycle.perform(item, "return", actor=manager_b, expected_version=None, note="Nein")
    assert item.status is ItemStatus.IN_PROGRESS and item.responsible_network == a


def test_handoff_to_own_network_accepts(two_networks, make_item):
    _a, b, manager_a, manager_b = two_networks
    item = make_item(actor=manager_a)
    with pytest.raises(PermissionDenied):
        lifecycle.hand_off(item, b, actor=manager_b, expected_version=None)
    lifecycle.hand_off(item, two_networks[0], actor=manager_a, expected_version=None)
    assert item.status is ItemStatus.IN_PROGRESS and item.assignee == manager_a


def test_wait_needs_follow_up_date(two_networks, make_item, today):
    a, _b, manager_a, _ = two_networks
    item = make_item(actor=manager_a, responsible_network=a)
    with pytest.raises(ValidationFailed):
        lifecycle.perform(item, "wait", actor=manager_a, expected_version=None)
    lifecycle.perform(
        item,
        "wait",
        actor=manager_a,
        expected_version=None,
        follow_up_date=today + timedelta(days=30),
    )
    assert item.status is ItemStatus.WAITING and item.follow_up_date == today + timedelta(30)


def test_complete_needs_resolution_note_and_closes(two_networks, make_item):
    a, _b, manager_a, _ = two_networks
    item = make_item(actor=manager_a, responsible_network=a)
    with pytest.raises(ValidationFailed):
        lifecycle.perform(item, "complete", actor=manager_a, expected_version=None)
    lifecycle.perform(
        item, "complete", actor=manager_a, expected_version=None, note="Kontakt vermittelt"
    )
    assert item.status is ItemStatus.DONE and item.closed_at is not None
    assert item.resolution_note == "Kontakt vermittelt"


def test_reopen_closed_item(two_networks, make_item):
    a, _b, manager_a, _ = two_networks
    item = make_item(actor=manager_a, responsible_network=a)
    lifecycle.perform(item, "decline", actor=manager_a, expected_version=None, note="Doppelt")
    lifecycle.perform(item, "reopen", actor=manager_a, expected_version=None)
    assert item.status is ItemStatus.IN_PROGRESS and item.closed_at is None


def test_invalid_transition_is_refused(two_networks, make_item):
    item = make_item(actor=two_networks[2])
    with pytest.raises(InvalidTransition):
        lifecycle.perform(item, "resume", actor=two_networks[2], expected_version=None)


def test_unrelated_manager_may_not_change(two_networks, make_item, make_network, make_user):
    outsider = make_user("manager", make_network("Gamma"))
    item = make_item(actor=two_networks[2])
    assert lifecycle.available_actions(item, outsider) == []
    with pytest.raises(PermissionDenied):
        services.update_item(item, actor=outsider, expected_version=None, title="x")


def test_update_records_old_and_new_value(two_networks, make_item):
    item = make_item(actor=two_networks[2], title="Alt")
    services.update_item(item, actor=two_networks[2], expected_version=item.version, title="Neu")
    db.session.commit()
    change = [a for a in item.activities if a.field == "title"][0]
    assert (change.old_value, change.new_value, change.actor) == ("Alt", "Neu", two_networks[2])


def test_update_on_stale_version_conflicts(two_networks, make_item):
    item = make_item(actor=two_networks[2])
    stale = item.version
    services.update_item(item, actor=two_networks[2], expected_version=stale, title="Erster")
    db.session.commit()
    with pytest.raises(ConflictError):
        services.update_item(item, actor=two_networks[2], expected_version=stale, title="Zweiter")
    assert item.title == "Erster"


def test_comment_is_recorded(two_networks, make_item, make_user):
    item = make_item(actor=two_networks[2])
    services.add_comment(item, actor=two_networks[3], body="Wir kennen die Firma.")
    assert item.activities[-1].kind is ActivityKind.COMMENT


def test_observer_cannot_comment(two_networks, make_item, make_user):
    item = make_item(actor=two_networks[2])
    with pytest.raises(PermissionDenied):
        services.add_comment(item, actor=make_user("observer"), body="x")
