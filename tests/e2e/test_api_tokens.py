"""A manager makes an API token on the account page, a program uses it, the manager revokes it.

The program is urllib against the live server: the token alone (no cookie) opens the
API; the confidential item of another network stays out of its answers.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tracker.api.models import ApiToken

from .conftest import ARTIFACTS, browser_login, fresh, settle

pytestmark = pytest.mark.e2e
SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)


def _call(url: str, token: str) -> tuple[int, dict | list, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - 127.0.0.1
            return answer.status, json.loads(answer.read()), dict(answer.headers)
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read()), dict(refused.headers)


def test_a_manager_makes_uses_and_revokes_a_token(
    page: Page, live_server, make_user, make_network, make_item
):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    anna, bert = make_user(network=alpha, name="Anna Alpha"), make_user(network=beta)
    open_item = make_item(actor=anna, title="Partner für Sensorik gesucht")
    hidden = make_item(actor=bert, title="Vertrauliche Nachfolge", confidential=True)
    settle(anna, open_item, hidden)
    browser_login(page, live_server, anna)
    page.goto(f"{live_server}/account")
    page.get_by_role("link", name="API-Tokens verwalten").click()
    expect(page.locator("main h1")).to_have_text("API-Tokens")
    page.get_by_label("Name").fill("Unser CRM")
    page.get_by_label("Darf").select_option("read")
    page.get_by_label("Gültig für").select_option("90")
    page.get_by_role("button", name="Token erstellen").click()
    expect(page.get_by_text("Kopieren Sie es jetzt")).to_be_visible()
    token = page.locator("#new-token").input_value()
    assert token.startswith("br_")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "api-tokens.png", full_page=True)

    status, items, headers = _call(f"{live_server}/api/v1/items", token)
    assert status == 200 and headers["X-Total-Count"] == "1"
    assert [i["title"] for i in items] == [open_item.title]  # Bert's secret stays out
    status, problem, _headers = _call(f"{live_server}/api/v1/items/{hidden.reference}", token)
    assert status == 404 and problem["status"] == 404

    page.reload()
    expect(page.locator("main table")).to_contain_text("Unser CRM")
    expect(page.locator("main")).not_to_contain_text(token)  # shown once, never again
    page.get_by_role("button", name="Widerrufen Unser CRM").click()
    expect(page.get_by_role("status").or_(page.locator(".alert-success"))).to_contain_text(
        "widerrufen"
    )
    status, problem, _headers = _call(f"{live_server}/api/v1/items", token)
    assert status == 401 and "widerrufen" in problem["detail"]
    row = fresh(ApiToken, 1)
    assert row.revoked_at is not None and row.last_used_at is not None
