"""Small helpers shared by forms: putting service errors on fields, choices, versions."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf import FlaskForm
from wtforms import SelectChoice

from tracker.exceptions import ServiceError


def apply_error(form: FlaskForm, exc: ServiceError) -> None:
    """Show a service's error at its field, or at the top of the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """Turn ``(value, label)`` pairs into the choices a select field takes."""
    return [SelectChoice(value, label) for value, label in pairs]


def int_or_none(value) -> int | None:
    """Read an optional id from a form or query value."""
    try:
        return int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None


def set_version(form: FlaskForm, version: int) -> None:
    """Put the record's current version into the form, so that saving again is deliberate."""
    form.version.data = version
    form.version.raw_data = [str(version)]
