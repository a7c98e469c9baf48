"""Full-text search through the index of the migration, on SQLite (FTS5) and PostgreSQL."""

import pytest
from sqlalchemy import text

from tracker.companies import services as companies
from tracker.db import db
from tracker.items import services as items
from tracker.search import services as search


@pytest.fixture
def admin(make_user):
    return make_user("admin")


def titles(user, query: str, kind: str = "items") -> list[str]:
    results = search.search(user, query, kind=kind)
    if results.page is None:
        return []
    if kind == "activities":
        return [hit.record.item.title for hit in results.page.items]
    if kind == "companies":
        return [hit.record.name for hit in results.page.items]
    return [hit.record.title for hit in results.page.items]


@pytest.fixture
def funding(make_item):
    make_item(title="Förderungen für Sensorik")
    make_item(title="Messe in Erfurt", description="Wir suchen Fördermittel für den Stand.")
    make_item(title="Fachkräftemangel in der Region")
    make_item(title="Wärmepumpe im Bürogebäude")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Förderung", {"Förderungen für Sensorik", "Messe in Erfurt"}),
        ("förderung", {"Förderungen für Sensorik", "Messe in Erfurt"}),
        ("Förderungen", {"Förderungen für Sensorik", "Messe in Erfurt"}),
        ("Fachkräfte", {"Fachkräftemangel in der Region"}),
        ("Wärmepumpen", {"Wärmepumpe im Bürogebäude"}),
    ],
)
def test_search_finds_german_word_forms(admin, funding, query, expected):
    assert set(titles(admin, query)) == expected


def test_new_item_is_found(admin, make_item):
    make_item(title="Kalibrierung optischer Sensoren")
    assert titles(admin, "Kalibrierung") == ["Kalibrierung optischer Sensoren"]


def test_changed_title_is_found_by_new_word_only(admin, make_item):
    item = make_item(title="Kalibrierung optischer Sensoren")
    items.update_item(item, actor=admin, expected_version=item.version, title="Wasserstoffspeicher")
    db.session.commit()
    assert titles(admin, "Wasserstoffspeicher") == ["Wasserstoffspeicher"]
    assert titles(admin, "Kalibrierung") == []


def test_deleted_item_and_its_activity_are_gone(admin, make_item):
    item = make_item(title="Kalibrierung optischer Sensoren")
    items.add_comment(item, actor=admin, body="Kalibrierlabor angefragt")
    db.session.commit()
    db.session.delete(item)
    db.session.commit()
    counts = search.search(admin, "Kalibrier").counts
    assert counts["items"] == 0 and counts["activities"] == 0


def test_renamed_company_is_found_in_its_items(admin, make_item, make_company):
    company = make_company("Altname GmbH")
    make_item(title="Anfrage zu Robotik", company=company)
    companies.update_company(
        company, actor=admin, expected_version=company.version, name="Photonikwerk GmbH"
    )
    db.session.commit()
    assert titles(admin, "Photonikwerk") == ["Anfrage zu Robotik"]
    assert titles(admin, "Photonikwerk", "companies") == ["Photonikwerk GmbH"]
    assert titles(admin, "Altname") == []


def test_title_hit_ranks_before_description_hit(admin, make_item):
    make_item(title="Wasserstoff für die Produktion", description="Eine Anfrage.")
    make_item(title="Anfrage zu Energie", description="Es geht um Wasserstoff und Strom.")
    assert titles(admin, "Wasserstoff") == [
        "Wasserstoff für die Produktion",
        "Anfrage zu Energie",
    ]


def test_highlight_marks_hit_and_escapes_html(admin, make_item):
    make_item(title="<script>alert(1)</script> Förderung", description="<b>Fördermittel</b>")
    (hit,) = search.search(admin, "Förderung").page.items
    assert str(hit.title) == "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Förderung</mark>"
    # PostgreSQL's ts_headline leaves tags out of snippets; SQLite's keeps them, escaped.
    assert "<mark>Fördermittel</mark>" in hit.snippet and "<b>" not in hit.snippet


def test_comment_hit_shows_item_and_marked_comment(admin, make_item):
    item = make_item(title="Kontakt zu Forschung")
    items.add_comment(item, actor=admin, body="Termin mit der Wasserstoffagentur vereinbart.")
    db.session.commit()
    (hit,) = search.search(admin, "Wasserstoffagentur", kind="activities").page.items
    assert hit.record.item == item and "<mark>Wasserstoffagentur</mark>" in hit.snippet


@pytest.fixture
def secret(make_network, make_user, make_item):
    own, other = make_network("Eigen"), make_network("Fremd")
    author = make_user("manager", own)
    item = make_item(actor=author, title="Geheimprojekt Laser", confidential=True)
    items.add_comment(item, actor=author, body="Geheimprojekt: Angebot liegt vor.")
    db.session.commit()
    return {
        "author": author,
        "colleague": make_user("manager", own),
        "other": make_user("manager", other),
        "observer": make_user("observer"),
        "admin": make_user("admin"),
    }


@pytest.mark.parametrize(
    "who, visible",
    [("author", 1), ("colleague", 1), ("admin", 1), ("other", 0), ("observer", 0)],
)
def test_confidential_item_and_comment_only_for_its_networks(secret, who, visible):
    results = search.search(secret[who], "Geheimprojekt")
    assert results.counts["items"] == results.counts["activities"] == visible
    assert len(results.page.items) == visible


def test_companies_are_found(admin, make_company):
    make_company("Quantenoptik Jena GmbH", city="Jena")
    make_company("Holzbau Suhl GmbH")
    assert titles(admin, "Quantenoptik", "companies") == ["Quantenoptik Jena GmbH"]


def test_first_kind_with_hits_is_shown(admin, make_company):
    make_company("Quantenoptik Jena GmbH")
    assert search.search(admin, "Quantenoptik").kind == "companies"


def test_stop_words_alone_search_nothing(admin, make_item):
    make_item(title="Und die Förderung")
    results = search.search(admin, "und die")
    assert results.page is None and sum(results.counts.values()) == 0


def test_query_syntax_is_searched_as_words(admin, make_item):
    make_item(title="Sensorik OR NEAR Förderung")
    assert titles(admin, "\"Sensorik OR* NEAR( -Förderung' &") == ["Sensorik OR NEAR Förderung"]


def test_reference_is_found_as_phrase(admin, make_item):
    item = make_item(title="Anfrage")
    assert titles(admin, item.reference) == ["Anfrage"]


def test_index_triggers_exist(app):
    if db.engine.dialect.name == "postgresql":
        sql = "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'search%'"
        expected = {
            "search_items_refresh",
            "search_companies_refresh",
            "search_companies_rename",
            "search_activities_insert",
            "search_activities_update",
        }
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search%'"
        expected = {
            f"search_{table}_{event}"
            for table in ("items", "activities", "companies")
            for event in ("insert", "update", "delete")
        } | {"search_companies_rename"}
    assert set(db.session.scalars(text(sql))) == expected


def test_index_is_empty_at_the_start_of_a_test(app):
    names = ["search_activities"]  # PostgreSQL: items' and companies' vectors are columns
    if db.engine.dialect.name == "sqlite":
        names += ["search_items", "search_companies"]
    for name in names:
        assert db.session.scalar(text(f"SELECT count(*) FROM {name}")) == 0  # noqa: S608
