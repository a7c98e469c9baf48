"""Turn the overview's figures into charts whose bars link to the filtered register list."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import g, url_for
from markupsafe import Markup

from tracker.dashboard import charts
from tracker.dashboard.overview import Bucket, NetworkRow
from tracker.dashboard.periods import Period
from tracker.i18n import _, format_date
from tracker.items.models import ItemKind, ItemStatus, Priority
from tracker.topics.models import Topic


@dataclass
class Chart:
    """An SVG chart and the same figures as a table (head and rows)."""

    title: str
    svg: Markup
    head: list[str]
    rows: list[list]


# The characters werkzeug's url_for leaves unquoted in a query string.
_QUERY_SAFE = "!$'()*,/:;?@"


def register_url(**args) -> str:
    """The register list filtered by ``args`` (empty values left out), as ``url_for`` builds
    it; the list's address is looked up once per request (the overview links ~200 figures)."""
    base = g.get("_register_base")
    if base is None:
        base = g._register_base = url_for("items.index")
    query = urlencode([(k, v) for k, v in args.items() if v not in (None, "")], safe=_QUERY_SAFE)
    return f"{base}?{query}" if query else base


def row_labels() -> dict:
    """The texts of the start page's item rows, translated once per page, not once per row."""
    labels: dict = {m: m.label for enum in (ItemKind, ItemStatus, Priority) for m in enum}
    labels |= {
        "confidential": _("Confidential"),
        "undecided": _("not yet decided"),
        "overdue": _("overdue"),
    }
    return labels


def item_href_prefix() -> str:
    """An item's address without its id (``/items/``): built once, not once per row."""
    sample = url_for("items.detail", item_id=0)
    if not sample.endswith("/0"):  # the route's shape changed: fail loudly, not silently
        raise RuntimeError(f"unexpected item address {sample}")
    return sample[:-1]


def network_args(row: NetworkRow) -> dict | None:
    """Register arguments for a network row; None when the list cannot filter it."""
    if row.network is None or not row.network.active:
        return None
    return {"responsible": row.network.id}


def network_name(row: NetworkRow) -> str:
    return row.network.short_name if row.network else _("not yet decided")


def _age_labels() -> dict[str, str]:
    return {
        "0-7": _("0–7 days"),
        "8-30": _("8–30 days"),
        "31-90": _("31–90 days"),
        "90+": _("over 90 days"),
    }


def age_chart(buckets: list[Bucket]) -> Chart:
    labels = _age_labels()
    bars = [
        charts.Bar(
            labels[b.label],
            b.value,
            register_url(**b.args, sort="created", direction="asc"),
            _("Open items, %(age)s old", age=labels[b.label]),
            tone="alert" if b.label == "90+" else "primary",
        )
        for b in buckets
    ]
    title = _("Open items by age (days since registration)")
    return Chart(
        title,
        charts.hbar("chart-age", title, bars),
        [_("Days since registration"), _("Open items")],
        [[bar.label, bar.value] for bar in bars],
    )


def overdue_chart(rows: list[NetworkRow]) -> Chart:
    bars = []
    for row in sorted((r for r in rows if r.overdue), key=lambda r: -r.overdue):
        args = network_args(row)
        name = network_name(row)
        bars.append(
            charts.Bar(
                name,
                row.overdue,
                register_url(**args, overdue="1") if args else None,
                _("Overdue at %(network)s", network=name),
                tone="alert",
            )
        )
    title = _("Overdue follow-ups by responsible network")
    return Chart(
        title,
        charts.hbar("chart-overdue", title, bars, _("Nothing overdue.")),
        [_("Network"), _("Overdue")],
        [[bar.label, bar.value] for bar in bars],
    )


def week_label(week: Period) -> str:
    return _("W%(num)d", num=week.first.isocalendar().week)


def week_range(week: Period) -> str:
    return f"{format_date(week.first, 'short')} – {format_date(week.last, 'short')}"


def new_url(week: Period) -> str:
    return register_url(status="all", sort="created", **week.created_args())


def closed_url(week: Period) -> str:
    return register_url(status="closed", **week.closed_args())


def weekly_chart(rows: list[dict]) -> Chart:
    groups, table = [], []
    for row in rows:
        week = row["week"]
        label = week_label(week) + ("*" if row["current"] else "")
        span = week_range(week)
        groups.append(
            charts.PairGroup(
                label,
                charts.Bar(label, row["new"], new_url(week), _("New %(span)s", span=span)),
                charts.Bar(label, row["closed"], closed_url(week), _("Closed %(span)s", span=span)),
                marked=row["current"],
            )
        )
        table.append([label, span, row["new"], row["closed"]])
    title = _("New and closed items per calendar week")
    return Chart(
        title,
        charts.paired_columns("chart-weeks", title, groups, (_("new"), _("closed"))),
        [_("Week"), _("Days"), _("New"), _("Closed")],
        table,
    )


def topics_chart(chart_id: str, title: str, topics: list[tuple[Topic, int]], **args) -> Chart:
    bars = [
        charts.Bar(topic.name, count, register_url(topic=topic.id, **args), topic.name)
        for topic, count in topics
    ]
    return Chart(
        title,
        charts.hbar(chart_id, title, bars, _("No topics yet.")),
        [_("Topic"), _("Items")],
        [[bar.label, bar.value] for bar in bars],
    )


def overview_charts(figures: dict) -> dict[str, Chart]:
    """Every chart of the overview page."""
    recent: Period = figures["recent"]
    return {
        "age": age_chart(figures["ages"]),
        "overdue": overdue_chart(figures["network_rows"]),
        "weeks": weekly_chart(figures["weeks"]),
        "topics_open": topics_chart(
            "chart-topics-open",
            _("Top topics of open items"),
            figures["topics_open"],
            status="open",
        ),
        "topics_recent": topics_chart(
            "chart-topics-recent",
            _("Top topics of the last 90 days"),
            figures["topics_recent"],
            status="all",
            **recent.created_args(),
        ),
    }
