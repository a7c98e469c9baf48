"""The demo seed's bulk load: the same search index, indexes and keys as row by row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select, text

from tracker.caching import DataRevision
from tracker.db import UTCDateTime, db, unit_of_work
from tracker.demo.bulk import _sqlite_utc
from tracker.demo.bulk_load import Stems
from tracker.items.models import Activity, Item
from tracker.search.index import rebuild
from tracker.search.stemmer import terms

TODAY = "2026-11-23"
pytestmark = pytest.mark.time_machine(datetime.fromisoformat("2026-11-23T08:00:00+01:00"))

# What the search stores, row by row; on PostgreSQL the vectors as text.
INDEX_ROWS = {
    "sqlite": [
        "SELECT rowid, title, body, meta FROM search_items ORDER BY rowid",
        "SELECT rowid, item_id, body FROM search_activities ORDER BY rowid",
        "SELECT rowid, title, body FROM search_companies ORDER BY rowid",
    ],
    "postgresql": [
        "SELECT id, search_vector::text FROM items ORDER BY id",
        "SELECT activity_id, item_id, vector::text FROM search_activities ORDER BY activity_id",
        "SELECT id, search_vector::text FROM companies ORDER BY id",
    ],
}


def seed(runner, *args: str):
    result = runner.invoke(args=["demo", "seed", "--today", TODAY, *args])
    assert result.exit_code == 0, result.output
    return result


def index_rows() -> list[list[tuple]]:
    queries = INDEX_ROWS[db.session.get_bind().dialect.name]
    return [[tuple(row) for row in db.session.execute(text(q))] for q in queries]


def schema() -> dict[str, tuple]:
    """Each table's indexes and foreign keys, by name and definition."""
    inspector = inspect(db.session.connection())
    return {
        table: (
            sorted(
                (i["name"], tuple(i["column_names"]), i["unique"])
                for i in inspector.get_indexes(table)
            ),
            sorted(
                (k["name"] or "", tuple(k["constrained_columns"]), k["referred_table"])
                for k in inspector.get_foreign_keys(table)
            ),
        )
        for table in ("items", "activities", "item_topics", "companies")
    }


def test_seeded_search_index_is_what_a_rebuild_computes(runner):
    seed(runner, "--items", "300", "--companies", "30", "--meetings", "3")
    seeded = index_rows()
    assert all(seeded) and all(len(rows) > 20 for rows in seeded)
    db.session.rollback()
    with unit_of_work() as session:
        rebuild(session.connection())
    assert index_rows() == seeded


def test_seed_leaves_the_indexes_and_foreign_keys_as_the_migrations_made_them(runner):
    before = schema()
    db.session.rollback()
    seed(runner, "--items", "50", "--companies", "10")
    assert schema() == before
    if db.session.get_bind().dialect.name == "postgresql":
        triggers = db.session.scalars(
            text("SELECT tgname FROM pg_trigger WHERE tgenabled = 'D' AND NOT tgisinternal")
        ).all()
        assert triggers == []


def test_seed_raises_the_data_revision(runner):
    before = db.session.scalar(select(DataRevision.value)) or 0
    db.session.rollback()
    seed(runner, "--items", "20", "--companies", "5")
    assert (db.session.scalar(select(DataRevision.value)) or 0) > before


def test_seeded_items_are_found_and_new_ones_stay_findable(runner, make_item):
    from tracker.search.services import item_match

    seed(runner, "--items", "40", "--companies", "8")
    first = db.session.scalars(select(Item).order_by(Item.id).limit(1)).one()
    assert first.id in db.session.scalars(select(Item.id).where(item_match(first.title))).all()
    # After the seed the connection stems with the app's own function again.
    item = make_item(title="Schweißroboter für Kleinserien")
    assert item.id in db.session.scalars(select(Item.id).where(item_match("Schweissroboter")))
    assert db.session.scalar(select(Activity.id).limit(1)) is not None


@pytest.mark.parametrize(
    "value",
    [
        None,
        "",
        "Fachkräfte für die Schweißtechnik",
        "FÖRDERUNG\n\n**Anlass:** Förderungen, Übergänge\n- Straße 12\n",
        "Cafe\u0301 und Cafés",  # decomposed accent, NFC joins it
        "a_b c-d 2026-0001 x²",
        "\n\nnur Zeilenumbrüche\n",
    ],
)
def test_cached_stems_are_the_stemmers(value):
    stems = Stems()
    assert stems.terms(value) == terms(value)
    assert stems.terms(value) == terms(value)  # from the cache


def test_seeded_texts_stem_as_with_the_stemmer(runner):
    seed(runner, "--items", "200", "--companies", "20")
    stems = Stems()
    texts = db.session.execute(select(Item.title, Item.description)).all()
    texts += db.session.execute(select(Activity.body, Activity.new_value)).all()
    for row in texts:
        for value in row:
            assert stems.terms(value) == terms(value)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        datetime(2026, 1, 2, 3, 4, 5, 7, tzinfo=UTC),
        datetime(2026, 3, 29, 2, 30, tzinfo=timezone(timedelta(hours=2))),
        None,
    ],
)
def test_sqlite_times_are_written_as_sqlalchemy_writes_them(value):
    from sqlalchemy.dialects import sqlite

    dialect = sqlite.dialect()
    assert _sqlite_utc(value) == UTCDateTime().dialect_impl(dialect).bind_processor(dialect)(value)
