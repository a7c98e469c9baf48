"""The overview: figures of a small hand-made register, and the links behind every figure."""

import re
from datetime import UTC, datetime, time, timedelta
from html import unescape
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest

from tracker.dashboard.overview import overview
from tracker.db import db
from tracker.items.models import ItemStatus

BERLIN = ZoneInfo("Europe/Berlin")


def at(today, days_ago: int, hour: int = 12) -> datetime:
    """A moment ``days_ago`` local days before ``today``."""
    return datetime.combine(today - timedelta(days=days_ago), time(hour), BERLIN).astimezone(UTC)


def put(item, **values):
    for key, value in values.items():
        setattr(item, key, value)
    db.session.commit()
    return item


@pytest.fixture
def world(make_network, make_user, make_item, make_topic, today):
    a, b = make_network("Alpha"), make_network("Beta")
    funding, ai = make_topic("Förderung"), make_topic("KI")

    def item(status, responsible=None, days=1, **values):
        made = make_item(reporting_network=a, topics=values.pop("topics", [funding]))
        return put(
            made,
            status=status,
            responsible_network=responsible,
            created_at=at(today, days),
            **values,
        )

    item(ItemStatus.NEW, None, days=0)
    item(ItemStatus.WAITING, a, days=7, follow_up_date=today - timedelta(days=1))
    item(ItemStatus.WAITING, a, days=8, follow_up_date=today)
    secret = item(ItemStatus.IN_PROGRESS, b, days=31, confidential=True, topics=[ai])
    item(ItemStatus.ASSIGNED, b, days=91, topics=[ai, funding])
    item(ItemStatus.DONE, a, days=3, closed_at=at(today, 1))
    item(ItemStatus.DECLINED, b, days=120, closed_at=at(today, 10), topics=[])
    observer = make_user("observer", locale="en")
    return dict(a=a, b=b, funding=funding, ai=ai, secret=secret, observer=observer)


def test_network_rows_count_open_items_by_status(world, today):
    rows = {r.network.short_name if r.network else None: r for r in overview(today)["network_rows"]}
    assert rows["Alpha"].by_status == {ItemStatus.WAITING: 2}
    assert rows["Alpha"].overdue == 1
    assert rows["Beta"].by_status == {ItemStatus.IN_PROGRESS: 1, ItemStatus.ASSIGNED: 1}
    assert rows[None].total == 1


def test_age_buckets_follow_days_since_registration(world, today):
    ages = {b.label: b.value for b in overview(today)["ages"]}
    assert ages == {"0-7": 2, "8-30": 1, "31-90": 1, "90+": 1}


def test_weeks_count_new_and_closed_items(world, today):
    weeks = overview(today)["weeks"]
    assert len(weeks) == 12 and weeks[-1]["current"]
    assert [w["week"].first.weekday() for w in weeks] == [0] * 12
    assert weeks[0]["week"].first == weeks[-1]["week"].first - timedelta(weeks=11)
    assert sum(w["new"] for w in weeks) == 5  # created 0, 3, 7, 8 and 31 days ago
    assert sum(w["closed"] for w in weeks) == 2
    assert weeks[-1]["new"] == sum(1 for d in (0, 3, 7, 8) if d <= today.weekday())


def test_top_topics_count_open_and_recent_items(world, today):
    figures = overview(today)
    assert [(t.name, n) for t, n in figures["topics_open"]] == [("Förderung", 4), ("KI", 2)]
    assert [(t.name, n) for t, n in figures["topics_recent"]] == [("Förderung", 4), ("KI", 1)]


def figure_links(page: str) -> set[tuple]:
    """Every linked figure of the page as (number, sorted query arguments)."""
    links = re.findall(r'<a class="figure-link" href="([^"]+)"[^>]*>(\d+)</a>', page)
    return {(int(n), query(href)) for href, n in links}


def query(href: str) -> tuple:
    args = parse_qs(urlsplit(unescape(href)).query)
    return tuple(sorted((k, v[0]) for k, v in args.items()))


def test_table_figures_link_to_the_filtered_register(client, login, world):
    login(world["observer"])
    links = figure_links(client.get("/overview").get_data(as_text=True))
    a, b = str(world["a"].id), str(world["b"].id)
    assert (2, (("responsible", a), ("status", "waiting"))) in links
    assert (1, (("overdue", "1"), ("responsible", a))) in links
    assert (1, (("responsible", b), ("status", "in_progress"))) in links
    assert (2, (("status", "waiting"),)) in links
    assert (5, (("status", "open"),)) in links


def test_confidential_items_count_in_figures_but_not_in_the_list(client, login, world):
    login(world["observer"])
    links = figure_links(client.get("/overview").get_data(as_text=True))
    assert (1, (("responsible", str(world["b"].id)), ("status", "in_progress"))) in links
    listed = client.get(f"/items/?responsible={world['b'].id}&status=in_progress")
    assert world["secret"].reference not in listed.get_data(as_text=True)


def test_charts_are_inline_svg_without_style_attributes(client, login, world):
    login(world["observer"])
    response = client.get("/overview")
    page = response.get_data(as_text=True)
    assert page.count("<svg") == 5
    assert " style=" not in page and "<script>" not in page.split("<main")[1]
    assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
    assert 'href="/static/css/charts.css' in page
