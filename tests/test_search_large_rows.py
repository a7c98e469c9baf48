"""A huge text (stored before the limits) makes no search slow; snippets come from its start."""

from __future__ import annotations

import time

from tracker.db import db
from tracker.items.models import Item
from tracker.search import services as search
from tracker.search.markup import END, START
from tracker.search.query import parse
from tracker.search.snippets import WINDOW, mark, snippet

MEGABYTE = 1_000_000


def _huge_description(word: str) -> str:
    filler = "Sensorik Lieferkette Messtechnik Prüfstand Kalibrierung "
    return (f"{word} " + filler * (MEGABYTE // len(filler)) + f" {word}")[:MEGABYTE]


def test_search_for_a_word_of_a_huge_row_answers_within_a_second(make_item, make_user):
    item = make_item(title="Großes Anliegen")
    db.session.execute(
        db.update(Item)
        .where(Item.id == item.id)
        .values(description=_huge_description("Wärmepumpe"))
    )  # past the models' limit, as rows stored before it
    db.session.commit()
    viewer = make_user("observer")
    start = time.perf_counter()
    results = search.search(viewer, "Wärmepumpen Kalibrierung")
    seconds = time.perf_counter() - start
    assert [hit.record.id for hit in results.page.items] == [item.id]
    assert "<mark>Wärmepumpe</mark>" in results.page.items[0].snippet
    assert seconds < 1, seconds


def test_mark_finds_prefixes_and_phrases():
    terms = parse("Förderung 2026-0042").terms
    marked = mark("Die Förderungen (2026-0042) und 2026", terms)
    assert marked == f"Die {START}Förderungen{END} ({START}2026-0042{END}) und 2026"


def test_snippet_is_cut_around_the_first_hit():
    words = " ".join(f"w{i}" for i in range(100))
    text = snippet(f"{words} Fachkräfte {words}", parse("Fachkräftemangel Fachkräfte").terms)
    assert text.startswith("…w96 w97 w98 w99 ") and text.endswith("…")
    assert f"{START}Fachkräfte{END}" in text and len(text.split()) == 24


def test_snippet_reads_only_the_window():
    assert len(snippet("a " * MEGABYTE + "KI", parse("KI").terms)) < WINDOW
