"""The dry run and the import of a register file. Services flush; the caller commits."""

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
from tracker.exceptions import PermissionDenied, ServiceError, ValidationFailed
from tracker.i18n import N_, _
from tracker.imports import matching, updates
from tracker.imports.mapping import Table, cell_text, check_mapping, split_table
from tracker.imports.models import ValueMapping
from tracker.imports.reader import Sheet, read_sheet
from tracker.imports.rows import (
    Lookups,
    Problem,
    RowValues,
    Unknown,
    formula_cells,
    is_empty,
    read_row,
    row_key,
    value_key,
)
from tracker.items import lifecycle
from tracker.items import services as items
from tracker.items.models import ActivityKind, Item, ItemKind, ItemStatus
from tracker.networks.models import Network
from tracker.topics.models import Topic

KEY_CHUNK = 500
STATUS_ACTIONS = {
    ItemStatus.WAITING: "wait",
    ItemStatus.DONE: "complete",
    ItemStatus.DECLINED: "decline",
}
NEW_TOPIC, SKIP_TOPIC = "new", "skip"
FILE_NAME_LENGTH = 200


@dataclass
class Upload:
    """A read file: the sheet as found, and its table below the header row."""

    sheet: Sheet
    table: Table


@dataclass
class Choices:
    """What the office decided in the dry run; without a decision the safe default holds."""

    networks: dict[str, int] = field(default_factory=dict)  # unknown value → network id
    topics: dict[str, str] = field(default_factory=dict)  # unknown value → id, "new", "skip"
    companies: dict[str, str] = field(default_factory=dict)  # legal key → "existing", "new"
    without_network: int | None = None  # rows whose status needs a network: None = as new
    open_in_progress: bool = False  # open rows naming a network: in progress, not hand-offs
    overwrite_changed: bool = False  # update items changed in the app since their import


@dataclass
class Plan:
    """What an import would do: items to create and to update, and every row's problems."""

    rows: list[RowValues] = field(default_factory=list)
    updates: list[updates.Update] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # imported anyway, worth a look
    already_imported: list[tuple[int, Item]] = field(default_factory=list)
    duplicates: list[tuple[int, int]] = field(default_factory=list)  # (row, same as row)
    unknown: list[Unknown] = field(default_factory=list)
    suggestions: dict[tuple[str, str], list] = field(default_factory=dict)
    companies: dict[str, matching.CompanyMatch] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    empty_rows: int = 0
    created: list[Item] = field(default_factory=list)
    updated: list[Item] = field(default_factory=list)
    choices: Choices = field(default_factory=Choices)
    new_topics: dict[str, Topic] = field(default_factory=dict)  # unknown topics to create

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def new_companies(self) -> list[str]:
        matches = self.companies.values()
        return sorted(
            (m.name for m in matches if not m.existing and not m.use_candidate), key=str.casefold
        )

    @property
    def matched_companies(self) -> list[tuple[str, Company]]:
        return sorted(
            ((m.name, m.existing) for m in self.companies.values() if m.existing),
            key=lambda pair: pair[0].casefold(),
        )

    @property
    def fuzzy_companies(self) -> list[matching.CompanyMatch]:
        return sorted((m for m in self.companies.values() if m.fuzzy), key=lambda m: m.name)

    @property
    def applied_updates(self) -> list[updates.Update]:
        """The updates an import carries out: items changed in the app only when asked."""
        overwrite = self.choices.overwrite_changed
        return [u for u in self.updates if overwrite or not u.changed_in_app]

    @property
    def rows_without_network(self) -> list[int]:
        return [r.row for r in self.rows if r.lacked_network]

    @property
    def handoff_rows(self) -> list[int]:
        return [r.row for r in self.rows if r.opens_handoff]


def read_upload(data: bytes, filename: str = "") -> Upload:
    """Read an uploaded file and find its header row; ReadError says what is wrong."""
    sheet = read_sheet(data, filename)
    return Upload(sheet=sheet, table=split_table(sheet))


def lookups(
    network: Network, default_kind: ItemKind | None = None, choices: Choices | None = None
) -> Lookups:
    """Load what cell values are matched against: names, aliases, remembered and chosen values."""
    choices = choices or Choices()
    all_networks = list(db.session.scalars(select(Network).order_by(Network.id)))
    networks: dict[str, Network] = {}
    for net in all_networks:
        for name in matching.network_names(net):
            networks.setdefault(value_key(name), net)
    all_topics = list(db.session.scalars(select(Topic).order_by(Topic.id)))
    topics: dict[str, Topic | None] = {value_key(t.name): t for t in all_topics}
    for remembered in db.session.scalars(select(ValueMapping).order_by(ValueMapping.id)):
        if remembered.kind == "network" and remembered.network:
            networks.setdefault(remembered.value_key, remembered.network)
        if remembered.kind == "topic" and remembered.topic:
            topics.setdefault(remembered.value_key, remembered.topic)
    by_id = {n.id: n for n in all_networks}
    networks.update((k, by_id[i]) for k, i in choices.networks.items() if i in by_id)
    _choose_topics(topics, {t.id: t for t in all_topics}, choices.topics)
    return Lookups(
        topics=topics,
        networks=networks,
        network=network,
        default_kind=default_kind,
        without_network=by_id.get(choices.without_network or 0),
        open_in_progress=choices.open_in_progress,
        scope=f"network:{network.id}",
    )


def _choose_topics(topics: dict, by_id: dict[int, Topic], chosen: dict[str, str]) -> None:
    for key, choice in chosen.items():
        if key in topics:
            continue  # known already: a stale choice changes nothing
        if choice == SKIP_TOPIC:
            topics[key] = None
        elif choice.isdigit() and int(choice) in by_id:
            topics[key] = by_id[int(choice)]


def plan_import(
    table: Table,
    mapping: dict[int, str],
    *,
    network: Network,
    default_kind: ItemKind | None = None,
    choices: Choices | None = None,
    filename: str = "",
) -> Plan:
    """Check every row without saving anything: the dry run."""
    errors = check_mapping(mapping, default_kind is not None)
    if errors:
        raise ValidationFailed(" ".join(errors), field="mapping")
    plan = Plan(choices=choices or Choices())
    columns = {index: (name, table.label(index)) for index, name in mapping.items()}
    context = lookups(network, default_kind, plan.choices)
    filled = [(n, cells, row_key(cells)) for n, cells in table.rows if not is_empty(cells)]
    plan.empty_rows = len(table.rows) - len(filled)
    plan.ignored_columns = _ignored_columns(table, mapping)
    known = _imported_items(Item.import_digest, [digest for _n, _c, digest in filled])
    valid = _read_rows(plan, filled, known, columns, context)
    by_key = _imported_items(Item.import_key, [v.key for v in valid])
    for values in valid:
        item = by_key.get(values.key)
        if item is None:
            plan.rows.append(values)
        else:
            plan.updates.append(updates.Update(values, item))
    plan.companies = matching.match_companies(
        [(v.row, v.company_name) for v in valid], plan.choices.companies
    )
    for update in plan.updates:
        updates.diff(
            update,
            updates.wanted(
                update.values, _target(plan, update.values), _description(update.values)
            ),
        )
    plan.updates = [u for u in plan.updates if u.changes]
    _list_unknown(plan, context)
    plan.new_topics = context.new_topics
    return plan


def _read_rows(plan: Plan, filled, known: dict, columns: dict, context: Lookups) -> list:
    """Read the rows in file order: unchanged and repeated rows first, then each row's cells."""
    first_seen: dict[str, int] = {}
    keys: dict[str, int] = {}
    valid = []
    for number, cells, digest in filled:
        if digest in first_seen:
            plan.duplicates.append((number, first_seen[digest]))
            continue
        first_seen[digest] = number
        if digest in known:
            plan.already_imported.append((number, known[digest]))
            continue
        values, problems = read_row(number, cells, columns, context)
        plan.warnings += formula_cells(number, cells, columns)
        plan.problems += problems
        if values is None:
            continue
        if values.key in keys:
            plan.problems.append(Problem(number, "", _same_row(values, keys[values.key])))
            continue
        keys[values.key] = number
        valid.append(values)
    return valid


def _same_row(values: RowValues, row: int) -> str:
    if values.running_number:
        return _(
            "The running number %(number)s is also in row %(row)d.",
            number=values.running_number,
            row=row,
        )
    return _("Same company, title and date as row %(row)d.", row=row)


def _ignored_columns(table: Table, mapping: dict[int, str]) -> list[str]:
    """Columns with a header or a value that are not imported."""
    used = [i for i in range(len(table.headers)) if i not in mapping and table.headers[i]]
    width = len(table.headers)
    filled = {i for _n, cells in table.rows for i, c in enumerate(cells[:width]) if cell_text(c)}
    return [table.label(i) for i in sorted(set(used) | (filled - set(mapping)))]


def _list_unknown(plan: Plan, context: Lookups) -> None:
    plan.unknown = sorted(context.unknown.values(), key=lambda u: (u.kind, u.text.casefold()))
    networks = list(db.session.scalars(select(Network).order_by(Network.short_name)))
    topics = list(db.session.scalars(select(Topic).order_by(Topic.name)))
    for entry in plan.unknown:
        candidates = networks if entry.kind == "network" else topics
        plan.suggestions[(entry.kind, entry.key)] = matching.suggest(entry.text, candidates)


def _imported_items(column, keys: list[str]) -> dict[str, Item]:
    found: dict[str, Item] = {}
    unique = sorted(set(keys))
    for start in range(0, len(unique), KEY_CHUNK):
        chunk = unique[start : start + KEY_CHUNK]
        found.update(
            (getattr(item, column.key), item)
            for item in db.session.scalars(select(Item).where(column.in_(chunk)))
        )
    return found


def _target(plan: Plan, values: RowValues) -> Company | str:
    """The company a row goes to: a registered one, or the name of one to register."""
    match = plan.companies[legal_key(values.company_name)]
    if match.existing:
        return match.existing
    if match.use_candidate and match.candidate:
        return match.candidate
    if match.use_candidate:
        other = plan.companies[match.candidate_key]
        return other.existing or other.name
    return match.name


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
        target = _target(self.plan, values)
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
            description=_description(values),
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


def _description(values: RowValues) -> str:
    """The row's description; its date is the item's creation time (see ``_date_back``)."""
    return values.description


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
