"""The notification mails: what each says, worked out at delivery as the recipient sees it then.

Each topic has a context function: from the recipient and the notice's parameters to what
the mail (or its line in the digest) shows, or None when there is nothing left to say (the
offer was answered meanwhile, the follow-up moved, the task is done) or the recipient may
no longer see the item (it turned confidential). The mail's template is the topic's name.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from tracker.auth.models import User
from tracker.db import db
from tracker.i18n import _, _l
from tracker.items.models import Activity, Item, ItemStatus
from tracker.items.permissions import can_view
from tracker.items.timeline import FIELD_LABELS
from tracker.mail import compose, kinds
from tracker.meetings.models import Task
from tracker.networks.models import Network


def _user(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id else None


def _visible_item(user: User, params: dict) -> Item | None:
    item = db.session.get(Item, params["item"]) if params.get("item") else None
    return item if item is not None and can_view(user, item) else None


def _base(user: User, params: dict, item: Item | None) -> dict:
    return {"item": item, "actor": _user(params.get("actor")), "note": params.get("note", "")}


def offered(user: User, params: dict) -> dict | None:
    """Still waiting for the recipient's network to accept it."""
    item = _visible_item(user, params)
    if item is None or item.status is not ItemStatus.ASSIGNED:
        return None
    if item.responsible_network_id != params.get("network"):
        return None
    return _base(user, params, item) | {"network": item.responsible_network}


def answered(user: User, params: dict) -> dict | None:
    item = _visible_item(user, params)
    if item is None:
        return None
    network = db.session.get(Network, params["network"]) if params.get("network") else None
    return _base(user, params, item) | {
        "accepted": params.get("answer") == "accepted",
        "network": network,
    }


def assigned(user: User, params: dict) -> dict | None:
    """Still the recipient's item."""
    item = _visible_item(user, params)
    if item is None or item.assignee_id != user.id:
        return None
    return _base(user, params, item)


def commented(user: User, params: dict) -> dict | None:
    item = _visible_item(user, params)
    comment = db.session.get(Activity, params["comment"]) if params.get("comment") else None
    if item is None or comment is None or comment.item_id != item.id:
        return None
    return _base(user, params, item) | {"comment": comment}


def followed(user: User, params: dict) -> dict | None:
    """A change of an item the recipient follows; the item as it is now."""
    item = _visible_item(user, params)
    if item is None:
        return None
    comment = db.session.get(Activity, params["comment"]) if params.get("comment") else None
    if comment is not None and comment.item_id != item.id:
        return None
    fields = [str(FIELD_LABELS.get(f, f)) for f in params.get("fields", [])]
    return _base(user, params, item) | {"what": params.get("what"), "fields": fields,
                                        "comment": comment}  # fmt: skip


def task_assigned(user: User, params: dict) -> dict | None:
    """Still the recipient's open task; its item named only if they may see it."""
    task = db.session.get(Task, params["task"]) if params.get("task") else None
    if task is None or task.owner_id != user.id or not task.is_open:
        return None
    item = task.item if task.item is not None and can_view(user, task.item) else None
    return _base(user, params, item) | {"task": task, "meeting": task.meeting}


def follow_up_due(user: User, params: dict) -> dict | None:
    """Still open and still due on that day."""
    item = _visible_item(user, params)
    day = date.fromisoformat(params["day"])
    if item is None or not item.is_open or item.follow_up_date != day:
        return None
    return _base(user, params, item) | {"day": day}


CONTEXTS: dict[str, Callable[[User, dict], dict | None]] = {
    "handoff_offered": offered,
    "handoff_answered": answered,
    "assigned": assigned,
    "commented": commented,
    "mentioned": commented,
    "followed": followed,
    "task_assigned": task_assigned,
    "follow_up_due": follow_up_due,
}


def _subject(topic: str, context: dict) -> str:
    item = context.get("item")
    name = f"{item.reference} {item.title}" if item is not None else ""
    if topic == "handoff_offered":
        return _("Offered to your network: %(item)s", item=name)
    if topic == "handoff_answered":
        if context["accepted"]:
            return _("Your hand-off was accepted: %(item)s", item=name)
        return _("Your hand-off was returned: %(item)s", item=name)
    if topic == "assigned":
        return _("You are now the assignee of %(item)s", item=name)
    if topic == "commented":
        return _("New comment on %(item)s", item=name)
    if topic == "mentioned":
        return _("You were mentioned on %(item)s", item=name)
    if topic == "followed":
        return _("News of an item you follow: %(item)s", item=name)
    if topic == "task_assigned":
        return _("A new task for you: %(title)s", title=context["task"].title)
    return _("Follow-up due today: %(item)s", item=name)


def context_for(message) -> tuple[User, dict] | None:
    """The recipient and what their notice shows, or None: nothing to say to them now."""
    user = _user(message.user_id)
    if user is None or not user.active:
        return None
    context = CONTEXTS[message.kind](user, message.params)
    return (user, context) if context is not None else None


def build(message) -> compose.Mail | None:
    """The mail of one notice, or None (skipped) when there is nothing left to say."""
    found = context_for(message)
    if found is None:
        return None
    user, context = found
    return compose.render(message.kind, _subject(message.kind, context), user=user, **context)


LABELS = {
    "handoff_offered": _l("Hand-off offered"),
    "handoff_answered": _l("Hand-off accepted or returned"),
    "assigned": _l("Made assignee"),
    "commented": _l("New comment"),
    "mentioned": _l("Mentioned in a comment"),
    "followed": _l("An item I follow"),
    "task_assigned": _l("New task"),
    "follow_up_due": _l("Follow-up due"),
}


def register_kinds() -> None:
    for topic, label in LABELS.items():
        kinds.register(topic, build, label=label, topic=topic)
