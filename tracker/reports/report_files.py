"""The funders' report as XLSX and DOCX: data in, bytes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tracker.characters import xml_safe_data
from tracker.exports.docx import set_metadata
from tracker.exports.tables import BOLD, Formats, save, sheet_title, table_sheet, xlsx_cell


@dataclass(frozen=True)
class Figure:
    """One line of the summary: a label, the number, how it reads, how a sheet formats it."""

    label: str
    value: float | int | None
    text: str
    number_format: str = "0"


@dataclass(frozen=True)
class Breakdown:
    """Received and closed items per kind or per topic."""

    heading: str
    headers: list[str]
    rows: list[tuple[str, int, int]]


@dataclass(frozen=True)
class NetworkTable:
    """The networks side by side: per row a short name, a full name and the figures."""

    heading: str
    headers: list[str]
    rows: list[tuple[str, str, list[Figure]]]
    total: tuple[str, str, list[Figure]]


@dataclass
class ReportDocument:
    """Everything the files show, already in the reader's language."""

    title: str
    period: str
    generated: str
    note: str
    figures_sheet: str
    items_sheet: str
    summary_heading: str
    items_heading: str
    locale: str
    author: str
    summary: list[Figure] = field(default_factory=list)
    breakdowns: list[Breakdown] = field(default_factory=list)
    item_headers: list[str] = field(default_factory=list)
    item_rows: list[list] = field(default_factory=list)
    docx_item_columns: tuple[int, ...] = (0, 1)
    networks: NetworkTable | None = None  # the initiative's report only
    networks_sheet: str = ""


def _number(sheet: WriteOnlyWorksheet, figure: Figure, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=figure.value)
    cell.number_format = figure.number_format
    if bold:
        cell.font = BOLD
    return cell


def _figures_sheet(book: Workbook, doc: ReportDocument, formats: Formats) -> None:
    sheet = book.create_sheet(title=sheet_title(doc.figures_sheet))
    for column, width in (("A", 52), ("B", 14), ("C", 14)):
        sheet.column_dimensions[column].width = width

    def line(*values, bold: bool = False) -> None:
        sheet.append([xlsx_cell(sheet, value, formats, bold=bold) for value in values])

    line(doc.title, bold=True)
    line(doc.period)
    line(doc.generated)
    sheet.append([])
    line(doc.summary_heading, bold=True)
    for figure in doc.summary:
        sheet.append([xlsx_cell(sheet, figure.label, formats), _number(sheet, figure)])
    for breakdown in doc.breakdowns:
        sheet.append([])
        line(*breakdown.headers, bold=True)
        for label, received, closed in breakdown.rows:
            sheet.append([xlsx_cell(sheet, label, formats), received, closed])
    sheet.append([])
    line(doc.note)


def _networks_sheet(book: Workbook, table: NetworkTable, title: str, formats: Formats) -> None:
    sheet = book.create_sheet(title=sheet_title(title))
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 40
    for column in "CDEFGHI":
        sheet.column_dimensions[column].width = 14
    sheet.freeze_panes = "C2"
    headers = [table.headers[0], "", *table.headers[1:]]
    sheet.append([xlsx_cell(sheet, h, formats, bold=True) for h in headers])
    for short_name, name, numbers in table.rows:
        cells = [xlsx_cell(sheet, short_name, formats), xlsx_cell(sheet, name, formats)]
        sheet.append(cells + [_number(sheet, figure) for figure in numbers])
    label, _name, numbers = table.total
    total = [xlsx_cell(sheet, label, formats, bold=True), None]
    sheet.append(total + [_number(sheet, figure, bold=True) for figure in numbers])


def report_xlsx(doc: ReportDocument, formats: Formats) -> bytes:
    """One sheet with the figures, one with the networks side by side (the initiative's
    report only), one with the items behind them."""
    book = Workbook(write_only=True)
    _figures_sheet(book, doc, formats)
    if doc.networks is not None:
        _networks_sheet(book, doc.networks, doc.networks_sheet, formats)
    table_sheet(book, doc.items_sheet, doc.item_headers, doc.item_rows, formats)
    return save(book)


def _setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    document.styles["Normal"].font.size = Pt(10)


def _table(document: DocxDocument, headers: list[str], rows: list[list[str]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Light Grid Accent 1"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].add_run(header).bold = True
    for values in rows:
        for index, (cell, value) in enumerate(zip(table.add_row().cells, values, strict=True)):
            cell.text = value
            if index and value[:1].isdigit():
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _networks_table(document: DocxDocument, table: NetworkTable) -> None:
    document.add_heading(table.heading, level=1)
    rows = [[label, *(f.text for f in numbers)] for label, _name, numbers in table.rows]
    _table(document, table.headers, rows)
    total = document.tables[-1].add_row().cells
    label, _name, numbers = table.total
    for cell, value in zip(total, [label, *(f.text for f in numbers)], strict=True):
        run = cell.paragraphs[0].add_run(value)
        run.bold = True
        if cell is not total[0]:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _text(value, date_pattern: str) -> str:
    if value is None:
        return ""
    return value.strftime(date_pattern) if isinstance(value, date) else str(value)


def report_docx(doc: ReportDocument, date_pattern: str) -> bytes:
    """Title, period, the summary (and the networks side by side), received and closed by kind
    and topic, and the items."""
    doc = xml_safe_data(doc)  # old rows may hold characters that XML forbids
    document = Document()
    set_metadata(document, locale=doc.locale, title=doc.title, author=doc.author)
    _setup(document)
    document.add_heading(doc.title, level=0)
    document.add_paragraph(doc.period)
    document.add_paragraph().add_run(doc.generated).italic = True
    document.add_heading(doc.summary_heading, level=1)
    _table(document, [doc.summary_heading, ""], [[f.label, f.text] for f in doc.summary])
    if doc.networks is not None:
        _networks_table(document, doc.networks)
    for breakdown in doc.breakdowns:
        document.add_heading(breakdown.heading, level=1)
        rows = [[label, str(received), str(closed)] for label, received, closed in breakdown.rows]
        _table(document, breakdown.headers, rows)
    document.add_paragraph().add_run(doc.note).italic = True
    document.add_heading(doc.items_heading, level=1)
    columns = doc.docx_item_columns
    rows = [[_text(row[i], date_pattern) for i in columns] for row in doc.item_rows]
    _table(document, [doc.item_headers[i] for i in columns], rows)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
