"""Forms of the reports area: saving a register view, picking a network (or all) and a quarter."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from tracker.auth.models import User
from tracker.forms_support import int_or_none, options
from tracker.i18n import _, _l
from tracker.items.saved_views import VIEW_NAME_MAX
from tracker.networks.services import all_networks
from tracker.reports.figures import Quarter, last_complete_quarter, recent_quarters


class SavedViewForm(FlaskForm):
    name = StringField(
        _l("Name of the view"),
        validators=[
            DataRequired(message=_l("Please give the view a name.")),
            Length(max=VIEW_NAME_MAX),
        ],
    )
    shared = BooleanField(
        _l("Share with everyone"),
        description=_l("Everyone sees shared views on the register page; only you can delete it."),
    )
    query = HiddenField()


ALL_NETWORKS = "all"


def network_choice(value) -> int | str | None:
    """A network's id, or ``ALL_NETWORKS`` for the whole initiative."""
    return ALL_NETWORKS if value == ALL_NETWORKS else int_or_none(value)


class ReportForm(FlaskForm):
    class Meta:
        csrf = False

    network = SelectField(_l("Network"), coerce=network_choice)
    quarter = SelectField(_l("Quarter"))
    without_imported = BooleanField(_l("Leave out imported items"))


def quarter_label(quarter: Quarter, today: date) -> str:
    label = _("Q%(num)d %(year)d", num=quarter.number, year=quarter.year)
    return label if quarter.last_day < today else _("%(label)s (running)", label=label)


def report_form(args, user: User, today: date) -> ReportForm:
    """The report picker, read from the URL; by default the last quarter, and the user's network
    or, for users without one (the coordination office, observers), all networks."""
    networks = all_networks()
    default_network = user.network_id or ALL_NETWORKS
    form = ReportForm(args, network=default_network, quarter=str(last_complete_quarter(today)))
    form.network.choices = options(
        [
            (ALL_NETWORKS, _("All networks (the whole initiative)")),
            *((n.id, f"{n.short_name} – {n.name}") for n in networks),
        ]
    )
    form.quarter.choices = options(
        (str(q), quarter_label(q, today)) for q in recent_quarters(today)
    )
    return form
