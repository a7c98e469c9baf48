"""Cell values: dates as Germans and ISO write them, and the words for the item's enums."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from tracker.i18n import _
from tracker.imports.mapping import cell_text
from tracker.imports.reader import Cell
from tracker.items.models import ItemKind, ItemSource, ItemStatus, Priority
from tracker.ranges import in_date_range

GERMAN_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})")
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?")
EXCEL_SERIALS = (20000, 80000)  # whole numbers in a date column: days since 1899, 1954 to 2119


def _words(table: dict) -> dict[str, Any]:
    return {word: member for member, words in table.items() for word in words.split()}


KINDS = _words(
    {
        ItemKind.NEED: "bedarf bedarfe need needs",
        ItemKind.REQUEST: "anfrage anfragen request requests",
        ItemKind.WISH: "wunsch wuensche wish wishes",
    }
)
STATUSES = _words(
    {
        ItemStatus.NEW: "neu new offen open",
        ItemStatus.ASSIGNED: "zugewiesen uebergeben wartetaufuebernahme assigned "
        "awaitingacceptance handedoff",
        ItemStatus.IN_PROGRESS: "inbearbeitung bearbeitung inarbeit laufend angenommen "
        "inprogress ongoing accepted",
        ItemStatus.WAITING: "wartend wartet wartetaufrueckmeldung pausiert waiting onhold",
        ItemStatus.DONE: "erledigt abgeschlossen fertig geloest geschlossen done closed "
        "completed resolved",
        ItemStatus.DECLINED: "abgelehnt verworfen declined rejected",
    }
)
PRIORITIES = _words(
    {
        Priority.LOW: "niedrig gering low",
        Priority.NORMAL: "normal mittel medium",
        Priority.HIGH: "hoch wichtig high",
        Priority.URGENT: "dringend sehrhoch eilig urgent",
    }
)
SOURCES = _words(
    {
        ItemSource.MEETING: "sitzung runde meeting",
        ItemSource.PHONE: "telefon telefonisch anruf phone call",
        ItemSource.MAIL: "mail email post emails",
        ItemSource.EVENT: "veranstaltung messe event",
        ItemSource.VISIT: "besuch unternehmensbesuch firmenbesuch visit companyvisit",
        ItemSource.OTHER: "sonstiges sonstige andere other",
    }
)
BOOLEANS = _words({True: "ja j x 1 yes y true wahr vertraulich", False: "nein n 0 no false falsch"})


class CellError(ValueError):
    """A cell's value cannot be used; the message says why, for the user."""


def parse_date(cell: Cell) -> date | None:
    """Read ``dd.mm.yyyy``, ``d.m.yy``, ``yyyy-mm-dd``, spreadsheet dates; empty gives None.

    Dates outside the app's range (2000 to 2100) are refused like every form's dates.
    """
    day = _read_date(cell)
    if day is not None and not in_date_range(day):
        raise CellError(_("“%(value)s” is not a valid date.", value=cell_text(cell) or day))
    return day


def _read_date(cell: Cell) -> date | None:
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, date):
        return cell
    if _is_serial(cell):
        return date.fromordinal(date(1899, 12, 30).toordinal() + int(cell))
    text = cell_text(cell)
    if not text:
        return None
    if match := GERMAN_DATE.fullmatch(text):
        day, month, year = (int(g) for g in match.groups())
        return _date(text, year + 2000 if year < 100 else year, month, day)
    if match := ISO_DATE.fullmatch(text):
        return _date(text, *(int(g) for g in match.groups()))
    raise CellError(_("“%(value)s” is not a date; please write dd.mm.yyyy.", value=text))


def _is_serial(cell: Cell) -> bool:
    if not isinstance(cell, int | float) or isinstance(cell, bool):
        return False
    return EXCEL_SERIALS[0] <= cell < EXCEL_SERIALS[1] and float(cell).is_integer()


def _date(text: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise CellError(_("“%(value)s” is not a valid date.", value=text)) from exc
