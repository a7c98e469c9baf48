"""Crafted import files: small on disk, huge when read. Each is refused quickly, in bounded memory."""

import io
import re
import time
import tracemalloc
import zipfile

import pytest
from openpyxl import Workbook
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tracker.imports import reader
from tracker.imports.reader import ReadError, read_sheet

SECONDS = 5  # each read, generous for a loaded 2-core machine; the old code took minutes
PEAK_MB = 150


def _workbook(fill) -> bytes:
    book = Workbook()
    fill(book.active)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _rewrite(data: bytes, name: str, change) -> bytes:
    """Copy an XLSX, passing the part ``name`` through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == name:
                body = change(body)
            dst.writestr(info, body, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _declared_whole_sheet() -> bytes:
    data = _workbook(lambda ws: ws.append(["Firma", "Titel"]))
    return _rewrite(
        data,
        "xl/worksheets/sheet1.xml",
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', xml),
    )


def _cell_in_last_column() -> bytes:
    def fill(ws):
        ws.append(["Firma", "Titel"])
        ws["XFD1"] = "x"

    return _workbook(fill)


def _huge_shared_string() -> bytes:
    """A shared string of 100 MB, packed into a few hundred KB."""
    data = _workbook(lambda ws: ws.append(["Firma", "Titel"]))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            if info.filename != "xl/sharedStrings.xml":
                dst.writestr(info, src.read(info), compress_type=zipfile.ZIP_DEFLATED)
        strings = zipfile.ZipInfo("xl/sharedStrings.xml")
        strings.compress_type = zipfile.ZIP_DEFLATED
        with dst.open(strings, "w") as part:
            part.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
                       b' count="2" uniqueCount="2"><si><t>Firma</t></si><si><t>')
            for _ in range(100):
                part.write(b"A" * 2**20)
            part.write(b"</t></si></sst>")
    return out.getvalue()


def _read(data: bytes, filename: str):
    try:
        return read_sheet(data, filename)
    except ReadError as exc:
        return exc


def _measured(data: bytes, filename: str):
    """The outcome, the seconds it took, and the peak of Python's memory (a second run)."""
    started = time.perf_counter()
    outcome = _read(data, filename)
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        _read(data, filename)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return outcome, seconds, peak


CRAFTED = {
    "xlsx declaring A1:XFD1048576": (_declared_whole_sheet, "a.xlsx"),
    "xlsx with a cell in column XFD": (_cell_in_last_column, "b.xlsx"),
    "xlsx with a 100 MB shared string": (_huge_shared_string, "c.xlsx"),
    "csv with 20,000 columns": (lambda: b"Firma;Titel" + b";x" * 20_000 + b"\n", "d.csv"),
    "csv with 1,000,000 columns": (lambda: b";" * 1_000_000 + b"\n", "e.csv"),
    "csv with a 1 MB cell": (lambda: b"Firma;Titel\nA;" + b"x" * 2**20 + b"\n", "f.csv"),
    "csv with 60,000 rows": (lambda: b"Firma;Titel\n" + b"A;B\n" * 60_000, "g.csv"),
}


@pytest.mark.parametrize("name", list(CRAFTED))
def test_crafted_file_is_read_or_refused_quickly_in_bounded_memory(app, name):
    make, filename = CRAFTED[name]
    outcome, seconds, peak = _measured(make(), filename)
    assert seconds < SECONDS, f"{name}: {seconds:.1f} s"
    assert peak < PEAK_MB, f"{name}: {peak:.0f} MB"
    if isinstance(outcome, ReadError):
        assert outcome.message  # a sentence for the user, not a trace
    else:
        assert len(outcome.rows) <= reader.MAX_ROWS
        assert all(len(cells) <= reader.MAX_COLUMNS for _n, cells in outcome.rows)


def test_too_many_columns_says_which_row(app):
    with pytest.raises(ReadError, match="Zeile 1|Row 1"):
        read_sheet(b"x;" * 1_000 + b"\n", "wide.csv")


def test_declared_dimension_does_not_make_rows(app):
    sheet = read_sheet(_declared_whole_sheet(), "a.xlsx")
    assert sheet.rows == [(1, ["Firma", "Titel"])]


def test_zip_bomb_is_refused_before_it_is_unpacked(app):
    with pytest.raises(ReadError, match="MB"):
        read_sheet(_huge_shared_string(), "c.xlsx")


@pytest.fixture
def office(login, make_user, make_network):
    make_network("NetzA")
    user = make_user("admin")
    login(user)
    return user


@pytest.mark.parametrize("name", list(CRAFTED))
def test_crafted_upload_answers_quickly_without_a_server_error(client, office, name):
    make, filename = CRAFTED[name]
    started = time.perf_counter()
    # Encoded here: the test client would spool a large body to a file it never closes.
    boundary, body = encode_multipart(MultiDict({"file": FileStorage(io.BytesIO(make()), filename)}))
    response = client.post(
        "/import/", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    seconds = time.perf_counter() - started
    assert response.status_code in (200, 400, 413, 422), response.status_code
    assert seconds < 2 * SECONDS, f"{name}: {seconds:.1f} s"
