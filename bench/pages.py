"""The measured pages and their budgets (ms), built from the picked targets."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import quote

from bench.database import Targets
from bench.live import LivePoll
from bench.load import Page

PAGE_P95 = 100.0  # every page
FAST_P50 = 30.0  # the start page and the register list
COMMON_SEARCH_P95 = 150.0  # a search for a word found almost everywhere
PDF_SECONDS = 2.0
SEED_SECONDS = 60.0
RSS_MB = 150.0

# Far more than a meeting writes (a decision every half minute or so).
WRITES_PER_SECOND = 1.0

COMMON_WORD = "Bereich"  # in every demo item's description


def reference() -> Page:
    return Page("reference: bare Flask route", "/")


def pages(t: Targets, common: str = COMMON_WORD) -> list[Page]:
    """The app's pages in the order they are measured; item creation comes last."""
    rare, common = quote(t.rare_word), quote(common)
    meeting = f"/meetings/{t.meeting_id}"
    return [
        Page("dashboard /", "/", p50_budget=FAST_P50, p95_budget=PAGE_P95),
        Page("overview", "/overview", p95_budget=PAGE_P95),
        Page("register, plain", "/items/", p50_budget=FAST_P50, p95_budget=PAGE_P95),
        Page(
            "register, 2 filters",
            f"/items/?status=open&responsible={t.network_id}",
            p50_budget=FAST_P50,
            p95_budget=PAGE_P95,
        ),
        Page(f"search, rare ({t.rare_word})", f"/search/?q={rare}", p95_budget=PAGE_P95),
        Page(f"search, common ({common})", f"/search/?q={common}", p95_budget=COMMON_SEARCH_P95),
        Page(f"register q=, rare ({t.rare_word})", f"/items/?q={rare}", p95_budget=PAGE_P95),
        Page(
            f"register q=, common ({common})",
            f"/items/?q={common}",
            p95_budget=COMMON_SEARCH_P95,
        ),
        Page(f"item, {t.activities} activities", f"/items/{t.item_id}", p95_budget=PAGE_P95),
        Page(f"agenda, {t.entries} entries", meeting, p95_budget=PAGE_P95),
        Page("live page", f"{meeting}/live", p95_budget=PAGE_P95),
        Page("live agenda, whole", f"{meeting}/live/fragment", p95_budget=PAGE_P95),
        creation(t),
    ]


def creation(t: Targets) -> Page:
    return Page(
        "create item (POST)",
        "/items/new",
        method="POST",
        expect=302,
        form=creation_form(t),
        form_page="/items/new",
        p95_budget=PAGE_P95,
    )


def under_writes(t: Targets, per_second: float = WRITES_PER_SECOND) -> list[Page]:
    """The cached pages again, while another connection creates items at a steady rate.

    Each creation raises the data revision, so each worker builds each page anew after it:
    the figures include the first views after a change, not only cache hits.
    """
    paths = ("/", "/overview", "/items/", f"/meetings/{t.meeting_id}")
    measured = [p for p in pages(t) if p.path in paths]
    return [
        replace(
            p,
            name=f"{p.name}, {per_second:g} item saved/s",
            writer=creation(t),
            writes_per_second=per_second,
        )
        for p in measured
    ]


def live_polls(poll: LivePoll) -> list[Page]:
    """The live page's poll: nothing new, and one decision saved since the page's revision."""
    return [
        Page(
            "live poll, no change (304)", poll.path(poll.revision), expect=304, p95_budget=PAGE_P95
        ),
        Page("live poll, one entry changed", poll.path(poll.revision - 1), p95_budget=PAGE_P95),
    ]


def creation_form(t: Targets) -> dict:
    """What a manager types into the new-item form: a known company, one topic."""
    return {
        "title": "Ansprechpartner für Lastspitzenkappung gesucht",
        "kind": "request",
        "company_name": t.company_name,
        "contact_name": "",
        "topics": [str(t.topic_id)],
        "responsible_network": "",
        "reporting_network": "",
        "assignee": "",
        "follow_up_date": "",
        "priority": "normal",
        "source": "meeting",
        "description": "Ein Unternehmen sucht Unterstützung beim Lastmanagement.",
    }


def agenda_pdf(t: Targets) -> Page:
    return Page("agenda PDF", f"/meetings/{t.meeting_id}/agenda.pdf")
