"""Server-rendered SVG charts: data in, markup out; every bar is a link with its number.

The markup uses presentation attributes and classes only (the Content-Security-Policy
forbids inline styles). Each chart carries a <title> and <desc>; the pages add a table.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

WIDTH = 560
LABEL_WIDTH = 180
ROW = 28
BAR = 18
COLOURS = {"primary": "#1f4e79", "alert": "#b02a37", "new": "#1f4e79", "closed": "#146c43"}


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its figure, where it links, and a longer text for screen readers."""

    label: str
    value: int
    href: str | None
    description: str = ""
    tone: str = "primary"


def _shorten(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _open(chart_id: str, height: int, title: str, desc: str, css: str) -> Markup:
    return Markup(
        '<svg class="chart {css}" xmlns="http://www.w3.org/2000/svg" role="group" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title {id}-desc">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
    ).format(css=css, w=WIDTH, h=height, id=chart_id, title=title, desc=desc)


def _link_open(bar: Bar) -> Markup:
    aria = f"{bar.description or bar.label}: {bar.value}"
    if bar.href is None:
        return Markup('<g class="chart-nolink" role="group" aria-label="{}">').format(aria)
    return Markup('<a href="{}" class="chart-link" aria-label="{}">').format(bar.href, aria)


def _link_close(bar: Bar) -> Markup:
    return Markup("</g>") if bar.href is None else Markup("</a>")


def _summary(bars: list[Bar]) -> str:
    return "; ".join(f"{b.description or b.label}: {b.value}" for b in bars)


def hbar(chart_id: str, title: str, bars: list[Bar], empty: str = "–") -> Markup:
    """A horizontal bar chart: label left, bar, then the number; each row links."""
    height = max(len(bars), 1) * ROW + 8
    scale = (WIDTH - LABEL_WIDTH - 60) / max([b.value for b in bars] + [1])
    parts = [_open(chart_id, height, title, _summary(bars) or empty, "chart-hbar")]
    for index, bar in enumerate(bars):
        y = 4 + index * ROW
        length = max(round(bar.value * scale), 2 if bar.value else 0)
        parts.append(
            Markup(
                "{open}<title>{aria}</title>"
                '<rect class="chart-row" x="0" y="{y}" width="{w}" height="{row}" '
                'fill="transparent"/>'
                '<text class="chart-label" x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
                '<rect class="chart-bar chart-{tone}" x="{bx}" y="{by}" width="{len}" '
                'height="{bh}" fill="{fill}"/>'
                '<text class="chart-value" x="{vx}" y="{ty}">{value}</text>{close}'
            ).format(
                open=_link_open(bar),
                close=_link_close(bar),
                aria=f"{bar.description or bar.label}: {bar.value}",
                y=y,
                w=WIDTH,
                row=ROW,
                lx=LABEL_WIDTH - 8,
                ty=y + ROW / 2 + 5,
                label=_shorten(bar.label),
                tone=bar.tone,
                bx=LABEL_WIDTH,
                by=y + (ROW - BAR) / 2,
                len=length,
                bh=BAR,
                fill=COLOURS.get(bar.tone, COLOURS["primary"]),
                vx=LABEL_WIDTH + length + 6,
                value=bar.value,
            )
        )
    if not bars:
        parts.append(Markup('<text class="chart-label" x="8" y="22">{}</text>').format(empty))
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)


@dataclass(frozen=True)
class PairGroup:
    """One group of two columns (e.g. one week: new and closed)."""

    label: str
    first: Bar
    second: Bar
    marked: bool = False


def _hatch(chart_id: str) -> Markup:
    return Markup(
        '<defs><pattern id="{id}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#d1e7dd"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="{c}" stroke-width="3"/></pattern></defs>'
    ).format(id=chart_id, c=COLOURS["closed"])


def _legend(chart_id: str, first: str, second: str) -> Markup:
    return Markup(
        '<g class="chart-legend" aria-hidden="true">'
        '<rect x="8" y="6" width="14" height="14" fill="{c1}"/>'
        '<text class="chart-label" x="28" y="18">{first}</text>'
        '<rect x="{x2}" y="6" width="14" height="14" fill="url(#{id}-hatch)" stroke="{c2}"/>'
        '<text class="chart-label" x="{tx2}" y="18">{second}</text></g>'
    ).format(
        c1=COLOURS["new"],
        c2=COLOURS["closed"],
        id=chart_id,
        first=first,
        second=second,
        x2=150,
        tx2=170,
    )


def _column(bar: Bar, x: float, width: float, base: float, scale: float, fill: str) -> Markup:
    height = max(round(bar.value * scale), 1 if bar.value else 0)
    aria = f"{bar.description or bar.label}: {bar.value}"
    return Markup(
        "{open}<title>{aria}</title>"
        '<rect class="chart-hit" x="{x}" y="{top}" width="{w}" height="{full}" fill="transparent"/>'
        '<rect class="chart-bar" x="{x}" y="{y}" width="{w}" height="{h}" fill="{fill}"/>'
        '<text class="chart-value" x="{cx}" y="{ty}" text-anchor="middle">{value}</text>{close}'
    ).format(
        open=_link_open(bar),
        close=_link_close(bar),
        aria=aria,
        x=x,
        w=width,
        y=base - height,
        h=height,
        fill=fill,
        top=40,
        full=base - 40,
        cx=round(x + width / 2, 1),
        ty=base - height - 4,
        value=bar.value,
    )


def paired_columns(
    chart_id: str, title: str, groups: list[PairGroup], legend: tuple[str, str]
) -> Markup:
    """Columns in pairs per group (solid and hatched), with numbers on top and a legend."""
    height, base, left = 250, 210, 8
    slot = (WIDTH - left) / max(len(groups), 1)
    width = round(min(slot / 2 - 3, 22), 1)
    scale = (base - 58) / max(
        [g.first.value for g in groups] + [g.second.value for g in groups] + [1]
    )
    bars = [b for g in groups for b in (g.first, g.second)]
    parts = [
        _open(chart_id, height, title, _summary(bars), "chart-columns"),
        _hatch(chart_id),
        _legend(chart_id, *legend),
        Markup(
            '<line class="chart-axis" x1="0" y1="{b}" x2="{w}" y2="{b}" stroke="#6c757d"/>'
        ).format(b=base, w=WIDTH),
    ]
    for index, group in enumerate(groups):
        x = round(left + index * slot + (slot - 2 * width - 2) / 2, 1)
        parts.append(_column(group.first, x, width, base, scale, COLOURS["new"]))
        parts.append(
            _column(
                group.second, round(x + width + 2, 1), width, base, scale, f"url(#{chart_id}-hatch)"
            )
        )
        parts.append(
            Markup(
                '<text class="chart-tick{m}" x="{cx}" y="{y}" text-anchor="middle">{label}</text>'
            ).format(
                m=" chart-marked" if group.marked else "",
                cx=round(x + width + 1, 1),
                y=base + 18,
                label=group.label,
            )
        )
    parts.append(Markup("</svg>"))
    return Markup("").join(parts)
