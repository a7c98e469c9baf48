"""One row → item values or problems: dates, words for the enums, topics, networks, the key."""

from datetime import date, datetime

import pytest

from tracker.imports.rows import Lookups, formula_cells, read_row, row_key
from tracker.imports.values import CellError, parse_date
from tracker.items.models import ItemKind, ItemSource, ItemStatus, Priority
from tracker.networks.models import Network
from tracker.topics.models import Topic

COLUMNS = {
    0: ("company", "Firma"),
    1: ("title", "Titel"),
    2: ("kind", "Art"),
    3: ("status", "Status"),
    4: ("priority", "Priorität"),
    5: ("source", "Quelle"),
    6: ("topics", "Themen"),
    7: ("responsible_network", "zuständig"),
    8: ("follow_up_date", "Wiedervorlage"),
    9: ("recorded_on", "Datum"),
    10: ("confidential", "Vertraulich"),
}


@pytest.fixture
def lookups():
    home, other = Network(id=1, short_name="NetzA"), Network(id=2, short_name="NetzB")
    ki, foerderung = Topic(id=1, name="KI"), Topic(id=2, name="Förderung")
    return Lookups(
        topics={"ki": ki, "foerderung": foerderung},
        networks={"netza": home, "netzb": other, "zweitesnetzwerk": other},
        network=home,
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("12.03.2025", date(2025, 3, 12)),
        ("1.2.26", date(2026, 2, 1)),
        ("2026-02-01", date(2026, 2, 1)),
        ("2026-02-01 00:00:00", date(2026, 2, 1)),
        (date(2026, 2, 1), date(2026, 2, 1)),
        (datetime(2026, 2, 1, 9, 30), date(2026, 2, 1)),
        (46054, date(2026, 2, 1)),
        ("", None),
    ],
)
def test_parse_date_reads_german_iso_and_spreadsheet_dates(app, cell, expected):
    assert parse_date(cell) == expected


@pytest.mark.parametrize("cell", ["31.02.2026", "morgen", "2026-13-01", "12/03/2025", 7])
def test_parse_date_refuses_what_is_no_date(app, cell):
    with pytest.raises(CellError):
        parse_date(cell)


def test_read_row_maps_german_and_english_words(app, lookups):
    cells = "Optik AG|KI-Pilot|Bedarf|In Bearbeitung|DRINGEND|Telefon|ki; Förderung|"
    cells += "Zweites Netzwerk|15.01.2027||ja"
    values, problems = read_row(2, cells.split("|"), COLUMNS, lookups)
    assert problems == []
    assert values.kind is ItemKind.NEED and values.status is ItemStatus.IN_PROGRESS
    assert values.priority is Priority.URGENT
    assert values.source is ItemSource.PHONE and values.confidential
    assert [t.name for t in values.topics] == ["KI", "Förderung"]
    assert values.responsible_network.short_name == "NetzB"
    assert values.reporting_network.short_name == "NetzA"  # nobody named: the chosen one


def test_read_row_lists_every_problem_of_the_row(app, lookups):
    cells = "GmbH||Quatsch|waiting|sehr|Brief|KI, Robotik||morgen|31.02.2026|vielleicht"
    values, problems = read_row(8, cells.split("|"), COLUMNS, lookups)
    assert values is None
    # every column but the status ("waiting" without a network is imported as new), the
    # topics (an unknown topic is noted, not a problem) and the responsible network
    labels = [label for _f, label in COLUMNS.values()]
    assert [p.column for p in problems] == labels[:3] + labels[4:6] + [
        "Wiedervorlage",
        "Datum",
        "Vertraulich",
    ]
    assert {p.row for p in problems} == {8}
    assert [(u.kind, u.text, u.rows) for u in lookups.unknown.values()] == [
        ("topic", "Robotik", [8])
    ]


def test_read_row_defaults_empty_cells_where_the_design_allows(app, lookups):
    cells = "Optik AG|KI-Pilot|wish|||||||12.03.2025|"
    values, _problems = read_row(2, cells.split("|"), COLUMNS, lookups)
    assert values.recorded_on == date(2025, 3, 12) and values.status is None
    assert values.source is ItemSource.OTHER and values.priority is Priority.NORMAL
    assert values.expected_status is ItemStatus.NEW and not values.confidential


def test_row_key_depends_on_content_not_position_or_format(app):
    key = row_key(["Optik AG", " KI-Pilot ", "12.03.2025", ""])
    assert key == row_key(["optik ag", "KI-Pilot", date(2025, 3, 12)])
    assert key != row_key(["Optik AG", "KI-Pilot", "13.03.2025"])
    assert len(key) == 64


def _cells(text: str) -> list[str]:
    return text.split("|")


@pytest.mark.parametrize("written", ["NetzB", "netz-b", "NETZ B", "Zweites  Netzwerk"])
def test_network_names_match_across_case_spaces_and_hyphens(app, lookups, written):
    cells = _cells(f"Optik AG|KI-Pilot|Bedarf||||||||||{written}")
    values, problems = read_row(2, cells, {**COLUMNS, 12: ("reporting_network", "Netz")}, lookups)
    assert problems == [] and values.reporting_network.short_name == "NetzB"


def test_unknown_network_is_noted_once_with_all_its_rows(app, lookups):
    columns = {**COLUMNS, 12: ("reporting_network", "Netz")}
    for number in (2, 3):
        cells = _cells("Optik AG|KI-Pilot|Bedarf||||||||||Energie-Netzwerk")
        _values, problems = read_row(number, cells, columns, lookups)
        assert [p.column for p in problems] == ["Netz"]
    (unknown,) = lookups.unknown.values()
    assert (unknown.kind, unknown.text, unknown.rows) == ("network", "Energie-Netzwerk", [2, 3])


def test_unknown_topic_is_created_or_left_out_as_chosen(app, lookups):
    cells = _cells("Optik AG|KI-Pilot|Bedarf||||KI, Robotik||||")
    values, _problems = read_row(2, cells, COLUMNS, lookups)
    assert [t.name for t in values.topics] == ["KI", "Robotik"] and values.topics[1].id is None
    lookups.topics["robotik"] = None  # "leave out"
    values, _problems = read_row(3, cells, COLUMNS, lookups)
    assert [t.name for t in values.topics] == ["KI"]


def test_status_needing_a_network_is_new_or_the_chosen_one(app, lookups):
    cells = _cells("Optik AG|KI-Pilot|Bedarf|in Bearbeitung|||||||")
    values, problems = read_row(2, cells, COLUMNS, lookups)
    assert problems == [] and values.lacked_network
    assert values.status is ItemStatus.NEW and values.expected_status is ItemStatus.NEW
    lookups.without_network = lookups.networks["netzb"]
    values, _problems = read_row(2, cells, COLUMNS, lookups)
    assert values.expected_status is ItemStatus.IN_PROGRESS and not values.lacked_network
    assert values.responsible_network.short_name == "NetzB"


def test_open_row_naming_a_network_is_a_handoff_unless_chosen_otherwise(app, lookups):
    cells = _cells("Optik AG|KI-Pilot|Bedarf|offen||||NetzB|||")
    values, _problems = read_row(2, cells, COLUMNS, lookups)
    assert values.opens_handoff and values.expected_status is ItemStatus.ASSIGNED
    lookups.open_in_progress = True
    values, _problems = read_row(2, cells, COLUMNS, lookups)
    assert values.expected_status is ItemStatus.IN_PROGRESS


def test_row_is_named_by_its_running_number_else_company_title_and_date(app, lookups):
    columns = {**COLUMNS, 12: ("running_number", "Nr.")}
    first, _p = read_row(2, _cells("Optik AG|KI-Pilot|Bedarf||||||||||17"), columns, lookups)
    fixed, _p = read_row(2, _cells("Optik AG|KI-Pilot 2|Wunsch||||||||||17"), columns, lookups)
    assert first.key == fixed.key and first.digest != fixed.digest
    plain, _p = read_row(2, _cells("optik ag|KI-Pilot|Bedarf"), COLUMNS, lookups)
    other_form, _p = read_row(2, _cells("Optik UG|KI-Pilot|Bedarf"), COLUMNS, lookups)
    again, _p = read_row(9, _cells("Optik AG|KI-Pilot|Wunsch|neu"), COLUMNS, lookups)
    assert plain.key == again.key != other_form.key


def test_formula_looking_cells_are_flagged_but_not_phone_numbers(app):
    columns = {0: ("title", "Titel"), 1: ("contact_phone", "Telefon"), 2: ("company", "Firma")}
    cells = ['=HYPERLINK("http://x","klick")', "+49 361 1234", "@Firma"]
    flagged = formula_cells(4, cells, columns)
    assert [(p.row, p.column) for p in flagged] == [(4, "Titel"), (4, "Firma")]
