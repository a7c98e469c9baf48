"""What every schema of the API reads alike: cleaned text, ids a record can have."""

from __future__ import annotations

import marshmallow as ma

from tracker.characters import xml_safe
from tracker.errors import problem
from tracker.i18n import _
from tracker.ranges import DATE_MAX, DATE_MIN, ID_MAX


class ApiSchema(ma.Schema):
    """Texts arrive as the pages' forms clean them: no control characters, no lone
    surrogates (which no database stores and no document may hold)."""

    @ma.pre_load
    def clean_texts(self, data, **_kwargs):
        if not isinstance(data, dict):
            return data
        return {key: _cleaned(value) for key, value in data.items()}


def _cleaned(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def Id(strict: bool = True, **kwargs) -> ma.fields.Integer:  # noqa: N802 - like a field class
    """The id of a record: a whole number that an id column can hold (in a query string, as
    text: ``strict=False``)."""
    return ma.fields.Integer(strict=strict, validate=ma.validate.Range(min=1, max=ID_MAX), **kwargs)


def DateField(**kwargs) -> ma.fields.Date:  # noqa: N802 - used like a field class
    """A day between 2000 and 2100, as the pages' date fields take it."""
    return ma.fields.Date(validate=ma.validate.Range(min=DATE_MIN, max=DATE_MAX), **kwargs)


def field_problem(field: str, message: str):
    """A 422 for one parameter, as webargs' answers look (``errors`` at the field)."""
    return problem(
        422,
        _("Invalid input"),
        _("Please check the marked fields."),
        errors=[{"field": field, "message": message}],
    )
