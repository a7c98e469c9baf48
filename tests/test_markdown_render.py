"""Markdown renders in bounded time whatever is stored, and keeps only harmless markup."""

from __future__ import annotations

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import limits
from tracker.db import db
from tracker.items import services as items
from tracker.templating import render_markdown

# The renderer must be linear: a pathological text costs at most some times an ordinary
# Markdown text of the same length (tag-dense output such as 20,000 nested emphasis marks
# costs about 8 times; a backtracking renderer costs thousands of times as much). Measured as a ratio on this machine, the figure does not depend on its
# speed or load; `python -m bench.markdown` prints the absolute times against the 50 ms
# budget (bench/RESULTS.md).
RATIO = 25
N = limits.MARKDOWN


def _repeat(unit: str, length: int = N) -> str:
    return (unit * (length // len(unit) + 1))[:length]


PATHOLOGICAL = {
    "open brackets": _repeat("["),
    "close brackets": _repeat("]"),
    "empty links": _repeat("[]"),
    "unclosed link targets": _repeat("[a]("),
    "link openers": _repeat("[]("),
    "images": _repeat("!["),
    "brackets on lines": _repeat("[\n"),
    "nested emphasis": _repeat("*_"),
    "strong openers": _repeat("**a"),
    "mixed emphasis": _repeat("*a **b "),
    "long link": "[a](https://example.org/" + _repeat("x", N - 30) + ")",
    "many links": _repeat("[a](b)"),
    "nested quotes": _repeat("> "),
    "quoted lists": _repeat("> - "),
    "nested lists": "".join(" " * (2 * i) + "- a\n" for i in range(400))[:N],
    "list markers": _repeat("- "),
    "backticks": _repeat("`"),
    "code spans": _repeat("`a"),
    "fences": _repeat("```\n"),
    "angle brackets": _repeat("<"),
    "tag openers": _repeat("<a "),
    "autolinks": _repeat("<http://"),
    "entities": _repeat("&#"),
    "table rows": "|a|\n|-|\n" + _repeat("|x|\n", N - 8),
    "wide table": _repeat("|a", 2000) + "|\n" + _repeat("|-", 2000) + "|\n" + _repeat("|x", N),
    "reference definitions": _repeat("[a]: "),
    "headings": _repeat("#"),
    "setext headings": _repeat("a\n=\n"),
    "backslashes": _repeat("\\"),
    "everything": _repeat("[*_`<>!(&#|\n"),
    "1 MB of one character": "a" * 1_000_000,
    "1 MB of brackets": "[" * 1_000_000,
    "1 MB of emphasis": _repeat("*_", 1_000_000),
}


def _seconds(text: str) -> float:
    """The render's CPU time, the best of three: the renderer's cost, not the machine's load.

    Several test runs share this machine's two cores; wall time would measure them too.
    """
    times = []
    for _ in range(3):
        start = time.process_time()
        render_markdown(text)
        times.append(time.process_time() - start)
    return min(times)


def ordinary(length: int) -> str:
    """Everyday Markdown of ``length`` characters: paragraphs, a list, links, emphasis."""
    unit = (
        "Die Firma sucht einen **Partner** für _Sensorik_ in Jena, siehe "
        "[Ausschreibung](https://example.org/a). Kontakt über das Netzwerk.\n\n"
        "- Termin am Donnerstag\n- Muster bis `KW 12`\n\n> Rückmeldung folgt.\n\n"
    )
    return _repeat(unit, length)


@pytest.fixture(scope="module")
def baseline():
    """The CPU time of ordinary Markdown, per length."""
    return {length: _seconds(ordinary(length)) for length in (N, 1_000_000)}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_markdown_renders_in_linear_time(text, baseline):
    length = N if len(text) <= N else 1_000_000
    assert _seconds(text) < RATIO * max(baseline[length], 0.002)


MARKDOWN_PIECES = st.sampled_from(
    ["[", "]", "(", ")", "![", "*", "_", "**", "`", "```", ">", "> ", "- ", "1. ", "#", "|",
     "<", "</a>", "&", "&#", "\\", "\n", "\n\n", "    ", "a", "http://x.org", "[a](", "<a "]
)  # fmt: skip


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(pieces=st.lists(MARKDOWN_PIECES, min_size=1, max_size=50), length=st.integers(1, N))
def test_any_markdown_renders_in_linear_time(pieces, length, baseline):
    text = "".join(pieces)
    text = (text * (length // len(text) + 1))[:length]
    assert _seconds(text) < RATIO * max(baseline[N], 0.002)


def test_oversized_markdown_is_cut_at_the_limit():
    html = render_markdown("a" * (limits.MARKDOWN + 1000))
    assert html.count("a") == limits.MARKDOWN and "…" in html


def test_markdown_keeps_links_tables_and_lists():
    html = render_markdown("- [x](https://example.org)\n\n|a|\n|-|\n|b|\n\n**fett**")
    assert '<a href="https://example.org" rel="noopener noreferrer">x</a>' in html
    assert "<td>b</td>" in html and "<strong>fett</strong>" in html and "<li>" in html


def test_markdown_drops_raw_html_and_script_targets():
    html = render_markdown(
        "<script>alert(1)</script>[x](javascript:alert(1)) <img src=x onerror=a>"
    )
    assert "<script" not in html and "javascript:" not in html and "<img" not in html


def test_item_with_ten_thousand_brackets_comment_renders_quickly(make_item, login, client):
    item = make_item()
    login(item.created_by)
    assert client.get(f"/items/{item.id}").status_code == 200  # templates compiled
    items.add_comment(item, actor=item.created_by, body="[" * limits.COMMENT)
    db.session.commit()
    start = time.perf_counter()
    response = client.get(f"/items/{item.id}")
    assert response.status_code == 200
    assert time.perf_counter() - start < 1


def test_a_typed_line_break_stays_a_line_break():
    html = str(render_markdown("Anruf am Montag\nRückruf am Dienstag\n\nNeuer Absatz"))
    assert html.startswith("<p>Anruf am Montag<br>") or html.startswith("<p>Anruf am Montag<br />")
    assert "Rückruf am Dienstag</p>" in html and "<p>Neuer Absatz</p>" in html
