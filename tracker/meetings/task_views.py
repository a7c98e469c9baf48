"""A person's tasks from all meetings: the list, done, another due date (meetings blueprint)."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from tracker.db import db, unit_of_work
from tracker.i18n import _
from tracker.meetings import live as outcomes
from tracker.meetings.forms import TaskDueForm
from tracker.meetings.models import Task
from tracker.meetings.views import bp
from tracker.routing import is_fetch, safe_next


@bp.get("/tasks")
@login_required
def my_tasks():
    """The user's open tasks from all meetings."""
    return render_template(
        "meetings/tasks.html", tasks=outcomes.open_tasks(current_user), due_form=TaskDueForm()
    )


@bp.post("/tasks/<int:task_id>/done")
@login_required
def task_done(task_id: int):
    """Mark a task done, or open again."""
    task = db.get_or_404(Task, task_id)
    with unit_of_work():
        outcomes.complete_task(task, actor=current_user, done=request.form.get("done", "1") == "1")
    if is_fetch():
        return jsonify(ok=True)
    return redirect(safe_next(request.form.get("next_url")) or url_for("meetings.my_tasks"))


@bp.post("/tasks/<int:task_id>/due")
@login_required
def task_due(task_id: int):
    """Move a task to another due date."""
    task = db.get_or_404(Task, task_id)
    form = TaskDueForm()
    if not form.validate_on_submit():
        abort(400)
    with unit_of_work():
        outcomes.move_task(
            task,
            actor=current_user,
            due_date=form.due_date.data,
            expected_version=form.version.data,
        )
    flash(_("Due date changed."), "success")
    return redirect(url_for("meetings.my_tasks"))
