"""Importing an office's register so that figures, re-imports and names can be trusted."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from tracker.companies.models import Company
from tracker.db import db
from tracker.imports import planning, services
from tracker.imports.mapping import guess_mapping
from tracker.imports.models import ValueMapping
from tracker.items import services as items
from tracker.items.models import ActivityKind, Item, ItemStatus

HEADER = "Nr.;Firma;Ansprechpartner;E-Mail;Telefon;Titel;Art;Status;Zuständig;Datum;erledigt am"


def _csv(*rows: str, header: str = HEADER) -> bytes:
    return "\n".join([header, *rows]).encode("cp1252")


def _run(data: bytes, network, actor=None, **choices):
    table = planning.read_upload(data, "register.csv").table
    options = dict(
        mapping=guess_mapping(table.headers),
        network=network,
        choices=planning.Choices(**choices),
        filename="Register 2025.csv",
    )
    if actor is None:
        return planning.plan_import(table, **options)
    plan = services.run_import(table, actor=actor, **options)
    db.session.commit()
    return plan


@pytest.fixture
def office(make_network, make_user):
    home = make_network("NetzA")
    wfa = make_network("WFA-Mitte", name="Wirtschaftsförderung Mitte")
    optics = make_network("OptoNet", name="Netzwerk Optik und Photonik", aliases="Energie-Netzwerk")
    return dict(home=home, wfa=wfa, optics=optics, admin=make_user("admin"))


def _noon_berlin(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T11:00:00").replace(tzinfo=UTC)  # CET is UTC+1


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_imported_items_keep_the_files_dates_and_origin(office):
    data = _csv("7;Optik AG;;;;Laser;Bedarf;erledigt;NetzA;12.01.2025;20.03.2025")
    (item,) = _run(data, office["home"], office["admin"]).created
    assert _utc(item.created_at) == _noon_berlin("2025-01-12")
    assert _utc(item.accepted_at) == _noon_berlin("2025-01-12")
    assert _utc(item.closed_at) == _noon_berlin("2025-03-20")
    times = {a.kind: _utc(a.created_at) for a in item.activities}
    assert times[ActivityKind.CREATED] == _noon_berlin("2025-01-12")
    assert times[ActivityKind.STATUS] == _noon_berlin("2025-03-20")
    assert (item.import_file, item.import_row) == ("Register 2025.csv", 2)


def test_corrected_row_updates_its_item_and_shows_the_change_first(office):
    first = _csv("7;Optik AG;;;;Laser;Bedarf;neu;;12.01.2025;")
    (item,) = _run(first, office["home"], office["admin"]).created
    corrected = _csv("7;Optik AG;;;;Laserschutz;Bedarf;neu;;12.01.2025;")
    plan = _run(corrected, office["home"])
    assert plan.rows == [] and [u.item.id for u in plan.updates] == [item.id]
    assert ("Titel", "Laser", "Laserschutz") in plan.updates[0].shown()
    assert not plan.updates[0].changed_in_app
    done = _run(corrected, office["home"], office["admin"])
    assert done.updated == [item] and db.session.scalar(select(func.count(Item.id))) == 1
    assert item.title == "Laserschutz" and item.activities[-1].kind is ActivityKind.CHANGE
    assert _run(corrected, office["home"]).already_imported == [(2, item)]


def test_items_changed_in_the_app_are_kept_unless_overwriting_is_chosen(office):
    (item,) = _run(_csv("7;Optik AG;;;;Laser;Bedarf;;;;"), office["home"], office["admin"]).created
    items.update_item(item, actor=office["admin"], expected_version=item.version, title="Neu")
    db.session.commit()
    corrected = _csv("7;Optik AG;;;;Laserschutz;Bedarf;;;;")
    plan = _run(corrected, office["home"], office["admin"])
    assert plan.updates[0].changed_in_app and plan.updated == [] and item.title == "Neu"
    plan = _run(corrected, office["home"], office["admin"], overwrite_changed=True)
    assert plan.updated == [item] and item.title == "Laserschutz"


@pytest.mark.parametrize("written", ["WFA Mitte", "wfa-mitte", "Wirtschaftsförderung  Mitte"])
def test_network_names_as_people_write_them_are_matched(office, written):
    plan = _run(_csv(f"1;Optik AG;;;;Laser;Bedarf;neu;{written};;"), office["home"])
    assert plan.problems == [] and plan.rows[0].responsible_network == office["wfa"]


@pytest.mark.parametrize("written", ["Netzwerk Optik & Photonik", "Energie-Netzwerk"])
def test_full_names_with_ampersand_and_aliases_are_matched(office, written):
    plan = _run(_csv(f"1;Optik AG;;;;Laser;Bedarf;neu;{written};;"), office["home"])
    assert plan.problems == [] and plan.rows[0].responsible_network == office["optics"]


def test_unknown_network_is_mapped_in_the_dry_run_and_remembered(office):
    data = _csv(
        "1;Optik AG;;;;Laser;Bedarf;neu;H2 Wartburg;;", "2;Beta GmbH;;;;X;Bedarf;;H2 Wartburg;;"
    )
    plan = _run(data, office["home"])
    assert [(u.text, u.rows) for u in plan.unknown] == [("H2 Wartburg", [2, 3])]
    assert [p.row for p in plan.problems] == [2, 3]
    chosen = {"h2wartburg": office["wfa"].id}
    assert len(_run(data, office["home"], office["admin"], networks=chosen).created) == 2
    assert db.session.scalar(select(ValueMapping.network_id)) == office["wfa"].id
    again = _run(_csv("9;Gamma KG;;;;Y;Bedarf;;h2-wartburg;;"), office["home"])
    assert again.unknown == [] and again.rows[0].responsible_network == office["wfa"]


def test_status_without_network_is_imported_as_new_or_with_the_chosen_network(office):
    data = _csv("1;Optik AG;;;;Laser;Bedarf;in Bearbeitung;;;")
    plan = _run(data, office["home"])
    assert plan.problems == [] and plan.rows_without_network == [2]
    (item,) = _run(data, office["home"], office["admin"], without_network=office["wfa"].id).created
    assert item.status is ItemStatus.IN_PROGRESS and item.responsible_network == office["wfa"]


def test_open_rows_naming_a_network_become_handoffs_or_in_progress(office):
    rows = (
        "1;Optik AG;;;;Laser;Bedarf;offen;WFA-Mitte;;",
        "2;Beta AG;;;;X;Bedarf;offen;WFA-Mitte;;",
    )
    assert _run(_csv(rows[0]), office["home"]).handoff_rows == [2]
    (handoff,) = _run(_csv(rows[0]), office["home"], office["admin"]).created
    assert handoff.status is ItemStatus.ASSIGNED
    (taken,) = _run(_csv(rows[1]), office["home"], office["admin"], open_in_progress=True).created
    assert taken.status is ItemStatus.IN_PROGRESS and taken.accepted_at is not None


def test_other_legal_form_is_another_company_unless_merged(office, make_company):
    optik = make_company("Optik AG")
    data = _csv("1;Optik UG;;;;Laser;Bedarf;;;;", "2;optik ag;;;;Linse;Bedarf;;;;")
    plan = _run(data, office["home"])
    (fuzzy,) = plan.fuzzy_companies
    assert (fuzzy.name, fuzzy.candidate, fuzzy.use_candidate) == ("Optik UG", optik, False)
    assert plan.matched_companies == [("optik ag", optik)]
    ug, ag = _run(data, office["home"], office["admin"]).created
    assert ug.company.name == "Optik UG" and ag.company == optik
    merged = _run(
        _csv("3;Optik UG;;;;Neu;Bedarf;;;;"),
        office["home"],
        office["admin"],
        companies={"optik ug": "existing"},
    )
    assert merged.created[0].company == ug.company  # the registered UG: exact match now


def test_new_company_takes_the_best_spelling_and_its_variants(office):
    data = _csv("1;MÜLLER SENSORIK;;;;A;Bedarf;;;;", "2;Müller Sensorik GmbH;;;;B;Bedarf;;;;")
    created = _run(data, office["home"], office["admin"]).created
    assert {i.company.name for i in created} == {"Müller Sensorik GmbH"}
    assert db.session.scalar(select(func.count(Company.id))) == 1


def test_contact_email_and_phone_are_kept_and_other_columns_named(office):
    header = HEADER + ";Ort"
    data = _csv(
        "1;Optik AG;Frau Schulz;schulz@optik.example;+49 3641 123;L;Bedarf;;;;;Jena", header=header
    )
    plan = _run(data, office["home"])
    assert plan.ignored_columns == ["Ort"] and plan.warnings == []
    done = _run(data, office["home"], office["admin"])
    assert done.problems == []
    (item,) = done.created
    assert (item.contact.email, item.contact.phone) == ("schulz@optik.example", "+49 3641 123")


def test_repeated_rows_and_formula_cells_are_pointed_out(office):
    row = '1;Optik AG;;;;"=HYPERLINK(""http://x"")";Bedarf;;;;'
    plan = _run(_csv(row, row), office["home"])
    assert plan.duplicates == [(3, 2)] and len(plan.rows) == 1
    assert [(w.row, w.column) for w in plan.warnings] == [(2, "Titel")]
