"""Routes of the full-text search."""

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from tracker import caching, limits
from tracker.forms_support import int_arg
from tracker.search import services

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("/")
@login_required
def index():
    """Show ranked, highlighted hits in items, activity and companies, one kind per tab."""
    # Longer text is refused by the query (with a message); this only bounds the cache key.
    text = request.args.get("q", "").strip()[: 2 * limits.SEARCH]
    kind = request.args.get("kind", "")
    number = int_arg("page", 1)

    def render_results() -> str:
        results = services.search(
            current_user,
            text,
            kind=kind,
            page=number,
            per_page=current_app.config["ITEMS_PER_PAGE"],
        )
        return render_template(
            "search/_results.html",
            results=results,
            kinds=services.KINDS,
            cap=services.COUNT_CAP,
            search_limit=limits.SEARCH,
        )

    # Hits depend on what the viewer may see: one entry per query (and, as for every
    # fragment, per viewer and day).
    body = caching.fragment("search", (text, kind, number), render_results)
    return render_template("search/index.html", body=body, text=text)
