"""What a search returns: hits with their highlighted text, one page of them, and counts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from math import ceil

from markupsafe import Markup

ITEMS, ACTIVITIES, COMPANIES = "items", "activities", "companies"
KINDS = (ITEMS, ACTIVITIES, COMPANIES)


@dataclass
class Hit:
    """A found record (an Item, Activity or Company) with its title and snippet as HTML."""

    record: object
    title: Markup
    snippet: Markup


@dataclass
class Page:
    """One page of hits; ``total`` is counted up to ``cap + 1`` only."""

    items: list[Hit]
    page: int
    per_page: int
    total: int
    cap: int

    @property
    def capped(self) -> bool:
        """More hits exist than were counted."""
        return self.total > self.cap

    @property
    def pages(self) -> int:
        return ceil(min(self.total, self.cap) / self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        return self.page + 1 if self.has_next else None

    def iter_pages(
        self,
        *,
        left_edge: int = 2,
        left_current: int = 2,
        right_current: int = 4,
        right_edge: int = 2,
    ) -> Iterator[int | None]:
        """Page numbers to link, with ``None`` for a gap (as Flask-SQLAlchemy's pages)."""
        end = self.pages + 1
        left_end = min(1 + left_edge, end)
        yield from range(1, left_end)
        mid_start = max(left_end, self.page - left_current)
        mid_end = min(self.page + right_current + 1, end)
        if mid_start > left_end:
            yield None
        yield from range(mid_start, mid_end)
        right_start = max(mid_end, end - right_edge)
        if right_start > mid_end:
            yield None
        yield from range(right_start, end)


@dataclass
class Results:
    """The answer to one search: the kind of record shown, counts per kind, the page."""

    text: str
    kind: str
    counts: dict[str, int] = field(default_factory=dict)
    page: Page | None = None
    error: str = ""  # why the text cannot be searched
