"""People of the register, limited: name, network and role, an e-mail address only where a
page shows it to the token's owner.

Everyone logged in sees who takes part (the live page offers every active person as a
task's owner); the coordination office's user list shows everyone, deactivated people
too, with their addresses. A network's page shows its active managers' addresses to
everyone logged in, and the account page one's own.
"""

from __future__ import annotations

import marshmallow as ma
from flask import request
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from tracker.api import PREFIX
from tracker.api.items import NetworkRefSchema
from tracker.api.paging import PageQuerySchema, page_headers
from tracker.auth.models import User, UserRole
from tracker.auth.services import managers_of
from tracker.db import db
from tracker.exceptions import NotFound

bp = Blueprint("api_users", __name__, url_prefix=f"{PREFIX}/users", description="People")


def email_shown(viewer: User, user: User) -> bool:
    """Whether a page shows ``user``'s address to ``viewer`` (office list, account, network)."""
    if viewer.is_admin or viewer.id == user.id:
        return True
    if user.network_id is None:
        return False
    # One query per network and request (the request's, not g: tests keep one app context)
    shown = request.environ.setdefault("tracker.api_managers_of", {})
    if user.network_id not in shown:
        shown[user.network_id] = {m.id for m in managers_of(user.network_id)}
    return user.id in shown[user.network_id]


class UserSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    role = ma.fields.Enum(UserRole, by_value=True, required=True)
    network = ma.fields.Nested(NetworkRefSchema, allow_none=True, required=True)
    email = ma.fields.Method(
        "shown_email",
        allow_none=True,
        required=True,
        metadata={
            "type": "string",
            "description": "Only where a page shows it: the office, one's own, a network's "
            "managers",
        },
    )
    active = ma.fields.Boolean(required=True)

    def shown_email(self, user: User) -> str | None:
        return user.email if email_shown(current_user, user) else None


def _people():
    """Statement for the people the token's owner sees, by name."""
    stmt = select(User).order_by(User.active.desc(), User.name, User.id)
    return stmt if current_user.is_admin else stmt.where(User.active)


@bp.route("")
@bp.arguments(PageQuerySchema, location="query", as_kwargs=True)
@bp.response(200, UserSchema(many=True), description="One page of people, by name")
def list_users(page: int, per_page: int):
    """Active people (the coordination office sees the deactivated too)."""
    found = db.paginate(_people(), page=page, per_page=per_page, error_out=False)
    return found.items, 200, page_headers("api_users.list_users", found)


@bp.route("/<int:user_id>")
@bp.response(200, UserSchema, description="The person")
def get_user(user_id: int):
    """One person; a deactivated one only for the coordination office."""
    user = db.session.scalar(_people().where(User.id == user_id))
    if user is None:
        raise NotFound()
    return user
