"""Company and contact forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker.forms_support import VersionField
from tracker.i18n import _l


class CompanyForm(FlaskForm):
    version = VersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=10000)])


class ContactForm(FlaskForm):
    version = VersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    function = StringField(_l("Function"), validators=[Optional(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=60)])
