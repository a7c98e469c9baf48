"""Admin forms for networks and topics (user forms live in auth.forms)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.forms_support import VersionField
from tracker.i18n import _l


class NetworkForm(FlaskForm):
    version = VersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    short_name = StringField(_l("Short name"), validators=[DataRequired(), Length(max=40)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    roll_call_position = IntegerField(
        _l("Position in the roll call"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=999)],
    )
    active = BooleanField(_l("Active"), default=True)


class TopicForm(FlaskForm):
    version = VersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    active = BooleanField(_l("Active"), default=True)
