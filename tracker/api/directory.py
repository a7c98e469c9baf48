"""What every logged-in person may read: the networks, the topics, and one's own tasks."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from tracker.api import PREFIX
from tracker.api.meetings import TaskSchema
from tracker.db import db
from tracker.meetings.live import open_tasks
from tracker.networks.services import all_networks
from tracker.topics.models import Topic

bp = Blueprint("api_directory", __name__, url_prefix=PREFIX, description="Networks, topics, tasks")


class NetworkSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    short_name = ma.fields.String(required=True)
    name = ma.fields.String(required=True)
    description = ma.fields.String(required=True)
    website = ma.fields.String(required=True)
    roll_call_position = ma.fields.Integer(required=True)
    active = ma.fields.Boolean(required=True)


class TopicSchema(ma.Schema):
    id = ma.fields.Integer(required=True)
    name = ma.fields.String(required=True)
    active = ma.fields.Boolean(required=True)


@bp.route("/networks")
@bp.response(200, NetworkSchema(many=True), description="All networks, in roll-call order")
def list_networks():
    """The initiative's networks (every network is public)."""
    return all_networks()


@bp.route("/topics")
@bp.response(200, TopicSchema(many=True), description="All topics, by name")
def list_topics():
    """The topics items are filed under."""
    return list(db.session.scalars(db.select(Topic).order_by(Topic.name)))


@bp.route("/tasks/mine")
@bp.response(200, TaskSchema(many=True), description="The token owner's open tasks, by due date")
def my_tasks():
    """The open tasks of the token's owner from all meetings."""
    return open_tasks(current_user)
