"""Rows of demo items, their topics and timelines, in plausible proportions."""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from tracker.demo import texts
from tracker.demo.clock import Clock
from tracker.demo.history import History, Lifecycle, entry
from tracker.items.models import ActivityKind, ItemKind, ItemSource, ItemStatus, Priority

S = ItemStatus


class Shares:
    """A weighted choice among a few values, drawn with one random number."""

    def __init__(self, values: list, weights: list[int]) -> None:
        self.values = values
        self.bounds = list(itertools.accumulate(weights))

    @classmethod
    def of(cls, shares: dict[Any, int]) -> Shares:
        """Return the choice among the keys of ``shares``, weighted by its values."""
        return cls(list(shares), list(shares.values()))

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.bounds, rng.random() * self.bounds[-1])]


STATUS_SHARE = {
    S.NEW: 8,
    S.ASSIGNED: 7,
    S.IN_PROGRESS: 22,
    S.WAITING: 10,
    S.DONE: 43,
    S.DECLINED: 10,
}
# Age in days at the anchor date, as (low, high, mode) of a triangular distribution.
AGE_DAYS = {
    S.NEW: (1, 28, 1),
    S.ASSIGNED: (1, 30, 2),
    S.IN_PROGRESS: (2, 300, 20),
    S.WAITING: (5, 300, 30),
    S.DONE: (7, 365, 330),
    S.DECLINED: (2, 365, 300),
}
KIND_SHARE = {ItemKind.NEED: 45, ItemKind.REQUEST: 40, ItemKind.WISH: 15}
PRIORITY_SHARE = {Priority.LOW: 15, Priority.NORMAL: 60, Priority.HIGH: 20, Priority.URGENT: 5}
COMMENT_COUNTS = Shares.of({0: 40, 1: 40, 2: 20})
WANT_PAIRS = {kind: tuple(itertools.permutations(wants, 2)) for kind, wants in texts.WANTS.items()}
SOURCE_SHARE = {
    ItemSource.MEETING: 45,
    ItemSource.MAIL: 20,
    ItemSource.PHONE: 15,
    ItemSource.EVENT: 10,
    ItemSource.VISIT: 8,
    ItemSource.OTHER: 2,
}


class Draft(NamedTuple):
    created_at: datetime
    status: ItemStatus
    source: ItemSource


def drafts(rng: random.Random, count: int, clock: Clock) -> list[Draft]:
    """Return the items' creation time, final status and source, in creation order."""
    statuses = rng.choices(list(STATUS_SHARE), list(STATUS_SHARE.values()), k=count)
    sources = rng.choices(list(SOURCE_SHARE), list(SOURCE_SHARE.values()), k=count)
    result = []
    for status, source in zip(statuses, sources, strict=True):
        days_back = int(rng.triangular(*AGE_DAYS[status]))
        result.append(
            Draft(clock.creation(rng, days_back, source is ItemSource.MEETING), status, source)
        )
    result.sort(key=lambda draft: draft.created_at)
    return result


@dataclass
class World:
    """What items refer to: networks, their managers, the admin, topics, companies."""

    networks: Shares  # weighted by how many items each network brings in
    managers: dict[int, list[dict]]
    admin: dict
    topic_ids: dict[str, int]
    topics: Shares
    companies: list[dict]
    contacts: dict[int, list[dict]]


class ItemBuilder:
    """Builds item, item-topic and activity rows with ids counted on from the given ones."""

    def __init__(
        self, rng: random.Random, world: World, clock: Clock, item_id: int, activity_id: int
    ) -> None:
        self.rng, self.world, self.clock = rng, world, clock
        self.item_id, self.activity_id = item_id, activity_id
        self.lifecycle = Lifecycle(rng, clock, world.admin, world.managers)
        self.kinds, self.priorities = Shares.of(KIND_SHARE), Shares.of(PRIORITY_SHARE)
        self.items: list[dict] = []
        self.item_topics: list[dict] = []
        self.activities: list[dict] = []

    def take(self) -> tuple[list[dict], list[dict], list[dict]]:
        """Return the rows built so far and start afresh."""
        rows = self.items, self.item_topics, self.activities
        self.items, self.item_topics, self.activities = [], [], []
        return rows

    def _network(self, other_than: dict | None = None) -> dict:
        while True:
            network = self.world.networks.pick(self.rng)
            if network is not other_than:
                return network

    def _title(self, kind: ItemKind, topic: str) -> tuple[str, list[str]]:
        templates = [t for t in texts.TITLES[kind.value] if t.topic != topic]
        template = self.rng.choice(templates)
        subject = self.rng.choice(texts.SUBJECTS[topic])
        title = template.pattern.format(subject=subject, area=texts.AREAS[topic])
        topics = [topic] + ([template.topic] if template.topic else [])
        if self.rng.random() < 0.25:
            extra = self.world.topics.pick(self.rng)
            if extra not in topics:
                topics.append(extra)
        return title, topics

    def _description(
        self, kind: ItemKind, topic: str, company: dict, draft: Draft, confidential: bool
    ) -> str:
        rng = self.rng
        opener = texts.OPENERS[kind.value].format(area=texts.AREAS[topic])
        lines = [
            f"{company['name']} aus {company['city']} {opener}.",
            "",
            f"**Anlass:** {rng.choice(texts.REASONS)}",
            "",
            "Gewünscht:",
        ]
        lines += [f"- {want}" for want in rng.choice(WANT_PAIRS[kind.value])]
        day = self.clock.local_date(draft.created_at)
        note = texts.SOURCE_NOTES[draft.source.value].format(date=f"{day:%d.%m.%Y}")
        if note:
            lines += ["", note]
        if confidential:
            lines += ["", "*Vertraulich: Das Vorhaben ist noch nicht öffentlich bekannt.*"]
        return "\n".join(lines)

    def build(self, draft: Draft, reference: str) -> None:
        """Add one item with its topics and timeline."""
        rng, world = self.rng, self.world
        item_id = self.item_id
        self.item_id += 1
        kind = self.kinds.pick(rng)
        topic = world.topics.pick(rng)
        title, topics = self._title(kind, topic)
        company = world.companies[int(len(world.companies) * rng.random() ** 1.5)]
        contacts = world.contacts.get(company["id"])
        contact = rng.choice(contacts) if contacts and rng.random() < 0.7 else None
        reporting = self._network()
        creator = (
            rng.choice(world.managers[reporting["id"]]) if rng.random() < 0.85 else world.admin
        )
        confidential = rng.random() < 0.05
        h = History(item_id, self.activity_id, draft.created_at, draft.created_at)
        self._play(h, draft, reporting, creator)
        self.activity_id += len(h.rows)
        self.activities += h.rows
        self.item_topics += [
            {"item_id": item_id, "topic_id": world.topic_ids[name]} for name in topics
        ]
        self.items.append(
            {
                "id": item_id,
                "reference": reference,
                "kind": kind,
                "title": title,
                "description": self._description(kind, topic, company, draft, confidential),
                "company_id": company["id"],
                "contact_id": contact["id"] if contact else None,
                "priority": self.priorities.pick(rng),
                "reporting_network_id": reporting["id"],
                "responsible_network_id": h.responsible["id"] if h.responsible else None,
                "handoff_from_network_id": None,
                "assignee_id": h.assignee["id"] if h.assignee else None,
                "source": draft.source,
                "follow_up_date": h.follow_up,
                "status": h.status,
                "resolution_note": h.resolution,
                "confidential": confidential,
                "for_next_meeting": h.status.is_open and rng.random() < 0.04,
                "created_by_id": creator["id"],
                "updated_by_id": h.changed_by,
                "created_at": draft.created_at,
                "updated_at": h.at,
                "accepted_at": h.accepted_at,
                "closed_at": h.closed_at,
                "version": h.version,
            }
        )

    def _play(self, h: History, draft: Draft, reporting: dict, creator: dict) -> None:
        """Take the item from creation to its final status, recording each step."""
        rng, clock, life = self.rng, self.clock, self.lifecycle
        h.change(draft.created_at, creator, entry(ActivityKind.CREATED, "status", None, S.NEW))
        h.follow_up = clock.local_date(draft.created_at) + timedelta(days=14)
        if draft.status is S.NEW:
            return
        if draft.status is S.DECLINED and rng.random() < 0.4:
            life.close(h, clock.later(rng, h.last, 10), S.DECLINED, creator)
            return
        self._hand_off(h, draft, reporting)
        if draft.status is S.ASSIGNED:
            return
        if h.status is S.ASSIGNED:
            life.accept(h, clock.later(rng, h.last, 3))
        self._work(h, draft.status)

    def _hand_off(self, h: History, draft: Draft, reporting: dict) -> None:
        """Offer the item to a network, now and then after one that gives it back."""
        rng, clock, life = self.rng, self.clock, self.lifecycle
        # A network that takes its own item accepts it at once, so it is never "assigned".
        own = draft.status is not S.ASSIGNED and rng.random() < 0.45
        target = reporting if own else self._network(other_than=reporting)
        at = (
            h.last + timedelta(minutes=rng.randint(1, 15))
            if draft.source is ItemSource.MEETING
            else clock.next_meeting(rng, h.last) or clock.later(rng, h.last, 1)
        )
        if not own and rng.random() < 0.1:
            detour = self._network(other_than=reporting)
            if detour is not target:
                life.offer(h, at, self.world.admin, detour)
                life.give_back(h, clock.later(rng, at, 2))
                at = clock.next_meeting(rng, h.last) or clock.later(rng, h.last, 1)
        if own:
            actor = rng.choice(self.world.managers[reporting["id"]])
        else:
            actor = self.world.admin if rng.random() < 0.5 else life.manager(reporting)
        life.offer(h, at, actor, target)

    def _work(self, h: History, final: ItemStatus) -> None:
        """Comment, wait and resume, then leave the item open or close it."""
        rng, clock, life = self.rng, self.clock, self.lifecycle
        for _ in range(COMMENT_COUNTS.pick(rng)):
            h.comment(clock.later(rng, h.last, 6), life.worker(h), rng.choice(texts.COMMENTS))
        if final is not S.WAITING and rng.random() < 0.25:
            at = clock.later(rng, h.last, 10)
            life.wait(h, at, clock.local_date(at) + timedelta(days=rng.randint(7, 21)))
            life.resume(h, clock.later(rng, h.last, 10))
        if final is S.WAITING:
            at = clock.later(rng, h.last, 14)
            life.wait(h, at, life.future_follow_up(at, -10, 35))
        elif final is S.IN_PROGRESS:
            at = clock.later(rng, h.last, 7)
            follow_up = life.future_follow_up(at, -21, 42)
            if follow_up != h.follow_up:
                life.move_follow_up(h, at, follow_up)
        else:
            life.close(h, clock.later(rng, h.last, 25), final, life.worker(h))
