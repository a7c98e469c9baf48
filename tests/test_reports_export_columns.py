"""The register export's extra columns: description, resolution note, contact e-mail and phone."""

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from tracker.companies import services as companies
from tracker.db import db
from tracker.items.models import Item

EXCEL_CELL_MAX = 32_767  # openpyxl cuts longer text there, as Excel would refuse it
ALL_COLUMNS = "columns=description&columns=resolution_note&columns=contact"
EXTRA_HEADERS = [
    "Beschreibung",
    "Abschlussvermerk",
    "E-Mail Ansprechpartner·in",
    "Telefon Ansprechpartner·in",
]


@pytest.fixture
def setup(make_network, make_user, make_item, make_company):
    a, b = make_network("Alpha"), make_network("Beta")
    manager_a, manager_b = make_user("manager", a), make_user("manager", b)

    def contact_of(company_name: str, name: str, email: str, phone: str):
        company = make_company(company_name)
        contact = companies.save_contact(
            company, actor=manager_a, name=name, email=email, phone=phone
        )
        return company, contact

    open_company, open_contact = contact_of("Offen GmbH", "Olga Offen", "olga@offen.de", "0361 1")
    secret_company, secret_contact = contact_of(
        "Geheim AG", "Gerd Geheim", "gerd@geheim.de", "0361 2"
    )
    visible = make_item(
        actor=manager_a,
        title="Wasserstoff für Gießerei",
        description="Mehrere Zeilen\nmit Details",
        company=open_company,
        contact=open_contact,
    )
    visible.resolution_note = "An Beta vermittelt"
    secret = make_item(
        actor=manager_a,
        title="Geheime Übernahme",
        company=secret_company,
        contact=secret_contact,
        confidential=True,
    )
    db.session.commit()
    return dict(a=a, manager_a=manager_a, manager_b=manager_b, visible=visible, secret=secret)


def csv_rows(client, query: str) -> list[list[str]]:
    text = client.get(f"/reports/register.csv?status=all&sort=reference&{query}").text
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))


def xlsx_rows(client, query: str) -> list[tuple]:
    body = client.get(f"/reports/register.xlsx?status=all&sort=reference&{query}").get_data()
    return list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))


def test_chosen_columns_are_appended_in_a_fixed_order(client, login, setup):
    login(setup["manager_a"])
    header, *rows = csv_rows(client, "columns=contact&columns=description&columns=resolution_note")
    assert len(header) == 19 and header[15:] == EXTRA_HEADERS
    row = next(r for r in rows if r[0] == setup["visible"].reference)
    assert row[3] == "Wasserstoff für Gießerei" and row[5] == "Olga Offen"
    assert row[15:] == [
        "Mehrere Zeilen\nmit Details",
        "An Beta vermittelt",
        "olga@offen.de",
        "0361 1",
    ]


def test_without_columns_the_export_keeps_its_fifteen_columns(client, login, setup):
    login(setup["manager_a"])
    header, *rows = csv_rows(client, "columns=unknown&columns=")
    assert len(header) == 15 and all(len(row) == 15 for row in rows)
    assert "olga@offen.de" not in str(rows) and "Mehrere Zeilen" not in str(rows)


def test_one_column_alone(client, login, setup):
    login(setup["manager_a"])
    header, *_rows = csv_rows(client, "columns=resolution_note&columns=resolution_note")
    assert header[15:] == ["Abschlussvermerk"]


@pytest.mark.parametrize("role", ["observer", "manager_b"])
def test_contacts_of_confidential_items_others_may_not_see_are_not_exported(
    client, login, make_user, setup, role
):
    login(make_user("observer") if role == "observer" else setup["manager_b"])
    csv_text = str(csv_rows(client, ALL_COLUMNS))
    xlsx_text = str(xlsx_rows(client, ALL_COLUMNS))
    for text in (csv_text, xlsx_text):
        assert "olga@offen.de" in text  # the open item's contact, as on its page
        for hidden in ("Gerd Geheim", "gerd@geheim.de", "0361 2", setup["secret"].reference):
            assert hidden not in text


@pytest.mark.parametrize("role", ["manager_a", "admin"])
def test_the_confidential_items_networks_and_the_office_get_its_contact(
    client, login, make_user, setup, role
):
    login(make_user("admin") if role == "admin" else setup["manager_a"])
    row = next(r for r in csv_rows(client, ALL_COLUMNS) if r[0] == setup["secret"].reference)
    assert row[5] == "Gerd Geheim" and row[17:] == ["gerd@geheim.de", "0361 2"]


def test_a_hidden_contact_stays_empty_on_a_visible_item(client, login, make_user, setup):
    """A contact known only from a confidential item, linked (by old data) to an open item."""
    db.session.execute(
        update(Item)
        .where(Item.id == setup["visible"].id)
        .values(contact_id=setup["secret"].contact_id)
    )
    db.session.commit()
    login(make_user("observer"))
    header, *rows = csv_rows(client, ALL_COLUMNS)
    row = next(r for r in rows if r[0] == setup["visible"].reference)
    assert row[17:] == ["", ""] and "gerd@geheim.de" not in str(rows)


def test_extra_columns_neutralise_formulas(client, login, setup, make_item):
    item = make_item(actor=setup["manager_a"], title="Formeln", description="=1+2")
    item.resolution_note = "@SUMME(A1)"
    item.contact = companies.save_contact(
        item.company, actor=setup["manager_a"], name="Eva", email="-x@y.de", phone="+49 361 3"
    )
    db.session.commit()
    login(setup["manager_a"])
    row = next(r for r in csv_rows(client, ALL_COLUMNS) if r[0] == item.reference)
    assert row[15:] == ["'=1+2", "'@SUMME(A1)", "'-x@y.de", "'+49 361 3"]
    body = client.get(f"/reports/register.xlsx?status=all&{ALL_COLUMNS}").get_data()
    cells = [c for r in load_workbook(io.BytesIO(body)).active.iter_rows() for c in r]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert "=1+2" in [c.value for c in cells]


def test_long_descriptions_are_whole_in_csv_and_cut_at_excels_cell_limit(client, login, setup):
    long = "Absatz " * 6_000  # 42,000 characters, stored before the length limits existed
    db.session.execute(update(Item).where(Item.id == setup["visible"].id).values(description=long))
    db.session.commit()
    login(setup["manager_a"])
    row = next(
        r for r in csv_rows(client, "columns=description") if r[0] == setup["visible"].reference
    )
    assert row[15] == long
    row = next(
        r for r in xlsx_rows(client, "columns=description") if r[0] == setup["visible"].reference
    )
    assert row[15] == long[:EXCEL_CELL_MAX]


def test_register_page_offers_the_extra_columns(client, login, setup):
    login(setup["manager_a"])
    page = client.get("/items/?status=all").text
    export = page[page.index('id="register-export"') :].split("</form>")[0]
    for value in ("description", "resolution_note", "contact"):
        assert f'name="columns" value="{value}"' in export
    assert "Kontaktdaten (E-Mail, Telefon)" in export
