"""What every fragment's key holds without being told (day, viewer), and forms in fragments."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from flask_login import login_user
from flask_wtf.csrf import generate_csrf

from tracker import caching
from tracker.db import db
from tracker.meetings import agenda, services

OVERDUE = re.compile(r'<span class="overdue">')


@pytest.mark.time_machine(datetime(2026, 12, 10, 22, 58, tzinfo=UTC), tick=False)  # 23:58 Berlin
def test_live_agenda_marks_a_follow_up_overdue_when_the_day_changes(
    client, login, make_network, make_user, make_series, make_item, time_machine
):
    manager = make_user("manager", make_network("Alpha"))
    meeting = services.upcoming(make_series())
    item = make_item(
        actor=manager, responsible_network=manager.network, follow_up_date=date(2026, 12, 10)
    )
    agenda.prepare_agenda(meeting, actor=manager)
    db.session.commit()
    login(manager)
    entry = next(e for e in meeting.entries if e.item_id == item.id)
    live = f"/meetings/{meeting.id}/live?open={entry.id}"  # the entry shows its follow-up
    assert not OVERDUE.search(client.get(live).get_data(as_text=True))
    time_machine.move_to(datetime(2026, 12, 10, 23, 1, tzinfo=UTC))  # 00:01 the next day
    assert OVERDUE.search(client.get(live).get_data(as_text=True))  # nothing else changed


def test_fragments_are_per_viewer_unless_declared_the_same_for_everyone(app, make_user):
    seen = {}
    for user in (make_user(name="Anna"), make_user(name="Bert")):
        with app.test_request_context("/"):
            login_user(user)
            seen[user.name] = (
                caching.fragment("probe-mine", (), lambda u=user: u.name),
                caching.fragment("probe-all", (), lambda u=user: u.name, per_viewer=False),
            )
    assert seen == {"Anna": ("Anna", "Anna"), "Bert": ("Bert", "Anna")}


def _form() -> str:
    return f'<input type="hidden" name="csrf_token" value="{generate_csrf()}">'


def test_a_fragment_with_a_form_must_say_so(app):
    with app.test_request_context("/"), pytest.raises(RuntimeError, match="with_forms"):
        caching.fragment("probe-form", (), _form)


def test_a_cached_form_gets_the_token_of_each_session(app):
    renders = []
    tokens = []
    for _session in range(2):
        with app.test_request_context("/"):
            tokens.append(generate_csrf())
            html = caching.fragment(
                "probe-form", (), lambda: renders.append(1) or _form(), with_forms=True
            )
            assert html == _form()
    assert len(renders) == 1 and tokens[0] != tokens[1]
