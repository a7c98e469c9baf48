"""The SVG builders and the wording helpers: pure functions, no database."""

from collections import Counter
from datetime import date

from tracker.dashboard import charts, wording
from tracker.dashboard.clusters import Cluster
from tracker.dashboard.periods import weeks


def test_hbar_labels_every_bar_with_its_number_and_link():
    svg = str(
        charts.hbar(
            "c1",
            "Überfällig",
            [charts.Bar("Alpha", 12, "/items/?a=1&b=2"), charts.Bar("Beta <x>", 0, None)],
        )
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert '<title id="c1-title">Überfällig</title>' in svg
    assert 'aria-labelledby="c1-title c1-desc"' in svg and "Alpha: 12; Beta &lt;x&gt;: 0" in svg
    assert 'href="/items/?a=1&amp;b=2"' in svg and ">12</text>" in svg
    assert "<x>" not in svg and " style=" not in svg


def test_hbar_without_bars_says_so():
    assert "Nichts" in str(charts.hbar("c2", "Leer", [], "Nichts"))


def test_paired_columns_use_a_pattern_for_the_second_series():
    groups = [
        charts.PairGroup("W1", charts.Bar("W1", 3, "/n"), charts.Bar("W1", 1, "/c")),
        charts.PairGroup("W2", charts.Bar("W2", 0, "/n2"), charts.Bar("W2", 5, "/c2"), True),
    ]
    svg = str(charts.paired_columns("w", "Wochen", groups, ("neu", "erledigt")))
    assert 'id="w-hatch"' in svg and 'fill="url(#w-hatch)"' in svg
    assert svg.count('class="chart-link"') == 4 and "chart-marked" in svg


def test_weeks_are_iso_weeks_ending_with_the_current_one():
    found = weeks(date(2026, 11, 26), 12)
    assert found[-1].first == date(2026, 11, 23) and found[-1].last == date(2026, 11, 29)
    assert found[0].first == date(2026, 9, 7) and len(found) == 12


def test_title_stems_drop_stop_words_and_keep_acronyms():
    stems = dict(wording.title_stems("Partner für KI-Pilot in der Fertigung gesucht"))
    assert set(stems) == {"ki", "pilot", "fertig"}
    assert stems["fertig"] == "Fertigung"


def test_word_label_names_the_common_stem():
    assert wording.word_label(Counter({"Wasserstoff": 2, "Wasserstofftankstelle": 1})) == (
        "Wasserstoff"
    )
    assert wording.word_label(Counter({"Förderung": 2, "Förderprogramme": 2})) == "Förder…"
    assert Cluster("förder", "Förder…", 1, 1, 1).search == "Förder"
