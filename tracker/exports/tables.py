"""Tables as CSV and XLSX: data in, bytes out, nothing a spreadsheet would execute."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO, StringIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tracker.characters import xml_safe

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
MAX_WIDTH = 60
WIDTH_SAMPLE = 2000
BOLD = Font(bold=True)


@dataclass(frozen=True)
class Formats:
    """How dates are written: strftime patterns for CSV, number formats for XLSX."""

    separator: str
    date_pattern: str
    datetime_pattern: str
    date_number_format: str
    datetime_number_format: str


FORMATS = {
    "de": Formats(";", "%d.%m.%Y", "%d.%m.%Y %H:%M", "DD.MM.YYYY", "DD.MM.YYYY HH:MM"),
    "en": Formats(",", "%Y-%m-%d", "%Y-%m-%d %H:%M", "YYYY-MM-DD", "YYYY-MM-DD HH:MM"),
}


def neutralise(text: str) -> str:
    """Prefix a quote to text a spreadsheet would read as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_text(value, formats: Formats) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime(formats.datetime_pattern)
    if isinstance(value, date):
        return value.strftime(formats.date_pattern)
    return neutralise(xml_safe(str(value)))


def table_csv(headers: Sequence[str], rows: Sequence[Sequence], formats: Formats) -> bytes:
    """A table as UTF-8 CSV with BOM, so that Excel picks the encoding and the separator."""
    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=formats.separator, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in headers])
    writer.writerows([_csv_text(v, formats) for v in row] for row in rows)
    return (BOM + buffer.getvalue()).encode("utf-8")


def xlsx_cell(sheet: WriteOnlyWorksheet, value, formats: Formats, bold: bool = False):
    """A cell value that keeps text as text (never a formula) and dates as real dates.

    Plain values are passed through: wrapping every value in a cell object is slow.
    """
    if isinstance(value, str):
        value = xml_safe(value)
        if not bold and not value.startswith("="):
            return value
    elif not isinstance(value, date):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # "=..." stays text
    elif isinstance(value, datetime):
        cell.number_format = formats.datetime_number_format
    else:
        cell.number_format = formats.date_number_format
    if bold:
        cell.font = BOLD
    return cell


def _width(value) -> int:
    if isinstance(value, datetime):
        return 17
    if isinstance(value, date):
        return 11
    return max((len(line) for line in str(value or "").splitlines()), default=0)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence]) -> list[float]:
    """Widths fitting the header and the longest value of the first rows, within bounds."""
    widths = [len(h) for h in headers]
    for row in rows[:WIDTH_SAMPLE]:
        widths = [max(w, _width(v)) for w, v in zip(widths, row, strict=False)]
    return [min(max(w, 6), MAX_WIDTH) + 2 for w in widths]


def table_sheet(
    book: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Sequence[Sequence],
    formats: Formats,
) -> None:
    """Add a sheet with a bold, frozen header row, an autofilter and fitting columns."""
    sheet = book.create_sheet(title=sheet_title(title))
    for index, width in enumerate(column_widths(headers, rows), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    last = get_column_letter(max(len(headers), 1))
    sheet.auto_filter.ref = f"A1:{last}{len(rows) + 1}"
    sheet.append([xlsx_cell(sheet, h, formats, bold=True) for h in headers])
    for row in rows:
        sheet.append([xlsx_cell(sheet, v, formats) for v in row])


def sheet_title(title: str) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("-" if ch in "[]:*?/\\" else ch for ch in title).strip("'")
    return cleaned[:31] or "Sheet"


def save(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def table_xlsx(
    title: str, headers: Sequence[str], rows: Sequence[Sequence], formats: Formats
) -> bytes:
    """A table as an XLSX workbook of one sheet, written row by row."""
    book = Workbook(write_only=True)
    table_sheet(book, title, headers, rows, formats)
    return save(book)
