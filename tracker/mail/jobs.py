"""Work the sender does between batches when it is due (the digest, follow-up reminders).

A feature registers a job in its ``init_app``; the job decides itself whether it is due
and must be idempotent (``outbox.enqueue(..., dedupe_key=...)``), as several senders may
run it.
"""

from __future__ import annotations

from collections.abc import Callable

_JOBS: dict[str, Callable[[], None]] = {}


def register(name: str, job: Callable[[], None]) -> None:
    _JOBS[name] = job


def registered() -> list[Callable[[], None]]:
    return list(_JOBS.values())
