"""Forms of the register: create/edit an item, filter the list, act on an item."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Length, Optional

from tracker import limits
from tracker.forms_support import DateField, VersionField, int_or_none, options
from tracker.i18n import _l
from tracker.items.models import ItemKind, ItemSource, ItemStatus, Priority
from tracker.submissions.forms import submission_key_field


class CheckboxListField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ItemForm(FlaskForm):
    version = VersionField()
    submission_key = submission_key_field()
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=limits.TITLE)])
    kind = SelectField(
        _l("Kind"), choices=options(ItemKind.choices()), default=ItemKind.REQUEST.value
    )
    company_name = StringField(
        _l("Company"),
        validators=[DataRequired(), Length(max=limits.NAME)],
        description=_l("Pick a known company or type a new name."),
    )
    contact_name = StringField(
        _l("Contact person"), validators=[Optional(), Length(max=limits.NAME)]
    )
    topics = CheckboxListField(_l("Topics"), coerce=int)
    responsible_network = SelectField(_l("Responsible network"), coerce=int_or_none)
    reporting_network = SelectField(_l("Reporting network"), coerce=int_or_none)
    assignee = SelectField(_l("Assignee"), coerce=int_or_none)
    follow_up_date = DateField(
        _l("Follow-up date"),
        validators=[Optional()],
        description=_l("Left empty: in two weeks."),
    )
    priority = SelectField(
        _l("Priority"), choices=options(Priority.choices()), default=Priority.NORMAL.value
    )
    source = SelectField(
        _l("Source"), choices=options(ItemSource.choices()), default=ItemSource.MEETING.value
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Optional(), Length(max=limits.DESCRIPTION)],
        description=_l("Markdown is allowed."),
    )
    confidential = BooleanField(
        _l("Confidential"),
        description=_l("Only the reporting and the responsible network see the content."),
    )
    for_next_meeting = BooleanField(_l("Put on the next meeting's agenda"))


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=limits.COMMENT)])


class ActionForm(FlaskForm):
    version = VersionField()
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=limits.NOTE)])
    follow_up_date = DateField(_l("Follow-up date"), validators=[Optional()])


class HandOffForm(FlaskForm):
    version = VersionField()
    network = SelectField(
        _l("Hand off to"),
        coerce=int_or_none,
        validators=[DataRequired(message=_l("Please choose a network."))],
    )
    note = TextAreaField(
        _l("Note for the network"), validators=[Optional(), Length(max=limits.NOTE)]
    )


def status_filter_choices() -> list:
    """Choices of the status filter: groups first, then each status."""
    return options(
        [("open", _l("Open")), ("closed", _l("Closed")), ("all", _l("All")), *ItemStatus.choices()]
    )


class ItemFilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Text"), validators=[Optional(), Length(max=limits.SEARCH)])
    kind = SelectField(_l("Kind"), validators=[Optional()])
    status = SelectField(_l("Status"), validators=[Optional()])
    responsible = SelectField(
        _l("Responsible network"), coerce=int_or_none, validators=[Optional()]
    )
    reporting = SelectField(_l("Reporting network"), coerce=int_or_none, validators=[Optional()])
    assignee = SelectField(_l("Assignee"), coerce=int_or_none, validators=[Optional()])
    topic = SelectField(_l("Topic"), coerce=int_or_none, validators=[Optional()])
    priority = SelectField(_l("Priority"), validators=[Optional()])
    origin = SelectField(_l("Origin"), validators=[Optional()])
    company = HiddenField()
    overdue = BooleanField(_l("Overdue only"))
    sort = HiddenField(default="reference")
    direction = HiddenField(default="desc")
