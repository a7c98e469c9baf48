"""Saved views of the register list: a user's named filters, their own or shared with all."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from tracker.auth.models import User
from tracker.db import db
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.items.models import SavedView

# The register filter's parameters: a saved view keeps these and nothing else.
FILTER_KEYS = (
    *("q", "status", "kind", "responsible", "reporting", "assignee", "topic", "priority"),
    *("company", "overdue", "sort", "direction"),
)
VIEW_NAME_MAX = 120


def clean_query(query: str) -> str:
    """Keep the filter's parameters only, once each, non-empty: nothing else is stored."""
    values: dict[str, str] = {}
    for key, value in parse_qsl(query or "", keep_blank_values=False):
        if key in FILTER_KEYS and key not in values and value.strip():
            values[key] = value.strip()[:200]
    return urlencode([(key, values[key]) for key in FILTER_KEYS if key in values])


def visible_views(user: User) -> list[SavedView]:
    """The user's own views, then everyone's shared ones, each by name."""
    views = db.session.scalars(
        select(SavedView)
        .options(joinedload(SavedView.owner))
        .where(or_(SavedView.owner_id == user.id, SavedView.shared))
    )
    # Sorted here: SQLite's lower() leaves umlauts alone.
    return sorted(views, key=lambda v: (v.owner_id != user.id, v.name.casefold(), v.id))


def find_view(view_id: int, user: User) -> SavedView | None:
    """The view if ``user`` may open it (their own or a shared one), else None."""
    view = db.session.get(SavedView, view_id)
    if view is None or (view.owner_id != user.id and not view.shared):
        return None
    return view


def save_view(*, owner: User, name: str, query: str, shared: bool) -> SavedView:
    """Save the filter under ``name``; saving again under an own view's name replaces it."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationFailed(_("Please give the view a name."), field="name")
    if len(name) > VIEW_NAME_MAX:
        raise ValidationFailed(_("At most %(num)d characters.", num=VIEW_NAME_MAX), field="name")
    if shared and owner.is_observer:
        raise PermissionDenied(_("Observers cannot share views."))
    own = db.session.scalars(select(SavedView).where(SavedView.owner_id == owner.id))
    view = next((v for v in own if v.name.casefold() == name.casefold()), None)
    view = view or SavedView(owner=owner)
    view.name, view.query, view.shared = name, clean_query(query), shared
    db.session.add(view)
    db.session.flush()
    return view


def delete_view(view: SavedView, *, actor: User) -> None:
    """Delete a saved view; only its owner may."""
    if view.owner_id != actor.id:
        raise PermissionDenied(_("You can delete only your own views."))
    db.session.delete(view)
    db.session.flush()
