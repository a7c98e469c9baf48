"""Privacy promises (export, erasure, anonymisation) and checked online backups."""

import json
import sqlite3
import threading
from datetime import timedelta

import pytest
from sqlalchemy import String, Text, select, text

from tracker import create_app
from tracker.audit.models import AuditEvent
from tracker.backup import backup_sqlite
from tracker.companies import services as companies
from tracker.config import TestingConfig
from tracker.db import db, utcnow
from tracker.items import services as items
from tracker.items.models import ItemStatus
from tracker.privacy import services as privacy

NAME, MAIL, PHONE = "Erika Mustermann", "erika.mustermann@example.com", "+49 361 555 0101"


@pytest.fixture
def contact_with_traces(make_user, make_company, make_item):
    admin = make_user("admin")
    company = make_company("Spurensuche GmbH")
    contact = companies.save_contact(company, actor=admin, name=NAME, email=MAIL, phone=PHONE)
    item = make_item(
        actor=admin, company=company, contact=contact, description=f"Bitte {NAME} anrufen: {PHONE}"
    )
    items.add_comment(item, actor=admin, body=f"Mail an {MAIL} geschickt")
    db.session.commit()
    return admin, contact, item


def _all_text() -> str:
    chunks = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, String | Text)]
        if table.name == "audit_events" or not columns:
            continue
        for row in db.session.execute(select(*columns)):
            chunks.extend(str(v) for v in row if v)
    return "\n".join(chunks)


def test_export_contains_everything_and_is_logged(contact_with_traces):
    admin, contact, item = contact_with_traces
    data = privacy.export_contact(contact, actor=admin)
    assert data["contact"]["email"] == MAIL and data["items"][0]["reference"] == item.reference
    assert MAIL in json.dumps(data["mentions_in_activity"], ensure_ascii=False)
    assert db.session.scalar(select(AuditEvent.event).order_by(AuditEvent.id.desc())) == (
        "contact_exported"
    )


def test_erase_leaves_no_trace_in_any_text_column(contact_with_traces):
    admin, contact, item = contact_with_traces
    privacy.erase_contact(contact, actor=admin)
    db.session.commit()
    everything = _all_text()
    assert NAME not in everything and MAIL not in everything and PHONE not in everything
    assert db.session.get(type(item), item.id).contact_id == contact.id  # the item remains


def test_erasure_is_logged_without_personal_data(contact_with_traces):
    admin, contact, _item = contact_with_traces
    privacy.erase_contact(contact, actor=admin)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.event == "contact_erased"))
    assert event.subject == f"contact:{contact.id}" and NAME not in event.details


def test_anonymise_only_contacts_of_long_closed_items(contact_with_traces, make_company):
    admin, contact, item = contact_with_traces
    item.status, item.closed_at = ItemStatus.DONE, utcnow() - timedelta(days=800)
    recent = companies.save_contact(make_company(), actor=admin, name="Noch Aktuell")
    db.session.commit()
    assert privacy.anonymise_old_contacts(24) == 1
    assert contact.anonymised_at is not None and recent.anonymised_at is None


def test_anonymise_cli_reports_count(runner, contact_with_traces):
    result = runner.invoke(args=["privacy", "anonymise", "--months", "24"])
    assert result.exit_code == 0 and "Anonymised 0 contacts" in result.output


def test_erase_route_is_for_admins_only(client, login, contact_with_traces, make_user):
    _admin, contact, _item = contact_with_traces
    login(make_user("manager"))
    assert client.post(f"/privacy/contacts/{contact.id}/erase").status_code == 403
    assert client.get(f"/privacy/contacts/{contact.id}.json").status_code == 403


def test_privacy_page_is_public(client):
    assert client.get("/privacy/").status_code == 200


def test_backup_while_writing_passes_integrity_check(tmp_path):
    source, target = tmp_path / "live.sqlite3", tmp_path / "backup" / "copy.sqlite3"
    writer = sqlite3.connect(source, isolation_level=None, check_same_thread=False)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    writer.executemany("INSERT INTO t (body) VALUES (?)", [("x" * 500,)] * 5000)
    stop = threading.Event()

    def keep_writing():
        while not stop.is_set():
            writer.execute("INSERT INTO t (body) VALUES ('more')")

    thread = threading.Thread(target=keep_writing)
    thread.start()
    try:
        backup_sqlite(source, target, pages_per_step=16)
    finally:
        stop.set()
        thread.join()
        writer.close()
    copy = sqlite3.connect(target)
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert copy.execute("SELECT count(*) FROM t").fetchone()[0] >= 5000
    copy.close()


def test_backup_command_and_restore(tmp_path, make_network):
    live = tmp_path / "instance"
    app = create_app(
        TestingConfig,
        instance_path=str(live),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{live}/tracker.sqlite3",
    )
    with app.app_context():
        db.session.execute(text("CREATE TABLE probe (v TEXT)"))
        db.session.execute(text("INSERT INTO probe VALUES ('gesichert')"))
        db.session.commit()
        result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "b.sqlite3")])
        assert result.exit_code == 0, result.output
        db.engine.dispose()
    restored = tmp_path / "restored"
    restored.mkdir()
    (tmp_path / "b.sqlite3").replace(restored / "tracker.sqlite3")  # the documented restore
    again = create_app(
        TestingConfig,
        instance_path=str(restored),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{restored}/tracker.sqlite3",
    )
    with again.app_context():
        assert db.session.execute(text("SELECT v FROM probe")).scalar() == "gesichert"
        db.session.remove()
        db.engine.dispose()


def test_backup_refuses_postgresql(tmp_path):
    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path),
        SQLALCHEMY_DATABASE_URI="postgresql+psycopg://u@127.0.0.1:1/none",
    )
    result = app.test_cli_runner().invoke(args=["backup", str(tmp_path / "x")])
    assert result.exit_code != 0 and "pg_dump" in result.output
    with app.app_context():
        db.engine.dispose()
