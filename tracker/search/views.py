"""Routes of the full-text search."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from tracker.search import services

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("/")
@login_required
def index():
    """Show ranked, highlighted hits in items, activity and companies, one kind per tab."""
    text = request.args.get("q", "").strip()[:200]
    results = services.search(
        current_user,
        text,
        kind=request.args.get("kind", ""),
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["ITEMS_PER_PAGE"],
    )
    return render_template(
        "search/index.html", results=results, kinds=services.KINDS, cap=services.COUNT_CAP
    )
