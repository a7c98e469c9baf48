"""Reading an uploaded register: CSV (UTF-8 or Windows-1252, ``;`` ``,`` or tab) or XLSX."""

from __future__ import annotations

import base64
import binascii
import csv
import io
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.exceptions import ValidationFailed
from tracker.i18n import _

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # leaves room for the base64 round trip in a 16 MiB request
MAX_BLANK_XLSX_ROWS = 1000
# Bounds that hold while a file is read, so that a small crafted file cannot make a large
# table: an office register has a few dozen columns and cells of a few lines.
MAX_ROWS = 50_000
MAX_COLUMNS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_XLSX_UNPACKED = 64 * 1024 * 1024  # all parts of the zip together, as declared in it
SNIFF_CHARS = 64 * 1024
DELIMITERS = ";,\t"
BOMS = (("utf-8-sig", b"\xef\xbb\xbf"), ("utf-16", b"\xff\xfe"), ("utf-16", b"\xfe\xff"))

Cell = str | date | int | float
Row = tuple[int, list[Cell]]  # (row number as in the file, cells)


class ReadError(ValidationFailed):
    """The file cannot be read as a register; the message says why."""

    def __init__(self, message: str):
        super().__init__(message, field="file")


@dataclass
class Sheet:
    """The rows of an uploaded file, numbered as a spreadsheet program shows them."""

    rows: list[Row]
    kind: str  # "csv" or "xlsx"
    encoding: str = ""
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def read_sheet(data: bytes, filename: str = "") -> Sheet:
    """Read ``data`` as XLSX or CSV, or raise ReadError with a message for the user."""
    if not data.strip():
        raise ReadError(_("The file is empty."))
    if len(data) > MAX_IMPORT_BYTES:
        raise ReadError(
            _("The file is too large (at most %(mb)d MB).", mb=MAX_IMPORT_BYTES // 2**20)
        )
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm")):
        raise ReadError(_("This is not a readable XLSX file."))
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ReadError(_("This is an old Excel file (.xls). Please save it as .xlsx or CSV."))
    sheet = read_csv(*decode(data))
    if not any(cells for _number, cells in sheet.rows):
        raise ReadError(_("The file contains no rows."))
    return sheet


def decode(data: bytes) -> tuple[str, str]:
    """Return the text and its encoding: a BOM decides, else UTF-8, else Windows-1252."""
    for encoding, bom in BOMS:
        if data.startswith(bom):
            return _decode(data, encoding), encoding
    if b"\x00" in data[:4096]:
        raise ReadError(_("This is not a CSV or XLSX file."))
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return _decode(data, "cp1252"), "cp1252"


def _decode(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ReadError(_("This is not a CSV or XLSX file.")) from exc
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text[:4096]):
        raise ReadError(_("This is not a CSV or XLSX file."))
    return text


def sniff_delimiter(text: str) -> str:
    """Guess the separator with csv.Sniffer; fall back on the most frequent one in the header."""
    lines = text[:SNIFF_CHARS].splitlines()
    sample = "\n".join(lines[:20])
    first = next((line for line in lines if line.strip()), "")
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = ""
    if delimiter and first.count(delimiter):
        return delimiter
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def read_csv(text: str, encoding: str = "") -> Sheet:
    """Split CSV text into numbered rows; a quoted line break stays inside its row."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        for number, cells in enumerate(reader, start=1):
            rows.append((number, _bounded(number, _trim(cells))))
    except csv.Error as exc:
        raise ReadError(_("The CSV file cannot be read: %(error)s", error=str(exc))) from exc
    return Sheet(rows=rows, kind="csv", encoding=encoding, delimiter=delimiter)


def _bounded(number: int, cells: list[Cell]) -> list[Cell]:
    """Refuse a row past the limits of rows, columns and cell size, saying which."""
    if number > MAX_ROWS:
        raise ReadError(_("The file has more than %(max)d rows.", max=MAX_ROWS))
    if len(cells) > MAX_COLUMNS:
        raise ReadError(
            _("Row %(row)d has more than %(max)d columns.", row=number, max=MAX_COLUMNS)
        )
    if any(isinstance(c, str) and len(c) > MAX_CELL_CHARS for c in cells):
        raise ReadError(
            _(
                "Row %(row)d has a cell longer than %(max)d characters.",
                row=number,
                max=MAX_CELL_CHARS,
            )
        )
    return cells


def _trim(cells: list) -> list[Cell]:
    cells = [c.strip() if isinstance(c, str) else c for c in cells]
    while cells and cells[-1] in ("", None):
        cells.pop()
    return ["" if c is None else c for c in cells]


def read_xlsx(data: bytes) -> Sheet:
    """Read the first worksheet of an XLSX file, values only (never formulas)."""
    from openpyxl import load_workbook

    _check_unpacked_size(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not know
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = _xlsx_rows(book.worksheets[0])
            book.close()
    except ReadError:
        raise
    except Exception as exc:  # a damaged file fails anywhere in the zip and XML stack
        raise ReadError(_("This is not a readable XLSX file.")) from exc
    if not any(cells for _number, cells in rows):
        raise ReadError(_("The first worksheet contains no rows."))
    return Sheet(rows=rows, kind="xlsx")


def _check_unpacked_size(data: bytes) -> None:
    """Refuse an XLSX whose parts unpack to more than the limit (a zip bomb is small)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ReadError(_("This is not a readable XLSX file.")) from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise ReadError(
            _(
                "The XLSX file unpacks to more than %(mb)d MB.",
                mb=MAX_XLSX_UNPACKED // 2**20,
            )
        )


def _xlsx_rows(sheet) -> list[Row]:
    # The declared dimension (up to A1:XFD1048576) is not trusted: rows are read as they
    # are in the file, and no wider than one column past the limit.
    sheet.reset_dimensions()
    rows: list[Row] = []
    blank = 0
    values_by_row = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
    for number, values in enumerate(values_by_row, start=1):
        cells = _bounded(number, _trim([_xlsx_cell(v) for v in values]))
        blank = 0 if cells else blank + 1
        if blank > MAX_BLANK_XLSX_ROWS:  # formatting down to row 1048576 holds no data
            break
        rows.append((number, cells))
    return rows


def _xlsx_cell(value) -> Cell:
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date | int | float | str):
        return value
    return "" if value is None else str(value)


def pack(data: bytes) -> str:
    """Encode the file for a hidden form field, so that no copy is kept on the server."""
    return base64.urlsafe_b64encode(zlib.compress(data, 6)).decode("ascii")


def unpack(text: str) -> bytes:
    """Decode a hidden form field written by ``pack``; refuse anything larger than allowed."""
    try:
        packed = base64.urlsafe_b64decode((text or "").encode("ascii"))
        inflater = zlib.decompressobj()
        data = inflater.decompress(packed, MAX_IMPORT_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error) as exc:
        raise ReadError(_("The uploaded file was lost. Please upload it again.")) from exc
    if not data or not inflater.eof or inflater.unconsumed_tail:
        raise ReadError(_("The uploaded file was lost. Please upload it again."))
    return data
