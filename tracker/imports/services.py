"""The import of a register file: the dry run's plan carried out through the register's own
services, each row on its own, in batches of rows that each commit in a unit of work of their
own, so that other writers get the lock between them. Services flush; the batches commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from tracker import clock, events
from tracker.auth.models import User
from tracker.companies import services as companies
from tracker.companies.models import Company, legal_key
from tracker.db import db, unit_of_work
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
CHUNK_ROWS = 500  # rows per unit of work, unless the app's IMPORT_CHUNK_ROWS says otherwise
# Told after every batch: rows done, rows in all, problems so far.
Progress = Callable[[int, int, int], None]


def run_import(
    table: Table,
    mapping: dict[int, str],
    *,
    network: Network,
    actor: User,
    default_kind: ItemKind | None = None,
    choices: Choices | None = None,
    filename: str = "",
    chunk_rows: int | None = None,
    progress: Progress | None = None,
) -> Plan:
    """Create an item for every valid new row, update corrected ones; skip the rest.

    The rows are carried out ``chunk_rows`` at a time, each batch in its own unit of work
    (inside an outer one they all join it). A batch is written at once; when one of its
    rows is refused, the batch is carried out again row by row, so that the refused row is
    reported and the others are kept. A batch that fails as a whole is rolled back and
    reported on each of its rows; the batches before it stay, the later ones are not run
    (imported again, the file skips what was saved and imports the rest).
    """
    if not actor.is_authenticated or not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office imports registers."))
    plan = plan_import(table, mapping, network=network, default_kind=default_kind, choices=choices)
    size = max(1, chunk_rows or current_app.config.get("IMPORT_CHUNK_ROWS") or CHUNK_ROWS)
    origin = Origin(filename[:FILE_NAME_LENGTH], actor, items.default_follow_up(), plan)
    origin.references = items.ReferenceBlock(size)
    steps = [(v.row, lambda v=v: plan.created.append(origin.create(v))) for v in plan.rows]
    steps += [
        (u.row, lambda u=u: plan.updated.append(origin.update(u))) for u in plan.applied_updates
    ]
    session = db.session()
    keep = session.expire_on_commit
    session.expire_on_commit = False  # the batches' records stay loaded for the next and the report
    if progress is not None:
        progress(0, len(steps), plan.rows_with_problems)
    try:
        with events.in_bulk():  # the rows' items are history: nobody is notified of them
            for start in range(0, len(steps), size):
                if not _run_chunk(origin, steps[start : start + size], steps[start + size :]):
                    break
                if progress is not None:
                    done = min(start + size, len(steps))
                    progress(done, len(steps), plan.rows_with_problems)
        if not plan.failed:  # else the database refused a batch: the next run remembers them
            with unit_of_work():
                _remember_values(plan)
    finally:
        session.expire_on_commit = keep
    plan.problems.sort(key=lambda p: p.row)
    return plan


def _run_chunk(origin: Origin, chunk: list, later: list) -> bool:
    """Carry out one batch of rows in a unit of work; False when it failed as a whole."""
    plan = origin.plan
    created, updated, problems = len(plan.created), len(plan.updated), len(plan.problems)
    try:
        with unit_of_work():
            if not _at_once(origin, chunk):
                for row, step in chunk:
                    _guarded(origin, row, step)
            origin.references.close()
    except Exception:  # noqa: BLE001 - the database refused the batch: report, keep the others
        logging.getLogger(__name__).exception("import batch from row %d failed", chunk[0][0])
        del plan.created[created:], plan.updated[updated:], plan.problems[problems:]
        failed = _("This row was not imported: its batch of rows failed.")
        plan.problems += [Problem(row, "", failed) for row, _step in chunk]
        not_run = _("This row was not imported: an earlier batch failed.")
        plan.problems += [Problem(row, "", not_run) for row, _step in later]
        plan.failed = True
        origin.rolled_back()
        _load_again(plan)
        return False
    return True


def _at_once(origin: Origin, chunk: list) -> bool:
    """Carry out the batch's rows in one savepoint; False, with nothing kept, if one is refused."""
    plan = origin.plan
    created, updated = len(plan.created), len(plan.updated)
    try:
        with db.session.begin_nested():
            for _row, step in chunk:
                step()
    except (ServiceError, IntegrityError):
        del plan.created[created:], plan.updated[updated:]
        origin.rolled_back()
        return False
    origin.announce()
    return True


def _load_again(plan: Plan) -> None:
    """Load the plan's items again, with their companies, after a rollback expired them."""
    records = plan.created + plan.updated + [item for _row, item in plan.already_imported]
    ids = [inspect(item).identity[0] for item in records if inspect(item).identity]
    for start in range(0, len(ids), 1000):
        chosen = select(Item).where(Item.id.in_(ids[start : start + 1000]))
        db.session.scalars(chosen.options(selectinload(Item.company))).all()


def _guarded(origin: Origin, row: int, step) -> None:
    """Carry out one row in a savepoint of its own; a refusal is the row's problem."""
    plan = origin.plan
    created, updated = len(plan.created), len(plan.updated)
    references, origin.references = origin.references, None  # a rollback would undo a block
    try:
        with db.session.begin_nested():
            step()
    except (ServiceError, IntegrityError) as exc:
        del plan.created[created:], plan.updated[updated:]
        message = exc.message if isinstance(exc, ServiceError) else None
        # an IntegrityError: the row was imported by someone else in the meantime
        plan.problems.append(Problem(row, "", message or _("This row was imported meanwhile.")))
        origin.rolled_back()
    else:
        origin.announce()
    finally:
        origin.references = references


@dataclass
class Origin:
    """Where imported items come from, and the companies registered on the way."""

    filename: str
    actor: User
    follow_up: date | None
    plan: Plan
    registered: dict[str, Company] = field(default_factory=dict)
    contacts: dict[tuple[int, str], object] = field(default_factory=dict)
    references: items.ReferenceBlock | None = None
    unannounced: list[Item] = field(default_factory=list)

    def company(self, values: RowValues) -> Company:
        target = target_company(self.plan, values)
        if isinstance(target, Company):
            return target
        found = self.registered.get(legal_key(target))
        if found is None or inspect(found).transient:  # none yet, or rolled back
            found = self.registered[legal_key(target)] = companies.create_company(
                actor=self.actor, name=target, other_legal_form=True
            )
        return found

    def contact(self, company: Company, values: RowValues):
        if not values.contact_name:
            return None
        key = (company.id, " ".join(values.contact_name.split()).casefold())
        contact = self.contacts.get(key)
        if contact is None or not inspect(contact).persistent:  # none yet, or rolled back
            contact = companies.find_or_create_contact(
                company, values.contact_name, actor=self.actor
            )
            self.contacts[key] = contact
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
        """Build the item of one checked row in its final state, through the register's rules.

        The item is written with the others of its batch and announced as created then; its
        way to the row's status is recorded on its timeline, not announced step by step.
        """
        company = self.company(values)
        item = items.build_item(
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
            references=self.references,
        )
        _move_to_status(item, values, self.actor)
        _date_back(item, values)
        self._mark(item, values)
        self.unannounced.append(item)
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
        if inspect(item).pending:  # written at once, with everything: the first version
            item.import_version = 1
        else:
            item.import_version = item.version + 1  # this flush raises the version by one
            db.session.flush()

    def announce(self) -> None:
        """Tell that the items built since the last time are created, now that they are saved."""
        db.session.flush()
        for item in self.unannounced:
            events.item_created.send(item, actor=self.actor)
        self.unannounced.clear()

    def rolled_back(self) -> None:
        """Forget what a rollback undid: the items not yet announced, an unused number block."""
        self.unannounced.clear()
        if self.references is not None:
            self.references = items.ReferenceBlock(self.references.size)


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
    """Take the new item to the row's status by the lifecycle's steps, so that its rules and
    records apply."""
    closing = values.status in (ItemStatus.DONE, ItemStatus.DECLINED)
    if values.resolution_note and not closing:  # a note on an open item becomes a comment
        items.record_comment(item, actor=actor, body=values.resolution_note)
    status = values.expected_status
    if status in (ItemStatus.NEW, ItemStatus.ASSIGNED):
        return
    if item.status is ItemStatus.ASSIGNED:
        lifecycle.apply(item, "accept", actor=actor)
    action = STATUS_ACTIONS.get(status)
    if action:
        note = (values.resolution_note or _stored_text(N_("Imported"))) if closing else ""
        lifecycle.apply(item, action, actor=actor, note=note, follow_up_date=item.follow_up_date)


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
