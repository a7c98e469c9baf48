"""Fuzzing the import reader: whatever bytes arrive, it reads them or says why, quickly.

Never an exception other than ReadError, never a table past the limits.
"""

import io
import time
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker.imports import reader
from tracker.imports.reader import ReadError, read_sheet

SECONDS = 2
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

cells = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
rows = st.lists(st.lists(cells, max_size=12), min_size=1, max_size=30)


def _read(data: bytes, filename: str):
    started = time.perf_counter()
    try:
        sheet = read_sheet(data, filename)
    except ReadError as exc:
        assert exc.message
        sheet = None
    assert time.perf_counter() - started < SECONDS
    if sheet is not None:
        assert len(sheet.rows) <= reader.MAX_ROWS
        assert all(len(c) <= reader.MAX_COLUMNS for _n, c in sheet.rows)
    return sheet


@FUZZ
@given(data=st.binary(max_size=4096), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", ""]))
def test_any_bytes_are_read_or_refused(app, data, name):
    _read(data, name)


@FUZZ
@given(table=rows, delimiter=st.sampled_from([";", ",", "\t", "|"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]))
def test_any_csv_text_is_read_or_refused(app, table, delimiter, encoding):
    text = "\n".join(delimiter.join(row) for row in table)
    _read(text.encode(encoding, errors="replace"), "register.csv")


@FUZZ
@given(parts=st.dictionaries(
    st.sampled_from(["[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml",
                     "xl/sharedStrings.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels"]),
    st.binary(max_size=2048), min_size=1))
def test_any_zip_posing_as_xlsx_is_read_or_refused(app, parts):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in parts.items():
            archive.writestr(name, body)
    _read(out.getvalue(), "register.xlsx")
