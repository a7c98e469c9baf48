"""The dry run of a register import: the file read, every row checked, nothing saved.

``plan_import`` says what an import would do; tracker/imports/services.py carries it out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from tracker.companies.models import Company, legal_key
from tracker.db import db
from tracker.exceptions import ValidationFailed
from tracker.i18n import _
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
from tracker.items.models import Item, ItemKind
from tracker.networks.models import Network
from tracker.topics.models import Topic

KEY_CHUNK = 500
NEW_TOPIC, SKIP_TOPIC = "new", "skip"


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
    failed: bool = False  # a batch of rows failed as a whole: it and the later ones not saved

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
                update.values, target_company(plan, update.values), item_description(update.values)
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


def target_company(plan: Plan, values: RowValues) -> Company | str:
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


def item_description(values: RowValues) -> str:
    """The row's description; its date is the item's creation time (see ``tracker.imports.origin``)."""
    return values.description
