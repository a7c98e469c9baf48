"""One file row → the values of an item, or the row's problems. Pure functions, no database."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.companies.models import company_key
from tracker.i18n import N_, _
from tracker.imports.mapping import cell_text, normalise
from tracker.imports.reader import Cell
from tracker.imports.values import (
    BOOLEANS,
    GERMAN_DATE,
    ISO_DATE,
    KINDS,
    PRIORITIES,
    SOURCES,
    STATUSES,
    CellError,
    parse_date,
)
from tracker.items.models import ItemKind, ItemSource, ItemStatus, Priority
from tracker.networks.models import Network
from tracker.topics.models import Topic

KEY_VERSION = "v1"
TOPIC_SEPARATORS = re.compile(r"[,;|\n]+")
NEEDS_RESPONSIBLE = (ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS, ItemStatus.WAITING)


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Lookups:
    """What cell values are matched against: topics and networks by folded name."""

    topics: dict[str, Topic]
    networks: dict[str, Network]
    network: Network  # the reporting network when the row names none
    default_kind: ItemKind | None = None


@dataclass
class RowValues:
    row: int
    key: str
    title: str
    company_name: str
    kind: ItemKind
    reporting_network: Network
    contact_name: str = ""
    description: str = ""
    topics: list[Topic] = field(default_factory=list)
    priority: Priority = Priority.NORMAL
    status: ItemStatus | None = None
    responsible_network: Network | None = None
    source: ItemSource = ItemSource.OTHER
    follow_up_date: date | None = None
    recorded_on: date | None = None
    resolution_note: str = ""
    confidential: bool = False

    @property
    def expected_status(self) -> ItemStatus:
        """The status the item will have after the import."""
        if self.status in (None, ItemStatus.NEW, ItemStatus.ASSIGNED):
            return ItemStatus.ASSIGNED if self.responsible_network else ItemStatus.NEW
        return self.status


def row_key(cells: list[Cell]) -> str:
    """Fingerprint a row by its content (not its position): the same row gives the same key."""
    parts = sorted(p for p in (_key_part(c) for c in cells) if p)
    return hashlib.sha256("\x1f".join([KEY_VERSION, *parts]).encode()).hexdigest()


def _key_part(cell: Cell) -> str:
    text = cell_text(cell)
    if GERMAN_DATE.fullmatch(text) or ISO_DATE.fullmatch(text):
        with suppress(CellError):
            return parse_date(cell).isoformat()  # 1.2.26 in a CSV is 2026-02-01 in an XLSX
    return " ".join(text.split()).casefold()


def is_empty(cells: list[Cell]) -> bool:
    """A row with nothing but blanks is skipped without comment."""
    return not any(cell_text(c) for c in cells)


def _word(table: dict, unknown: str) -> Callable[[Cell, Lookups], Any]:
    def parse(cell: Cell, _lookups: Lookups):
        text = cell_text(cell)
        if not text:
            return None
        value = table.get(normalise(text).replace(" ", ""))
        if value is None:
            raise CellError(_(unknown, value=text))
        return value

    return parse


def _text(limit: int | None = None, required: str = "") -> Callable[[Cell, Lookups], str]:
    def parse(cell: Cell, _lookups: Lookups) -> str:
        text = cell_text(cell)
        if required and not text:
            raise CellError(_(required))
        if limit and len(text) > limit:
            raise CellError(_("Longer than %(limit)d characters.", limit=limit))
        return text

    return parse


def _company(cell: Cell, lookups: Lookups) -> str:
    name = " ".join(_text(200, N_("The company is missing."))(cell, lookups).split())
    if not company_key(name):
        raise CellError(_("“%(value)s” is not a company name.", value=name))
    return name


def _topics(cell: Cell, lookups: Lookups) -> list[Topic]:
    names = [n.strip() for n in TOPIC_SEPARATORS.split(cell_text(cell)) if n.strip()]
    unknown = [n for n in names if normalise(n) not in lookups.topics]
    if unknown:
        raise CellError(_("Unknown topic: %(names)s.", names=", ".join(unknown)))
    topics = {normalise(n): lookups.topics[normalise(n)] for n in names}
    return list({t.id: t for t in topics.values()}.values())


def _network(cell: Cell, lookups: Lookups) -> Network | None:
    text = cell_text(cell)
    if text and normalise(text) not in lookups.networks:
        raise CellError(_("Unknown network: %(value)s.", value=text))
    return lookups.networks.get(normalise(text)) if text else None


PARSERS: dict[str, Callable[[Cell, Lookups], Any]] = {
    "title": _text(300, N_("The title is missing.")),
    "company": _company,
    "contact": _text(200),
    "kind": _word(KINDS, N_("Unknown kind: %(value)s.")),
    "description": _text(),
    "topics": _topics,
    "priority": _word(PRIORITIES, N_("Unknown priority: %(value)s.")),
    "status": _word(STATUSES, N_("Unknown status: %(value)s.")),
    "reporting_network": _network,
    "responsible_network": _network,
    "source": _word(SOURCES, N_("Unknown source: %(value)s.")),
    "follow_up_date": lambda cell, _lookups: parse_date(cell),
    "recorded_on": lambda cell, _lookups: parse_date(cell),
    "resolution_note": _text(),
    "confidential": _word(BOOLEANS, N_("“%(value)s” is neither yes nor no.")),
}


def read_row(
    number: int, cells: list[Cell], columns: dict[int, tuple[str, str]], lookups: Lookups
) -> tuple[RowValues | None, list[Problem]]:
    """Turn the cells of file row ``number`` into item values, or list every problem.

    ``columns`` maps a column index to ``(field, column label)``.
    """
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    failed: set[str] = set()
    for index, (name, label) in columns.items():
        try:
            values[name] = PARSERS[name](cells[index] if index < len(cells) else "", lookups)
        except CellError as exc:
            problems.append(Problem(number, label, str(exc)))
            failed.add(name)
    labels = {name: label for name, label in columns.values()}
    problems += _cross_checks(number, values, labels, lookups, failed)
    order = {label: index for index, (_name, label) in columns.items()}
    problems.sort(key=lambda p: order.get(p.column, -1))  # as the columns stand in the file
    if problems:
        return None, problems
    return _build(number, row_key(cells), values, lookups), []


def _cross_checks(
    number: int, values: dict, labels: dict, lookups: Lookups, failed: set[str]
) -> list[Problem]:
    """Checks across fields; a field whose cell was already reported is not reported again."""
    problems = []
    if values.get("kind") is None and lookups.default_kind is None and "kind" not in failed:
        problems.append(Problem(number, labels.get("kind", ""), _("The kind is missing.")))
    status = values.get("status")
    if (
        status in NEEDS_RESPONSIBLE
        and values.get("responsible_network") is None
        and "responsible_network" not in failed
    ):
        problems.append(
            Problem(
                number,
                labels["status"],
                _("“%(status)s” needs a responsible network.", status=status.label),
            )
        )
    return problems


def _build(number: int, key: str, values: dict, lookups: Lookups) -> RowValues:
    return RowValues(
        row=number,
        key=key,
        title=values["title"],
        company_name=values["company"],
        kind=values.get("kind") or lookups.default_kind,
        reporting_network=values.get("reporting_network") or lookups.network,
        contact_name=values.get("contact") or "",
        description=values.get("description") or "",
        topics=values.get("topics") or [],
        priority=values.get("priority") or Priority.NORMAL,
        status=values.get("status"),
        responsible_network=values.get("responsible_network"),
        source=values.get("source") or ItemSource.OTHER,
        follow_up_date=values.get("follow_up_date"),
        recorded_on=values.get("recorded_on"),
        resolution_note=values.get("resolution_note") or "",
        confidential=bool(values.get("confidential")),
    )
