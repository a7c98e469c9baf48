"""The form that makes a personal API token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length

from tracker.api.models import TokenScope
from tracker.api.tokens import LIFETIMES
from tracker.forms_support import options
from tracker.i18n import _l
from tracker.submissions.forms import submission_key_field


class TokenForm(FlaskForm):
    submission_key = submission_key_field()  # a resent form makes no second token
    name = StringField(
        _l("Name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("What the token is for, e.g. the tool that uses it."),
    )
    scope = SelectField(_l("May"), choices=options(TokenScope.choices()), default="read")
    days = SelectField(
        _l("Valid for"),
        coerce=int,
        default=90,
        choices=options((d, _l("%(num)d days", num=d)) for d in LIFETIMES),
    )
