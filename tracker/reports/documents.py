"""A computed report (one network's or the initiative's) in the reader's language, ready for
the page and the XLSX and DOCX files."""

from __future__ import annotations

from datetime import date

from babel.numbers import format_percent
from flask import current_app
from flask_babel import format_decimal

from tracker.i18n import _, format_date, get_locale
from tracker.reports.figures import InitiativeReport, NetworkReport, ReportItem
from tracker.reports.register import local_zone
from tracker.reports.report_files import Breakdown, Figure, NetworkTable, ReportDocument

DASH = "–"


def _days_text(value: float | None) -> str:
    return format_decimal(value, format="#,##0.0") if value is not None else DASH


def _share_text(value: float | None) -> str:
    """A share as the locale writes percentages, with at most one decimal."""
    if value is None:
        return DASH
    return format_percent(round(value, 3), locale=get_locale(), decimal_quantization=False)


def _count(label: str, value: int) -> Figure:
    return Figure(label, value, str(value))


def _days(label: str, value: float | None) -> Figure:
    return Figure(label, value, _days_text(value), "0.0")


def _summary_labels(initiative: bool) -> list[str]:
    counts = (
        [
            _("Items received (all networks)"),
            _("Items closed (by their responsible network)"),
            _("Items accepted (by their responsible network)"),
            _("Received items handed to another network"),
            _("Share of received items handed to another network"),
        ]
        if initiative
        else [
            _("Items received (reported by the network)"),
            _("Items closed (network responsible)"),
            _("Items accepted (network responsible)"),
            _("Received items handed to other networks"),
            _("Share of received items handed to other networks"),
        ]
    )
    return [
        *counts,
        _("Median days from creation to acceptance"),
        _("Median days from creation to closing"),
    ]


def _figures(report: NetworkReport, labels: list[str]) -> list[Figure]:
    share = report.handed_off_share
    received, closed, accepted, handed_off, share_label, to_acceptance, to_closing = labels
    return [
        _count(received, report.received),
        _count(closed, report.closed),
        _count(accepted, report.accepted),
        _count(handed_off, report.handed_off),
        Figure(share_label, share, _share_text(share), "0.0%"),
        _days(to_acceptance, report.median_days_to_acceptance),
        _days(to_closing, report.median_days_to_closing),
    ]


def summary(report: NetworkReport) -> list[Figure]:
    """The headline figures with their labels, in the order funders read them."""
    return _figures(report, _summary_labels(report.network is None))


def network_table(initiative: InitiativeReport) -> NetworkTable:
    """The networks side by side: one row each, the summary's figures as columns, a total."""
    headers = [
        _("Received"),
        _("Closed"),
        _("Accepted"),
        _("Handed off"),
        _("Share handed off"),
        _("Median days to acceptance"),
        _("Median days to closing"),
    ]
    return NetworkTable(
        heading=_("Networks side by side"),
        headers=[_("Network"), *headers],
        rows=[
            (r.network.short_name, r.network.name, _figures(r, headers))
            for r in initiative.networks
        ],
        total=(_("Total"), "", _figures(initiative.total, headers)),
    )


def item_headers() -> list[str]:
    return [
        _("Reference"),
        _("Title"),
        _("Company"),
        _("Kind"),
        _("Topics"),
        _("Status"),
        _("Reporting network"),
        _("Responsible network"),
        _("Created"),
        _("Accepted"),
        _("Closed"),
        _("Days to acceptance"),
        _("Days to closing"),
        _("Counted as"),
    ]


def counted_as(row: ReportItem) -> str:
    flags = [
        (row.received, _("received")),
        (row.handed_off, _("handed off")),
        (row.accepted, _("accepted")),
        (row.closed, _("closed")),
    ]
    return ", ".join(label for flag, label in flags if flag)


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def item_row(row: ReportItem) -> list:
    """One item behind the figures; a confidential one the reader may not see shows no content."""
    item, zone = row.item, local_zone()

    def day(value):
        return value.astimezone(zone).date() if value else None

    return [
        item.reference,
        item.title if row.visible else _("Confidential item"),
        item.company.name if row.visible else "",
        item.kind.label,
        ", ".join(row.topics),
        item.status.label,
        item.reporting_network.short_name,
        item.responsible_network.short_name if item.responsible_network else "",
        day(item.created_at),
        day(item.accepted_at),
        day(item.closed_at),
        _round(row.days_to_acceptance),
        _round(row.days_to_closing),
        counted_as(row),
    ]


def period_text(report: NetworkReport) -> str:
    quarter = report.quarter
    return _(
        "Period: Q%(num)d %(year)d (%(start)s – %(end)s)",
        num=quarter.number,
        year=quarter.year,
        start=format_date(quarter.first_day, "medium"),
        end=format_date(quarter.last_day, "medium"),
    )


def breakdowns(report: NetworkReport) -> list[Breakdown]:
    """Received and closed by kind and by topic, with their headings and column titles."""
    counts = [_("Received"), _("Closed")]
    return [
        Breakdown(
            _("By kind"),
            [_("Kind"), *counts],
            [(b.label, b.received, b.closed) for b in report.by_kind],
        ),
        Breakdown(
            _("By topic"),
            [_("Topic"), *counts],
            [(b.label, b.received, b.closed) for b in report.by_topic],
        ),
    ]


def report_document(report: NetworkReport, today: date) -> ReportDocument:
    """Everything the report files show, translated and formatted."""
    name = report.network.name if report.network else _("all networks")
    return ReportDocument(
        title=_("Report for funders: %(network)s", network=name),
        period=period_text(report),
        generated=_("Generated on %(date)s", date=format_date(today, "medium")),
        note=_(
            "Confidential items count in the figures; their content is listed only for those "
            "who may see it."
        )
        + (
            " " + _("Items imported from a register's file are left out.")
            if report.without_imported
            else ""
        ),
        figures_sheet=_("Figures"),
        items_sheet=_("Items"),
        summary_heading=_("Summary"),
        items_heading=_("Items behind the figures"),
        locale=str(get_locale()),
        author=current_app.config["ORGANISATION_NAME"],
        summary=summary(report),
        breakdowns=breakdowns(report),
        item_headers=item_headers(),
        item_rows=[item_row(row) for row in report.items],
        docx_item_columns=(0, 1, 3, 5, 8, 13),
    )


def initiative_document(initiative: InitiativeReport, today: date) -> ReportDocument:
    """The initiative's report files: its figures, the networks side by side, the items."""
    doc = report_document(initiative.total, today)
    doc.networks = network_table(initiative)
    doc.networks_sheet = _("Networks")
    return doc
