"""Reading uploaded files: encodings, separators, XLSX, garbage, and the hidden-field round trip."""

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from tracker.imports.reader import MAX_IMPORT_BYTES, ReadError, pack, read_sheet, unpack

DATA = Path(__file__).parent / "data" / "imports"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_read_windows_1252_file_keeps_umlauts_and_numbers_rows_as_excel(app):
    sheet = read_sheet((DATA / "register-messy-cp1252.csv").read_bytes())
    assert (sheet.kind, sheet.encoding, sheet.delimiter) == ("csv", "cp1252", ";")
    rows = dict(sheet.rows)
    assert rows[1][0] == "Untrnehmen" and rows[1][8] == "Zuständig"
    assert rows[3] == [] and rows[7] == []
    assert rows[13][-1] == "Erste Zeile;\r\nzweite Zeile"  # a quoted line break stays in row 13
    assert rows[15][0] == "MÜLLER SENSORIK"


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        ("\ufeffFirma,Titel\nBäckerei,Brot\n".encode(), "utf-8-sig", ","),
        ("Firma;Titel\nBäckerei;Brot\n".encode(), "utf-8", ";"),
        ("Firma\tTitel\r\nBäckerei\tBrot\r\n".encode("utf-16"), "utf-16", "\t"),
        ("Firma,Titel\nBäckerei,Brot\n".encode("cp1252"), "cp1252", ","),
    ],
)
def test_read_csv_detects_encoding_and_separator(app, data, encoding, delimiter):
    sheet = read_sheet(data)
    assert (sheet.encoding, sheet.delimiter) == (encoding, delimiter)
    assert sheet.rows == [(1, ["Firma", "Titel"]), (2, ["Bäckerei", "Brot"])]


def test_read_csv_falls_back_on_the_header_when_the_sniffer_gives_up(app):
    sheet = read_sheet(b"Firma;Titel;Art\nEine Firma\n")
    assert sheet.delimiter == ";"
    assert sheet.rows[0][1] == ["Firma", "Titel", "Art"]


def test_read_xlsx_gives_dates_and_row_numbers(app):
    data = _xlsx([["Bedarfsliste"], [], ["Firma", "Datum"], ["Optik AG", date(2025, 3, 12)]])
    sheet = read_sheet(data, "liste.xlsx")
    assert sheet.kind == "xlsx"
    assert sheet.rows[-1] == (4, ["Optik AG", date(2025, 3, 12)])


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (PNG, "bild.png"),
        (PNG, "register.csv"),
        (b"", "leer.csv"),
        (b" \r\n", "leer.csv"),
        (b"PK\x03\x04 kein zip", "register.xlsx"),
        (b"Firma;Titel", "umbenannt.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "alt.xls"),
        (b"x" * (MAX_IMPORT_BYTES + 1), "riesig.csv"),
    ],
)
def test_read_unreadable_file_raises_read_error(app, data, filename):
    with pytest.raises(ReadError) as caught:
        read_sheet(data, filename)
    assert caught.value.field == "file" and caught.value.message


def test_pack_round_trip_and_tampered_payload(app):
    data = (DATA / "register-messy-cp1252.csv").read_bytes()
    assert unpack(pack(data)) == data
    for broken in ("", "not base64!", pack(data)[:-8]):
        with pytest.raises(ReadError):
            unpack(broken)


def test_read_xlsx_stops_after_a_long_run_of_blank_rows(app, monkeypatch):
    monkeypatch.setattr("tracker.imports.reader.MAX_BLANK_XLSX_ROWS", 2)
    data = _xlsx([["Firma"], ["A"], [], [], [], ["B"]])
    assert read_sheet(data).rows == [(1, ["Firma"]), (2, ["A"]), (3, []), (4, [])]
