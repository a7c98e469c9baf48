"""Company and contact forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional

from tracker import limits
from tracker.forms_support import VersionField
from tracker.i18n import _l


class CompanyForm(FlaskForm):
    version = VersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=limits.NAME)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=limits.CITY)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=limits.WEBSITE)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=limits.COMPANY_NOTES)])


class ContactForm(FlaskForm):
    version = VersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=limits.NAME)])
    function = StringField(_l("Function"), validators=[Optional(), Length(max=limits.FUNCTION)])
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=limits.EMAIL)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=limits.PHONE)])
