"""Guessing which column holds what, from German, English and misspelt headers."""

import pytest
from flask_babel import force_locale

from tracker.imports.mapping import (
    check_mapping,
    column_letter,
    guess_field,
    guess_mapping,
    mapping_from_names,
    split_table,
)
from tracker.imports.reader import Sheet


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Unternehmen", "company"),
        ("Firma ", "company"),
        ("Untrnehmen", "company"),
        ("Ansprechpartner·in", "contact"),
        ("Kontakt", "contact"),
        ("Themen", "topics"),
        ("Thema", "topics"),
        ("STATUS", "status"),
        ("Statsu", "status"),
        ("wiedervorlage ", "follow_up_date"),
        ("Wiedervorlage-Datum", "follow_up_date"),
        ("Betreff", "title"),
        ("Titel des Anliegens", "title"),
        ("Beschreibng", "description"),
        ("Art", "kind"),
        ("Prioritaet", "priority"),
        ("Priorität", "priority"),
        ("meldendes  Netzwerk", "reporting_network"),
        ("Netzwerk", "reporting_network"),
        ("zustaendig", "responsible_network"),
        ("Zuständiges Netzwerk", "responsible_network"),
        ("Erfasst am", "recorded_on"),
        ("Datum", "recorded_on"),
        ("Company", "company"),
        ("Follow-up date", "follow_up_date"),
        ("Responsible network", "responsible_network"),
        ("Stadt", None),
        ("Nr.", "running_number"),
        ("lfd. Nr.", "running_number"),
        ("E-Mail", "contact_email"),
        ("Ansprechpartner E-Mail", "contact_email"),
        ("Telefon", "contact_phone"),
        ("erledigt am", "closed_on"),
        ("Datum Abschluss", "closed_on"),
        ("Ort", None),
        ("", None),
    ],
)
def test_guess_field_reads_german_english_and_misspelt_headers(app, header, field):
    assert guess_field(header)[0] == field


def test_guess_mapping_gives_each_field_to_its_surest_column(app):
    assert guess_mapping(["Untrnehmen", "Firma", "Titel", "Ort"]) == {1: "company", 2: "title"}


def test_split_table_skips_a_title_row_above_the_header(app):
    sheet = Sheet(
        rows=[(1, ["Bedarfsliste 2025"]), (2, []), (3, ["Firma", "Titel"]), (4, ["A", "B", "C"])],
        kind="xlsx",
    )
    table = split_table(sheet)
    assert (table.header_row, table.headers) == (3, ["Firma", "Titel", ""])
    assert table.rows == [(4, ["A", "B", "C"])]
    with force_locale("en"):
        assert table.label(2) == "Column C"


def test_mapping_from_names_overrides_guesses_and_ignores_columns(app):
    headers = ["Firma", "Titel", "Bemerkung"]
    mapping = mapping_from_names(headers, {"titel": "description", "Bemerkung": None})
    assert mapping == {0: "company", 1: "description"}
    with pytest.raises(ValueError, match="no column"):
        mapping_from_names(headers, {"Ort": "title"})
    for wrong in ("firma", 3, ["title"]):
        with pytest.raises(ValueError, match="unknown field"):
            mapping_from_names(headers, {"Firma": wrong})


def test_check_mapping_names_missing_and_doubled_fields(app):
    assert len(check_mapping({0: "company", 1: "company"})) == 3  # title, kind, company twice
    assert check_mapping({0: "company", 1: "title"}, default_kind=True) == []


def test_column_letter_counts_like_a_spreadsheet():
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]
