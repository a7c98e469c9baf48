"""What the live page's poll sends: its revision and the keys of the agenda it shows.

Before measuring, one decision is saved (as a manager would in the meeting), so that a poll
from the revision before it gets exactly that one entry, and a poll from the current
revision gets 304.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.client import CSRF, Session

ROOT = re.compile(r'data-revision="(\d+)" data-layout="(\w*)" data-attendance="(\w*)"')
# The version field of the entry's outcome form, whatever the order of its attributes.
OUTCOME = re.compile(
    r'action="/meetings/entries/(\d+)/outcome".*?<input(?=[^>]*name="version")[^>]*value="(\d+)"',
    re.S,
)


@dataclass
class LivePoll:
    meeting_id: int
    revision: int
    layout: str
    attendance: str

    def path(self, since: int) -> str:
        return (
            f"/meetings/{self.meeting_id}/live/fragment?since={since}"
            f"&layout={self.layout}&attendance={self.attendance}"
        )


def _shown(session: Session, meeting_id: int) -> tuple[str, re.Match]:
    page = session.request("GET", f"/meetings/{meeting_id}/live").body.decode()
    found = ROOT.search(page)
    if not found:
        raise RuntimeError(f"meeting {meeting_id}: the live page shows no agenda")
    return page, found


def prepare_poll(session: Session, meeting_id: int) -> LivePoll:
    """Save one decision on the first item entry and return the page's state after it."""
    page, _ = _shown(session, meeting_id)
    entry = OUTCOME.search(page)
    if not entry:
        raise RuntimeError(f"meeting {meeting_id}: no entry with an outcome form")
    entry_id, version = entry.groups()
    form = {
        "csrf_token": CSRF.search(page).group(1),
        "version": version,
        "discussed": "y",
        "decision": "Netzwerk Nord übernimmt und berichtet in zwei Wochen.",
    }
    answer = session.request("POST", f"/meetings/entries/{entry_id}/outcome", form)
    if answer.status not in (200, 302):
        raise RuntimeError(f"saving a decision on entry {entry_id} answered {answer.status}")
    _, found = _shown(session, meeting_id)
    return LivePoll(meeting_id, int(found[1]), found[2], found[3])
