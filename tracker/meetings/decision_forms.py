"""The filters of the decisions page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from tracker import limits
from tracker.forms_support import DateField, int_or_none
from tracker.i18n import _l


class DecisionFilterForm(FlaskForm):
    """The filters of the decisions page, sent as query arguments."""

    class Meta:
        csrf = False

    q = StringField(_l("Text"), validators=[Optional(), Length(max=limits.SEARCH)])
    company = StringField(_l("Company"), validators=[Optional(), Length(max=limits.NAME)])
    network = SelectField(_l("Network"), coerce=int_or_none, validators=[Optional()])
    topic = SelectField(_l("Topic"), coerce=int_or_none, validators=[Optional()])
    since = DateField(_l("From"), validators=[Optional()])
    until = DateField(_l("To"), validators=[Optional()])
