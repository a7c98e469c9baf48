"""Filling the register's forms with choices from the database, and reading them back."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from tracker import limits
from tracker.auth.models import User, UserRole
from tracker.auth.services import managers_of
from tracker.db import db
from tracker.forms_support import int_or_none, options
from tracker.i18n import _, _l
from tracker.items.forms import ItemFilterForm, ItemForm, status_filter_choices
from tracker.items.models import Item, ItemKind, Priority
from tracker.items.queries import SORTS, ItemFilter
from tracker.networks.services import active_networks
from tracker.topics.services import active_topics


def _network_choices(empty_label: str, networks: list | None = None) -> list[tuple]:
    networks = active_networks() if networks is None else networks
    return [(None, empty_label)] + [(n.id, f"{n.short_name} – {n.name}") for n in networks]


def _set(field, pairs) -> None:
    field.choices = options(pairs)


def _all_managers() -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(User.role == UserRole.MANAGER, User.active).order_by(User.name)
        )
    )


def manager_choices() -> list[tuple]:
    """Every active manager, with their network: the people a bulk change can assign to."""
    return [
        (u.id, f"{u.name} ({u.network.short_name})" if u.network else u.name)
        for u in _all_managers()
    ]


# Where items came from: imported from an office's register, or entered in the app.
ORIGINS = {"imported": _l("imported only"), "entered": _l("without imported")}


def fill_filter_form(form: ItemFilterForm) -> None:
    """Set the list filter's choices."""
    every = _("all")
    _set(form.kind, [("", every), *ItemKind.choices()])
    form.status.choices = status_filter_choices()
    _set(form.responsible, _network_choices(every))
    _set(form.reporting, _network_choices(every))
    _set(form.assignee, [(None, every)] + [(u.id, u.name) for u in _all_managers()])
    _set(form.topic, [(None, every)] + [(t.id, t.name) for t in active_topics()])
    _set(form.priority, [("", every), *Priority.choices()])
    _set(form.origin, [("", every), *ORIGINS.items()])


def _valid(field, value):
    allowed = {str(choice.value) for choice in field.choices}
    return value if str(value) in allowed else None


def _date_arg(args, name: str) -> date | None:
    try:
        day = date.fromisoformat((args.get(name) or "")[:10])
    except ValueError:
        return None
    return day if date(1900, 1, 1) <= day <= date(2999, 12, 31) else None


def filter_from_form(form: ItemFilterForm, args) -> ItemFilter:
    """Read the filters from the URL; unknown values are ignored rather than failing."""
    status = args.get("status", "open")
    status = status if _valid(form.status, status) else "open"
    form.status.data = status
    kind = _valid(form.kind, args.get("kind", ""))
    priority = _valid(form.priority, args.get("priority", ""))
    origin = _valid(form.origin, args.get("origin", ""))
    return ItemFilter(
        kind=ItemKind(kind) if kind else None,
        status="" if status == "all" else status,
        responsible_network_id=_valid(form.responsible, int_or_none(args.get("responsible"))),
        reporting_network_id=_valid(form.reporting, int_or_none(args.get("reporting"))),
        assignee_id=_valid(form.assignee, int_or_none(args.get("assignee"))),
        topic_id=_valid(form.topic, int_or_none(args.get("topic"))),
        priority=Priority(priority) if priority else None,
        company_id=int_or_none(args.get("company")),
        origin=origin or "",
        overdue=args.get("overdue") in ("y", "1", "on", "true"),
        q=(args.get("q") or "")[: limits.SEARCH + 1],  # longer is refused, with the reason
        created_from=_date_arg(args, "created_from"),
        created_to=_date_arg(args, "created_to"),
        closed_from=_date_arg(args, "closed_from"),
        closed_to=_date_arg(args, "closed_to"),
        sort=args.get("sort") if args.get("sort") in SORTS else "reference",
        direction="asc" if args.get("direction") == "asc" else "desc",
    )


def fill_item_form(form: ItemForm, user: User, item: Item | None = None) -> None:
    """Set the item form's choices; the reporting network is chosen by admins only."""
    _set(form.topics, [(t.id, t.name) for t in active_topics()])
    if item is not None:
        form.topics.choices += options((t.id, t.name) for t in item.topics if not t.active)
    networks = active_networks()
    _set(form.responsible_network, _network_choices(_("not yet decided"), networks))
    _set(form.reporting_network, _network_choices("—", networks))
    if not user.is_admin and request_is_new(form) and user.network_id:
        form.reporting_network.data = user.network_id
    managers = managers_of(item.responsible_network_id) if item else []
    _set(form.assignee, [(None, _("nobody yet"))] + [(u.id, u.name) for u in managers])


def request_is_new(form: ItemForm) -> bool:
    return form.version.data is None


def fill_handoff_form(form, item: Item) -> None:
    """Offer every active network except the one already responsible."""
    _set(
        form.network,
        [(None, "—")]
        + [
            (n.id, f"{n.short_name} – {n.name}")
            for n in active_networks()
            if n.id != item.responsible_network_id
        ],
    )


def user_or_none(user_id: int | None) -> User | None:
    return db.session.get(User, user_id) if user_id else None
