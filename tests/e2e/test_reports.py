"""The funder report across networks and the register export with extra columns, in the browser."""

import csv
import io
from datetime import UTC, datetime, time, timedelta

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tracker import clock
from tracker.companies import services as companies
from tracker.reports.figures import last_complete_quarter

from .conftest import ARTIFACTS, browser_login, settle

pytestmark = pytest.mark.e2e


@pytest.fixture
def world(make_network, make_user, make_item, make_company):
    """Alpha and Beta worked in the last complete quarter; Alpha handed one item to Beta."""
    alpha = make_network("Alpha", name="Netzwerk Alpha")
    beta = make_network("Beta", name="Netzwerk Beta")
    office = make_user("admin", name="Katrin Koordination")
    manager = make_user("manager", alpha, name="Anna Alpha")
    quarter = last_complete_quarter(clock.today())
    start = datetime.combine(quarter.first_day, time(12), tzinfo=UTC)
    company = make_company("Saale Optik GmbH")
    contact = companies.save_contact(
        company, actor=office, name="Erika Muster", email="erika@saale-optik.de", phone="0361 42"
    )
    made = [
        make_item(actor=manager, title="KI-Pilot gesucht", company=company, contact=contact,
                  description="Optische Prüfung\nmit Kamera", responsible_network=beta),
        make_item(actor=manager, title="Fachkräfte gesucht"),
        make_item(actor=office, reporting_network=beta, title="Geheime Übernahme",
                  confidential=True),
    ]  # fmt: skip
    for n, item in enumerate(made):
        item.created_at = start + timedelta(days=n)
    settle(office, alpha, beta, *made)
    return dict(office=office, alpha=alpha, quarter=quarter, item=made[0])


def test_office_compares_networks_and_exports_extra_columns(page, live_server, world):
    browser_login(page, live_server, world["office"])
    page.goto(f"{live_server}/reports/")
    page.locator("#network").select_option(str(world["alpha"].id))
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#report-heading")).to_contain_text("Netzwerk Alpha")
    page.get_by_role("link", name="Alle Netzwerke im Vergleich").click()
    expect(page.locator("#report-heading")).to_contain_text("Alle Netzwerke")
    table = page.locator("#side-by-side")
    expect(table.locator("tbody tr")).to_have_count(2)
    expect(table.locator("tbody tr").first).to_contain_text("Alpha")
    expect(table.locator("tfoot tr")).to_contain_text("Gesamt")
    expect(table.locator("tfoot td").first).to_have_text("3")
    expect(page.locator("main")).not_to_contain_text("Geheime Übernahme")
    page.screenshot(path=ARTIFACTS / "reports-side-by-side.png", full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Excel").click()
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    totals = list(book["Netzwerke"].iter_rows(values_only=True))[-1]
    assert totals[:3] == ("Gesamt", None, 3)

    page.goto(f"{live_server}/items/?status=all")
    export = page.locator("#register-export")
    export.get_by_label("Beschreibung").check()
    export.get_by_label("Kontaktdaten (E-Mail, Telefon)").check()
    page.screenshot(path=ARTIFACTS / "register-export-columns.png")
    with page.expect_download() as download:
        export.get_by_role("button", name="CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[15:] == [
        "Beschreibung",
        "E-Mail Ansprechpartner·in",
        "Telefon Ansprechpartner·in",
    ]
    row = next(r for r in rows if r[0] == world["item"].reference)
    assert row[15:] == ["Optische Prüfung\nmit Kamera", "erika@saale-optik.de", "0361 42"]
