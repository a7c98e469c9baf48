"""The overview's figures and the funder report's, computed as their pages compute them.

``GET /figures/overview`` gives what the overview page draws (tracker.dashboard.overview):
the same for everyone, confidential items counted and never named. ``GET /figures/report``
gives the quarterly report of one network or of the whole initiative
(tracker.reports.figures): the figures, and the items behind them, a confidential item the
token's owner may not see as "Confidential item" with no company, as in the report's files.
"""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from tracker import clock
from tracker.api import PREFIX
from tracker.api.fields import ApiSchema, field_problem
from tracker.api.items import NamedSchema, NetworkRefSchema
from tracker.dashboard.overview import overview
from tracker.db import db
from tracker.i18n import _
from tracker.items.models import ItemKind, ItemStatus
from tracker.networks.models import Network
from tracker.ranges import ID_MAX
from tracker.reports import figures
from tracker.reports.forms import ALL_NETWORKS

bp = Blueprint(
    "api_figures", __name__, url_prefix=f"{PREFIX}/figures", description="Overview and report"
)


class NetworkOpenSchema(ma.Schema):
    network = ma.fields.Nested(
        NetworkRefSchema,
        allow_none=True,
        required=True,
        metadata={"description": "null: no responsible network decided yet"},
    )
    by_status = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(), required=True)
    overdue = ma.fields.Integer(required=True)
    open = ma.fields.Integer(attribute="total", required=True)


class AgeSchema(ma.Schema):
    days = ma.fields.String(attribute="label", required=True, metadata={"example": "8-30"})
    open = ma.fields.Integer(attribute="value", required=True)


class WeekSchema(ma.Schema):
    first_day = ma.fields.Date(required=True)
    last_day = ma.fields.Date(required=True)
    new = ma.fields.Integer(required=True)
    closed = ma.fields.Integer(required=True)
    current = ma.fields.Boolean(required=True)


class TopicCountSchema(ma.Schema):
    topic = ma.fields.Nested(NamedSchema, required=True)
    items = ma.fields.Integer(required=True)


class OverviewSchema(ma.Schema):
    today = ma.fields.Date(required=True)
    networks = ma.fields.List(ma.fields.Nested(NetworkOpenSchema), required=True)
    ages = ma.fields.List(ma.fields.Nested(AgeSchema), required=True)
    weeks = ma.fields.List(ma.fields.Nested(WeekSchema), required=True)
    topics_open = ma.fields.List(ma.fields.Nested(TopicCountSchema), required=True)
    topics_recent = ma.fields.List(ma.fields.Nested(TopicCountSchema), required=True)
    recent_from = ma.fields.Date(required=True)
    recent_to = ma.fields.Date(required=True)


def _topics(rows) -> list[dict]:
    return [{"topic": topic, "items": n} for topic, n in rows]


@bp.route("/overview")
@bp.response(200, OverviewSchema, description="The overview page's figures")
def overview_figures():
    """Open items per network and status, their age, 12 weeks of new and closed, topics."""
    today = clock.today()
    shown = overview(today)
    networks = [
        {
            "network": row.network,
            "by_status": {s.value: row.by_status.get(s, 0) for s in shown["statuses"]},
            "overdue": row.overdue,
            "total": row.total,
        }
        for row in shown["network_rows"]
    ]
    weeks = [
        {"first_day": w["week"].first, "last_day": w["week"].last, **w} for w in shown["weeks"]
    ]
    return {
        "today": today,
        "networks": networks,
        "ages": shown["ages"],
        "weeks": weeks,
        "topics_open": _topics(shown["topics_open"]),
        "topics_recent": _topics(shown["topics_recent"]),
        "recent_from": shown["recent"].first,
        "recent_to": shown["recent"].last,
    }


class ReportQuerySchema(ApiSchema):
    network = ma.fields.String(
        load_default=None,
        validate=ma.validate.Regexp(r"^(all|[1-9][0-9]{0,9})$"),
        metadata={
            "description": "A network's id or `all`; by default the owner's network, "
            "or all for those without one"
        },
    )
    quarter = ma.fields.String(
        load_default=None,
        validate=ma.validate.Regexp(figures.QUARTER_PATTERN.pattern),
        metadata={"description": "As 2026-Q3; by default the last complete quarter"},
    )
    without_imported = ma.fields.Boolean(
        load_default=False, metadata={"description": "Leave out items imported from a file"}
    )


class TallySchema(ma.Schema):
    label = ma.fields.String(required=True)
    received = ma.fields.Integer(required=True)
    closed = ma.fields.Integer(required=True)


class FiguresSchema(ma.Schema):
    network = ma.fields.Nested(NetworkRefSchema, allow_none=True, required=True)
    received = ma.fields.Integer(required=True)
    accepted = ma.fields.Integer(required=True)
    closed = ma.fields.Integer(required=True)
    handed_off = ma.fields.Integer(required=True)
    handed_off_share = ma.fields.Float(allow_none=True, required=True)
    median_days_to_acceptance = ma.fields.Float(allow_none=True, required=True)
    median_days_to_closing = ma.fields.Float(allow_none=True, required=True)
    by_kind = ma.fields.List(ma.fields.Nested(TallySchema), required=True)
    by_topic = ma.fields.List(ma.fields.Nested(TallySchema), required=True)


class ReportItemSchema(ma.Schema):
    reference = ma.fields.String(required=True)
    title = ma.fields.String(required=True)
    hidden = ma.fields.Boolean(required=True)
    company = ma.fields.String(allow_none=True, required=True)
    kind = ma.fields.Enum(ItemKind, by_value=True, required=True)
    status = ma.fields.Enum(ItemStatus, by_value=True, required=True)
    topics = ma.fields.List(ma.fields.String(), required=True)
    received = ma.fields.Boolean(required=True)
    handed_off = ma.fields.Boolean(required=True)
    accepted = ma.fields.Boolean(required=True)
    closed = ma.fields.Boolean(required=True)
    days_to_acceptance = ma.fields.Float(allow_none=True, required=True)
    days_to_closing = ma.fields.Float(allow_none=True, required=True)


class ReportSchema(FiguresSchema):
    quarter = ma.fields.String(required=True, metadata={"example": "2026-Q3"})
    first_day = ma.fields.Date(required=True)
    last_day = ma.fields.Date(required=True)
    without_imported = ma.fields.Boolean(required=True)
    items = ma.fields.List(ma.fields.Nested(ReportItemSchema), required=True)
    networks = ma.fields.List(
        ma.fields.Nested(FiguresSchema),
        allow_none=True,
        required=True,
        metadata={"description": "For all networks: each network's figures, side by side"},
    )


def _figures(report: figures.NetworkReport) -> dict:
    names = ("network", "received", "accepted", "closed", "handed_off", "handed_off_share")
    shown = {name: getattr(report, name) for name in names}
    shown.update(
        median_days_to_acceptance=report.median_days_to_acceptance,
        median_days_to_closing=report.median_days_to_closing,
        by_kind=report.by_kind,
        by_topic=report.by_topic,
    )
    return shown


def _item(row: figures.ReportItem) -> dict:
    item = row.item
    flags = ("topics", "received", "handed_off", "accepted", "closed")
    return {
        "reference": item.reference,
        "title": item.title if row.visible else _("Confidential item"),
        "hidden": not row.visible,
        "company": item.company.name if row.visible else None,
        "kind": item.kind,
        "status": item.status,
        **{flag: getattr(row, flag) for flag in flags},
        "days_to_acceptance": row.days_to_acceptance,
        "days_to_closing": row.days_to_closing,
    }


@bp.route("/report")
@bp.arguments(ReportQuerySchema, location="query", as_kwargs=True)
@bp.response(200, ReportSchema, description="The quarterly report's figures and items")
def report_figures(network: str | None, quarter: str | None, without_imported: bool):
    """The funders' figures of a quarter, for one network or all, as the report page has them."""
    today = clock.today()
    period = figures.Quarter.parse(quarter) if quarter else figures.last_complete_quarter(today)
    if period is None:
        return field_problem("quarter", _("This quarter is outside the register's years."))
    choice = network or (current_user.network_id or ALL_NETWORKS)
    no_topic = _("(no topic)")
    side_by_side = None
    if choice == ALL_NETWORKS:
        initiative = figures.initiative_report(
            period, current_user, no_topic, without_imported=without_imported
        )
        report = initiative.total
        side_by_side = [_figures(r) for r in initiative.networks]
    else:
        chosen = db.session.get(Network, int(choice)) if int(choice) <= ID_MAX else None
        if chosen is None:
            return field_problem("network", _("This network does not exist."))
        report = figures.network_report(
            chosen, period, current_user, no_topic, without_imported=without_imported
        )
    return {
        **_figures(report),
        "quarter": str(period),
        "first_day": period.first_day,
        "last_day": period.last_day,
        "without_imported": without_imported,
        "items": [_item(row) for row in report.items],
        "networks": side_by_side,
    }
