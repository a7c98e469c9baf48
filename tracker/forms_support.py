"""Small helpers shared by forms: clean input, saving with conflicts, choices, versions."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import available_timezones

import wtforms
from flask import Request, flash, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from wtforms import IntegerField, SelectChoice, widgets
from wtforms.validators import NumberRange, Optional, ValidationError

from tracker.characters import clean_input
from tracker.db import db, unit_of_work
from tracker.exceptions import ConflictError, ServiceError
from tracker.i18n import _, _l, format_date
from tracker.ranges import DATE_MAX, DATE_MIN, ID_MAX, in_date_range, in_id_range


class CleanedValues(ImmutableMultiDict):
    """Form and query values without control characters (tracker.characters)."""

    def __init__(self, mapping=None) -> None:
        if isinstance(mapping, MultiDict):
            mapping = mapping.items(multi=True)
        elif isinstance(mapping, dict):
            mapping = mapping.items()
        super().__init__([(key, clean_input(value)) for key, value in mapping or ()])


class CleanedRequest(Request):
    """The request of every page: each text field of each form arrives cleaned.

    One filter at the input boundary, before any form reads the values: pasted text
    keeps no U+000B or NUL, and ``Length`` counts what is stored.
    """

    parameter_storage_class = CleanedValues


def apply_error(form: FlaskForm, exc: ServiceError) -> None:
    """Show a service's error at its field, or at the top of the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        form.form_errors.append(exc.message)


def options(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """Turn ``(value, label)`` pairs into the choices a select field takes.

    ``None`` (no choice: "all", "nobody") is sent as an empty value, not as the word "None".
    """
    return [SelectChoice("" if value is None else value, label) for value, label in pairs]


def int_or_none(value) -> int | None:
    """Read an optional id from a form or query value; a number no record can have is None."""
    try:
        number = int(value) if value not in (None, "", "None") else None
    except (TypeError, ValueError):
        return None
    return number if number is None or in_id_range(number) else None


def int_arg(name: str, default: int | None = None) -> int | None:
    """Read an id-like number from the query string: ``default`` if absent, bad or too big."""
    number = int_or_none(request.args.get(name))
    return default if number is None else number


class IdField(IntegerField):
    """A number that names a record (or a version): 1 to 2**63 - 1, else a form error."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, [*(validators or []), NumberRange(1, ID_MAX)], **kwargs)


class VersionField(IdField):
    """The hidden version a form was loaded with, read back as a number.

    Services compare it with the record's integer ``version``: text would never match, and
    every save would become a conflict. Every versioned form uses this one field.
    """

    widget = widgets.HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators or [Optional()], **kwargs)


class DateRange:
    """Validator: the date lies in DATE_MIN..DATE_MAX (no year 1 or 9999)."""

    def __call__(self, form: FlaskForm, field) -> None:
        if field.data is not None and not in_date_range(field.data):
            first, last = format_date(DATE_MIN), format_date(DATE_MAX)
            raise ValidationError(
                _("Please give a date between %(first)s and %(last)s.", first=first, last=last)
            )


class DateField(wtforms.DateField):
    """A date in the app's range: every date field of every form is one of these."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, [*(validators or []), DateRange()], **kwargs)


class DateTimeLocalField(wtforms.DateTimeLocalField):
    """A local date and time whose date lies in the app's range."""

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, [*(validators or []), DateRange()], **kwargs)


class TimeZone:
    """Validator: the text names a time zone of the tz database ("Europe/Berlin")."""

    def __call__(self, form: FlaskForm, field) -> None:
        # The list, not ZoneInfo(): "Europe" is a folder of the database, and ZoneInfo
        # answers it with an OSError that no caller expects.
        if (field.data or "") not in _time_zones():
            raise ValidationError(_("Please give a time zone such as Europe/Berlin."))


@functools.cache
def _time_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def set_version(form: FlaskForm, version: int) -> None:
    """Put the record's current version into the form, so that saving again is deliberate."""
    form.version.data = version
    form.version.raw_data = [str(version)]


@dataclass(frozen=True)
class Attempt:
    """What became of a form's save: the service's result, or the error it was refused with."""

    value: Any = None
    error: ServiceError | None = None

    @property
    def done(self) -> bool:
        return self.error is None

    @property
    def conflict(self) -> bool:
        return isinstance(self.error, ConflictError)

    @property
    def status(self) -> int:
        """The answer's status when the form is shown again: 409 for a conflict, else 400."""
        return 200 if self.done else 409 if self.conflict else 400


CONFLICT_MESSAGE = _l(
    "Someone else changed this record meanwhile. Your input is kept; save again to overwrite."
)


def attempt(
    form: FlaskForm,
    work: Callable[..., Any],
    *,
    prepare: Callable[[], Any] | None = None,
    conflict_message=CONFLICT_MESSAGE,
) -> Attempt:
    """Run a validated form's service calls in a unit of work; commit, or keep the input.

    The one way views save forms. ``prepare`` does the slow part (hashing a password)
    before the unit of work, so that it does not hold the write lock; its result is given to
    ``work``. A service's error goes to its field (nothing is committed). A conflict
    (someone saved the record meanwhile) keeps the input, puts the record's current version
    into the form, so that saving once more overwrites knowingly, and says so; the page
    shows the current values beside the input.
    """
    try:
        arguments = (prepare(),) if prepare is not None else ()
        with unit_of_work():
            return Attempt(work(*arguments))
    except ConflictError as exc:
        db.session.refresh(exc.record)  # read after the rollback: the other person's save
        set_version(form, exc.record.version)
        flash(str(conflict_message), "warning")
        return Attempt(error=exc)
    except ServiceError as exc:
        apply_error(form, exc)
        return Attempt(error=exc)


def save_form(
    form: FlaskForm,
    template: str,
    save: Callable[..., object],
    done: str,
    *,
    prepare: Callable[[], Any] | None = None,
    **context,
):
    """Validate, save (``attempt``) and redirect; else show the form again with the input."""
    if form.validate_on_submit():
        saved = attempt(form, save, prepare=prepare)
        if saved.done:
            flash(_("Saved."), "success")
            return redirect(url_for(done))
        page = render_template(template, form=form, conflict=saved.conflict, **context)
        return page, saved.status
    return render_template(template, form=form, **context), (400 if form.is_submitted() else 200)
