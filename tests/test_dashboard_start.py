"""The start page: my tasks and the next meeting with its agenda, next to the item lists."""

from datetime import UTC, datetime, timedelta

import pytest

from tracker.dashboard import services
from tracker.db import db
from tracker.meetings import agenda
from tracker.meetings.models import MeetingStatus, Task


@pytest.fixture
def people(make_network, make_user):
    alpha, beta = make_network("Alpha"), make_network("Beta")
    return dict(
        alpha=alpha,
        beta=beta,
        me=make_user("manager", alpha),
        other=make_user("manager", beta),
        admin=make_user("admin"),
    )


def task(owner, title, due=None, done=False, **values):
    made = Task(
        owner=owner,
        title=title,
        due_date=due,
        done_at=datetime.now(UTC) if done else None,
        **values,
    )
    db.session.add(made)
    db.session.commit()
    return made


def test_my_tasks_are_open_ones_soonest_first(people, today):
    me = people["me"]
    task(me, "Später", today + timedelta(days=5))
    task(me, "Ohne Datum")
    task(me, "Überfällig", today - timedelta(days=2))
    task(me, "Erledigt", today, done=True)
    task(people["other"], "Fremd", today)
    found = services.my_tasks(me)
    assert [t.title for t in found["tasks"]] == ["Überfällig", "Später", "Ohne Datum"]
    assert found["tasks_total"] == 3


def test_start_page_marks_overdue_tasks(client, login, people, today):
    task(people["me"], "Bericht an das Ministerium", today - timedelta(days=1))
    login(people["me"])
    html = client.get("/").get_data(as_text=True)
    section = html.split('id="h-tasks"')[1].split("</section>")[0]
    assert "Bericht an das Ministerium" in section
    assert 'class="text-nowrap task-due overdue"' in section


def test_next_meeting_without_agenda_says_so(client, login, people, make_series):
    series = make_series(name="Netzwerkmanager-Runde")
    login(people["me"])
    html = client.get("/").get_data(as_text=True)
    section = html.split('id="h-meeting"')[1].split("</section>")[0]
    assert "Netzwerkmanager-Runde" in section and "agenda-missing" in section
    assert services.next_meeting().meeting.series_id == series.id


def test_next_meeting_shows_the_start_of_its_agenda(client, login, people, make_series, make_item):
    make_series(name="Netzwerkmanager-Runde")
    visible = make_item(title="Partner für KI-Pilot", reporting_network=people["alpha"])
    hidden = make_item(
        title="Geheime Übernahme", reporting_network=people["beta"], confidential=True
    )
    meeting = services.next_meeting().meeting
    agenda.prepare_agenda(meeting, actor=people["admin"])
    db.session.commit()
    login(people["me"])
    section = client.get("/").get_data(as_text=True).split('id="h-meeting"')[1]
    section = section.split("</section>")[0]
    assert "Begrüßung" in section and "agenda-missing" not in section
    assert visible.title in section and visible.reference in section
    assert hidden.reference in section and "Geheime Übernahme" not in section


def test_running_meeting_comes_before_planned_ones(people, make_series, make_meeting):
    series = make_series()
    running = make_meeting(
        series, datetime.now(UTC) - timedelta(minutes=30), status=MeetingStatus.IN_PROGRESS
    )
    make_meeting(series, datetime.now(UTC) + timedelta(days=1))
    assert services.next_meeting().meeting.id == running.id


def test_past_planned_meeting_is_not_next(people, make_series, make_meeting):
    series = make_series()
    make_meeting(series, datetime.now(UTC) - timedelta(days=3))
    assert services.next_meeting().meeting.starts_at > datetime.now(UTC)


@pytest.mark.time_machine(datetime(2026, 12, 10, 13, 0, tzinfo=UTC), tick=False)  # 14:00 Berlin
def test_todays_meeting_not_run_stays_next_until_the_day_ends(
    people, make_series, make_meeting, time_machine
):
    series = make_series()
    today = make_meeting(series, datetime(2026, 12, 10, 9, 0, tzinfo=UTC))  # 10:00-11:30 Berlin
    make_meeting(series, datetime(2026, 12, 17, 9, 0, tzinfo=UTC))
    assert services.next_meeting().meeting.id == today.id
    time_machine.move_to(datetime(2026, 12, 10, 22, 59, tzinfo=UTC))  # 23:59 Berlin
    assert services.next_meeting().meeting.id == today.id
    time_machine.move_to(datetime(2026, 12, 10, 23, 1, tzinfo=UTC))  # 00:01 the next day
    assert services.next_meeting().meeting.id != today.id


def test_long_lists_say_there_is_more(client, login, people, make_item, today):
    for n in range(21):
        item = make_item(title=f"Anliegen {n}", reporting_network=people["alpha"])
        item.responsible_network = people["alpha"]
        item.follow_up_date = today - timedelta(days=1)
    db.session.commit()
    login(people["me"])
    html = client.get("/").get_data(as_text=True)
    section = html.split('id="h-overdue"')[1].split("</section>")[0]
    assert ">20+<" in section and f"overdue=1&amp;responsible={people['alpha'].id}" in section
    assert section.count('class="ref"') == 20


def test_start_page_rows_render_as_the_register_table(
    app, people, make_item, make_topic, make_company, today
):
    """The start page's plain rows (services.Row) show what the register's compact table
    shows of the same items: topics by name, company, network or "not yet decided",
    assignee, badges, the overdue mark."""
    import re

    from flask import render_template_string

    from tracker.dashboard import presenters
    from tracker.items.models import Item, ItemKind, ItemStatus, Priority

    me, alpha = people["me"], people["alpha"]
    zebra, apfel = make_topic("Zebra"), make_topic("Apfel")
    company = make_company("Optik <AG> & Co")
    make_item(
        title="Laser & Linsen",
        company=company,
        topics=[zebra, apfel],
        priority=Priority.HIGH,
        confidential=True,
        responsible_network=alpha,
        assignee=me,
        follow_up_date=today - timedelta(days=3),
        actor=people["admin"],
    )
    make_item(title="Ohne Netzwerk", kind=ItemKind.NEED, actor=people["admin"])
    items = list(db.session.scalars(db.select(Item).order_by(Item.id.desc())))
    rows = services._items(Item.id.in_([i.id for i in items]))
    services._with_topics([rows])
    assert [r.id for r in rows] == [i.id for i in items]
    assert rows.items[1].topics == ("Apfel", "Zebra")
    assert items[1].status == ItemStatus.ASSIGNED and rows.items[1].is_overdue(today)

    source = (
        '{% from "_macros/items.html" import item_table %}'
        '{% from "dashboard/_macros.html" import row_table %}'
        "{{ item_table(items, today, compact=true) }}|{{ row_table(rows, today, labels, href) }}"
    )
    with app.test_request_context("/"):
        html = render_template_string(
            source,
            items=items,
            rows=rows,
            today=today,
            labels=presenters.row_labels(),
            href=presenters.item_href_prefix(),
        )
    register, start = (re.sub(r"\s+", " ", part).replace("> <", "><") for part in html.split("|"))
    assert "Laser &amp; Linsen" in start and "Optik &lt;AG&gt; &amp; Co" in start
    assert start.strip() == register.strip()
