"""The register import in the browser: 3,000 rows, a progress bar while saved, the result."""

import pytest
from imports_register import register_csv  # tests/imports_register.py
from playwright.sync_api import expect
from sqlalchemy import func, select

from tracker.db import db
from tracker.items.models import Item

from .conftest import ARTIFACTS, browser_login, settle

pytestmark = pytest.mark.e2e
ROWS = 3000


@pytest.fixture
def office(make_network, make_topic, make_user):
    make_network("NetzA"), make_network("NetzB")
    for name in ("KI", "Digitalisierung", "Förderung", "Fachkräfte", "Energiewende"):
        make_topic(name)
    return settle(make_user("admin", name="Katrin Koordination"))


def test_import_of_3000_rows_shows_a_progress_bar_then_the_result(page, live_server, office,
                                                                  tmp_path):
    path = tmp_path / "Register 2025.csv"
    path.write_bytes(register_csv(ROWS))
    browser_login(page, live_server, office)
    page.goto(f"{live_server}/import/")
    page.locator("#file").set_input_files(str(path))
    page.locator("#network").select_option(label="NetzB – Testnetzwerk NetzB")
    page.locator("main form button[type=submit]").click()
    page.locator("main form button[type=submit]").first.click()  # the dry run
    run = page.locator("main form[action$='/import/run'] button[type=submit]").first
    expect(run).to_contain_text(str(ROWS))
    run.click()
    bar = page.get_by_role("progressbar")
    expect(bar).to_be_visible()
    expect(bar).to_have_attribute("aria-valuemax", str(ROWS))
    expect(page.locator("[role=status]")).to_contain_text(f"von {ROWS} Zeilen")
    page.screenshot(path=ARTIFACTS / "imports-progress.png", full_page=True)
    expect(page.locator(".alert-success")).to_contain_text(f"{ROWS} Anliegen", timeout=120_000)
    page.screenshot(path=ARTIFACTS / "imports-done.png")
    db.session.close()
    assert db.session.scalar(select(func.count(Item.id))) == ROWS
    db.session.close()
