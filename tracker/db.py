"""Database object, declarative base with a naming convention, SQLite settings, time helpers."""

from __future__ import annotations

import contextvars
import enum
import functools
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort, request
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, registry

from tracker.ranges import PAGE_MAX, in_id_range

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator):
    """A timestamp stored as naive UTC and read back as timezone-aware UTC."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use tracker.db.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime},
    )


class TrackerSQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy, with ids and page numbers out of range answered by 404."""

    def get_or_404(self, entity, ident, *, description=None, **kwargs):
        """Load a record by id, or 404 (also for ids no record can have)."""
        if isinstance(ident, int) and not in_id_range(ident):
            abort(404, description=description)
        return super().get_or_404(entity, ident, description=description, **kwargs)

    def paginate(self, select, *, page=None, **kwargs):
        """Paginate ``select``; a ``page`` argument outside 1..PAGE_MAX answers 404."""
        if page is None and request:
            try:
                page = int(request.args.get("page", 1))
            except (TypeError, ValueError):
                page = 1
            if not 1 <= page <= PAGE_MAX:
                abort(404)
        return super().paginate(select, page=page, **kwargs)


db = TrackerSQLAlchemy(model_class=Base)

# Whether a transaction that begins now may write. Requests with safe methods set it to
# False so that readers do not queue behind the write lock; everything else (POST, CLI,
# tests) takes SQLite's write lock when its transaction begins.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=True)


def reads_first(view):
    """Mark a view whose request reads (login, form checks) before it writes.

    Its transaction begins as a reader; the view calls ``begin_writing`` just before its
    writes. On SQLite the write lock is then held for the writes alone, not for the whole
    request, and two workers saving at once overlap in everything else.
    """
    view.reads_first = True
    return view


def begin_writing() -> None:
    """End the request's reading transaction; the next statement begins a writing one.

    Loaded records are expired and read again inside the writing transaction, so nothing
    decided on may have changed meanwhile unnoticed (versions are checked there too).
    """
    if not write_intent.get():
        queued = db.session.info.pop(_AFTER_COMMIT, None)  # for the writes' commit, not this
        db.session.commit()  # nothing was written yet: this ends the read
        if queued:
            db.session.info[_AFTER_COMMIT] = queued
        write_intent.set(True)


_AFTER_COMMIT = "tracker.after_commit"


def after_commit(callback: Callable[[], None], session: Session | None = None) -> None:
    """Run ``callback`` once the current transaction has committed; never if it rolls back.

    For side effects that must not happen for a change that did not last: mail, webhooks,
    notifications. Callbacks run in the order queued, outside the transaction; an error in
    one is logged and does not stop the others or undo the commit.
    """
    session = session or db.session()
    if not session.in_transaction():
        session.begin()  # the work belongs to this transaction: its rollback drops it
    session.info.setdefault(_AFTER_COMMIT, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    queued = session.info.pop(_AFTER_COMMIT, [])
    for callback in queued:
        try:
            callback()
        except Exception:  # noqa: BLE001 - one failed side effect must not hide the others
            logging.getLogger(__name__).exception("after-commit callback %r failed", callback)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_commit(session: Session, _previous_transaction) -> None:
    if not session.in_transaction():  # the outermost transaction ended: nothing lasted
        session.info.pop(_AFTER_COMMIT, None)


def utcnow() -> datetime:
    """Return the current time in UTC, timezone-aware."""
    return datetime.now(UTC)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """Turn on WAL, foreign keys and a busy timeout, and begin write transactions IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy emit BEGIN itself instead of pysqlite's implicit, deferred BEGIN.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
        # SQLite's own lower() knows only ASCII; erasure and matching need every letter.
        dbapi_connection.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


def lower(column):
    """SQL for ``column`` in lower case, for every alphabet (not only ASCII) on both databases."""
    return sa.func.unicode_lower(column) if _dialect() == "sqlite" else sa.func.lower(column)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def enum_type(enum_cls) -> sa.Enum:
    """Store a ``str`` enum by its value in a VARCHAR, alike on SQLite and PostgreSQL."""
    return sa.Enum(
        enum_cls,
        native_enum=False,
        create_constraint=False,
        length=20,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


class LabelledEnum(str, enum.Enum):
    """A ``str`` enum whose members carry a translated label (see ``labels``)."""

    @property
    def label(self) -> str:
        # The lazy strings are built once per class; each is translated when shown.
        return str(_label_map(type(self))[self])

    @classmethod
    def labels(cls) -> dict:
        raise NotImplementedError

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """Return ``(value, label)`` pairs for a select field."""
        labels = cls.labels()
        return [(member.value, labels[member]) for member in cls]


@functools.cache
def _label_map(cls: type[LabelledEnum]) -> dict:
    return cls.labels()


def alembic_render_item(type_: str, obj, autogen_context):
    """Write UTCDateTime columns into migrations as plain ``sa.DateTime()``."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
