"""Rendered fragments, cached per process and keyed by the data revision.

Every commit that changes a row raises one counter, ``data_revision``. A fragment is filed
under the revision of the transaction that read its data, so any change anywhere makes all
older fragments unreachable: nothing is ever invalidated by hand. Each worker keeps its own
cache; the revision is read from the database, so the workers agree on what is current.

The revision is the first statement of each transaction (``after_begin``) and is kept in
``session.info`` until that transaction ends: a request may run several transactions (a
read, a unit of work, a read again), and each fragment belongs to the one that read it.
That transaction must see one snapshot, or data older than its revision could be filed
under it. SQLite's transactions always do; on PostgreSQL a request's reading transaction
(any outside ``tracker.db.unit_of_work``) runs REPEATABLE READ. A unit of work stays READ
COMMITTED, as do the CLI and jobs: their writes would otherwise fail whenever another
transaction had changed a row meanwhile (every commit raises the one revision row).

The key of a fragment always holds its name, the revision, the locale, the day
(``tracker.clock``) and the viewer, unless the fragment is declared the same for every
viewer; the caller adds what else the HTML shows (the object, the query). What changes
with the time of day alone (which meeting is next) is bounded by ``FRAGMENT_CACHE_SECONDS``.

Only HTML without per-session parts may be cached. CSRF tokens are the exception: a fragment
``with_forms`` is stored with a mark in place of the request's token (``generate_csrf``,
one per request) and served with the token of each answer's own session.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable, Hashable

import sqlalchemy as sa
from cachetools import TTLCache
from flask import current_app, has_request_context
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy import case, event, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    SessionTransaction,
    mapped_column,
)

from tracker import clock
from tracker.db import db, write_intent
from tracker.i18n import get_locale

_CHANGED = "tracker.data_changed"
_REVISION = "tracker.data_revision"


class DataRevision(db.Model):
    """The single row whose value every committed change raises."""

    __tablename__ = "data_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(sa.BigInteger)


def data_revision() -> int:
    """The revision of the data this transaction reads (read at its start)."""
    session = db.session()
    session.connection()  # begins the transaction if none is open: that reads the revision
    if _REVISION not in session.info:  # a session whose listeners are not registered
        session.info[_REVISION] = _read_revision(session.connection())
    return session.info[_REVISION]


_REVISION_QUERY = select(DataRevision.value).where(DataRevision.id == 1)


def _read_revision(connection: Connection) -> int:
    return connection.scalar(_REVISION_QUERY) or 0


def reads_only() -> bool:
    """Whether a transaction beginning now is a request's read, not a unit of work.

    A request writes only inside ``tracker.db.unit_of_work`` (a write outside one raises in
    tests and is logged in production); the CLI and jobs are left at READ COMMITTED.
    """
    return has_request_context() and not write_intent.get()


def _begun(session: Session, transaction: SessionTransaction, connection: Connection) -> None:
    """A request's reading transaction reads the revision first, in the snapshot it sees.

    Units of work, the CLI and jobs render no cached page: they read it only if asked
    (``data_revision``), and spend no statement on it otherwise.
    """
    if transaction.nested or not reads_only():
        return  # a savepoint belongs to its transaction and to its revision
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
    session.info[_REVISION] = _read_revision(connection)


def _ended(session: Session, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # the transaction itself, not a flush or savepoint in it
        session.info.pop(_REVISION, None)
        session.info.pop(_CHANGED, None)  # committed (and raised) or rolled back: gone


def mark_changed(session: Session) -> None:
    """Tell the commit that this transaction changed rows the ORM did not see."""
    session.info[_CHANGED] = True


def _flushed(session: Session, _context) -> None:
    mark_changed(session)


def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        mark_changed(state.session)


def _raise_revision(session: Session) -> None:
    """Raise the revision to the next number, or to the clock's microseconds if larger.

    Following the clock keeps revisions from ever repeating, even after a database was
    restored from a backup or its table emptied: a worker's cache may hold fragments of any
    earlier number.
    """
    if session.in_nested_transaction():  # a savepoint's release: the commit raises it once
        return
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


_LISTENERS = (
    ("after_begin", _begun),
    ("after_transaction_end", _ended),
    ("after_flush", _flushed),
    ("do_orm_execute", _executed),
    ("before_commit", _raise_revision),
)


def listen() -> None:
    """Keep the revision for every session: read at each begin, raised by each change.

    On the Session class, not one app's sessions: a unit of work on its own connection
    (``audit.separate_unit_of_work``) raises the revision too. Once per process.
    """
    for name, listener in _LISTENERS:
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


def _changed_here(session: Session) -> bool:
    """Whether this transaction changed rows: what it renders is not yet anyone else's."""
    return bool(session.info.get(_CHANGED) or session.new or session.dirty or session.deleted)


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
    name: str,
    key: tuple,
    render: Callable[[], str],
    *,
    with_forms: bool = False,
    per_viewer: bool = True,
) -> Markup:
    """The HTML ``render`` returns, cached under name, revision, locale, day, viewer and key.

    ``key`` holds what else the HTML depends on: the object shown, the query. Only a
    fragment that is the same for everyone (no names of "mine", nothing only some may see)
    passes ``per_viewer=False``. With ``with_forms`` the HTML may hold CSRF tokens: it is
    cached with a mark in their place, and each answer gets the token of its own session.
    """
    cache: FragmentCache | None = current_app.extensions.get("fragment_cache")
    session = db.session()
    if cache is None or _changed_here(session):
        return rendered(_checked(name, render) if not with_forms else render())
    viewer = current_user.id if per_viewer and current_user.is_authenticated else None
    revision = data_revision()
    full_key = (name, revision, str(get_locale()), clock.today(), viewer, *key)
    if not with_forms:
        return cache.get_or_render(full_key, lambda: _checked(name, render))
    html = cache.get_or_render(full_key, lambda: _with_token_mark(render))
    return rendered(str(html).replace(_TOKEN_MARK, generate_csrf()))


def _checked(name: str, render: Callable[[], str]) -> str:
    """Render a fragment that must hold no form: its token would be one session's."""
    html = str(render())
    if f'name="{current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")}"' in html:
        raise RuntimeError(f"fragment {name!r} holds a form: cache it with_forms=True")
    return html


# Stands for the CSRF token in cached HTML; random per process, so no text can contain it.
_TOKEN_MARK = "csrf-mark-" + secrets.token_hex(16)


def _with_token_mark(render: Callable[[], str]) -> str:
    """Render, then put the mark where the request's CSRF token is.

    ``generate_csrf`` gives one token per request, to ``csrf_token()`` in templates and to
    the forms' hidden fields alike, so the token the fragment holds is the one it returns.
    """
    return str(render()).replace(generate_csrf(), _TOKEN_MARK)


def init_app(app) -> None:
    """Keep the data revision; keep a fragment cache unless FRAGMENT_CACHE_SECONDS is 0."""
    listen()
    seconds = app.config.get("FRAGMENT_CACHE_SECONDS", 60)
    if seconds:
        app.extensions["fragment_cache"] = FragmentCache(
            seconds, app.config.get("FRAGMENT_CACHE_CHARS", 8_000_000)
        )
