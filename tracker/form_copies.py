"""Form fields that a page shows once per record, rendered by the fields' own widgets.

The live agenda shows a hundred entries with a dozen fields each. A widget call takes about
30 µs and a Jinja macro about 10, so either would make the forms cost more than all the rest
of the agenda. Instead each field's widget renders once per answer (and set of attributes)
with marks where the id and the value go, and every copy puts in its own: the name, label,
limits (maxlength, required) and choices stay exactly what the form class says.
"""

from __future__ import annotations

import secrets
from types import SimpleNamespace

from markupsafe import Markup
from wtforms import Field, Form
from wtforms.widgets import CheckboxInput, Select, TextArea

_ID = "id-mark-" + secrets.token_hex(8)
_VALUE = "value-mark-" + secrets.token_hex(8)
_NOTHING = object()  # a select's data while its stamp is made: no option is selected


def copies_of(form: Form) -> SimpleNamespace:
    """Each field of ``form`` as ``FieldCopies``, by name; the form is built once per answer."""
    return SimpleNamespace(**{field.short_name: FieldCopies(field) for field in form})


class FieldCopies:
    """Copies of one bound field: call it with a copy's id and value, like a WTForms field.

    ``copies("note-7", entry.note, class_="form-control")`` renders the field's widget with
    that id and value; ``copies.label("note-7")`` its label. ``choices`` replaces a select's
    own choices for one copy. Values are escaped; a date is written as the field formats it.
    """

    def __init__(self, field: Field) -> None:
        self.field = field
        self.name = field.name
        self.text = str(field.label.text)  # the label, translated once
        self._stamps: dict = {}

    def __call__(self, id: str | None = None, value=None, choices=None, **attributes) -> Markup:
        chosen = None if choices is None else tuple((c.value, c.label) for c in choices)
        key = (id is None, chosen, *attributes.items())
        stamp = self._stamps.get(key)
        if stamp is None:
            stamp = self._stamps[key] = self._stamp(id is None, choices, attributes)
        html, options = stamp
        if isinstance(html, tuple):  # a checkbox: unchecked, checked
            html = html[bool(value)]
        if id is not None:
            html = html.replace(_ID, id)
        if options is None:
            return html.replace(_VALUE, self._text(value))
        selected = options.get(value)
        return html.replace(*selected, 1) if selected else html

    def label(self, id: str, **attributes) -> Markup:
        """The field's label for the copy with ``id``."""
        key = ("label", *attributes.items())
        html = self._stamps.get(key)
        if html is None:
            html = self._stamps[key] = self.field.label(for_=_ID, **attributes)
        return html.replace(_ID, id)

    def _stamp(self, without_id: bool, choices, attributes: dict):
        field, widget = self.field, self.field.widget
        attributes = {**attributes, "id": False if without_id else _ID}
        saved = field.data, getattr(field, "choices", None)
        try:
            if isinstance(widget, Select):
                if choices is not None:
                    field.choices = choices
                field.data = _NOTHING
                return field(**attributes), self._options(field)
            if isinstance(widget, CheckboxInput):
                field.data = False
                unchecked = field(**attributes)
                field.data = True
                return (unchecked, field(**attributes)), None
            if isinstance(widget, TextArea):
                field.data = _VALUE  # a textarea's value is its content
                return field(**attributes), None
            field.data = None
            return field(**{"value": _VALUE, **attributes}), None
        finally:
            field.data = saved[0]
            if saved[1] is not None:
                field.choices = saved[1]

    @staticmethod
    def _options(field) -> dict:
        """Each choice's option as rendered, and the same option selected, by its data."""
        render = field.widget.render_option
        options = {}
        for choice in field.iter_choices():
            plain = render(choice._replace(selected=False))
            options[field.coerce(choice.value)] = (plain, render(choice._replace(selected=True)))
        return options

    def _text(self, value) -> str:
        if value is None:
            return ""
        formats = getattr(self.field, "format", None)
        if formats and hasattr(value, "strftime"):
            return value.strftime(formats[0] if isinstance(formats, list) else formats)
        return str(value)
