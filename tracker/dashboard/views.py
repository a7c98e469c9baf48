"""The start page, the overview of figures and the demand clusters."""

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from tracker import caching, clock
from tracker.dashboard import presenters, services
from tracker.dashboard.clusters import topic_clusters
from tracker.dashboard.forms import PRESETS, ClusterForm, read_settings
from tracker.dashboard.overview import overview as overview_figures
from tracker.dashboard.word_clusters import WORDING_LIMIT, wording_clusters

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    """Show the user's items and tasks, hand-offs, overdue follow-ups and the next meeting."""
    today = clock.today()

    def render_lists() -> str:
        lists = services.start_page(current_user, today)
        return render_template(
            "dashboard/_start.html",
            today=today,
            labels=presenters.row_labels(),
            item_href=presenters.item_href_prefix(),
            **lists,
        )

    body = caching.fragment("start", (), render_lists)  # per viewer and day, as every fragment
    return render_template("dashboard/index.html", body=body)


@bp.get("/overview")
@login_required
def overview():
    """Show open items by network and status, their age, overdue items, weeks and topics."""
    today = clock.today()

    def render_figures() -> str:
        figures = overview_figures(today)
        return render_template(
            "dashboard/_overview.html",
            today=today,
            charts=presenters.overview_charts(figures),
            labels=presenters.row_labels(),
            register_url=presenters.register_url,
            network_args=presenters.network_args,
            week_label=presenters.week_label,
            **figures,
        )

    # The same for everyone: confidential items are counted, never shown.
    return render_template(
        "dashboard/overview.html",
        body=caching.fragment("overview", (), render_figures, per_viewer=False),
    )


@bp.get("/overview/clusters")
@login_required
def clusters():
    """Show topics and wording raised by several companies across several networks."""
    form = ClusterForm(request.args)
    period, limits, days = read_settings(form, clock.today())
    words, truncated = wording_clusters(period, limits, current_user)
    return render_template(
        "dashboard/clusters.html",
        form=form,
        period=period,
        limits=limits,
        days=days,
        presets=PRESETS,
        topics=topic_clusters(period, limits, current_user),
        words=words,
        truncated=truncated,
        wording_limit=WORDING_LIMIT,
        register_url=presenters.register_url,
    )
