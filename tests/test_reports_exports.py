"""Register exports: CSV and XLSX of exactly the filtered list, with nothing executable."""

import csv
import io
from datetime import date, datetime

import pytest
from flask_babel import refresh
from openpyxl import load_workbook
from sqlalchemy import event, insert

from tracker.companies import services as companies
from tracker.db import db, utcnow
from tracker.items.models import Item, ItemKind, ItemSource, ItemStatus, Priority


@pytest.fixture
def setup(make_network, make_user, make_item, make_company):
    a, b = make_network("Alpha"), make_network("Beta")
    manager_a, manager_b = make_user("manager", a), make_user("manager", b)
    items = {
        "a1": make_item(actor=manager_a, title="Wasserstoff für Gießerei"),
        "a2": make_item(actor=manager_a, title="Fachkräfte gesucht"),
        "a3": make_item(actor=manager_a, title="Wasserstoff-Speicher"),
        "b1": make_item(actor=manager_b, title="Wasserstoff im Fuhrpark"),
    }
    items["a3"].status = ItemStatus.DONE
    items["a1"].follow_up_date = date(2026, 3, 9)
    db.session.commit()
    return dict(a=a, b=b, manager_a=manager_a, manager_b=manager_b, **items)


def csv_rows(response, separator=";"):
    text = response.get_data().decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=separator))


def xlsx_sheet(response):
    return load_workbook(io.BytesIO(response.get_data())).active


def test_csv_in_german_has_bom_semicolons_and_german_dates(client, login, setup):
    login(setup["manager_a"])
    response = client.get("/reports/register.csv?status=all&q=Gießerei")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.get_data().startswith("\ufeff".encode())
    assert "attachment" in response.headers["Content-Disposition"]
    header, row = csv_rows(response)
    assert len(header) == 15 and row[0] == setup["a1"].reference
    assert row[11] == "09.03.2026"
    assert row[12][2] == "." and row[14] == "nein"


def test_csv_in_english_uses_commas_and_iso_dates(client, login, make_user, setup):
    login(make_user("manager", setup["a"], locale="en"))
    refresh()  # the tests share one app context, so forget the language chosen before
    response = client.get("/reports/register.csv?status=all&q=Gießerei")
    assert response.get_data().startswith("\ufeff".encode())
    header, row = csv_rows(response, ",")
    assert header[:3] == ["Reference", "Kind", "Status"] and header[-1] == "Confidential"
    assert row[11] == "2026-03-09" and row[14] == "no"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_has_exactly_the_filtered_rows(client, login, setup, fmt):
    login(setup["manager_a"])
    url = f"/reports/register.{fmt}?reporting={setup['a'].id}&q=Wasserstoff&status=open"
    response = client.get(url)
    if fmt == "csv":
        references = [row[0] for row in csv_rows(response)[1:]]
    else:
        references = [row[0] for row in xlsx_sheet(response).iter_rows(min_row=2, values_only=True)]
    assert references == [setup["a1"].reference]
    everything = client.get(f"/reports/register.{fmt}?status=all&sort=reference&direction=asc")
    count = len(csv_rows(everything)) if fmt == "csv" else xlsx_sheet(everything).max_row
    assert count == 5  # header and four items, not just the first page


def test_csv_neutralises_formulas(client, login, setup, make_item):
    for title in ['=HYPERLINK("http://evil.example","klick")', "+49 361 123", "@sum(A1)"]:
        make_item(actor=setup["manager_a"], title=title)
    login(setup["manager_a"])
    rows = csv_rows(client.get("/reports/register.csv?q=&status=open&sort=reference"))
    titles = {row[3] for row in rows[1:]}
    assert '\'=HYPERLINK("http://evil.example","klick")' in titles
    assert "'+49 361 123" in titles and "'@sum(A1)" in titles


def test_xlsx_has_frozen_bold_header_real_dates_and_no_formulas(client, login, setup, make_item):
    make_item(actor=setup["manager_a"], title="=1+2")
    login(setup["manager_a"])
    sheet = xlsx_sheet(client.get("/reports/register.xlsx?status=all&sort=reference"))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:O6"
    assert sheet["A1"].font.b and sheet.column_dimensions["D"].width > 20
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert "=1+2" in [cell.value for cell in cells]
    follow_up, created = sheet["L2"], sheet["M2"]
    assert isinstance(follow_up.value, datetime) and follow_up.is_date
    assert follow_up.number_format == "DD.MM.YYYY" and created.is_date


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_confidential_items_of_another_network_are_not_exported(
    client, login, setup, make_item, fmt
):
    make_item(actor=setup["manager_b"], title="Geheimes Projekt", confidential=True)
    login(setup["manager_a"])
    body = client.get(f"/reports/register.{fmt}?status=all").get_data()
    text = (
        body.decode("utf-8-sig")
        if fmt == "csv"
        else str(
            [row for row in load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True)]
        )
    )
    assert "Geheimes Projekt" not in text and "Wasserstoff im Fuhrpark" in text


def test_export_runs_a_fixed_number_of_queries(
    client, login, setup, make_item, make_topic, make_company
):
    login(setup["manager_a"])

    def count_queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        db.session.commit()  # each count opens its own transaction, as a request does
        event.listen(db.engine, "before_cursor_execute", listener)
        client.get("/reports/register.xlsx?status=all")
        event.remove(db.engine, "before_cursor_execute", listener)
        return len([s for s in statements if not s.startswith("BEGIN")])

    few = count_queries()
    topic, company = make_topic(), make_company()
    contact = companies.find_or_create_contact(company, "Erika Muster", actor=setup["manager_a"])
    for n in range(12):
        make_item(
            actor=setup["manager_a"],
            title=f"Mehr {n}",
            topics=[topic],
            company=company,
            contact=contact,
            responsible_network=setup["a"],
            assignee=setup["manager_a"],
        )
    assert count_queries() == few


@pytest.mark.slow
def test_ten_thousand_rows_export_completely(client, login, setup, make_company):
    company, now = make_company(), utcnow()
    values = dict(kind=ItemKind.NEED, company_id=company.id, priority=Priority.NORMAL)
    values.update(reporting_network_id=setup["a"].id, source=ItemSource.OTHER)
    values.update(status=ItemStatus.NEW, created_at=now, updated_at=now, version=1)
    values.update(description="", resolution_note="", follow_up_date=date(2026, 12, 1))
    values.update(confidential=False, for_next_meeting=False)
    rows = [dict(values, reference=f"T-{n:05d}", title=f"Anliegen {n}") for n in range(10_000)]
    db.session.execute(insert(Item), rows)
    db.session.commit()
    login(setup["manager_a"])
    assert len(csv_rows(client.get("/reports/register.csv?status=all"))) == 10_005
    assert xlsx_sheet(client.get("/reports/register.xlsx?status=all")).max_row == 10_005
