"""Notes on an agenda entry, one per person: two people writing at once both keep their words.

The entry's ``note`` holds all of them merged ("Name: text", in the order they were begun):
minutes, exports, mails and the items' timelines read that text.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from tracker import events, limits
from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import ConflictError, ValidationFailed
from tracker.i18n import _
from tracker.meetings.models import AgendaEntry, EntryNote
from tracker.meetings.permissions import require_entry_visible, require_open, require_run
from tracker.meetings.services import touch_entries
from tracker.versioning import check_version, flush_or_conflict


def own_note(entry: AgendaEntry, author: User) -> EntryNote | None:
    """The note ``author`` writes on ``entry``, if they began one."""
    return next((note for note in entry.notes if note.author_id == author.id), None)


def save_note(
    entry: AgendaEntry, *, actor: User, text: str, expected_version: int | None
) -> EntryNote:
    """Save the actor's own note on the entry; ``expected_version`` 0: they had none yet."""
    require_run(actor)
    require_entry_visible(entry, actor)
    require_open(entry.meeting)
    text = (text or "").strip()
    if len(text) > limits.ENTRY_NOTE:
        raise ValidationFailed(_("The note is too long."), field="note")
    note = own_note(entry, actor)
    if note is None:
        _adopt_earlier_text(entry)
        note = _begin(entry, actor, text)
    else:
        if expected_version == 0:  # begun meanwhile on another page of theirs
            raise ConflictError(
                _("You changed your note on another page meanwhile."), note, expected_version
            )
        check_version(note, expected_version)
        if note.text != text:
            note.text = text
            flush_or_conflict(note, expected_version)
    _merge(entry, actor)
    return note


def _begin(entry: AgendaEntry, actor: User, text: str) -> EntryNote:
    """The actor's first note on the entry; begun at the same moment on another page of
    theirs, it is a conflict (the other one is kept, this text comes back), not an error."""
    try:
        with db.session.begin_nested():
            note = EntryNote(entry_id=entry.id, author_id=actor.id, text=text)
            db.session.add(note)
            db.session.flush()
    except IntegrityError:
        db.session.expire(entry, ["notes"])
        raise ConflictError(
            _("You changed your note on another page meanwhile."), own_note(entry, actor), 0
        ) from None
    db.session.expire(entry, ["notes"])
    return note


def _adopt_earlier_text(entry: AgendaEntry) -> None:
    """A note written before notes were kept per person becomes its writer's own note."""
    if entry.notes or not (entry.note or "").strip():
        return
    db.session.add(EntryNote(entry=entry, author=entry.updated_by, text=entry.note.strip()))


def merged_text(notes: list[EntryNote]) -> str:
    """The notes as one text, each under its author's name, in the order they were begun."""
    parts = []
    for note in notes:
        if note.text.strip():
            name = note.author.name if note.author else _("Former user")
            parts.append(f"{name}: {note.text.strip()}")
    return "\n\n".join(parts)


def _merge(entry: AgendaEntry, actor: User) -> None:
    """Write the merged text into the entry, leaving its version (others' outcome forms) alone."""
    db.session.flush()
    db.session.expire(entry, ["notes"])
    notes = list(
        db.session.scalars(
            select(EntryNote)
            .where(EntryNote.entry_id == entry.id)
            .order_by(EntryNote.created_at, EntryNote.id)
        )
    )
    text = merged_text(notes)
    before = entry.note
    if text != before:
        db.session.execute(
            update(AgendaEntry)
            .where(AgendaEntry.id == entry.id)
            .values(note=text, updated_at=AgendaEntry.updated_at)
            .execution_options(synchronize_session=False)
        )
        db.session.expire(entry, ["note"])
        events.outcome_recorded.send(entry, actor=actor, changes={"note": (before, text)})
    touch_entries(entry.meeting_id, [entry.id])
