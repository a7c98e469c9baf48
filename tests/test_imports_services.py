"""The dry run and the import of THE messy register, its UTF-8 twin and an XLSX file.

``python tests/test_imports_services.py`` writes tests/data/imports/register.xlsx again.
"""

import csv
import io
from datetime import date
from pathlib import Path

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from tracker.companies.models import Company
from tracker.db import db
from tracker.exceptions import PermissionDenied, ValidationFailed
from tracker.i18n import _
from tracker.imports import planning, services
from tracker.imports.mapping import guess_mapping
from tracker.items.models import Item, ItemStatus

DATA = Path(__file__).parent / "data" / "imports"
MESSY = DATA / "register-messy-cp1252.csv"
XLSX = DATA / "register.xlsx"
# (row, column) of every problem in the messy file; row numbers as Excel shows them.
MESSY_PROBLEMS = [
    (6, "wiedervorlage"),  # 31.02.2026
    (8, "Status"),  # vielleicht
    (8, "wiedervorlage"),  # morgen
    (11, "Untrnehmen"),  # no company
    (12, "meldendes Netzwerk"),  # NetzX is no network
    (13, "Art"),  # Quatsch is no kind
]
MESSY_VALID_ROWS = [2, 4, 5, 10, 14, 15]
# fmt: off
XLSX_ROWS = [
    ["Needs register 2025 (export)"],
    [],
    ["Company", "Contact", "Title", "Kind", "Topics", "Status", "Follow-up date", "Network",
     "Responsible", "Priority", "Date", "Resolution"],
    ["Optik AG", "Ms Schulz", "Laser safety training", "request", "KI", "done", None, "NetzA",
     None, "high", date(2025, 2, 3), "Training held on 20 March"],
    ["Sensor Startup GmbH", None, "AI pilot partner", "need", "KI, Digitalisierung", "open",
     date(2027, 1, 15), "NetzB", "NetzA", "normal", date(2025, 2, 4), None],
    ["Sensor Startup GmbH", None, "Second concern", "wish", None, "declined", None, "NetzB",
     None, "low", "04.02.2025", "Out of scope"],
    [None, None, None, None, None, None, None, None, None, None, None, None],
    ["Nameless row", None, "No kind", None, None, None, "soon", "NetzA", None, None, None, None],
]
# fmt: on


def build_xlsx(path: Path = XLSX) -> None:
    """Write the XLSX fixture: a title row, English headers, real date cells, one bad row."""
    from openpyxl import Workbook

    book = Workbook()
    for row in XLSX_ROWS:
        book.active.append(row)
    book.save(path)


@pytest.fixture
def setup(make_network, make_topic, make_company, make_user):
    home, other = make_network("NetzA"), make_network("NetzB")
    for name in ("KI", "Digitalisierung", "Förderung", "Fachkräfte", "Energiewende"):
        make_topic(name)
    optik = make_company("Optik AG")
    admin = make_user("admin")
    return dict(home=home, other=other, optik=optik, admin=admin)


def _plan(path_or_bytes, network, run_as=None):
    data = path_or_bytes.read_bytes() if isinstance(path_or_bytes, Path) else path_or_bytes
    table = planning.read_upload(data, "register").table
    options = dict(mapping=guess_mapping(table.headers), network=network)
    if run_as is None:
        return planning.plan_import(table, **options)
    plan = services.run_import(table, actor=run_as, **options)
    db.session.commit()
    return plan


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_dry_run_reports_every_problem_and_creates_nothing(setup):
    plan = _plan(MESSY, setup["other"])
    assert [(p.row, p.column) for p in plan.problems] == MESSY_PROBLEMS
    assert [r.row for r in plan.rows] == MESSY_VALID_ROWS
    assert plan.empty_rows == 2 and plan.rows_with_problems == 5 and plan.duplicates == [(9, 2)]
    assert plan.new_companies == ["Bäckerei Groß", "Müller Sensorik GmbH", "Stadtwerke Nord"]
    assert [(name, c.id) for name, c in plan.matched_companies] == [("Optik AG", setup["optik"].id)]
    assert (_count(Item), _count(Company)) == (0, 1)


def test_import_creates_exactly_the_valid_rows(setup):
    plan = _plan(MESSY, setup["other"], run_as=setup["admin"])
    created = {item.title: item for item in plan.created}
    assert _count(Item) == len(MESSY_VALID_ROWS) == len(created)
    pilot = created["KI-Pilot für Qualitätsprüfung"]
    laser = created["Fördermittel für Laseranlage"]
    assert pilot.company_id == laser.company_id == setup["optik"].id
    assert pilot.contact == laser.contact
    assert pilot.description.startswith("Sucht einen Partner")
    assert [t.name for t in pilot.topics] == ["Digitalisierung", "KI"]
    assert pilot.import_key and pilot.created_by == setup["admin"]
    assert created["Zweites Anliegen: Prüfstand"].company.name == "Müller Sensorik GmbH"
    assert created["Ladeinfrastruktur für Gewerbegebiet"].reporting_network == setup["other"]
    assert _count(Company) == 4


def test_import_walks_the_lifecycle_to_the_row_status(setup):
    created = {i.title: i for i in _plan(MESSY, setup["other"], run_as=setup["admin"]).created}
    assert created["KI-Pilot für Qualitätsprüfung"].status is ItemStatus.NEW
    funding = created["Förderung Energieeffizienz"]
    assert funding.status is ItemStatus.IN_PROGRESS and funding.accepted_at is not None
    assert created["Fördermittel für Laseranlage"].status is ItemStatus.WAITING
    bakery = created["Fachkräfte für die Backstube"]
    assert bakery.status is ItemStatus.DONE and bakery.resolution_note and bakery.closed_at
    assert [a.kind.value for a in funding.activities] == ["created", "accepted", "status"]


def test_import_writes_saved_text_in_the_register_language(setup):
    with force_locale("en"):  # an admin who reads English imports for a German register
        created = {i.title: i for i in _plan(MESSY, setup["other"], run_as=setup["admin"]).created}
    with force_locale("de"):
        imported = _("Imported")
    assert created["Fachkräfte für die Backstube"].resolution_note == imported


def test_second_import_of_the_same_file_creates_nothing(setup):
    _plan(MESSY, setup["other"], run_as=setup["admin"])
    again = _plan(MESSY, setup["other"], run_as=setup["admin"])
    assert again.created == [] and again.rows == []
    assert [row for row, _item in again.already_imported] == MESSY_VALID_ROWS
    assert again.duplicates == [(9, 2)]  # row 9 repeats row 2: listed, never imported
    assert [(p.row, p.column) for p in again.problems] == MESSY_PROBLEMS
    assert _count(Item) == len(MESSY_VALID_ROWS)


def _utf8_comma_twin() -> bytes:
    """The messy file again, as UTF-8 with BOM and commas (Excel's "CSV UTF-8")."""
    rows = csv.reader(io.StringIO(MESSY.read_bytes().decode("cp1252"), newline=""), delimiter=";")
    out = io.StringIO(newline="")
    csv.writer(out, delimiter=",").writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def test_utf8_comma_twin_gives_the_same_plan_and_no_duplicates(setup):
    twin = _utf8_comma_twin()
    assert twin.startswith(b"\xef\xbb\xbf") and b";" not in twin.split(b"\n")[0]
    plan = _plan(twin, setup["other"])
    assert [(p.row, p.column) for p in plan.problems] == MESSY_PROBLEMS
    _plan(MESSY, setup["other"], run_as=setup["admin"])
    assert _plan(twin, setup["other"], run_as=setup["admin"]).created == []


def test_xlsx_fixture_is_what_its_script_writes(tmp_path):
    from openpyxl import load_workbook

    build_xlsx(tmp_path / "fresh.xlsx")
    cells = []
    for path in (XLSX, tmp_path / "fresh.xlsx"):
        book = load_workbook(path, read_only=True)
        cells.append([list(row) for row in book.active.iter_rows(values_only=True)])
        book.close()
    assert cells[0] == cells[1]


def test_xlsx_import_finds_the_header_and_imports_english_words(setup):
    plan = _plan(XLSX, setup["home"], run_as=setup["admin"])
    assert [(p.row, p.column) for p in plan.problems] == [(8, "Kind"), (8, "Follow-up date")]
    assert plan.empty_rows == 1
    done, pilot, declined = plan.created
    assert (done.status, done.resolution_note) == (ItemStatus.DONE, "Training held on 20 March")
    assert done.company_id == setup["optik"].id
    assert pilot.status is ItemStatus.ASSIGNED and pilot.follow_up_date == date(2027, 1, 15)
    assert declined.status is ItemStatus.DECLINED and declined.company_id == pilot.company_id


def test_import_needs_an_admin_and_a_complete_mapping(setup, make_user):
    table = planning.read_upload(MESSY.read_bytes()).table
    home = setup["home"]
    manager = make_user("manager", network=home)
    with pytest.raises(PermissionDenied):
        services.run_import(table, guess_mapping(table.headers), network=home, actor=manager)
    with pytest.raises(ValidationFailed):
        planning.plan_import(table, {0: "company"}, network=home)


if __name__ == "__main__":
    build_xlsx()
