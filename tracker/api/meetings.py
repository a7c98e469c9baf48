"""Meetings with their agenda entries, outcomes and tasks, as the meeting pages show them.

Everyone logged in reads every meeting, as on the pages. An entry of a confidential item
the token's owner may not see keeps its place, its reference and its reason, titled
"Confidential item" (in the reader's language) as on the agenda, with no company, outcome
or tasks: the rule of tracker/items/permissions.py, applied to the entry's item.
"""

from __future__ import annotations

from types import SimpleNamespace

import marshmallow as ma
from flask import url_for
from flask_login import current_user
from flask_smorest import Blueprint

from tracker.api import PREFIX
from tracker.api.paging import ListPage, PageQuerySchema, page_headers
from tracker.api.versions import etag
from tracker.db import db
from tracker.exceptions import NotFound
from tracker.i18n import _
from tracker.items.models import ItemStatus
from tracker.items.permissions import can_view
from tracker.meetings import queries, services
from tracker.meetings.models import AgendaEntry, EntryKind, EntryReason, Meeting, MeetingStatus

bp = Blueprint(
    "api_meetings", __name__, url_prefix=PREFIX, description="Meetings, agendas, outcomes, tasks"
)


class PersonSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)


class TaskSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    title = ma.fields.String(required=True)
    owner = ma.fields.Nested(PersonSchema, required=True)
    due_date = ma.fields.Date(allow_none=True, required=True)
    done = ma.fields.Method("is_done", required=True, metadata={"type": "boolean"})
    meeting = ma.fields.Integer(attribute="meeting_id", allow_none=True, required=True)
    entry = ma.fields.Integer(attribute="entry_id", allow_none=True, required=True)
    item = ma.fields.Method(
        "item_reference",
        allow_none=True,
        required=True,
        metadata={"type": "string", "description": "The item, if the owner may see it"},
    )
    version = ma.fields.Integer(required=True)

    def is_done(self, task) -> bool:
        return task.done_at is not None

    def item_reference(self, task) -> str | None:
        item = task.item
        return item.reference if item is not None and can_view(current_user, item) else None


class EntrySchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    meeting = ma.fields.Integer(attribute="meeting_id", required=True)
    kind = ma.fields.Enum(EntryKind, by_value=True, required=True)
    reason = ma.fields.Enum(EntryReason, by_value=True, required=True)
    title = ma.fields.String(
        required=True, metadata={"description": "The item's title, or the topic's"}
    )
    item = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "The item's reference"}
    )
    hidden = ma.fields.Boolean(
        required=True,
        metadata={"description": "A confidential item the token's owner may not see"},
    )
    company = ma.fields.String(allow_none=True, required=True)
    item_status = ma.fields.Enum(ItemStatus, by_value=True, allow_none=True, required=True)
    network = ma.fields.String(
        allow_none=True, required=True, metadata={"description": "The group's network"}
    )
    removed = ma.fields.Boolean(required=True)
    deferred = ma.fields.Boolean(required=True)
    discussed = ma.fields.Boolean(required=True)
    carry_over_count = ma.fields.Integer(required=True)
    note = ma.fields.String(allow_none=True, required=True)
    decision = ma.fields.String(allow_none=True, required=True)
    tasks = ma.fields.List(ma.fields.Nested(TaskSchema), required=True)
    version = ma.fields.Integer(required=True)


class PresenceSchema(ma.Schema):
    network = ma.fields.String(required=True)
    present = ma.fields.Boolean(required=True)


MEETING_FIELDS = (
    "id",
    "series",
    "starts_at",
    "duration_minutes",
    "status",
    "video_link",
    "agenda_prepared_at",
    "closed_at",
    "version",
)


class MeetingRowSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    series = ma.fields.Nested(PersonSchema, required=True)
    starts_at = ma.fields.AwareDateTime(required=True)
    duration_minutes = ma.fields.Integer(required=True)
    status = ma.fields.Enum(MeetingStatus, by_value=True, required=True)
    video_link = ma.fields.String(required=True)
    agenda_prepared_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    closed_at = ma.fields.AwareDateTime(allow_none=True, required=True)
    version = ma.fields.Integer(required=True)
    url = ma.fields.Method("page_url", required=True, metadata={"description": "Its page"})

    def page_url(self, meeting) -> str:
        return url_for("meetings.detail", meeting_id=meeting.id, _external=True)


class MeetingSchema(MeetingRowSchema):
    entries = ma.fields.List(
        ma.fields.Nested(EntrySchema),
        required=True,
        metadata={"description": "The agenda in order (entries taken off it left out)"},
    )
    attendance = ma.fields.List(
        ma.fields.Nested(PresenceSchema),
        allow_none=True,
        required=True,
        metadata={"description": "Who was present, once the meeting is closed"},
    )


class MeetingQuerySchema(PageQuerySchema):
    when = ma.fields.String(
        load_default="upcoming",
        validate=ma.validate.OneOf(["upcoming", "past"]),
        metadata={"description": "Planned and running meetings, or held and cancelled ones"},
    )


def present_entry(entry: AgendaEntry) -> dict:
    """What the agenda shows the token's owner of one entry."""
    item = entry.item
    shown = {
        **{f: getattr(entry, f) for f in ("id", "meeting_id", "kind", "reason", "version")},
        **{f: getattr(entry, f) for f in ("removed", "deferred", "discussed", "carry_over_count")},
        "network": entry.network.short_name if entry.network else None,
        "item": item.reference if item else None,
        "item_status": entry.item_status,
        "hidden": False,
        "company": None,
        **{"note": None, "decision": None, "tasks": []},
    }
    if item is not None and not can_view(current_user, item):
        return {**shown, "title": _("Confidential item"), "hidden": True, "item_status": None}
    shown.update(note=entry.note, decision=entry.decision, tasks=entry.tasks)
    if item is None:
        return {**shown, "title": entry.title}
    return {**shown, "title": item.title, "company": item.company.name}


@bp.route("/meetings")
@bp.arguments(MeetingQuerySchema, location="query", as_kwargs=True)
@bp.response(200, MeetingRowSchema(many=True), description="The meetings, soonest or newest first")
def list_meetings(when: str, page: int, per_page: int):
    """Upcoming meetings (soonest first), or the archive of past ones (newest first)."""
    if when == "upcoming":
        found = ListPage(queries.upcoming_meetings(), page, per_page)
    else:
        found = db.paginate(queries.archive(), page=page, per_page=per_page, error_out=False)
    return found.items, 200, page_headers("api_meetings.list_meetings", found)


@bp.route("/meetings/<int:meeting_id>")
@bp.response(200, MeetingSchema, description="The meeting with its agenda")
def get_meeting(meeting_id: int):
    """One meeting: its agenda in order, each entry's outcome and tasks, its attendance."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound()
    entries = [e for e in queries.agenda_entries(meeting) if not e.removed]
    attendance = None
    if meeting.is_closed:
        attendance = [
            {"network": p.network.short_name, "present": p.present}
            for p in services.attendance_of(meeting)
        ]
    return SimpleNamespace(
        **{f: getattr(meeting, f) for f in MEETING_FIELDS},
        entries=[present_entry(e) for e in entries],
        attendance=attendance,
    )


def entry_or_404(entry_id: int) -> AgendaEntry:
    entry = db.session.get(AgendaEntry, entry_id)
    if entry is None:
        raise NotFound()
    return entry


@bp.route("/agenda-entries/<int:entry_id>")
@bp.response(200, EntrySchema, description="The entry, with its version as ETag")
def get_entry(entry_id: int):
    """One agenda entry with its outcome and tasks (a hidden item's as a placeholder)."""
    entry = entry_or_404(entry_id)
    return present_entry(entry), 200, {"ETag": etag(entry)}
