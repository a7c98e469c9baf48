"""Rate limits per token: every request, and fewer writes; 429 with Retry-After."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from api_world import api_world_fixture, send  # noqa: F401 - the fixture

from tracker.api import limits

START = datetime.fromisoformat("2026-11-24T09:00:10+00:00")


@pytest.fixture
def limited(app, monkeypatch):
    monkeypatch.setitem(app.config, "RATELIMIT_ENABLED", True)
    monkeypatch.setitem(app.config, "API_RATE_LIMIT", "3 per minute")
    monkeypatch.setitem(app.config, "API_WRITE_RATE_LIMIT", "1 per minute")
    monkeypatch.setattr(limits, "_counts", {})
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_a_token_waits_when_its_window_is_used_up(client, api_world, limited):
    for _ in range(3):
        assert send(client, api_world, "observer", "GET", "/api/v1/networks").status_code == 200
    refused = send(client, api_world, "observer", "GET", "/api/v1/networks")
    assert refused.status_code == 429 and refused.mimetype == "application/problem+json"
    assert refused.headers["Retry-After"] == "50"  # the window ends at 09:01:00
    assert refused.json["detail"] == (
        "Mit diesem Token kamen zu viele Anfragen. Bitte warten Sie 50 Sekunden."
    )
    english = send(
        client, api_world, "observer", "GET", "/api/v1/networks", **{"Accept-Language": "en"}
    )
    assert english.json["title"] == "Too many requests"
    other = send(client, api_world, "manager_b", "GET", "/api/v1/networks")
    assert other.status_code == 200  # another token counts on its own
    limited.shift(timedelta(seconds=50))
    assert send(client, api_world, "observer", "GET", "/api/v1/networks").status_code == 200


def test_writes_have_their_own_smaller_limit(client, api_world, limited):
    path = f"/api/v1/items/{api_world.records['item'].reference}/comments"
    first = send(client, api_world, "manager_b", "POST", path, {"body": "Erster Hinweis"})
    assert first.status_code == 201
    second = send(client, api_world, "manager_b", "POST", path, {"body": "Zweiter Hinweis"})
    assert second.status_code == 429 and second.headers["Retry-After"] == "50"
    assert send(client, api_world, "manager_b", "GET", path).status_code == 200  # reads go on


def test_no_limits_when_switched_off(client, api_world, limited, app):
    app.config["RATELIMIT_ENABLED"] = False
    for _ in range(5):
        assert send(client, api_world, "observer", "GET", "/api/v1/topics").status_code == 200
