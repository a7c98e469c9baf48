"""The period and thresholds of the demand clusters, read from the URL."""

from __future__ import annotations

from datetime import date, timedelta

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import NumberRange, Optional

from tracker.dashboard.clusters import Thresholds
from tracker.dashboard.periods import Period
from tracker.forms_support import DateField
from tracker.i18n import _, _l

PRESETS = (30, 90, 365)
DEFAULT_DAYS = 90
LONGEST = timedelta(days=3 * 366)


class ClusterForm(FlaskForm):
    class Meta:
        csrf = False

    days = HiddenField(default=str(DEFAULT_DAYS))
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
    companies = IntegerField(
        _l("At least … companies"), default=2, validators=[Optional(), NumberRange(1, 1000)]
    )
    networks = IntegerField(
        _l("At least … networks"), default=2, validators=[Optional(), NumberRange(1, 100)]
    )


def _preset(form: ClusterForm) -> int:
    return int(form.days.data) if form.days.data in {str(d) for d in PRESETS} else DEFAULT_DAYS


def _custom(form: ClusterForm, today: date) -> Period | None:
    first, last = form.date_from.data, form.date_to.data or today
    if first is None:
        if form.date_to.data:
            form.date_from.errors = [*form.date_from.errors, _("Please give the first day.")]
        return None
    if first > last:
        form.date_to.errors = [*form.date_to.errors, _("The last day lies before the first.")]
        return None
    if last - first > LONGEST:
        form.date_from.errors = [*form.date_from.errors, _("Please choose at most three years.")]
        return None
    return Period(first, last)


def read_settings(form: ClusterForm, today: date) -> tuple[Period, Thresholds, int | None]:
    """The chosen period (custom dates win over a preset), thresholds, and the preset in use."""
    form.validate()
    custom = None if form.date_from.errors or form.date_to.errors else _custom(form, today)
    days = None if custom else _preset(form)
    period = custom or Period.last_days(days, today)
    limits = Thresholds(
        companies=form.companies.data if not form.companies.errors and form.companies.data else 2,
        networks=form.networks.data if not form.networks.errors and form.networks.data else 2,
    )
    return period, limits, days
