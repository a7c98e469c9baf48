"""The start page."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from tracker.dashboard import services
from tracker.items.services import today_local

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def index():
    """Show the user's items, hand-offs waiting for acceptance and overdue follow-ups."""
    today = today_local()
    return render_template(
        "dashboard/index.html", today=today, **services.start_page(current_user, today)
    )
