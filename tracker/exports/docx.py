"""A meeting's agenda or minutes as a Word document (python-docx), in the German layout."""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from docx import Document
from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from tracker.characters import xml_safe_data
from tracker.config import Config
from tracker.exports.data import Labels, MeetingDocument, Minutes, Point

GREY = RGBColor(0x44, 0x44, 0x44)
RED = RGBColor(0xA3, 0x00, 0x00)
# Word's language tags for the app's locales; the English texts use British spelling.
LANGUAGE_TAGS = {"de": "de-DE", "en": "en-GB"}
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"


def language_tag(locale: str) -> str:
    """The tag Word spell-checks with for an export locale ("de" -> "de-DE")."""
    base = str(locale).replace("_", "-").split("-")[0]
    return LANGUAGE_TAGS.get(base, str(locale).replace("_", "-"))


def _child(parent, tag: str, first: bool = False):
    """The element's child ``tag``, added (first or last) when it is missing."""
    child = parent.find(qn(tag))
    if child is None:
        child = OxmlElement(tag)
        parent.insert(0 if first else len(parent), child)
    return child


def _run_language(document: DocxDocument, tag: str) -> None:
    """Make ``tag`` the language of every run: docDefaults and each style that names one.

    python-docx's template says en-US there, so Word would spell-check German as English.
    """
    styles = document.styles.element
    defaults = _child(_child(styles, "w:docDefaults", first=True), "w:rPrDefault", first=True)
    _child(_child(defaults, "w:rPr"), "w:lang")
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), tag)
        lang.set(qn("w:eastAsia"), tag)
    for theme_lang in document.settings.element.iter(qn("w:themeFontLang")):
        theme_lang.set(qn("w:val"), tag)


def _drop_styles_with_effects(document: DocxDocument) -> None:
    """Drop the template's Word 2010 copy of the styles, which still says en-US.

    Word reads styles.xml when the copy is missing.
    """
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype == STYLES_WITH_EFFECTS:
            document.part.drop_rel(rel_id)


def set_metadata(document: DocxDocument, *, locale: str, title: str, author: str) -> None:
    """Tag a new document with its language, title and author, for Word's spell checker.

    Every DOCX the app writes goes through here, so none says en-US or "python-docx".
    """
    tag = language_tag(locale)
    properties = document.core_properties
    properties.language = tag
    properties.title = title
    properties.author = properties.last_modified_by = author
    properties.comments = properties.keywords = properties.subject = ""
    properties.created = properties.modified = datetime.now(UTC).replace(microsecond=0)
    properties.revision = 1
    _run_language(document, tag)
    _drop_styles_with_effects(document)


def _page_setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(18)
    section.top_margin, section.bottom_margin = Mm(18), Mm(20)
    document.styles["Normal"].font.size = Pt(10)


def _field(paragraph: Paragraph, instruction: str) -> None:
    """Insert a field that Word fills in when it lays out the page (PAGE, NUMPAGES)."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)


def _footer(document: DocxDocument, doc: MeetingDocument) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    before, middle, after = doc.labels.page
    paragraph.add_run(f"{doc.labels.document}: {doc.title}, {doc.date_text}\t\t{before}")
    _field(paragraph, "PAGE")
    paragraph.add_run(middle)
    _field(paragraph, "NUMPAGES")
    paragraph.add_run(after)
    for run in paragraph.runs:
        run.font.size = Pt(8)


def _line(document: DocxDocument, label: str, value: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(value)


def _header(document: DocxDocument, doc: MeetingDocument) -> None:
    labels = doc.labels
    document.add_heading(f"{labels.document}: {doc.title}", level=0)
    if doc.cancelled or doc.draft:
        run = document.add_paragraph().add_run(labels.cancelled if doc.cancelled else labels.draft)
        run.bold, run.font.color.rgb = True, RED
    copy = document.add_paragraph().add_run(doc.copy_text)
    copy.italic, copy.bold = doc.variant != "internal", doc.variant == "internal"
    copy.font.color.rgb = RED if doc.variant == "internal" else GREY
    _line(document, labels.date, f"{doc.date_text}, {doc.time_text}")
    if doc.video_link and doc.minutes is None:
        _line(document, labels.video, doc.video_link)
    if doc.minutes is not None:
        _line(document, labels.present, ", ".join(doc.present) or "–")
        _line(document, labels.absent, ", ".join(doc.absent) or "–")
        _line(document, doc.minutes.labels.persons, ", ".join(doc.minutes.persons) or "–")


def _details(document: DocxDocument, point: Point, labels: Labels) -> None:
    parts = ([f"{labels.company}: {point.company}"] if point.company else []) + point.facts
    if not parts and not point.stale:
        return
    paragraph = document.add_paragraph()
    paragraph.add_run(" · ".join(parts)).font.color.rgb = GREY
    if point.stale:
        stale = paragraph.add_run((" · " if parts else "") + labels.stale)
        stale.bold, stale.font.color.rgb = True, RED
    for run in paragraph.runs:
        run.font.size = Pt(8.5)


def _outcome_table(document: DocxDocument, point: Point, labels: Labels) -> Table:
    """Beschluss / Aufgabe / Verantwortlich / Termin, the decision spanning the task rows."""
    rows = len(point.tasks)
    table = document.add_table(rows=rows + 1, cols=4)
    table.style = "Table Grid"
    headings = (point.decision_label, labels.task, labels.owner, labels.due)
    for cell, text in zip(table.rows[0].cells, headings, strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    table.cell(1, 0).text = point.decision.strip()
    for index, task in enumerate(point.tasks, start=1):
        done = f" ({labels.done})" if task.done else ""
        table.cell(index, 1).text = task.title + done
        table.cell(index, 2).text = task.owner
        table.cell(index, 3).text = task.due_text
    if rows > 1:
        table.cell(1, 0).merge(table.cell(rows, 0))
    return table


def _outcome(document: DocxDocument, point: Point, labels: Labels) -> None:
    if point.note.strip():
        _line(document, point.note_label, point.note.strip())
    if point.tasks:
        _outcome_table(document, point, labels)
    elif point.decision.strip():
        _line(document, point.decision_label, point.decision.strip())


def _points(document: DocxDocument, doc: MeetingDocument, level: int) -> None:
    """The TOPs under their groups' headings."""
    for section in doc.sections:
        if section.heading:
            document.add_heading(section.heading, level=level)
        for point in section.points:
            document.add_heading(f"{point.label} {point.title}", level=level + 1)
            _details(document, point, doc.labels)
            if doc.is_minutes:
                _outcome(document, point, doc.labels)
    if not doc.sections:
        empty = doc.minutes.labels.nothing_discussed if doc.minutes else doc.labels.empty
        document.add_paragraph(empty)


def _rows(document: DocxDocument, rows: list[tuple[str, ...]], widths: tuple[int, ...]) -> None:
    """A compact table without a heading row: the summary's and the list "vertagt"'s lines."""
    table = document.add_table(rows=len(rows), cols=len(widths))
    table.style = "Table Grid"
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value, width in zip(row.cells, values, widths, strict=True):
            cell.text, cell.width = value, Mm(width)
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)


def _summary(document: DocxDocument, doc: MeetingDocument, minutes: Minutes) -> None:
    texts, labels = minutes.labels, doc.labels
    document.add_heading(texts.decisions, level=1)
    if minutes.decisions:
        rows = [(d.label, d.title, d.text) for d in minutes.decisions]
        _rows(document, rows, (20, 65, 87))
    else:
        document.add_paragraph(texts.no_decisions)
    document.add_heading(texts.tasks, level=1)
    for group in minutes.tasks:
        document.add_heading(group.owner, level=3)
        rows = [
            (task.title + (f" ({labels.done})" if task.done else ""), task.point, task.due_text)
            for task in group.tasks
        ]
        _rows(document, rows, (118, 27, 27))
    if not minutes.tasks:
        document.add_paragraph(texts.no_tasks)


def _minutes(document: DocxDocument, doc: MeetingDocument, minutes: Minutes) -> None:
    """The summary first; the discussed TOPs; the compact list "vertagt"."""
    _summary(document, doc, minutes)
    document.add_heading(minutes.labels.discussed, level=1)
    _points(document, doc, level=2)
    document.add_heading(minutes.labels.deferred, level=1)
    if minutes.deferred:
        _rows(document, [(d.label, d.title, d.reason) for d in minutes.deferred], (20, 100, 52))
    else:
        document.add_paragraph("–")


def render(doc: MeetingDocument, author: str = Config.ORGANISATION_NAME) -> bytes:
    """Write the agenda or minutes as a .docx file, ``author`` the initiative."""
    doc = xml_safe_data(doc)  # old rows may hold characters that XML forbids
    document = Document()
    set_metadata(
        document, locale=doc.locale, title=f"{doc.labels.document}: {doc.title}", author=author
    )
    _page_setup(document)
    _footer(document, doc)
    _header(document, doc)
    if doc.minutes is not None:
        _minutes(document, doc, doc.minutes)
    else:
        _points(document, doc, level=1)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()
