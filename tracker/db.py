"""Database object, units of work, declarative base with a naming convention, SQLite settings."""

from __future__ import annotations

import contextvars
import enum
import functools
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
from flask import abort, has_request_context, request
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

# Whether a transaction that begins now writes: only inside ``unit_of_work``. Every other
# transaction (pages, form checks, password hashing, exports, the CLI's reading) begins as
# a reader and never queues behind SQLite's write lock, nor makes others queue behind it.
write_intent: contextvars.ContextVar[bool] = contextvars.ContextVar("write_intent", default=False)

_IN_UNIT = "tracker.unit_of_work"  # session.info: inside a unit of work
_WRITING = "tracker.writing"  # connection.info: its transaction began as a writer


class WriteOutsideUnitOfWork(RuntimeError):
    """A statement that writes ran in a reading transaction (see ``unit_of_work``)."""


@contextmanager
def unit_of_work() -> Iterator[Session]:
    """Begin a writing transaction, run the block's service calls, commit; roll back on error.

    The one way the app writes: views, the API and the CLI call their services inside it,
    and do everything slow (hashing, rendering, mail, PDF) before or after it. On SQLite the
    transaction begins IMMEDIATE, so the write lock is held for the block alone. A reading
    transaction still open ends first: what it loaded is read again inside, where versions
    are checked, so nothing decided on can have changed unnoticed. Inside another unit of
    work the block joins it (the outer one commits). Side effects queued with
    ``after_commit`` run once the commit has succeeded.
    """
    session = db.session()
    if session.info.get(_IN_UNIT):
        yield session
        return
    _end_reading(session)
    token = write_intent.set(True)
    session.info[_IN_UNIT] = True
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_IN_UNIT, None)
        write_intent.reset(token)


def _end_reading(session: Session) -> None:
    """End the session's reading transaction, keeping the side effects queued for the writes."""
    if not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        raise WriteOutsideUnitOfWork("changes were made before the unit of work began")
    queued = session.info.pop(_AFTER_COMMIT, None)
    session.commit()  # nothing was written: this only ends the read
    if queued:
        session.info[_AFTER_COMMIT] = queued


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


_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)


def watch_writes(engine: Engine, *, strict: bool) -> None:
    """Notice a request's statement that writes outside a unit of work: raise or log it.

    Such a write would turn a reader into a writer halfway (on SQLite it fails at once when
    another worker has written meanwhile). ``strict`` (tests, development) raises
    ``WriteOutsideUnitOfWork``; otherwise it is logged with its statement.
    """

    @event.listens_for(engine, "begin")
    def _note_intent(connection):
        connection.info[_WRITING] = write_intent.get()

    @event.listens_for(engine, "before_cursor_execute")
    def _check(connection, _cursor, statement, *_args):
        if connection.info.get(_WRITING, True) or not has_request_context():
            return
        if not _WRITES.match(statement):
            return
        if strict:
            raise WriteOutsideUnitOfWork(statement[:200])
        logging.getLogger(__name__).error("write outside a unit of work: %.200s", statement)


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
