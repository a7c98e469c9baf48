"""The register list's date filters that the dashboards link to, and the chart links."""

import re
from datetime import UTC, datetime, time, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from tracker.db import db
from tracker.items.models import ItemStatus


def at(today, days_ago: int) -> datetime:
    """Noon in Berlin ``days_ago`` days before ``today``."""
    noon = datetime.combine(today - timedelta(days=days_ago), time(12), ZoneInfo("Europe/Berlin"))
    return noon.astimezone(UTC)


def put(item, **values):
    for key, value in values.items():
        setattr(item, key, value)
    db.session.commit()
    return item


def query(href: str) -> tuple:
    args = parse_qs(urlsplit(unescape(href)).query)
    return tuple(sorted((k, v[0]) for k, v in args.items()))


@pytest.fixture
def dated(make_network, make_item, make_user, today):
    network = make_network("Alpha")

    def item(days: int, **values):
        return put(make_item(reporting_network=network), created_at=at(today, days), **values)

    return dict(
        today=item(0),
        week=item(6),
        month=item(20, status=ItemStatus.DONE, closed_at=at(today, 2)),
        old=item(100, status=ItemStatus.DECLINED, closed_at=at(today, 40)),
        observer=make_user("observer"),
    )


def listed(client, url: str) -> set[str]:
    return set(re.findall(r"\d{4}-\d{4}", client.get(url).get_data(as_text=True)))


def refs(dated, *names) -> set[str]:
    return {dated[n].reference for n in names}


def test_created_range_includes_both_days(client, login, dated, today):
    login(dated["observer"])
    first, last = today - timedelta(days=20), today - timedelta(days=6)
    found = listed(client, f"/items/?status=all&created_from={first}&created_to={last}")
    assert found & refs(dated, "today", "week", "month", "old") == refs(dated, "week", "month")


def test_closed_range_filters_closing_dates(client, login, dated, today):
    login(dated["observer"])
    found = listed(client, f"/items/?status=closed&closed_from={today - timedelta(days=7)}")
    assert found & refs(dated, "month", "old") == refs(dated, "month")


def test_local_midnight_bounds_the_day(client, login, dated, make_item, today):
    # 23:30 UTC in winter (00:30 in summer: 22:30 UTC) belongs to the next day in Berlin.
    late = datetime.combine(today - timedelta(days=1), datetime.min.time(), UTC)
    late += timedelta(hours=23, minutes=30)
    item = put(make_item(reporting_network=dated["week"].reporting_network), created_at=late)
    login(dated["observer"])
    assert item.reference in listed(client, f"/items/?status=all&created_from={today}")
    assert item.reference not in listed(client, f"/items/?status=all&created_to={late.date()}")


def test_unreadable_dates_are_ignored(client, login, dated):
    login(dated["observer"])
    found = listed(client, "/items/?status=all&created_from=gestern&closed_to=2026-13-45")
    assert refs(dated, "today", "week", "month", "old") <= found


def chart_links(page: str) -> list[tuple]:
    return [query(h) for h in re.findall(r'<a href="([^"]+)" class="chart-link"', page)]


def test_week_columns_link_to_the_week_in_the_register(client, login, dated, today):
    login(dated["observer"])
    monday = today - timedelta(days=today.weekday())
    links = chart_links(client.get("/overview").get_data(as_text=True))
    new_link = dict(next(q for q in links if ("created_from", str(monday)) in q))
    assert new_link["created_to"] == str(monday + timedelta(days=6))
    assert new_link["status"] == "all"
    url = "/items/?" + "&".join(f"{k}={v}" for k, v in new_link.items())
    assert dated["today"].reference in listed(client, url)
    assert dated["month"].reference not in listed(client, url)


def test_age_bars_link_to_open_items_of_that_age(client, login, dated, today):
    login(dated["observer"])
    links = [dict(q) for q in chart_links(client.get("/overview").get_data(as_text=True))]
    young = next(q for q in links if q.get("created_to") == str(today) and "status" in q)
    assert young == {
        "status": "open",
        "created_from": str(today - timedelta(days=7)),
        "created_to": str(today),
        "sort": "created",
        "direction": "asc",
    }
    found = listed(client, "/items/?" + "&".join(f"{k}={v}" for k, v in young.items()))
    assert found & refs(dated, "today", "week", "month") == refs(dated, "today", "week")


def test_svg_links_are_escaped_once(client, login, dated):
    login(dated["observer"])
    page = client.get("/overview").get_data(as_text=True)
    assert "&amp;amp;" not in page
    assert all("&" not in unescape(h).split("?")[0] for h in re.findall(r'href="([^"]+)"', page))
