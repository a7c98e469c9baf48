"""Small helpers shared by forms: putting service errors on fields, choices, versions."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from flask import flash, redirect, render_template, url_for
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectChoice, widgets
from wtforms.validators import Optional

from tracker.db import db
from tracker.exceptions import ConflictError, ServiceError
from tracker.i18n import _


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


class VersionField(IntegerField):
    """The hidden version a form was loaded with, read back as a number.

    Services compare it with the record's integer ``version``: text would never match, and
    every save would become a conflict. Every versioned form uses this one field.
    """

    widget = widgets.HiddenInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        super().__init__(label, validators or [Optional()], **kwargs)


def set_version(form: FlaskForm, version: int) -> None:
    """Put the record's current version into the form, so that saving again is deliberate."""
    form.version.data = version
    form.version.raw_data = [str(version)]


def save_form(form: FlaskForm, template: str, save: Callable[[], object], done: str, **context):
    """Validate, call the service, commit and redirect; else show the form with the input.

    A stale save shows the form again with the input kept and the record's current version,
    so that saving once more overwrites knowingly.
    """
    if form.validate_on_submit():
        try:
            save()
        except ConflictError as exc:
            db.session.rollback()
            db.session.refresh(exc.record)
            set_version(form, exc.record.version)
            flash(
                _(
                    "Someone else changed this record meanwhile. Your input is kept; "
                    "save again to overwrite."
                ),
                "warning",
            )
            return render_template(template, form=form, conflict=True, **context), 409
        except ServiceError as exc:
            db.session.rollback()
            apply_error(form, exc)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(done))
    return render_template(template, form=form, **context), (400 if form.is_submitted() else 200)
