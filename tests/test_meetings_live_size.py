"""The live page of a hundred entries stays small: one line per entry, one entry open."""

from html.parser import HTMLParser

import pytest

from tracker.db import db
from tracker.meetings import agenda, services, steering

MAX_BYTES = 150 * 1024
MAX_ELEMENTS = 2_000


class Census(HTMLParser):
    """Counts the elements of a page and the places the Tab key stops at."""

    FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}

    def __init__(self):
        super().__init__()
        self.elements = 0
        self.tab_stops = 0

    def handle_starttag(self, tag, attrs):
        self.elements += 1
        values = dict(attrs)
        if values.get("tabindex") not in (None, "0") or "disabled" in values:
            return
        if tag in self.FOCUSABLE and not (tag == "a" and "href" not in values):
            if not (tag == "input" and values.get("type") == "hidden"):
                self.tab_stops += 1
        elif values.get("tabindex") == "0":
            self.tab_stops += 1


@pytest.fixture
def hundred(make_network, make_user, make_series, make_item, make_company):
    """A running meeting with a hundred entries of ten networks (and the standing topics)."""
    networks = [make_network(f"N{n:02d}") for n in range(10)]
    manager = make_user("manager", networks[0])
    series = make_series(standing_topics_start="Begrüßung", standing_topics_end="Verschiedenes")
    meeting = services.upcoming(series)
    company = make_company("Firma Groß")
    for number in range(98):
        make_item(
            actor=manager,
            title=f"Anliegen {number} mit einem längeren Titel",
            company=company,
            responsible_network=networks[number % 10],
        )
    agenda.prepare_agenda(meeting, actor=manager)
    services.start_meeting(meeting, actor=manager)
    office = make_user("admin", name="Koordinierungsstelle")
    current = next(e for e in meeting.entries if e.item_id)
    steering.set_current(meeting, current, actor=office)
    db.session.commit()
    assert len([e for e in meeting.entries if not e.removed]) == 100
    return dict(meeting=meeting, manager=manager, office=office)


def census(html: str) -> Census:
    counted = Census()
    counted.feed(html)
    return counted


@pytest.mark.parametrize("viewer", ["office", "manager"])
def test_live_page_of_a_hundred_entries_stays_small(client, login, hundred, viewer):
    login(hundred[viewer])
    html = client.get(f"/meetings/{hundred['meeting'].id}/live").text
    counted = census(html)
    print(f"bytes={len(html.encode())} elements={counted.elements} tabs={counted.tab_stops}")
    assert html.count('class="entry-outcome"') == 1  # the current entry's forms, no others
    assert len(html.encode()) <= MAX_BYTES
    assert counted.elements <= MAX_ELEMENTS
