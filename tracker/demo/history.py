"""An item's demo timeline, recorded the way the lifecycle services record it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from tracker.demo import texts
from tracker.demo.clock import Clock
from tracker.items.models import ActivityKind, ItemStatus

S = ItemStatus
K = ActivityKind
# (kind, field, old value, new value, body) of one timeline entry.
Entry = tuple[ActivityKind, str | None, str | None, str | None, str]


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return value.value if isinstance(value, ItemStatus) else str(value)


def entry(
    kind: ActivityKind,
    field_name: str | None = None,
    old: object = None,
    new: object = None,
    body: str = "",
) -> Entry:
    """Return a timeline entry with its values stored as text, as the timeline keeps them."""
    return kind, field_name, _text(old), _text(new), body


@dataclass
class History:
    """The timeline rows of one item; each change bumps the version once, as one save does."""

    item_id: int
    next_id: int
    at: datetime  # of the last change
    last: datetime  # of the last entry, comments included
    rows: list[dict] = field(default_factory=list)
    version: int = 0
    changed_by: int | None = None
    status: ItemStatus = S.NEW
    responsible: dict | None = None
    assignee: dict | None = None
    follow_up: date | None = None
    accepted_at: datetime | None = None
    closed_at: datetime | None = None
    resolution: str = ""

    def change(self, at: datetime, actor: dict, *entries: Entry) -> None:
        """Record one saved change made of ``entries``."""
        self.version += 1
        self.at, self.changed_by = at, actor["id"]
        for kind, field_name, old, new, body in entries:
            self._row(at, actor, kind, field_name, old, new, body)

    def comment(self, at: datetime, actor: dict, body: str) -> None:
        """Record a comment; it does not change the item's version."""
        self._row(at, actor, K.COMMENT, None, None, None, body)

    def _row(
        self,
        at: datetime,
        actor: dict,
        kind: ActivityKind,
        field_name: str | None,
        old: str | None,
        new: str | None,
        body: str,
    ) -> None:
        self.last = at
        self.rows.append(
            {
                "id": self.next_id + len(self.rows),
                "item_id": self.item_id,
                "actor_id": actor["id"],
                "kind": kind,
                "field": field_name,
                "old_value": old,
                "new_value": new,
                "body": body,
                "item_version": self.version,
                "created_at": at,
            }
        )

    def status_entry(self, status: ItemStatus) -> Entry:
        """Move to ``status`` and return the entry that records it."""
        old, self.status = self.status, status
        return entry(K.STATUS, "status", old, status)


@dataclass
class Lifecycle:
    """Plays an item through hand-off, acceptance, waiting and closing."""

    rng: random.Random
    clock: Clock
    admin: dict
    managers: dict[int, list[dict]]

    def manager(self, network: dict) -> dict:
        return self.rng.choice(self.managers[network["id"]])

    def offer(self, h: History, at: datetime, actor: dict, network: dict) -> None:
        """Hand the item off to ``network``; its own manager accepts implicitly."""
        offered = [
            entry(K.HANDOFF, "responsible_network", None, network["short_name"]),
            entry(K.CHANGE, "responsible_network", None, network["short_name"]),
        ]
        h.responsible = network
        if actor.get("network_id") == network["id"]:
            offered.append(h.status_entry(S.IN_PROGRESS))
            offered.append(entry(K.CHANGE, "assignee", None, actor["name"]))
            h.assignee, h.accepted_at = actor, at
        else:
            offered.append(h.status_entry(S.ASSIGNED))
        h.change(at, actor, *offered)

    def give_back(self, h: History, at: datetime) -> None:
        """Return the offered item to the reporting network with a reason."""
        actor = self.manager(h.responsible)
        reason = self.rng.choice(texts.RETURN_REASONS)
        h.change(
            at,
            actor,
            entry(K.RETURNED, body=reason),
            h.status_entry(S.NEW),
            entry(K.CHANGE, "responsible_network", h.responsible["short_name"], None),
        )
        h.responsible = None

    def accept(self, h: History, at: datetime) -> None:
        """Accept the hand-off, mostly by a manager who then takes the item."""
        network = h.responsible
        actor = self.admin if self.rng.random() < 0.1 else self.manager(network)
        entries = [
            entry(K.ACCEPTED, "responsible_network", None, network["short_name"]),
            h.status_entry(S.IN_PROGRESS),
        ]
        if actor is not self.admin:
            entries.append(entry(K.CHANGE, "assignee", None, actor["name"]))
            h.assignee = actor
        h.accepted_at = at
        h.change(at, actor, *entries)

    def worker(self, h: History) -> dict:
        return h.assignee or self.manager(h.responsible)

    def wait(self, h: History, at: datetime, follow_up: date) -> None:
        """Wait for the company or a third party until ``follow_up``."""
        actor = self.worker(h)
        entries = [h.status_entry(S.WAITING)]
        if follow_up != h.follow_up:
            entries.append(entry(K.CHANGE, "follow_up_date", h.follow_up, follow_up))
            h.follow_up = follow_up
        h.change(at, actor, *entries)
        h.comment(at, actor, self.rng.choice(texts.WAIT_REASONS))

    def resume(self, h: History, at: datetime) -> None:
        """Take the waiting item up again."""
        h.change(at, self.worker(h), h.status_entry(S.IN_PROGRESS))

    def move_follow_up(self, h: History, at: datetime, follow_up: date) -> None:
        """Set a new follow-up date."""
        h.change(at, self.worker(h), entry(K.CHANGE, "follow_up_date", h.follow_up, follow_up))
        h.follow_up = follow_up

    def close(self, h: History, at: datetime, status: ItemStatus, actor: dict) -> None:
        """Mark the item done or declined, with a resolution note or a reason."""
        notes = texts.RESOLUTIONS if status is S.DONE else texts.DECLINE_REASONS
        note = self.rng.choice(notes)
        h.change(at, actor, h.status_entry(status), entry(K.CHANGE, "resolution_note", "", note))
        h.closed_at, h.resolution = at, note

    def future_follow_up(self, at: datetime, low: int, high: int) -> date:
        """Return a follow-up date around the anchor, at least a week after ``at``."""
        around = self.clock.today + timedelta(days=self.rng.randint(low, high))
        return max(around, self.clock.local_date(at) + timedelta(days=7))
