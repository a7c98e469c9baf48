"""Migrations keep existing rows: SQLite batch copies must not cascade into other tables."""

from flask_migrate import upgrade
from sqlalchemy import text

from tracker import create_app
from tracker.config import TestingConfig
from tracker.db import db

FIRST = "093165438e14"
ROWS = [
    "INSERT INTO networks (id, name, short_name, description, website, roll_call_position,"
    " active, created_at, version) VALUES (1, 'Netz', 'N', '', '', 1, 1, '2026-01-01', 1)",
    "INSERT INTO companies (id, name, name_key, city, website, notes, created_at, version)"
    " VALUES (1, 'Firma', 'firma', '', '', '', '2026-01-01', 1)",
    "INSERT INTO items (id, reference, kind, title, description, company_id, priority,"
    " reporting_network_id, source, status, resolution_note, confidential, for_next_meeting,"
    " created_at, updated_at, version) VALUES (1, '2026-0001', 'need', 'T', '', 1, 'normal',"
    " 1, 'phone', 'new', '', 0, 0, '2026-01-01', '2026-01-01', 1)",
    "INSERT INTO activities (id, item_id, kind, body, item_version, created_at)"
    " VALUES (1, 1, 'created', '', 1, '2026-01-01')",
]


def test_upgrade_keeps_rows_of_earlier_schema(tmp_path):
    app = create_app(TestingConfig, instance_path=str(tmp_path),
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/old.sqlite3")
    with app.app_context():
        upgrade(revision=FIRST)
        with db.engine.begin() as connection:
            for statement in ROWS:
                connection.execute(text(statement))
        upgrade()
        counts = [db.session.execute(text(f"SELECT count(*) FROM {t}")).scalar()
                  for t in ("items", "activities", "companies")]
        assert counts == [1, 1, 1]
        assert db.session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        db.session.remove()
        db.engine.dispose()
