"""The API's documentation page in the browser: Swagger UI from static/vendor (no request
leaves 127.0.0.1, nothing is blocked by the Content-Security-Policy) lists the operations
of /api/v1/openapi.json. Screenshot: api-docs.png in TRACKER_TEST_SHOTS."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import ARTIFACTS

pytestmark = pytest.mark.e2e

SHOTS = Path(os.environ.get("TRACKER_TEST_SHOTS") or ARTIFACTS)


def test_the_documentation_page_shows_the_operations_offline(page, live_server):
    requested, problems = [], []
    page.on("request", lambda r: requested.append(r.url))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.goto(f"{live_server}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Bedarfsregister")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/items").first).to_be_visible()
    expect(page.locator(".opblock").first).to_be_visible()
    assert page.locator(".opblock").count() > 20
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "api-docs.png", full_page=False)
    assert all(url.startswith(live_server) or url.startswith("data:") for url in requested)
    assert not [p for p in problems if "Content Security Policy" in p], problems
