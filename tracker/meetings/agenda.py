"""Preparing and editing a meeting's agenda: its entries, their order, manual changes.

Which items qualify, and under which reason, is tracker/meetings/agenda_rules.py.
"""

from __future__ import annotations

from sqlalchemy import update

from tracker.auth.models import User
from tracker.db import db, utcnow
from tracker.exceptions import ValidationFailed
from tracker.i18n import _
from tracker.items.models import Item
from tracker.meetings.agenda_rules import Candidate, candidates, last_discussed
from tracker.meetings.models import AgendaEntry, EntryKind, EntryReason, Meeting
from tracker.meetings.permissions import (
    require_entry_visible,
    require_moderator,
    require_open,
    require_run,
)
from tracker.meetings.services import roll_call, touch, touch_entries
from tracker.versioning import check_version, flush_or_conflict

# Sections of the agenda, top to bottom.
START, ITEMS, FREE, END = range(4)


def _group_rank(meeting: Meeting) -> dict[int | None, int]:
    ranks: dict[int | None, int] = {None: 0}
    for index, network in enumerate(roll_call(meeting.series), start=1):
        ranks[network.id] = index
    return ranks


def _sort_key(entry: AgendaEntry, ranks: dict) -> tuple:
    if entry.kind is EntryKind.STANDING:
        return (END if entry.title in entry.meeting.series.topics_at_end else START, 0)
    if entry.kind is EntryKind.FREE:
        return (FREE, 0)
    return (ITEMS, ranks.get(entry.network_id, len(ranks)))


def _insert(ordered: list[AgendaEntry], entry: AgendaEntry, ranks: dict) -> None:
    """Put a new entry after the last one of its group or an earlier group.

    Entries already on the agenda keep their (possibly manual) order.
    """
    key = _sort_key(entry, ranks)
    position = 0
    for index, other in enumerate(ordered):
        if _sort_key(other, ranks) <= key:
            position = index + 1
    ordered.insert(position, entry)


def _new_entry(**values) -> AgendaEntry:
    entry = AgendaEntry(**values)
    db.session.add(entry)
    return entry


def _renumber(ordered: list[AgendaEntry]) -> None:
    for index, entry in enumerate(ordered, start=1):
        if entry.position != index * 10:
            entry.position = index * 10


def prepare_agenda(meeting: Meeting, *, actor: User) -> list[AgendaEntry]:
    """Build or refresh the agenda: add what newly qualifies, keep manual edits."""
    require_run(actor)
    require_open(meeting)
    ranks = _group_rank(meeting)
    ordered = sorted(meeting.entries, key=lambda e: e.position)
    have_items = {e.item_id for e in ordered if e.item_id}
    have_titles = {(e.kind, e.title) for e in ordered if not e.item_id}
    added = []
    series = meeting.series
    standing = [(t, True) for t in series.topics_at_start] + [
        (t, False) for t in series.topics_at_end
    ]
    for title, _at_start in standing:
        if (EntryKind.STANDING, title) not in have_titles:
            added.append(
                _new_entry(
                    meeting=meeting,
                    kind=EntryKind.STANDING,
                    reason=EntryReason.STANDING,
                    title=title,
                )
            )
    found = candidates(meeting)
    _refresh_reasons(meeting, ordered, {c.item.id: c.reason for c in found if c.item})
    history = last_discussed([c.item.id for c in found if c.item is not None])
    for candidate in found:
        if candidate.item is not None:
            if candidate.item.id in have_items:
                continue
            candidate.last_discussed_on = history.get(candidate.item.id)
            added.append(_item_entry(meeting, candidate))
        elif (EntryKind.FREE, candidate.title) not in have_titles:
            added.append(
                _new_entry(
                    meeting=meeting,
                    kind=EntryKind.FREE,
                    reason=candidate.reason,
                    title=candidate.title,
                    carry_over_count=candidate.carry_over_count,
                    last_discussed_on=candidate.last_discussed_on,
                )
            )
    for entry in added:
        _insert(ordered, entry, ranks)
    _renumber(ordered)
    meeting.agenda_prepared_at = utcnow()
    db.session.flush()
    touch(meeting)
    return added


def _refresh_reasons(
    meeting: Meeting, entries: list[AgendaEntry], reasons: dict[int, EntryReason]
) -> None:
    """Give each prepared item entry the reason that applies now, LAPSED when none does.

    An UPDATE rather than an ORM change: the entry's version stays, so nobody's open outcome
    form turns stale over it; the live pages get the entries through their revision.
    """
    changed: dict[EntryReason, list[int]] = {}
    for entry in entries:
        if entry.kind is not EntryKind.ITEM or entry.reason is EntryReason.MANUAL:
            continue
        reason = reasons.get(entry.item_id, EntryReason.LAPSED)
        if entry.reason is not reason:
            changed.setdefault(reason, []).append(entry.id)
    for reason, ids in changed.items():
        db.session.execute(
            update(AgendaEntry)
            .where(AgendaEntry.id.in_(ids))
            .values(reason=reason, updated_at=AgendaEntry.updated_at)
            .execution_options(synchronize_session=False)
        )
        for entry in entries:
            if entry.id in ids:
                db.session.expire(entry, ["reason"])
    if changed:
        touch_entries(meeting.id, [i for ids in changed.values() for i in ids])


def _item_entry(meeting: Meeting, candidate: Candidate) -> AgendaEntry:
    item = candidate.item
    return _new_entry(
        meeting=meeting,
        kind=EntryKind.ITEM,
        reason=candidate.reason,
        item=item,
        network_id=item.responsible_network_id,
        carry_over_count=candidate.carry_over_count,
        last_discussed_on=candidate.last_discussed_on,
    )


def add_item_entry(meeting: Meeting, item: Item, *, actor: User) -> AgendaEntry:
    """Put one item on the agenda at once (for example one added in the meeting)."""
    require_run(actor)
    require_open(meeting)
    existing = next((e for e in meeting.entries if e.item_id == item.id), None)
    if existing is not None:
        existing.removed = False
        db.session.flush()
        touch(meeting)
        return existing
    ordered = sorted(meeting.entries, key=lambda e: e.position)
    entry = _item_entry(meeting, Candidate(EntryReason.MANUAL, item))
    _insert(ordered, entry, _group_rank(meeting))
    _renumber(ordered)
    db.session.flush()
    touch(meeting)
    return entry


def add_free_topic(meeting: Meeting, title: str, *, actor: User) -> AgendaEntry:
    """Add a free topic before the closing standing topics."""
    require_run(actor)
    require_open(meeting)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationFailed(_("A title is required."), field="title")
    ordered = sorted(meeting.entries, key=lambda e: e.position)
    entry = _new_entry(meeting=meeting, kind=EntryKind.FREE, reason=EntryReason.MANUAL, title=title)
    _insert(ordered, entry, _group_rank(meeting))
    _renumber(ordered)
    db.session.flush()
    touch(meeting)
    return entry


def move_entry(entry: AgendaEntry, offset: int, *, actor: User) -> None:
    """Move an entry up (negative) or down (positive) among the visible entries: the moderator's."""
    require_moderator(actor, entry.meeting)
    require_entry_visible(entry, actor)
    require_open(entry.meeting)
    visible = [e for e in sorted(entry.meeting.entries, key=lambda e: e.position) if not e.removed]
    index = visible.index(entry)
    target = max(0, min(len(visible) - 1, index + offset))
    visible.insert(target, visible.pop(index))
    removed = [e for e in entry.meeting.entries if e.removed]
    _renumber(visible + removed)
    db.session.flush()
    touch(entry.meeting)


def remove_entry(entry: AgendaEntry, *, actor: User, expected_version: int | None) -> None:
    """Take an entry off the agenda; a refresh does not bring it back."""
    require_run(actor)
    require_entry_visible(entry, actor)
    require_open(entry.meeting)
    check_version(entry, expected_version)
    entry.removed = True
    entry.updated_by = actor
    flush_or_conflict(entry, expected_version)
    touch(entry.meeting)


def restore_entry(entry: AgendaEntry, *, actor: User) -> None:
    """Put a removed entry back on the agenda."""
    require_run(actor)
    require_entry_visible(entry, actor)
    require_open(entry.meeting)
    entry.removed = False
    db.session.flush()
    touch(entry.meeting)
