"""Optimistic locking: every editable record has a version; stale saves become conflicts."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from tracker.db import db
from tracker.exceptions import ConflictError
from tracker.i18n import _


def _conflict(record: Any, expected_version: int | None) -> ConflictError:
    return ConflictError(
        _("Someone else changed this record while you were editing it."), record, expected_version
    )


def check_version(record: Any, expected_version: int | None) -> None:
    """Raise ConflictError when ``record`` changed since the user loaded ``expected_version``."""
    if not isinstance(expected_version, int | None):
        # A version read as text never equals the number: every save would be a conflict.
        raise TypeError(f"expected_version must be an int, not {type(expected_version).__name__}")
    if expected_version is not None and expected_version != record.version:
        raise _conflict(record, expected_version)


def flush_or_conflict(record: Any, expected_version: int | None) -> None:
    """Flush; a concurrent update of the same version becomes a ConflictError."""
    try:
        db.session.flush()
    except StaleDataError as exc:
        raise _conflict(record, expected_version) from exc
