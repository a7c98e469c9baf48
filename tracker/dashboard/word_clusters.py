"""Clusters of similar wording: title word stems shared by companies across networks and topics."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import String, cast, func, select

from tracker.auth.models import User
from tracker.dashboard import wording
from tracker.dashboard.clusters import (
    EXAMPLES,
    MAX_CLUSTERS,
    Cluster,
    Thresholds,
    add_examples,
    in_period,
    networks_by_id,
)
from tracker.dashboard.periods import Period
from tracker.db import db
from tracker.items.models import Item, item_topics
from tracker.items.permissions import visible_clause
from tracker.topics.models import Topic

# Titles are compared in Python; beyond this many items in the period only the newest count.
WORDING_LIMIT = 20_000
# A cluster sharing this share of its items with a stronger one says nothing new.
SAME_ITEMS = 0.8


@dataclass
class Titles:
    """The period's items as parallel lists (newest first), for counting in Python."""

    ids: list[int]
    companies: list[int]
    networks: list[int]
    stems: list[tuple]
    topics: list[frozenset[int]]
    truncated: bool


def _topic_list():
    """The item's topic ids as one string ("3,7"), so that one row per item comes back."""
    return (
        select(func.aggregate_strings(cast(item_topics.c.topic_id, String), ","))
        .where(item_topics.c.item_id == Item.id)
        .scalar_subquery()
    )


def load_titles(period: Period, user: User) -> Titles:
    """Titles, companies, networks and topics of the items created in ``period``.

    Only items ``user`` may see: a confidential title the viewer may not read must not make
    a cluster appear, or a probed word would tell of it, its network, topics and reference.
    """
    stmt = (
        select(Item.id, Item.title, Item.company_id, Item.reporting_network_id, _topic_list())
        .where(*in_period(period), visible_clause(user))
        .order_by(Item.created_at.desc(), Item.id.desc())
        .limit(WORDING_LIMIT + 1)
    )
    # Plain rows through the session's connection: thousands of them, no ORM objects needed.
    rows = db.session.connection().execute(stmt).all()
    truncated = len(rows) > WORDING_LIMIT
    rows = rows[:WORDING_LIMIT]
    return Titles(
        ids=[r[0] for r in rows],
        companies=[r[2] for r in rows],
        networks=[r[3] for r in rows],
        stems=[wording.title_stems(r[1]) for r in rows],
        topics=[_topic_ids(r[4]) for r in rows],
        truncated=truncated,
    )


@lru_cache(maxsize=4096)
def _topic_ids(text: str | None) -> frozenset[int]:
    return frozenset(int(t) for t in text.split(",")) if text else frozenset()


def _candidates(data: Titles, limits: Thresholds) -> list[tuple]:
    by_stem: dict[str, list[int]] = defaultdict(list)
    for index, stems in enumerate(data.stems):
        for stem, _word in stems:
            by_stem[stem].append(index)
    found = []
    for stem, indexes in by_stem.items():
        if len(indexes) < limits.companies:
            continue
        companies = len({data.companies[i] for i in indexes})
        networks = len({data.networks[i] for i in indexes})
        if companies >= limits.companies and networks >= limits.networks:
            found.append((companies * networks, len(indexes), stem, indexes, companies, networks))
    found.sort(key=lambda c: (-c[0], -c[1], c[2]))
    return found


def _beyond_one_topic(data: Titles, indexes: list[int]) -> bool:
    """Whether the items say more than one topic's cluster would: other or no topics."""
    first = data.topics[indexes[0]]
    return len(first) != 1 or any(data.topics[i] != first for i in indexes)


def _overlaps(ids: frozenset[int], chosen: list[Cluster]) -> bool:
    return any(len(ids & c.item_ids) >= SAME_ITEMS * len(ids | c.item_ids) for c in chosen)


def _picks(data: Titles, indexes: list[int]) -> list[int]:
    """The newest items, one per company first, so that the list shows the breadth."""
    first, rest, seen = [], [], set()
    for i in indexes:
        if data.companies[i] in seen:
            if len(rest) < EXAMPLES:
                rest.append(data.ids[i])
            continue
        seen.add(data.companies[i])
        first.append(data.ids[i])
        if len(first) == EXAMPLES:
            break
    return (first + rest)[:EXAMPLES]


def _forms(data: Titles, indexes: list[int], stem: str) -> Counter:
    """The word forms behind a stem."""
    return Counter(word for i in indexes for s, word in data.stems[i] if s == stem)


def _cluster(data: Titles, candidate: tuple, forms: Counter, names: dict, networks: dict):
    _score, count, stem, indexes, companies, network_count = candidate
    topic_ids = frozenset().union(*(data.topics[i] for i in indexes))
    per_network = Counter(data.networks[i] for i in indexes)
    by_network = [(networks[n], k) for n, k in per_network.items() if n in networks]
    return Cluster(
        key=stem,
        label=wording.word_label(forms),
        items=count,
        companies=companies,
        networks=network_count,
        by_network=sorted(by_network, key=lambda pair: (-pair[1], pair[0].short_name)),
        topics=sorted(names[t] for t in topic_ids if t in names),
        forms=[word for word, _n in forms.most_common(5)],
        item_ids=frozenset(data.ids[i] for i in indexes),
    )


def wording_clusters(period: Period, limits: Thresholds, user: User) -> tuple[list[Cluster], bool]:
    """Word stems shared across topics (or with untagged items), strongest first.

    The second value tells whether the period held more items than were compared.
    """
    data = load_titles(period, user)
    names = dict(db.session.execute(select(Topic.id, Topic.name)).all())
    networks = networks_by_id()
    chosen: list[Cluster] = []
    picks: dict[str, list[int]] = {}
    for candidate in _candidates(data, limits):
        indexes = candidate[3]
        if not _beyond_one_topic(data, indexes):
            continue  # the topic's own cluster shows these items already
        forms = _forms(data, indexes, candidate[2])
        ids = frozenset(data.ids[i] for i in indexes)
        if _overlaps(ids, chosen):
            continue
        chosen.append(_cluster(data, candidate, forms, names, networks))
        picks[candidate[2]] = _picks(data, indexes)
        if len(chosen) == MAX_CLUSTERS:
            break
    add_examples(chosen, picks, user)
    return chosen, data.truncated
