"""``flask imports run FILE --network SHORT [--dry-run] [--mapping JSON] [--user EMAIL]``."""

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tracker.db import db
from tracker.items.models import Item

MESSY = Path(__file__).parent / "data" / "imports" / "register-messy-cp1252.csv"


@pytest.fixture
def setup(make_network, make_topic, make_user):
    make_network("NetzA"), make_network("NetzB")
    for name in ("KI", "Digitalisierung", "Förderung", "Fachkräfte", "Energiewende"):
        make_topic(name)
    return make_user("admin", email="office@example.org")


def _run(runner, *args):
    return runner.invoke(args=["imports", "run", *map(str, args), "--locale", "en"])


def _items() -> int:
    return db.session.scalar(select(func.count(Item.id)))


def test_dry_run_prints_summary_and_every_problem_and_saves_nothing(runner, setup):
    result = _run(runner, MESSY, "--network", "NetzB", "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was saved. Items to create: 6" in result.output
    assert "Problems: 6" in result.output and "Empty rows skipped: 2" in result.output
    assert "row 8, Status: Unknown status: vielleicht." in result.output
    assert "row 9: same as row 2" in result.output
    assert "Unknown network “NetzX” in rows 12" in result.output
    assert _items() == 0


def test_run_imports_then_recognises_the_file_again(runner, setup):
    first = _run(runner, MESSY, "--network", "netzb", "--user", "office@example.org")
    assert first.exit_code == 0, first.output
    assert "Items created: 6" in first.output and _items() == 6
    second = _run(runner, MESSY, "--network", "NetzB")
    assert "Items created: 0" in second.output and "Already imported: 6" in second.output
    assert _items() == 6


def test_mapping_option_overrides_the_guess(runner, setup):
    mapping = json.dumps({"Beschreibung": "title", "Titel": None})
    result = _run(runner, MESSY, "--network", "NetzA", "--dry-run", "--mapping", mapping)
    assert result.exit_code == 0, result.output
    assert "L 'Beschreibung' → title" in result.output
    assert "row 4, Beschreibung: The title is missing." in result.output


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("/nonexistent/register.csv", "--network", "NetzA"), 1),
        ((Path(__file__).parent / "data", "--network", "NetzA"), 1),
        ((MESSY, "--network", "NetzX"), 2),
        ((MESSY, "--network", "NetzA", "--mapping", "{kaputt"), 2),
        ((MESSY, "--network", "NetzA", "--user", "nobody@example.org"), 2),
    ],
)
def test_bad_input_gives_an_error_exit_code(runner, setup, args, code):
    result = _run(runner, *args)
    assert result.exit_code == code, result.output
    assert _items() == 0


def test_unreadable_file_exits_with_1(runner, setup, tmp_path):
    png = tmp_path / "bild.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = _run(runner, png, "--network", "NetzA")
    assert result.exit_code == 1 and "This is not a CSV or XLSX file." in result.output
