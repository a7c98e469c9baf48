"""The form of a bulk change in the register."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from tracker import limits
from tracker.forms_support import DateField, int_or_none
from tracker.i18n import _l
from tracker.submissions.forms import submission_key_field

QUERY_LENGTH = 2000  # the register's query string the change was chosen on


class BulkForm(FlaskForm):
    """One change for the items ticked in the list (``items``: "id:version"), or for all."""

    change = SelectField(_l("Change"), validators=[Optional()])
    action = SelectField(_l("New status"), validators=[Optional()])
    network = SelectField(_l("Network"), coerce=int_or_none, validators=[Optional()])
    assignee = SelectField(_l("Assignee"), coerce=int_or_none, validators=[Optional()])
    follow_up_date = DateField(_l("Follow-up date"), validators=[Optional()])
    topic = SelectField(_l("Topic"), coerce=int_or_none, validators=[Optional()])
    note = TextAreaField(_l("Note or reason"), validators=[Optional(), Length(max=limits.NOTE)])
    all_filtered = BooleanField(_l("All items of the filtered list"))
    query = HiddenField(validators=[Optional(), Length(max=QUERY_LENGTH)])
    submission_key = submission_key_field()
