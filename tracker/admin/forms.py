"""Admin forms for networks, topics and the office's settings (user forms live in auth.forms)."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker import limits
from tracker.forms_support import VersionField
from tracker.i18n import _l


class NetworkForm(FlaskForm):
    version = VersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=limits.NAME)])
    short_name = StringField(
        _l("Short name"), validators=[DataRequired(), Length(max=limits.SHORT_NAME)]
    )
    description = TextAreaField(
        _l("Description"), validators=[Optional(), Length(max=limits.NETWORK_DESCRIPTION)]
    )
    website = StringField(_l("Website"), validators=[Optional(), Length(max=limits.WEBSITE)])
    aliases = TextAreaField(
        _l("Other names"),
        validators=[Optional(), Length(max=limits.NETWORK_DESCRIPTION)],
        description=_l("One a line, as people write the network: an import matches them."),
        render_kw={"rows": 3},
    )
    roll_call_position = IntegerField(
        _l("Position in the roll call"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=999)],
    )
    active = BooleanField(_l("Active"), default=True)


class TopicForm(FlaskForm):
    version = VersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=limits.TOPIC)])
    active = BooleanField(_l("Active"), default=True)


class FactorPolicyForm(FlaskForm):
    required_for_managers = BooleanField(
        _l("Network managers need a second factor"),
        description=_l(
            "Managers without an authenticator app or passkey set one up at their next login."
            " The coordination office always needs one."
        ),
    )
