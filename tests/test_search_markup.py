"""Highlighted snippets are escaped before they are marked; result pages count right."""

from tracker.search.markup import END, START, highlighted
from tracker.search.results import Page


def test_highlighted_marks_hits():
    assert highlighted(f"Die {START}Förderung{END} läuft") == "Die <mark>Förderung</mark> läuft"


def test_highlighted_escapes_html_before_marking():
    html = highlighted(f"<script>alert(1)</script> {START}<b>KI</b>{END}")
    assert html == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>&lt;b&gt;KI&lt;/b&gt;</mark>"


def test_highlighted_balances_stray_markers():
    assert highlighted(f"{END}a{START}b{START}c") == "a<mark>bc</mark>"


def test_highlighted_plain_drops_markdown():
    assert highlighted(f"**Anlass:** {START}KI{END}\n- Punkt", plain=True) == (
        "Anlass: <mark>KI</mark> Punkt"
    )


def test_page_caps_the_number_of_pages():
    page = Page([], page=1, per_page=25, total=1001, cap=1000)
    assert page.capped and page.pages == 40 and page.has_next and not page.has_prev


def test_page_iterates_page_numbers_with_gaps():
    page = Page([], page=5, per_page=10, total=200, cap=1000)
    numbers = list(page.iter_pages(left_edge=1, left_current=2, right_current=3, right_edge=1))
    assert numbers == [1, None, 3, 4, 5, 6, 7, 8, None, 20]


def test_highlighted_plain_keeps_angle_brackets_in_text():
    assert highlighted("a > b <c>\n> zitiert", plain=True) == "a &gt; b &lt;c&gt; zitiert"


def test_highlighted_plain_leaves_no_gap_where_emphasis_was():
    assert highlighted("im Bereich **Sensorik**.", plain=True) == "im Bereich Sensorik."
