"""One row → item values or problems: dates, words for the enums, topics, networks, the key."""

from datetime import date, datetime

import pytest

from tracker.imports.rows import Lookups, read_row, row_key
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
        networks={"netza": home, "netzb": other, "zweites netzwerk": other},
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
    # every column but the responsible network; "waiting" is known but needs a responsible one
    assert [p.column for p in problems] == [label for _f, label in COLUMNS.values()][:7] + [
        "Wiedervorlage",
        "Datum",
        "Vertraulich",
    ]
    assert {p.row for p in problems} == {8}
    assert "Robotik" in problems[6].message and "KI" not in problems[6].message


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
