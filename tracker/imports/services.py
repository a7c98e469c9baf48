"""The import of a register file: the dry run's plan carried out through the register's own
services, each row on its own. Services flush; the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker import clock
from tracker.auth.models import User
from tracker.companies import services as companies
from tracker.companies.models import Company, legal_key
from tracker.db import db
from tracker.exceptions import PermissionDenied, ServiceError
from tracker.i18n import N_, _
from tracker.imports import updates
from tracker.imports.mapping import Table
from tracker.imports.models import ValueMapping
from tracker.imports.planning import Choices, Plan, item_description, plan_import, target_company
from tracker.imports.rows import Problem, RowValues
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.items.models import ActivityKind, Item, ItemKind, ItemStatus
from tracker.networks.models import Network
from tracker.topics.models import Topic

STATUS_ACTIONS = {
    ItemStatus.WAITING: "wait",
    ItemStatus.DONE: "complete",
    ItemStatus.DECLINED: "decline",
}
FILE_NAME_LENGTH = 200


def run_import(
    table: Table,
    mapping: dict[int, str],
    *,
    network: Network,
    actor: User,
    default_kind: ItemKind | None = None,
    choices: Choices | None = None,
    filename: str = "",
) -> Plan:
    """Create an item for every valid new row, update corrected ones; skip the rest."""
    if not actor.is_authenticated or not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office imports registers."))
    plan = plan_import(table, mapping, network=network, default_kind=default_kind, choices=choices)
    origin = Origin(filename[:FILE_NAME_LENGTH], actor, items.default_follow_up(), plan)
    for values in plan.rows:
        _guarded(plan, values.row, lambda v=values: plan.created.append(origin.create(v)))
    for update in plan.applied_updates:
        _guarded(plan, update.row, lambda u=update: plan.updated.append(origin.update(u)))
    _remember_values(plan)
    plan.problems.sort(key=lambda p: p.row)
    return plan


def _guarded(plan: Plan, row: int, step) -> None:
    try:
        with db.session.begin_nested():
            step()
    except ServiceError as exc:
        plan.problems.append(Problem(row, "", exc.message))
    except IntegrityError:  # imported by someone else in the meantime
        plan.problems.append(Problem(row, "", _("This row was imported meanwhile.")))


@dataclass
class Origin:
    """Where imported items come from, and the companies registered on the way."""

    filename: str
    actor: User
    follow_up: date | None
    plan: Plan
    registered: dict[str, Company] = field(default_factory=dict)

    def company(self, values: RowValues) -> Company:
        target = target_company(self.plan, values)
        if isinstance(target, Company):
            return target
        if legal_key(target) not in self.registered:
            self.registered[legal_key(target)] = companies.create_company(
                actor=self.actor, name=target, other_legal_form=True
            )
        return self.registered[legal_key(target)]

    def contact(self, company: Company, values: RowValues):
        if not values.contact_name:
            return None
        contact = companies.find_or_create_contact(company, values.contact_name, actor=self.actor)
        extra = {"email": values.contact_email, "phone": values.contact_phone}
        extra = {k: v for k, v in extra.items() if v and v != getattr(contact, k)}
        if extra:
            companies.save_contact(
                company,
                actor=self.actor,
                contact=contact,
                expected_version=None,
                name=contact.name,
                **extra,
            )
        return contact

    def create(self, values: RowValues) -> Item:
        """Create the item of one checked row through the register's own services."""
        company = self.company(values)
        item = items.create_item(
            actor=self.actor,
            title=values.title,
            kind=values.kind,
            company=company,
            contact=self.contact(company, values),
            reporting_network=values.reporting_network,
            responsible_network=values.responsible_network,
            description=item_description(values),
            topics=values.topics,
            priority=values.priority,
            source=values.source,
            follow_up_date=values.follow_up_date or self.follow_up,
            confidential=values.confidential,
        )
        _move_to_status(item, values, self.actor)
        _date_back(item, values)
        self._mark(item, values)
        return item

    def update(self, update: updates.Update) -> Item:
        """Change an imported item as its corrected row says."""
        company = self.company(update.values)
        contact = self.contact(company, update.values)
        updates.apply(update, actor=self.actor, company=company, contact=contact)
        self._mark(update.item, update.values)
        return update.item

    def _mark(self, item: Item, values: RowValues) -> None:
        item.import_key, item.import_digest = values.key, values.digest
        item.import_file, item.import_row = self.filename or None, values.row
        item.import_version = item.version + 1  # this flush raises the version by one
        db.session.flush()


def _remember_values(plan: Plan) -> None:
    """Keep the office's choices for unknown values, for the next import."""
    for key, network_id in plan.choices.networks.items():
        if db.session.get(Network, network_id) is not None:
            _remember("network", key, network_id=network_id)
    for key, choice in plan.choices.topics.items():
        if choice.isdigit() and db.session.get(Topic, int(choice)) is not None:
            _remember("topic", key, topic_id=int(choice))
    for key, topic in plan.new_topics.items():
        if topic.id is not None:  # created with an imported item
            _remember("topic", key, topic_id=topic.id)


def _remember(kind: str, key: str, **target: int) -> None:
    found = db.session.scalar(
        select(ValueMapping).where(ValueMapping.kind == kind, ValueMapping.value_key == key)
    )
    if found is None:
        db.session.add(ValueMapping(kind=kind, value_key=key, **target))
    else:
        found.network_id, found.topic_id = target.get("network_id"), target.get("topic_id")
    db.session.flush()


def _stored_text(message: str, **variables) -> str:
    """Text saved into an item is written in the register's language, not the importer's."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _(message, **variables)


def _move_to_status(item: Item, values: RowValues, actor: User) -> None:
    """Walk the lifecycle to the row's status, so that its rules and records apply."""
    closing = values.status in (ItemStatus.DONE, ItemStatus.DECLINED)
    if values.resolution_note and not closing:  # a note on an open item becomes a comment
        items.add_comment(item, actor=actor, body=values.resolution_note)
    status = values.expected_status
    if status in (ItemStatus.NEW, ItemStatus.ASSIGNED):
        return
    if item.status is ItemStatus.ASSIGNED:
        lifecycle.perform(item, "accept", actor=actor, expected_version=None)
    action = STATUS_ACTIONS.get(status)
    if action:
        note = (values.resolution_note or _stored_text(N_("Imported"))) if closing else ""
        lifecycle.perform(
            item,
            action,
            actor=actor,
            expected_version=None,
            note=note,
            follow_up_date=item.follow_up_date,
        )


def _noon(day: date | None) -> datetime | None:
    """Noon of ``day`` in the register's time zone: a date without a time of day."""
    if day is None:
        return None
    return clock.at_utc(day, time(12))


def original_times(values: RowValues) -> tuple[datetime | None, ...]:
    """When the row was reported, accepted and closed, as far as the file says."""
    dates = [d for d in (values.recorded_on, values.accepted_on, values.closed_on) if d]
    created = _noon(values.recorded_on or (min(dates) if dates else None))
    accepted = max(filter(None, [_noon(values.accepted_on), created]), default=None)
    closed = max(filter(None, [_noon(values.closed_on), accepted, created]), default=None)
    return created, accepted, closed


def _date_back(item: Item, values: RowValues) -> None:
    """Give the item and its activity the file's dates, so that every figure counts them."""
    created, accepted, closed = original_times(values)
    if created is None:
        return  # the file gives no date: the import is when the register learnt of it
    item.created_at = created
    if item.accepted_at is not None:
        item.accepted_at = accepted
    if item.closed_at is not None:
        item.closed_at = closed
    for activity in item.activities:
        activity.created_at = _activity_time(activity, item, created, accepted, closed)


def _activity_time(activity, item: Item, created, accepted, closed) -> datetime:
    if activity.kind is ActivityKind.ACCEPTED:
        return accepted
    if activity.kind is ActivityKind.STATUS and activity.new_value in (
        ItemStatus.DONE.value,
        ItemStatus.DECLINED.value,
    ):
        return closed
    if activity.kind is ActivityKind.STATUS:
        return accepted or created
    return created
