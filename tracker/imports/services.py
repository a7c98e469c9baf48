"""The dry run and the import of a register file. Services flush; the caller commits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tracker.auth.models import User
from tracker.companies import services as companies
from tracker.companies.models import Company, company_key
from tracker.db import db
from tracker.exceptions import PermissionDenied, ServiceError, ValidationFailed
from tracker.i18n import N_, _
from tracker.imports.mapping import Table, check_mapping, normalise, split_table
from tracker.imports.reader import Sheet, read_sheet
from tracker.imports.rows import Lookups, Problem, RowValues, is_empty, read_row, row_key
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.items.models import Item, ItemKind, ItemStatus
from tracker.networks.models import Network
from tracker.topics.models import Topic

KEY_CHUNK = 500
STATUS_ACTIONS = {
    ItemStatus.WAITING: "wait",
    ItemStatus.DONE: "complete",
    ItemStatus.DECLINED: "decline",
}


@dataclass
class Upload:
    """A read file: the sheet as found, and its table below the header row."""

    sheet: Sheet
    table: Table


@dataclass
class Plan:
    """What an import would do: the items to create and every row's problems."""

    rows: list[RowValues] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    already_imported: list[tuple[int, Item]] = field(default_factory=list)
    new_companies: list[str] = field(default_factory=list)
    matched_companies: list[tuple[str, Company]] = field(default_factory=list)
    empty_rows: int = 0
    created: list[Item] = field(default_factory=list)

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems})


def read_upload(data: bytes, filename: str = "") -> Upload:
    """Read an uploaded file and find its header row; ReadError says what is wrong."""
    sheet = read_sheet(data, filename)
    return Upload(sheet=sheet, table=split_table(sheet))


def lookups(network: Network, default_kind: ItemKind | None = None) -> Lookups:
    """Load the topics and networks cell values are matched against."""
    networks: dict[str, Network] = {}
    for net in db.session.scalars(select(Network).order_by(Network.id)):
        networks.setdefault(normalise(net.short_name), net)
        networks.setdefault(normalise(net.name), net)
    topics = {normalise(t.name): t for t in db.session.scalars(select(Topic).order_by(Topic.id))}
    return Lookups(topics=topics, networks=networks, network=network, default_kind=default_kind)


def plan_import(
    table: Table,
    mapping: dict[int, str],
    *,
    network: Network,
    default_kind: ItemKind | None = None,
) -> Plan:
    """Check every row without saving anything: the dry run."""
    errors = check_mapping(mapping, default_kind is not None)
    if errors:
        raise ValidationFailed(" ".join(errors), field="mapping")
    plan = Plan()
    columns = {index: (name, table.label(index)) for index, name in mapping.items()}
    context = lookups(network, default_kind)
    filled = [(n, cells, row_key(cells)) for n, cells in table.rows if not is_empty(cells)]
    plan.empty_rows = len(table.rows) - len(filled)
    existing = _imported_items([key for _n, _cells, key in filled])
    first_seen: dict[str, int] = {}
    for number, cells, key in filled:
        if key in existing:
            plan.already_imported.append((number, existing[key]))
        elif key in first_seen:
            message = _("Same content as row %(row)d.", row=first_seen[key])
            plan.problems.append(Problem(number, "", message))
        else:
            first_seen[key] = number
            values, problems = read_row(number, cells, columns, context)
            plan.problems += problems
            plan.rows += [values] if values else []
    _sort_companies(plan)
    return plan


def _imported_items(keys: list[str]) -> dict[str, Item]:
    found: dict[str, Item] = {}
    unique = sorted(set(keys))
    for start in range(0, len(unique), KEY_CHUNK):
        chunk = unique[start : start + KEY_CHUNK]
        found.update(
            (item.import_key, item)
            for item in db.session.scalars(select(Item).where(Item.import_key.in_(chunk)))
        )
    return found


def _sort_companies(plan: Plan) -> None:
    names = {company_key(r.company_name): r.company_name for r in reversed(plan.rows)}
    existing: dict[str, Company] = {}
    keys = sorted(names)
    for start in range(0, len(keys), KEY_CHUNK):
        chunk = keys[start : start + KEY_CHUNK]
        existing.update(
            (c.name_key, c)
            for c in db.session.scalars(select(Company).where(Company.name_key.in_(chunk)))
        )
    for key in sorted(names, key=lambda k: names[k].casefold()):
        if key in existing:
            plan.matched_companies.append((names[key], existing[key]))
        else:
            plan.new_companies.append(names[key])


def run_import(
    table: Table,
    mapping: dict[int, str],
    *,
    network: Network,
    actor: User,
    default_kind: ItemKind | None = None,
) -> Plan:
    """Create an item for every valid row; rows with problems and known rows are skipped."""
    if not actor.is_authenticated or not actor.is_admin:
        raise PermissionDenied(_("Only the coordination office imports registers."))
    plan = plan_import(table, mapping, network=network, default_kind=default_kind)
    follow_up = items.default_follow_up()  # the same for every row: look it up once
    for values in plan.rows:
        try:
            with db.session.begin_nested():
                plan.created.append(create_from_row(values, actor=actor, follow_up=follow_up))
        except ServiceError as exc:
            plan.problems.append(Problem(values.row, "", exc.message))
        except IntegrityError:  # imported by someone else in the meantime
            plan.problems.append(Problem(values.row, "", _("This row was imported meanwhile.")))
    plan.problems.sort(key=lambda p: p.row)
    return plan


def create_from_row(values: RowValues, *, actor: User, follow_up: date | None = None) -> Item:
    """Create the item of one checked row through the register's own services."""
    company = companies.find_or_create_company(values.company_name, actor=actor)
    contact = None
    if values.contact_name:
        contact = companies.find_or_create_contact(company, values.contact_name, actor=actor)
    item = items.create_item(
        actor=actor,
        title=values.title,
        kind=values.kind,
        company=company,
        contact=contact,
        reporting_network=values.reporting_network,
        responsible_network=values.responsible_network,
        description=_description(values),
        topics=values.topics,
        priority=values.priority,
        source=values.source,
        follow_up_date=values.follow_up_date or follow_up,
        confidential=values.confidential,
    )
    item.import_key = values.key
    db.session.flush()
    _move_to_status(item, values, actor)
    return item


def _stored_text(message: str, **variables) -> str:
    """Text saved into an item is written in the register's language, not the importer's."""
    with force_locale(current_app.config["BABEL_DEFAULT_LOCALE"]):
        return _(message, **variables)


def _description(values: RowValues) -> str:
    """Keep the original date as the first line: created_at stays the real time of the import."""
    if not values.recorded_on:
        return values.description
    first = _stored_text(
        N_("Originally recorded on %(date)s"), date=f"{values.recorded_on:%d.%m.%Y}"
    )
    return f"{first}\n\n{values.description}".strip()


def _move_to_status(item: Item, values: RowValues, actor: User) -> None:
    """Walk the lifecycle to the row's status, so that its rules and records apply."""
    closing = values.status in (ItemStatus.DONE, ItemStatus.DECLINED)
    if values.resolution_note and not closing:  # a note on an open item becomes a comment
        items.add_comment(item, actor=actor, body=values.resolution_note)
    if values.status in (None, ItemStatus.NEW, ItemStatus.ASSIGNED):
        return
    if item.status is ItemStatus.ASSIGNED:
        lifecycle.perform(item, "accept", actor=actor, expected_version=None)
    action = STATUS_ACTIONS.get(values.status)
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
