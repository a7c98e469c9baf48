"""Web imports run in a background thread of the app process; the page polls their progress.

The confirm step starts a ``Job`` and answers at once with the progress page; the thread
carries the import out in batches (``services.run_import``), each batch in its own unit of
work, and notes after each one how many rows are done. The process that started a job keeps
it in memory with its whole result, and forgets it ``KEEP_SECONDS`` after it ended; every
process reads its progress and what it made from its ``ImportRun`` row, so that the page
works whichever app process answers it.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, current_app
from flask_babel import force_locale
from sqlalchemy import update

from tracker.auth.models import User
from tracker.db import db, unit_of_work
from tracker.exceptions import ServiceError
from tracker.i18n import _
from tracker.imports import planning, services
from tracker.imports.mapping import Table
from tracker.imports.models import ImportRun
from tracker.networks.models import Network

KEEP_SECONDS = 3600
PROBLEMS_KEPT = 2000  # problems of a run kept for another process's result page
_jobs: dict[str, Job] = {}
_lock = threading.Lock()


@dataclass
class Job:
    """One web import: who started it, how far it is, and its plan when it has ended."""

    token: str
    user_id: int
    total: int
    filename: str
    upload: planning.Upload
    done: int = 0
    problems: int = 0
    finished: bool = False
    error: str = ""
    plan: planning.Plan | None = None
    ended_at: float | None = None
    thread: threading.Thread | None = field(default=None, repr=False)

    def as_json(self) -> dict:
        return {
            "done": self.done,
            "total": self.total,
            "problems": self.problems,
            "finished": self.finished,
            "error": self.error,
        }

    @property
    def percent(self) -> int:
        return 100 if self.finished or not self.total else int(100 * self.done / self.total)


def start(upload: planning.Upload, *, actor: User, network: Network, locale: str, **options) -> Job:
    """Start importing ``upload`` in a thread; return the job at once."""
    _forget_old()
    token = secrets.token_urlsafe(16)
    job = Job(token, actor.id, len(upload.table.rows), options.get("filename", ""), upload)
    app = current_app._get_current_object()
    job.thread = threading.Thread(
        target=_run,
        args=(app, job, upload.table, actor.id, network.id if network else None, locale, options),
        name=f"import-{token[:6]}",
        daemon=True,
    )
    with unit_of_work():
        db.session.add(ImportRun(token=token, user_id=actor.id, filename=job.filename[:200],
                                 total=job.total))  # fmt: skip
    with _lock:
        _jobs[token] = job
    job.thread.start()
    return job


@dataclass
class StoredRun:
    """A job another process runs or ran, as its ``ImportRun`` row tells it."""

    token: str
    user_id: int
    total: int
    filename: str
    done: int
    problems: int
    finished: bool
    error: str
    result: dict
    upload: None = None
    plan: None = None

    as_json = Job.as_json
    percent = Job.percent


def find(token: str, user: User) -> Job | StoredRun | None:
    """The job of this token, if ``user`` may follow it: the importing user or the office."""
    job = _jobs.get(token) or _stored(token)
    if job is None or not (user.id == job.user_id or user.is_admin):
        return None
    return job


def _stored(token: str) -> StoredRun | None:
    row = db.session.get(ImportRun, token) if len(token) <= 32 else None
    if row is None:
        return None
    return StoredRun(row.token, row.user_id, row.total, row.filename, row.done, row.problems,
                     row.finished, row.error, json.loads(row.result or "{}"))  # fmt: skip


def _save(token: str, **values) -> None:
    """Write the run's progress or end to its row, on a connection of its own: the import's
    session and the records it keeps for the result page stay as they are."""
    runs = ImportRun.__table__
    with db.engine.begin() as connection:
        connection.execute(update(runs).where(runs.c.token == token).values(**values))


def _result(plan) -> str:
    return json.dumps({
        "created": [item.id for item in plan.created],
        "updated": [item.id for item in plan.updated],
        "rows_with_problems": plan.rows_with_problems,
        "problems": [[p.row, p.column, p.message] for p in plan.problems[:PROBLEMS_KEPT]],
    })  # fmt: skip


def wait(token: str, timeout: float | None = None) -> Job | None:
    """Wait for the job's thread to end (tests, the command line); the job, if known."""
    job = _jobs.get(token)
    if job is not None and job.thread is not None:
        job.thread.join(timeout)
    return job


def _run(app: Flask, job: Job, table: Table, actor_id: int, network_id, locale, options) -> None:
    with app.app_context(), force_locale(locale):
        try:
            actor = db.session.get(User, actor_id)
            network = db.session.get(Network, network_id) if network_id else None
            job.plan = services.run_import(
                table, actor=actor, network=network, progress=_noter(job), **options
            )
            job.problems = job.plan.rows_with_problems
        except ServiceError as exc:
            job.error = exc.message
        except Exception:  # noqa: BLE001 - the page must end, with a message, not poll forever
            logging.getLogger(__name__).exception("import %s failed", job.token)
            job.error = _("The import failed. Rows saved so far stay; import the file again.")
        finally:
            try:
                result = _result(job.plan) if job.plan is not None else ""
                _save(job.token, done=job.done, problems=job.problems, finished=True,
                      error=job.error, result=result)  # fmt: skip
            except Exception:  # noqa: BLE001 - this process's page still shows the end
                logging.getLogger(__name__).exception("import %s: its end was not saved", job.token)
            db.session.remove()
            job.ended_at = time.monotonic()
            job.finished = True


def _noter(job: Job):
    def note(done: int, total: int, problems: int) -> None:
        job.done, job.total, job.problems = done, total, problems
        _save(job.token, done=done, total=total, problems=problems)

    return note


def _forget_old() -> None:
    now = time.monotonic()
    with _lock:
        for token in [
            t for t, j in _jobs.items() if j.ended_at and now - j.ended_at > KEEP_SECONDS
        ]:
            del _jobs[token]
