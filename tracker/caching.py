"""Rendered fragments, cached per process and keyed by the data revision.

Every commit that changes a row raises one counter, ``data_revision``. A cached fragment is
filed under the revision it was rendered at, so any change anywhere makes all older
fragments unreachable: nothing is ever invalidated by hand, and a fragment can show stale
data only for what changes with the clock alone (which meeting is next). That is bounded by
``FRAGMENT_CACHE_SECONDS``. Each worker keeps its own cache; the revision is read from the
database, so the workers agree on what is current.

Only HTML without per-session parts may be cached: no CSRF tokens, no flashed messages.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Hashable

import sqlalchemy as sa
from cachetools import TTLCache
from flask import current_app, g, has_request_context, request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import case, event, insert, select, update
from sqlalchemy.orm import Mapped, ORMExecuteState, Session, mapped_column

from tracker.db import db
from tracker.i18n import get_locale

_CHANGED = "tracker.data_changed"


class DataRevision(db.Model):
    """The single row whose value every committed change raises."""

    __tablename__ = "data_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger)


def data_revision() -> int:
    """The revision of the data this transaction reads."""
    return db.session.scalar(select(DataRevision.value).where(DataRevision.id == 1)) or 0


def _request_revision() -> int:
    """The revision read once per request; fragments of one answer share it."""
    environ = request.environ if has_request_context() else {}
    if "tracker.data_revision" not in environ:
        environ["tracker.data_revision"] = data_revision()
    return environ["tracker.data_revision"]


def mark_changed(session: Session) -> None:
    """Tell the commit that this transaction changed rows the ORM did not see."""
    session.info[_CHANGED] = True


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    mark_changed(session)


@event.listens_for(Session, "do_orm_execute")
def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        mark_changed(state.session)


@event.listens_for(Session, "before_commit")
def _raise_revision(session: Session) -> None:
    """Raise the revision to the next number, or to the clock's microseconds if larger.

    Following the clock keeps revisions from ever repeating, even after a database was
    restored from a backup or its table emptied: a worker's cache may hold fragments of any
    earlier number.
    """
    session.flush()  # what is pending now marks the session as changed, like earlier flushes
    if not session.info.pop(_CHANGED, False):
        return
    table = DataRevision.__table__
    now = time.time_ns() // 1000
    following = table.c.value + 1
    raised = session.execute(
        update(table)
        .where(table.c.id == 1)
        .values(value=case((following > now, following), else_=now))
    )
    if raised.rowcount == 0:
        session.execute(insert(table).values(id=1, value=now))
    session.info.pop(_CHANGED, None)  # raising the revision is not a change of its own


@event.listens_for(Session, "after_rollback")
def _rolled_back(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def rendered(html: str) -> Markup:
    """Mark the output of the app's own templates (escaped by Jinja) as safe to embed."""
    return Markup(html)  # noqa: S704 - rendered by autoescaping templates, never user text


class FragmentCache:
    """A bounded, expiring map from keys to rendered HTML; safe for threaded workers."""

    def __init__(self, seconds: float, max_chars: int, timer: Callable[[], float] = time.monotonic):
        self._entries: TTLCache = TTLCache(max_chars, seconds, timer=timer, getsizeof=len)
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> Markup:
        with self._lock:
            html = self._entries.get(key)
        if html is not None:
            self.hits += 1
            return rendered(html)
        self.misses += 1
        html = str(render())
        if len(html) <= self._entries.maxsize:
            with self._lock:
                self._entries[key] = html
        return rendered(html)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def fragment(
    name: str, key: tuple, render: Callable[[], str], *, with_forms: bool = False
) -> Markup:
    """The HTML ``render`` returns, cached under name, key, locale and the data revision.

    ``key`` must hold everything else the HTML depends on: the viewer when it shows what
    only some may see or what is "mine", the day when it marks overdue dates, the query.
    With ``with_forms`` the HTML may hold CSRF tokens: it is cached with a mark in their
    place, and each answer gets the token of its own session.
    """
    cache: FragmentCache | None = current_app.extensions.get("fragment_cache")
    if cache is None:
        return rendered(render())
    full_key = (name, _request_revision(), str(get_locale()), *key)
    if not with_forms:
        return cache.get_or_render(full_key, render)
    html = cache.get_or_render(full_key, lambda: _with_token_mark(render))
    return rendered(str(html).replace(_TOKEN_MARK, generate_csrf()))


# Stands for the CSRF token in cached HTML; random per process, so no text can contain it.
_TOKEN_MARK = "csrf-mark-" + secrets.token_hex(16)


def _with_token_mark(render: Callable[[], str]) -> str:
    """Render with every CSRF token (Flask-WTF keeps the request's in ``g``) as the mark."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.pop(field, None)
    setattr(g, field, _TOKEN_MARK)
    try:
        return render()
    finally:
        g.pop(field, None)
        if token is not None:
            setattr(g, field, token)


def init_app(app) -> None:
    """Keep a fragment cache unless FRAGMENT_CACHE_SECONDS is 0."""
    seconds = app.config.get("FRAGMENT_CACHE_SECONDS", 60)
    if seconds:
        app.extensions["fragment_cache"] = FragmentCache(
            seconds, app.config.get("FRAGMENT_CACHE_CHARS", 8_000_000)
        )
