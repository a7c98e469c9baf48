"""Web imports run in a background thread of the app process; the page polls their progress.

The confirm step starts a ``Job`` and answers at once with the progress page; the thread
carries the import out in batches (``services.run_import``), each batch in its own unit of
work, and notes after each one how many rows are done. Jobs live in the memory of the
process that started them (the progress page must reach the same process: one app process,
or sticky sessions) and are forgotten ``KEEP_SECONDS`` after they ended.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, current_app
from flask_babel import force_locale

from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import ServiceError
from tracker.i18n import _
from tracker.imports import planning, services
from tracker.imports.mapping import Table
from tracker.networks.models import Network

KEEP_SECONDS = 3600
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
    with _lock:
        _jobs[token] = job
    job.thread.start()
    return job


def find(token: str, user: User) -> Job | None:
    """The job of this token, if ``user`` may follow it: the importing user or the office."""
    job = _jobs.get(token)
    if job is None or not (user.id == job.user_id or user.is_admin):
        return None
    return job


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
            db.session.remove()
            job.ended_at = time.monotonic()
            job.finished = True


def _noter(job: Job):
    def note(done: int, total: int, problems: int) -> None:
        job.done, job.total, job.problems = done, total, problems

    return note


def _forget_old() -> None:
    now = time.monotonic()
    with _lock:
        for token in [
            t for t, j in _jobs.items() if j.ended_at and now - j.ended_at > KEEP_SECONDS
        ]:
            del _jobs[token]
