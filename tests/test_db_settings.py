"""The database promises of DESIGN.md 8: SQLite settings, migrations equal to the models."""


import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import PASSWORD, lock_is_free  # tests/conftest.py (tests/ is on sys.path)
from flask_migrate import upgrade
from sqlalchemy import text

from tracker import create_app
from tracker.config import TestingConfig
from tracker.db import WriteOutsideUnitOfWork, db, unit_of_work


@pytest.fixture
def file_app(tmp_path):
    """An app on a fresh SQLite file, migrated, through the app's own engine."""
    path = tmp_path / "fresh.sqlite3"
    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path / "instance"),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
    )
    with app.app_context():
        upgrade()
        yield app, path
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(
    "pragma, expected",
    [
        ("journal_mode", "wal"),
        ("foreign_keys", 1),
        ("busy_timeout", 30000),
    ],
)
def test_sqlite_pragma_is_set(file_app, pragma, expected):
    assert db.session.execute(text(f"PRAGMA {pragma}")).scalar() == expected


def test_sqlite_unit_of_work_takes_the_lock_at_begin(file_app):
    _app, path = file_app
    with unit_of_work():
        db.session.execute(text("SELECT 1"))  # only a read: the write lock must be held already
        assert not lock_is_free(path)
    assert lock_is_free(path)  # committed


def test_sqlite_reads_do_not_lock(file_app):
    """Outside a unit of work nothing takes the lock: pages, form checks, the CLI's reads."""
    app, path = file_app
    db.session.execute(text("SELECT 1"))
    assert lock_is_free(path)
    db.session.rollback()
    with app.test_request_context("/items/1/comments", method="POST"):
        app.preprocess_request()
        db.session.execute(text("SELECT 1"))
        assert lock_is_free(path)  # a POST reads without it until its unit of work
        db.session.rollback()


def test_unit_of_work_rolls_back_on_error_and_runs_nothing_queued(file_app):
    from tracker.db import after_commit
    from tracker.topics.models import Topic

    ran = []
    with pytest.raises(RuntimeError), unit_of_work():
        db.session.add(Topic(name="Verworfen"))
        after_commit(lambda: ran.append("sent"))
        raise RuntimeError("refused")
    assert ran == [] and db.session.scalar(text("SELECT count(*) FROM topics")) == 0
    with unit_of_work():
        db.session.add(Topic(name="Bleibt"))
        after_commit(lambda: ran.append("sent"))
    assert ran == ["sent"] and db.session.scalar(text("SELECT count(*) FROM topics")) == 1


def test_unit_of_work_inside_another_joins_it(file_app):
    from tracker.topics.models import Topic

    with pytest.raises(RuntimeError), unit_of_work():
        with unit_of_work():
            db.session.add(Topic(name="Innen"))
        raise RuntimeError("the outer one fails")
    assert db.session.scalar(text("SELECT count(*) FROM topics")) == 0


def test_a_request_that_writes_outside_a_unit_of_work_is_stopped(file_app):
    """The guard that keeps every write in a unit of work (strict in tests)."""
    from tracker.topics.models import Topic

    app, _path = file_app
    with app.test_request_context("/", method="POST"):
        db.session.add(Topic(name="Nebenbei"))
        with pytest.raises(WriteOutsideUnitOfWork):
            db.session.flush()
        db.session.rollback()
        with pytest.raises(WriteOutsideUnitOfWork):
            db.session.execute(text("UPDATE topics SET name = 'x'"))
        db.session.rollback()


def test_changes_left_pending_before_a_unit_of_work_are_refused(file_app):
    from tracker.topics.models import Topic

    db.session.add(Topic(name="Vorher"))
    with pytest.raises(WriteOutsideUnitOfWork), unit_of_work():
        pass
    db.session.rollback()


def test_migrations_match_models(app):
    from tracker.search.schema import include_name

    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == []


def test_foreign_keys_are_enforced(app):
    from sqlalchemy.exc import IntegrityError

    from tracker.companies.models import Contact

    db.session.add(Contact(company_id=999999, name="x"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_without_database(tmp_path):
    app = create_app(
        TestingConfig,
        instance_path=str(tmp_path),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/missing/dir/db.sqlite3",
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503 and response.json["status"] == "error"
    with app.app_context():
        db.engine.dispose()


def test_sqlite_comment_takes_the_write_lock_once(tmp_path):
    """A comment is written in one transaction; its flash message, translated after the
    commit, reads nothing that would open a second, write-locking one."""
    from sqlalchemy import event

    from tracker.auth import services as users
    from tracker.auth.models import UserRole
    from tracker.companies import services as companies
    from tracker.items import services as items
    from tracker.items.models import ItemKind
    from tracker.networks.models import Network

    path = tmp_path / "comment.sqlite3"
    app = create_app(TestingConfig, instance_path=str(tmp_path / "instance"),
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}")  # fmt: skip
    with app.app_context():
        upgrade()
        admin = users.create_user(actor=None, email="olga@example.org", name="Olga Office",
                                  password=PASSWORD, role=UserRole.ADMIN)  # fmt: skip
        network = Network(name="Netzwerk Alpha", short_name="Alpha")
        db.session.add(network)
        company = companies.create_company(actor=admin, name="Optik AG")
        item = items.create_item(actor=admin, title="Partner", kind=ItemKind.NEED,
                                 company=company, reporting_network=network)  # fmt: skip
        db.session.commit()
        item_id, engine = item.id, db.engine
    client = app.test_client()  # requests outside the setup's context: each has its own
    client.post("/login", data={"email": "olga@example.org", "password": PASSWORD})
    begins: list[str] = []

    def note(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(engine, "before_cursor_execute", note)
    try:
        answer = client.post(f"/items/{item_id}/comments", data={"body": "Anruf erledigt"})
    finally:
        event.remove(engine, "before_cursor_execute", note)
        engine.dispose()
    assert answer.status_code == 302
    assert begins.count("BEGIN IMMEDIATE") == 1, begins
