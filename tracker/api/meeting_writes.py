"""Recording outcomes and tasks through the API: the live page's and the task views' services.

An agenda entry's outcome (discussed, note, decision) is changed through
``meetings.live.update_entry``, a task raised with ``add_task``, marked done with
``complete_task`` and given a new due date with ``move_task``: the same rules (managers and
the office run meetings, only open meetings change, a task is changed by its owner, its
author or the office) and the same messages. Entries and tasks have versions: a change
needs ``If-Match`` with the ETag read (428 without, 412 with an older one).
"""

from __future__ import annotations

import marshmallow as ma
from flask import url_for
from flask_login import current_user

from tracker import limits
from tracker.api.fields import ApiSchema, DateField, Id
from tracker.api.meetings import EntrySchema, TaskSchema, bp, entry_or_404, present_entry
from tracker.api.versions import IF_MATCH, as_read, etag, refused_change
from tracker.auth.models import User
from tracker.db import db, unit_of_work
from tracker.exceptions import NotFound
from tracker.items.permissions import can_view
from tracker.meetings import live, notes
from tracker.meetings.models import Task
from tracker.meetings.permissions import require_entry_visible


class OutcomeSchema(ApiSchema):
    """The outcome's fields; only those sent are changed."""

    discussed = ma.fields.Boolean()
    note = ma.fields.String(
        validate=ma.validate.Length(max=limits.ENTRY_NOTE),
        metadata={"description": "The token owner's own note; the entry's note merges "
                  "everyone's, each under their name"},
    )  # fmt: skip
    decision = ma.fields.String(validate=ma.validate.Length(max=limits.ENTRY_NOTE))


class TaskCreateSchema(ApiSchema):
    title = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=limits.TITLE))
    owner = Id(required=True, metadata={"description": "The id of the person responsible"})
    due_date = DateField(load_default=None, allow_none=True)


class TaskChangeSchema(ApiSchema):
    done = ma.fields.Boolean()
    due_date = DateField(allow_none=True)


@bp.route("/agenda-entries/<int:entry_id>", methods=["PATCH"])
@bp.doc(parameters=[IF_MATCH])
@bp.arguments(OutcomeSchema)
@bp.response(200, EntrySchema, description="The entry with its outcome, and its new ETag")
def record_outcome(values: dict, entry_id: int):
    """Record an entry's outcome as the live page does (If-Match with the entry's ETag)."""
    with unit_of_work():
        entry = entry_or_404(entry_id)
        require_entry_visible(entry, current_user)
        note = values.pop("note", None)
        refused = as_read(entry, lambda version: live.update_entry(
            entry, actor=current_user, expected_version=version, **values
        ))  # fmt: skip
        if refused is not None:
            return refused
        if note is not None:  # one's own note, as on the live page: the others' stay
            own = notes.own_note(entry, current_user)
            notes.save_note(entry, actor=current_user, text=note,
                            expected_version=own.version if own else 0)  # fmt: skip
    return present_entry(entry), 200, {"ETag": etag(entry)}


def _person(user_id: int) -> User | None:
    return db.session.get(User, user_id)


@bp.route("/agenda-entries/<int:entry_id>/tasks", methods=["POST"])
@bp.arguments(TaskCreateSchema)
@bp.response(201, TaskSchema, description="The new task; Location is its address")
def create_task(values: dict, entry_id: int):
    """Raise a task on an agenda entry, as the live page does."""
    with unit_of_work():
        entry = entry_or_404(entry_id)
        task = live.add_task(
            entry.meeting,
            actor=current_user,
            title=values["title"],
            owner=_person(values["owner"]),
            due_date=values["due_date"],
            entry=entry,
        )
    location = url_for("api_meetings.get_task", task_id=task.id, _external=True)
    return task, 201, {"Location": location, "ETag": etag(task)}


def task_or_404(task_id: int) -> Task:
    """A task, unless it belongs to an item the token's owner may not see (and is not theirs)."""
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound()
    hidden = task.item is not None and not can_view(current_user, task.item)
    if hidden and current_user.id != task.owner_id:
        raise NotFound()
    return task


@bp.route("/tasks/<int:task_id>")
@bp.response(200, TaskSchema, description="The task, with its version as ETag")
def get_task(task_id: int):
    """One task."""
    task = task_or_404(task_id)
    return task, 200, {"ETag": etag(task)}


@bp.route("/tasks/<int:task_id>", methods=["PATCH"])
@bp.doc(parameters=[IF_MATCH])
@bp.arguments(TaskChangeSchema)
@bp.response(200, TaskSchema, description="The task as changed, with its new ETag")
def change_task(values: dict, task_id: int):
    """Mark a task done (or open again) or give it a new due date, as the task list does."""
    with unit_of_work():
        task = task_or_404(task_id)
        live.require_task_editor(task, current_user)  # who may not change it hears so first
        refused = refused_change(task)
        if refused is not None:
            return refused
        if "due_date" in values:
            live.move_task(
                task,
                actor=current_user,
                due_date=values["due_date"],
                expected_version=task.version,
            )
        if "done" in values:
            live.complete_task(task, actor=current_user, done=values["done"])
    return task, 200, {"ETag": etag(task)}
