"""The index's stems: computed for old rows by the migration, by the command, and after writes."""

from flask_migrate import upgrade
from sqlalchemy import select, text, update

from tracker import create_app
from tracker.config import TestingConfig
from tracker.db import db
from tracker.items.models import Item
from tracker.search import services as search

BEFORE_STEMS = "b2e7f1c4d8a6"
ROWS = [
    "INSERT INTO networks (id, name, short_name, description, website, roll_call_position,"
    " active, created_at, version) VALUES (1, 'Netz', 'N', '', '', 1, 1, '2026-01-01', 1)",
    "INSERT INTO companies (id, name, name_key, city, website, notes, created_at, version)"
    " VALUES (1, 'Schweißwerk GmbH', 'schweisswerk', '', '', '', '2026-01-01', 1)",
    "INSERT INTO items (id, reference, kind, title, description, company_id, priority,"
    " reporting_network_id, source, status, resolution_note, confidential, for_next_meeting,"
    " created_at, updated_at, version) VALUES (1, '2026-0001', 'need', 'Fachkräfte gesucht',"
    " 'Förderungen', 1, 'normal', 1, 'phone', 'new', '', 0, 0, '2026-01-01', '2026-01-01', 1)",
]


def _found(query: str) -> list[int]:
    return list(db.session.scalars(select(Item.id).where(search.item_match(query))))


def test_upgrade_stems_the_rows_indexed_before(tmp_path):
    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/old.sqlite3",
    )
    with app.app_context():
        upgrade(revision=BEFORE_STEMS)
        with db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        upgrade()
        assert _found("fachkraefte") == _found("Foerderung") == _found("Schweisswerk") == [1]
        db.session.remove()
        db.engine.dispose()


def _spoil_index() -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("UPDATE items SET search_vector = to_tsvector('simple', 'x')"))
    else:
        db.session.execute(text("DELETE FROM search_items"))
    db.session.commit()


def test_reindex_command_computes_every_stem_again(runner, make_item):
    item = make_item(title="Schweißtechnik im Stahlbau")
    _spoil_index()
    assert _found("Schweisstechnik") == []
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "rebuilt" in result.output, result.output
    assert _found("Schweisstechnik") == [item.id]


def test_text_changed_past_the_orm_is_found_after_the_commit(make_item):
    item = make_item(title="Anfrage zu Robotik")
    db.session.execute(update(Item).where(Item.id == item.id).values(title="Wärmepumpen"))
    db.session.commit()
    assert _found("Waermepumpe") == [item.id] and _found("Robotik") == []
