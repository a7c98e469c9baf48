"""The forms of the webhook pages: a new endpoint, and changing one."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length, Optional

from tracker.forms_support import VersionField, options
from tracker.i18n import _l
from tracker.items.forms import CheckboxListField
from tracker.submissions.forms import submission_key_field
from tracker.webhooks.models import DESCRIPTION_MAX, URL_MAX

EVENT_LABELS = {
    "item.created": _l("Item registered"),
    "item.changed": _l("Item changed"),
    "item.handed_off": _l("Item handed off"),
    "item.accepted": _l("Hand-off accepted"),
    "item.returned": _l("Hand-off returned"),
    "item.closed": _l("Item closed (done or declined)"),
    "meeting.closed": _l("Meeting closed"),
    "task.assigned": _l("Task assigned"),
    "webhook.test": _l("Test event"),
}


def _events_field():
    return CheckboxListField(
        _l("Events"),
        choices=options(
            (name, label) for name, label in EVENT_LABELS.items() if "test" not in name
        ),
    )


def _description_field():
    return StringField(
        _l("Description"),
        validators=[Optional(), Length(max=DESCRIPTION_MAX)],
        description=_l("Who receives it, what it is for."),
    )


class EndpointForm(FlaskForm):
    submission_key = submission_key_field()  # a resent form makes no second endpoint
    url = StringField(
        _l("URL"),
        validators=[DataRequired(), Length(max=URL_MAX)],
        description=_l("An https:// address on the internet (not this host, no private network)."),
    )
    description = _description_field()
    events = _events_field()


class EndpointEditForm(FlaskForm):
    version = VersionField()
    description = _description_field()
    events = _events_field()
    active = BooleanField(_l("Active: receives its events"))
