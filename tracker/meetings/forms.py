"""Forms of meetings: series, agenda editing, live mode, tasks."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional
from wtforms.widgets import HiddenInput

from tracker import limits
from tracker.form_copies import copies_of
from tracker.forms_support import (
    DateField,
    DateTimeLocalField,
    TimeZone,
    VersionField,
    int_or_none,
    options,
)
from tracker.i18n import _l
from tracker.items.models import ItemKind
from tracker.ranges import ID_MAX
from tracker.submissions.forms import submission_key_field

WEEKDAYS = [
    (0, _l("Monday")),
    (1, _l("Tuesday")),
    (2, _l("Wednesday")),
    (3, _l("Thursday")),
    (4, _l("Friday")),
    (5, _l("Saturday")),
    (6, _l("Sunday")),
]


class SeriesForm(FlaskForm):
    version = VersionField()
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=limits.NAME)])
    weekday = SelectField(_l("Weekday"), choices=options(WEEKDAYS), coerce=int, default=3)
    start_time = TimeField(_l("Start time"), validators=[DataRequired()])
    duration_minutes = IntegerField(
        _l("Duration (minutes)"),
        default=90,
        validators=[DataRequired(), NumberRange(min=15, max=600)],
    )
    timebox_minutes = IntegerField(
        _l("Minutes per network in the roll call"),
        default=3,
        validators=[Optional(), NumberRange(min=1, max=60)],
        filters=[lambda minutes: 3 if minutes is None else minutes],  # left empty: the default
        description=_l("The live page shows each network's running time; at the end it warns."),
    )
    timezone = StringField(
        _l("Time zone"),
        default="Europe/Berlin",
        validators=[DataRequired(), Length(max=60), TimeZone()],
    )
    video_link = StringField(
        _l("Video link"), validators=[Optional(), Length(max=limits.VIDEO_LINK)]
    )
    standing_topics_start = TextAreaField(
        _l("Standing topics at the start"),
        validators=[Optional(), Length(max=limits.STANDING_TOPICS)],
        description=_l("One topic per line."),
    )
    standing_topics_end = TextAreaField(
        _l("Standing topics at the end"),
        validators=[Optional(), Length(max=limits.STANDING_TOPICS)],
        description=_l("One topic per line."),
    )
    roll_call = TextAreaField(
        _l("Roll-call order"),
        description=_l(
            "Short names of the networks, one per line, in the order they are "
            "called. Empty: the networks' own order."
        ),
    )
    active = BooleanField(_l("Active"), default=True)


class MoveMeetingForm(FlaskForm):
    version = VersionField()
    starts_at = DateTimeLocalField(_l("New start (local time)"), validators=[DataRequired()])


class VersionForm(FlaskForm):
    """A button that changes a versioned record."""

    version = VersionField()


class FreeTopicForm(FlaskForm):
    title = StringField(_l("Free topic"), validators=[DataRequired(), Length(max=limits.TITLE)])


class AddItemForm(FlaskForm):
    reference = StringField(
        _l("Item by reference number"),
        validators=[DataRequired(), Length(max=12)],
        description=_l("For example 2026-0042."),
    )


class EntryForm(FlaskForm):
    version = VersionField()
    discussed = BooleanField(_l("Discussed"))
    decision = TextAreaField(_l("Decision"), validators=[Optional(), Length(max=limits.ENTRY_NOTE)])


class NoteForm(FlaskForm):
    """The viewer's own note on an entry; version 0: they had written none yet."""

    version = IntegerField(widget=HiddenInput(), validators=[Optional(), NumberRange(0, ID_MAX)])
    note = TextAreaField(_l("Your note"), validators=[Optional(), Length(max=limits.ENTRY_NOTE)])


class EntryItemForm(FlaskForm):
    version = VersionField()
    action = StringField(validators=[Optional(), Length(max=20)])
    note = StringField(_l("Reason or resolution"), validators=[Optional(), Length(max=limits.NOTE)])
    follow_up_date = DateField(_l("Follow-up date"), validators=[Optional()])
    responsible_network = SelectField(
        _l("Responsible network"), coerce=int_or_none, validators=[Optional()]
    )
    assignee = SelectField(_l("Assignee"), coerce=int_or_none, validators=[Optional()])


def assignee_choices(managers: Iterable) -> list[SelectChoice]:
    """The choices of an entry's assignee: nobody, then the managers of the item's network."""
    return options([(None, "—")] + [(user.id, user.name) for user in managers])


class TaskForm(FlaskForm):
    title = StringField(_l("Task"), validators=[DataRequired(), Length(max=limits.TITLE)])
    owner = SelectField(
        _l("Responsible person"),
        coerce=int_or_none,
        validators=[DataRequired(message=_l("Please choose a person."))],
    )
    due_date = DateField(_l("Due"), validators=[Optional()])


class TaskDueForm(FlaskForm):
    version = VersionField()
    due_date = DateField(_l("Due"), validators=[Optional()])


class QuickAddForm(FlaskForm):
    title = StringField(_l("New item"), validators=[DataRequired(), Length(max=limits.TITLE)])
    company_name = StringField(_l("Company"), validators=[DataRequired(), Length(max=limits.NAME)])
    kind = SelectField(
        _l("Kind"), choices=options(ItemKind.choices()), default=ItemKind.REQUEST.value
    )
    responsible_network = SelectField(
        _l("Responsible network"), coerce=int_or_none, validators=[Optional()]
    )
    reporting_network = SelectField(
        _l("Reporting network"), coerce=int_or_none, validators=[Optional()]
    )
    allow_duplicate = HiddenField(default="", validators=[Optional(), Length(max=1)])
    submission_key = submission_key_field()


def entry_forms(network_choices: list[SelectChoice]) -> SimpleNamespace:
    """The fields of a live agenda entry's forms, made once for all entries of one answer.

    Every entry renders these copies (tracker.form_copies) with its own ids and values: the
    names, labels, limits and choices are the ones the views validate with.
    """
    item = EntryItemForm(formdata=None, meta={"csrf": False})
    item.responsible_network.choices = network_choices
    task = TaskForm(formdata=None, meta={"csrf": False})
    return SimpleNamespace(
        outcome=copies_of(EntryForm(formdata=None, meta={"csrf": False})),
        note=copies_of(NoteForm(formdata=None, meta={"csrf": False})),
        item=copies_of(item),
        task=copies_of(task),
        assignees=assignee_choices,
        owner_prompt=options([(None, f"{task.owner.label.text}…")]),
    )
