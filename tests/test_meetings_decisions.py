"""Decisions and tasks across the meetings of a series: the page, its filters, the XLSX file,
the decisions on item and company pages, and nothing of a confidential item for whoever may
not see it."""

from datetime import UTC, time, timedelta
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tracker import clock
from tracker.db import db
from tracker.i18n import _
from tracker.meetings.models import AgendaEntry, EntryKind, EntryReason, Task


def _entry(meeting, position, item=None, **values):
    entry = AgendaEntry(
        meeting=meeting,
        position=position,
        kind=EntryKind.ITEM if item else EntryKind.FREE,
        reason=EntryReason.NEW if item else EntryReason.MANUAL,
        item=item,
        **values,
    )
    db.session.add(entry)
    return entry


@pytest.fixture
def world(make_network, make_user, make_series, make_meeting, make_item, make_company, make_topic):
    north, south = make_network("Nord"), make_network("Süd")
    admin = make_user("admin")
    manager_a, manager_b = make_user("manager", north), make_user("manager", south)
    observer = make_user("observer")
    topic = make_topic("KI")
    public = make_item(
        actor=admin,
        title="Sensorik für Prüfstand",
        company=make_company("Optik Müller GmbH"),
        reporting_network=north,
        responsible_network=north,
        topics=[topic],
    )
    secret = make_item(
        actor=admin,
        title="Patentstrategie",
        company=make_company("Geheim Laser AG"),
        reporting_network=north,
        confidential=True,
    )
    series = make_series()
    today = clock.today()
    earlier = make_meeting(series, starts_at=clock.at_utc(today - timedelta(weeks=10), time(10)))
    later = make_meeting(series, starts_at=clock.at_utc(today - timedelta(weeks=1), time(10)))
    first = _entry(earlier, 1, public, decision="Förderantrag gemeinsam stellen")
    db.session.add(Task(meeting=earlier, entry=first, item=public, title="Antrag prüfen",
                        owner=manager_a, due_date=today - timedelta(weeks=8)))  # fmt: skip
    hidden = _entry(later, 1, secret, decision="Patent vertraulich behandeln")
    db.session.add(Task(meeting=later, entry=hidden, item=secret, title="NDA senden",
                        owner=manager_a))  # fmt: skip
    _entry(later, 2, title="Verschiedenes", decision="Cross-Cluster-Woche im Mai")
    _entry(later, 3, public, note="nur eine Notiz")  # no decision, no task: not listed
    db.session.commit()
    return dict(
        admin=admin, manager_a=manager_a, manager_b=manager_b, observer=observer,
        series=series, public=public, secret=secret, north=north, topic=topic,
        earlier=earlier, later=later,
    )  # fmt: skip


def _page(client, login, user, series, **args):
    login(user)
    response = client.get(f"/meetings/series/{series.id}/decisions", query_string=args)
    client.post("/logout")
    return response


SECRET_WORDS = ("Patent", "Geheim Laser", "NDA senden")


@pytest.mark.parametrize("who", ["manager_b", "observer"])
def test_a_confidential_items_decisions_and_tasks_are_invisible(world, client, login, who):
    page = _page(client, login, world[who], world["series"]).text
    assert "Förderantrag gemeinsam stellen" in page and "Cross-Cluster-Woche im Mai" in page
    assert not any(word in page for word in SECRET_WORDS)
    for query in ({"q": "Patent"}, {"company": "Geheim"}, {"q": "NDA"}):
        found = _page(client, login, world[who], world["series"], **query).text
        assert "Patent vertraulich" not in found and "NDA senden" not in found
        assert _("No decisions or tasks found.") in found


def test_who_may_see_the_item_sees_its_decision_and_task(world, client, login):
    for who in ("admin", "manager_a"):
        page = _page(client, login, world[who], world["series"]).text
        assert "Patent vertraulich behandeln" in page and "NDA senden" in page


def test_newest_meeting_first_and_entries_without_decision_or_task_left_out(world, client, login):
    page = _page(client, login, world["admin"], world["series"]).text
    order = [page.index(t) for t in ("Patent vertraulich", "Cross-Cluster-Woche", "Förderantrag")]
    assert order == sorted(order)
    assert "nur eine Notiz" not in page
    assert "3 Einträge mit Beschluss oder Aufgabe" in page


def test_filters_by_company_network_topic_period_and_words(world, client, login):
    def shown(**args) -> set[str]:
        page = _page(client, login, world["admin"], world["series"], **args).text
        texts = ("Förderantrag", "Patent vertraulich", "Cross-Cluster-Woche")
        return {t for t in texts if t in page}

    assert shown(company="müller") == {"Förderantrag"}
    assert shown(network=world["north"].id) == {"Förderantrag", "Patent vertraulich"}
    assert shown(topic=world["topic"].id) == {"Förderantrag"}
    since = clock.local_day(world["later"].starts_at) - timedelta(days=1)
    assert shown(since=since.isoformat()) == {"Patent vertraulich", "Cross-Cluster-Woche"}
    assert shown(until=since.isoformat()) == {"Förderantrag"}
    assert shown(q="antrag prüfen") == {"Förderantrag"}  # the words of a task's title
    assert shown(q="100%_") == set()  # LIKE's wildcards are plain characters


def test_bad_filter_values_come_back_with_a_german_error_and_the_input(world, client, login):
    response = _page(client, login, world["manager_b"], world["series"], since="31.02.x")
    assert response.status_code == 400
    assert 'value="31.02.x"' in response.text and "is-invalid" in response.text
    too_long = _page(client, login, world["manager_b"], world["series"], q="x" * 201)
    assert too_long.status_code == 400
    assert _page(client, login, world["manager_b"], world["series"], network="x").status_code in (
        200,
        400,
    )


def test_unknown_series_is_not_found(world, client, login):
    login(world["admin"])
    assert client.get("/meetings/series/999999/decisions").status_code == 404
    assert client.get("/meetings/series/999999/decisions.xlsx").status_code == 404


def _workbook_texts(body: bytes) -> dict[str, list[list]]:
    book = load_workbook(BytesIO(body))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def test_xlsx_has_the_pages_decisions_and_tasks_and_nothing_hidden(world, client, login):
    login(world["manager_b"])
    response = client.get(f"/meetings/series/{world['series'].id}/decisions.xlsx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    sheets = _workbook_texts(response.data)
    assert list(sheets) == ["Beschlüsse", "Aufgaben"]
    decisions, tasks = sheets["Beschlüsse"], sheets["Aufgaben"]
    assert decisions[0][:6] == [
        "Sitzung",
        "Anliegen",
        "Titel",
        "Unternehmen",
        "Netzwerk",
        "Beschluss",
    ]
    assert [row[5] for row in decisions[1:]] == [
        "Cross-Cluster-Woche im Mai",
        "Förderantrag gemeinsam stellen",
    ]
    assert decisions[2][1] == world["public"].reference
    assert decisions[2][3] == "Optik Müller GmbH" and decisions[2][4] == "Nord"
    assert [row[5] for row in tasks[1:]] == ["Antrag prüfen"]
    everything = " ".join(str(v) for rows in sheets.values() for row in rows for v in row)
    assert not any(word in everything for word in SECRET_WORDS)
    filtered = client.get(
        f"/meetings/series/{world['series'].id}/decisions.xlsx", query_string={"q": "Mai"}
    )
    assert [r[5] for r in _workbook_texts(filtered.data)["Beschlüsse"][1:]] == [
        "Cross-Cluster-Woche im Mai"
    ]


def test_item_and_company_pages_show_their_decisions(world, client, login):
    login(world["manager_b"])
    item_page = client.get(f"/items/{world['public'].id}").text
    assert _("Decisions in meetings") in item_page and "Förderantrag gemeinsam" in item_page
    company_page = client.get(f"/companies/{world['public'].company.id}").text
    assert "Förderantrag gemeinsam" in company_page
    client.post("/logout")
    login(world["admin"])
    secret_company = client.get(f"/companies/{world['secret'].company.id}").text
    assert "Patent vertraulich behandeln" in secret_company


def test_the_meetings_page_links_to_the_decisions(world, client, login):
    login(world["observer"])
    page = client.get("/meetings/").text
    assert f"/meetings/series/{world['series'].id}/decisions" in page


def test_the_period_counts_days_in_the_initiatives_time_zone(world):
    """A meeting at 00:30 in Berlin is on the previous day in UTC: it counts on its own day."""
    from tracker.meetings import decisions

    day = clock.local_day(world["later"].starts_at)
    world["later"].starts_at = clock.at_utc(day, time(0, 30))
    db.session.commit()
    assert world["later"].starts_at.astimezone(UTC).date() == day - timedelta(days=1)
    flt = decisions.DecisionFilter(since=day, until=day)
    found = db.session.scalars(decisions.statement(world["admin"], flt)).unique().all()
    assert {e.meeting_id for e in found} == {world["later"].id}
