"""Forms of the meeting mails: the distribution list of a series, answering by link."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker import limits
from tracker.forms_support import options
from tracker.i18n import _l

LANGUAGES = [("de", "Deutsch"), ("en", "English")]


class InformedRecipientForm(FlaskForm):
    name = StringField(_l("Name"), validators=[Optional(), Length(max=limits.NAME)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=limits.EMAIL)])
    locale = SelectField(_l("Language of the mails"), choices=options(LANGUAGES), default="de")


class ConfirmForm(FlaskForm):
    """A button and its CSRF token: sending the agenda, answering an attendance link."""


class DocumentMailForm(FlaskForm):
    """Sending the agenda or the minutes: which copy the recipients get."""

    # The service checks the value (tracker.meetings.mails.check_variant).
    variant = RadioField(
        _l("Copy"),
        choices=options(
            [
                ("internal", _l("Internal copy: each recipient sees what they may see")),
                ("distribution", _l("Distribution copy: no confidential item for anyone")),
            ]
        ),
        default="internal",
        validate_choice=False,
    )
