"""Edge values answer 404 or a form error, never 500 (SQLite and PostgreSQL).

Numbers beyond a 64-bit key overflow the database driver (SQLite: OverflowError,
PostgreSQL: DataError) and dates in year 1 or 9999 overflow Python's date arithmetic,
unless the URL converter, the bounded form fields and helpers and the date range of
tracker/forms_support.py stop them first.
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.db import db
from tracker.meetings import live

from .conftest import text_of

HUGE = str(2**63)  # one beyond the largest key
BEYOND_INTEGER = str(2**31)  # one beyond PostgreSQL's INTEGER, the type of the id columns
HUGER = "9" * 30
FETCH = {"X-Requested-With": "fetch"}
SERIES = {
    "name": "Runde",
    "weekday": "3",
    "start_time": "10:00",
    "duration_minutes": "90",
    "timezone": "Europe/Berlin",
}

# (method, path, form data, expected status)
CASES = [
    *[("GET", f"/items/{n}", {}, 404) for n in (HUGE, HUGER, BEYOND_INTEGER)],
    ("GET", f"/companies/{BEYOND_INTEGER}", {}, 404),
    ("GET", f"/items/{HUGE}/edit", {}, 404),
    ("GET", f"/companies/{HUGE}", {}, 404),
    ("GET", f"/companies/contacts/{HUGE}/edit", {}, 404),
    ("GET", f"/meetings/{HUGE}", {}, 404),
    ("GET", f"/meetings/{HUGE}/agenda.md", {}, 404),
    ("GET", f"/networks/{HUGE}", {}, 404),
    ("GET", f"/admin/users/{HUGE}", {}, 404),
    ("GET", f"/reports/views/{HUGE}", {}, 404),
    ("GET", f"/privacy/contacts/{HUGE}.json", {}, 404),
    ("POST", f"/meetings/tasks/{HUGE}/done", {}, 404),
    ("POST", f"/meetings/tasks/{HUGE}/due", {"due_date": "2030-01-01"}, 404),
    ("POST", f"/meetings/entries/{HUGE}/outcome", {"note": "x"}, 404),
    *[("GET", f"{path}?page={HUGE}", {}, 404) for path in ("/items/", "/companies/")],
    ("GET", f"/meetings/?page={HUGE}", {}, 404),
    ("GET", f"/admin/audit?page={HUGE}", {}, 404),
    ("GET", f"/search/?q=Sensorik&page={HUGE}", {}, 200),
    ("GET", f"/items/duplicates?title=Sensorik&exclude={HUGE}", {}, 200),
    ("GET", "/meetings/{meeting}/live/fragment?since=" + HUGE, {}, 200),
    ("GET", f"/items/?company={HUGE}&assignee={HUGE}", {}, 200),
    ("POST", "/items/{item}/actions/complete", {"note": "x", "version": HUGE}, 400),
    ("POST", "/companies/{company}/edit", {"name": "Firma Alpha", "version": HUGE}, 400),
    ("POST", "/meetings/{meeting}/attendance", {"network": HUGE, "present": "y"}, 404),
    ("POST", "/meetings/entries/{entry}/tasks", {"title": "x", "owner": HUGE}, 400),
    ("POST", "/meetings/tasks/{task}/due", {"due_date": "9999-12-31"}, 400),
    ("POST", "/meetings/tasks/{task}/due", {"due_date": "0001-01-01"}, 400),
    ("POST", "/items/{item}/actions/wait", {"follow_up_date": "9999-12-31"}, 400),
    ("GET", "/overview/clusters?date_from=0001-01-01", {}, 200),
    ("GET", "/overview/clusters?date_from=2026-01-01&date_to=9999-12-31", {}, 200),
    ("GET", "/overview/clusters?date_from=9999-12-31", {}, 200),
    *[
        ("GET", "/reports/?network={network_a}&quarter=" + q, {}, 400)
        for q in ("0000-Q1", "9999-Q4")
    ],
    ("GET", "/reports/networks/{network_a}/0000-Q1.xlsx", {}, 404),
    ("GET", "/reports/networks/{network_a}/9999-Q4.docx", {}, 404),
    ("POST", "/meetings/series/new", {**SERIES, "timezone": "Europe"}, 400),
    ("POST", "/meetings/series/new", {**SERIES, "timezone": "../../etc/passwd"}, 400),
]


@pytest.mark.parametrize(("method", "path", "data", "expected"), CASES)
def test_edge_value_is_refused_without_error(world, client_as, method, path, data, expected):
    client = client_as("admin")
    response = client.open(world.format(path), method=method, data=data, headers=FETCH)
    assert response.status_code == expected, response.get_data(as_text=True)[:500]


def test_date_errors_are_shown_at_the_field(world, client_as):
    path = world.format("/overview/clusters?date_from=0001-01-01")
    html = client_as("admin").get(path).get_data(as_text=True)
    assert "is-invalid" in html and "01.01.2000" in html


def test_calendar_feed_survives_the_last_date(world, client_as):
    task = world.records["task"]
    live.move_task(task, actor=world.users["admin"], due_date=date.max, expected_version=None)
    db.session.commit()
    response = client_as("anonymous").get(world.format("/reports/calendar/{calendar_token}.ics"))
    assert response.status_code == 200
    assert "DTSTART;VALUE=DATE:99991231" in text_of(response)
