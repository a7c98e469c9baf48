"""How a checked row becomes an item: its company and contact, the item built by the
register's own rules in its final status, the file's dates, and the mark of its origin."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import inspect

from tracker import clock, events
from tracker.auth.models import User
from tracker.companies import services as companies
from tracker.companies.models import Company, legal_key
from tracker.db import db
from tracker.i18n import N_, _
from tracker.imports import updates
from tracker.imports.planning import Plan, item_description, target_company
from tracker.imports.rows import RowValues
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.items.models import ActivityKind, Item, ItemStatus

STATUS_ACTIONS = {
    ItemStatus.WAITING: "wait",
    ItemStatus.DONE: "complete",
    ItemStatus.DECLINED: "decline",
}


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
