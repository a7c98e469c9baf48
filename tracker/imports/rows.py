"""One file row → the values of an item, or the row's problems. Pure functions, no database."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker import limits
from tracker.companies.models import company_key, legal_key
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

KEY_VERSION = "v1"  # of the digest: earlier imports stored it as their key
ROW_KEY_VERSION = "v2"
TOPIC_SEPARATORS = re.compile(r"[,;|\n]+")
NEEDS_RESPONSIBLE = (ItemStatus.ASSIGNED, ItemStatus.IN_PROGRESS, ItemStatus.WAITING)
FORMULA_START = tuple("=+-@")
NUMBER_LIKE = re.compile(r"[+-]?[\d\s/().,-]+")  # "+49 361 123", "-5": not formulas
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    message: str


@dataclass
class Unknown:
    """A network or topic a file names and the register does not know, with its rows."""

    kind: str  # "network" or "topic"
    key: str
    text: str
    rows: list[int] = field(default_factory=list)


@dataclass
class Lookups:
    """What cell values are matched against, and what the office chose in the dry run.

    ``topics`` and ``networks`` are keyed by ``value_key``; a topic key mapped to None is
    left out of the rows. Unknown values are collected in ``unknown``; an unknown topic is
    created (``new_topics``) unless the office chose otherwise.
    """

    topics: dict[str, Topic | None]
    networks: dict[str, Network]
    network: Network  # the reporting network when the row names none
    default_kind: ItemKind | None = None
    without_network: Network | None = None  # for rows whose status needs one and name none
    open_in_progress: bool = False  # open rows naming a network: in progress, not a hand-off
    scope: str = ""  # what running numbers are unique within
    unknown: dict[tuple[str, str], Unknown] = field(default_factory=dict)
    new_topics: dict[str, Topic] = field(default_factory=dict)

    def note_unknown(self, kind: str, text: str, row: int) -> None:
        """Remember an unknown value once, with every row it stands in."""
        entry = self.unknown.setdefault(
            (kind, value_key(text)), Unknown(kind, value_key(text), text)
        )
        if row not in entry.rows:
            entry.rows.append(row)


@dataclass
class RowValues:
    row: int
    key: str  # names the row across corrected versions of the file
    title: str
    company_name: str
    kind: ItemKind
    reporting_network: Network
    digest: str = ""  # fingerprints every cell: an unchanged row is skipped
    running_number: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    description: str = ""
    topics: list[Topic] = field(default_factory=list)
    priority: Priority = Priority.NORMAL
    status: ItemStatus | None = None
    responsible_network: Network | None = None
    source: ItemSource = ItemSource.OTHER
    follow_up_date: date | None = None
    recorded_on: date | None = None
    accepted_on: date | None = None
    closed_on: date | None = None
    resolution_note: str = ""
    confidential: bool = False
    lacked_network: bool = False  # its status needed a responsible network and it named none
    open_in_progress: bool = False

    @property
    def opens_handoff(self) -> bool:
        """An open row naming a responsible network: a hand-off, or in progress there."""
        return self.status in (None, ItemStatus.NEW) and self.responsible_network is not None

    @property
    def expected_status(self) -> ItemStatus:
        """The status the item will have after the import."""
        if self.opens_handoff and self.open_in_progress:
            return ItemStatus.IN_PROGRESS
        if self.status in (None, ItemStatus.NEW, ItemStatus.ASSIGNED):
            return ItemStatus.ASSIGNED if self.responsible_network else ItemStatus.NEW
        return self.status


def value_key(text: str) -> str:
    """Fold a network's or topic's name as people write it: case, spaces, hyphens, "&"/"und".

    "H2 Wartburg" and "h2-wartburg", "Optik & Photonik" and "Optik und Photonik" agree.
    """
    return normalise(str(text).replace("&", " und ")).replace(" ", "")


def identity_key(values: dict, scope: str) -> str:
    """Name a row: the file's running number (within ``scope``), else company, title, date."""
    number = " ".join((values.get("running_number") or "").split()).casefold()
    if number:
        parts = ["nr", scope, number]
    else:
        day = values.get("recorded_on")
        title = " ".join(values["title"].split()).casefold()
        parts = ["fp", legal_key(values["company"]), title, day.isoformat() if day else ""]
    return hashlib.sha256("\x1f".join([ROW_KEY_VERSION, *parts]).encode()).hexdigest()


def formula_cells(number: int, cells: list[Cell], columns: dict[int, tuple[str, str]]):
    """Flag imported cells that a spreadsheet would run as formulas (kept as text)."""
    flagged = []
    for index, (_name, label) in columns.items():
        text = cell_text(cells[index]) if index < len(cells) else ""
        if text.startswith(FORMULA_START) and not NUMBER_LIKE.fullmatch(text):
            message = _("“%(value)s” looks like a formula; it is kept as text.", value=text[:60])
            flagged.append(Problem(number, label, message))
    return flagged


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
    name = " ".join(_text(limits.NAME, N_("The company is missing."))(cell, lookups).split())
    if not company_key(name):
        raise CellError(_("“%(value)s” is not a company name.", value=name))
    return name


def _email(cell: Cell, lookups: Lookups) -> str:
    text = _text(limits.EMAIL)(cell, lookups)
    if text and not EMAIL.fullmatch(text):
        raise CellError(_("“%(value)s” is not an e-mail address.", value=text))
    return text


def _topics(number: int, cell: Cell, lookups: Lookups) -> list[Topic]:
    names = [n.strip() for n in TOPIC_SEPARATORS.split(cell_text(cell)) if n.strip()]
    too_long = [n for n in names if len(n) > limits.TOPIC]
    if too_long:
        raise CellError(_("Longer than %(limit)d characters.", limit=limits.TOPIC))
    topics: dict[int, Topic] = {}
    for name in names:
        key = value_key(name)
        if key in lookups.topics:
            topic = lookups.topics[key]
        else:  # unknown: created under this spelling unless the office chose otherwise
            lookups.note_unknown("topic", name, number)
            topic = lookups.new_topics.setdefault(key, Topic(name=" ".join(name.split())))
        if topic is not None:
            topics.setdefault(id(topic), topic)
    return list(topics.values())


def _network(number: int, cell: Cell, lookups: Lookups) -> Network | None:
    text = cell_text(cell)
    if not text:
        return None
    network = lookups.networks.get(value_key(text))
    if network is None:
        lookups.note_unknown("network", text, number)
        raise CellError(_("Unknown network: %(value)s.", value=text))
    return network


PARSERS: dict[str, Callable[..., Any]] = {
    "running_number": _text(limits.SHORT_NAME),
    "title": _text(limits.TITLE, N_("The title is missing.")),
    "company": _company,
    "contact": _text(limits.NAME),
    "contact_email": _email,
    "contact_phone": _text(limits.PHONE),
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
    "accepted_on": lambda cell, _lookups: parse_date(cell),
    "closed_on": lambda cell, _lookups: parse_date(cell),
    "resolution_note": _text(),
    "confidential": _word(BOOLEANS, N_("“%(value)s” is neither yes nor no.")),
}


NOTES_UNKNOWN = ("topics", "reporting_network", "responsible_network")


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
        cell = cells[index] if index < len(cells) else ""
        parse = PARSERS[name]
        try:
            if name in NOTES_UNKNOWN:  # these note unknown values with the row they stand in
                values[name] = parse(number, cell, lookups)
            else:
                values[name] = parse(cell, lookups)
        except CellError as exc:
            problems.append(Problem(number, label, str(exc)))
            failed.add(name)
    labels = {name: label for name, label in columns.values()}
    problems += _cross_checks(number, values, labels, lookups, failed)
    order = {label: index for index, (_name, label) in columns.items()}
    problems.sort(key=lambda p: order.get(p.column, -1))  # as the columns stand in the file
    if problems:
        return None, problems
    return _build(number, values, lookups, row_key(cells)), []


def _cross_checks(
    number: int, values: dict, labels: dict, lookups: Lookups, failed: set[str]
) -> list[Problem]:
    """Checks across fields; a field whose cell was already reported is not reported again."""
    problems = []
    if values.get("kind") is None and lookups.default_kind is None and "kind" not in failed:
        problems.append(Problem(number, labels.get("kind", ""), _("The kind is missing.")))
    return problems


def _build(number: int, values: dict, lookups: Lookups, digest: str = "") -> RowValues:
    status, responsible = values.get("status"), values.get("responsible_network")
    lacked = status in NEEDS_RESPONSIBLE and responsible is None
    if lacked and lookups.without_network is not None:
        responsible, lacked = lookups.without_network, False
    return RowValues(
        row=number,
        key=identity_key(values, lookups.scope),
        digest=digest,
        running_number=values.get("running_number") or "",
        title=values["title"],
        company_name=values["company"],
        kind=values.get("kind") or lookups.default_kind,
        reporting_network=values.get("reporting_network") or lookups.network,
        contact_name=values.get("contact") or "",
        contact_email=values.get("contact_email") or "",
        contact_phone=values.get("contact_phone") or "",
        description=values.get("description") or "",
        topics=values.get("topics") or [],
        priority=values.get("priority") or Priority.NORMAL,
        status=ItemStatus.NEW if lacked else status,
        responsible_network=responsible,
        source=values.get("source") or ItemSource.OTHER,
        follow_up_date=values.get("follow_up_date"),
        recorded_on=values.get("recorded_on"),
        accepted_on=values.get("accepted_on"),
        closed_on=values.get("closed_on"),
        resolution_note=values.get("resolution_note") or "",
        confidential=bool(values.get("confidential")),
        lacked_network=lacked,
        open_in_progress=lookups.open_in_progress,
    )
