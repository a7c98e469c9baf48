"""Command line, configuration and the app factory."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from tracker import create_app
from tracker.auth.models import User, UserRole
from tracker.config import Config, TestingConfig, env_overrides
from tracker.db import db

ROOT = Path(__file__).resolve().parent.parent


def test_users_create_makes_first_admin(runner):
    result = runner.invoke(args=["users", "create", "--email", "Chefin@Example.org",
                                 "--name", "Chefin", "--password", "a long enough password"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.email == "chefin@example.org" and user.role is UserRole.ADMIN


def test_users_create_rejects_short_password(runner):
    result = runner.invoke(args=["users", "create", "--email", "a@example.org", "--name", "A",
                                 "--password", "short"])
    assert result.exit_code != 0 and "12" in result.output
    assert db.session.scalar(select(User)) is None


def test_users_create_manager_needs_known_network(runner):
    result = runner.invoke(args=["users", "create", "--email", "m@example.org", "--name", "M",
                                 "--role", "manager", "--network", "Nope",
                                 "--password", "a long enough password"])
    assert result.exit_code != 0 and "Nope" in result.output


def test_users_list_and_set_password(runner, make_user):
    user = make_user("observer", email="obs@example.org")
    assert "obs@example.org\tobserver" in runner.invoke(args=["users", "list"]).output
    token = user.session_token
    result = runner.invoke(args=["users", "set-password", "obs@example.org",
                                 "--password", "another long password"])
    assert result.exit_code == 0
    db.session.refresh(user)
    assert user.session_token != token


def test_no_default_account_exists(app):
    assert db.session.scalar(select(User)) is None


def test_production_hash_is_strong():
    method, rounds = Config.PASSWORD_HASH_METHOD.rsplit(":", 1)
    assert method == "pbkdf2:sha256" and int(rounds) >= 600_000


def test_secret_key_is_generated_once_into_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    url = f"sqlite:///{tmp_path}/x.sqlite3"
    first = create_app(Config, instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=url)
    second = create_app(Config, instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=url)
    key_file = tmp_path / "secret_key"
    assert first.secret_key == second.secret_key == key_file.read_text()
    assert len(first.secret_key) >= 64 and stat.S_IMODE(key_file.stat().st_mode) == 0o600
    for app in (first, second):
        with app.app_context():
            db.engine.dispose()


def test_env_overrides_read_prefixed_values():
    values = env_overrides({"TRACKER_ITEMS_PER_PAGE": "50", "TRACKER_DATABASE_URL": "sqlite://",
                            "TRACKER_TEST_DATABASE_URL": "x", "OTHER": "1"})
    assert values == {"ITEMS_PER_PAGE": 50, "DATABASE_URL": "sqlite://"}


def test_instance_config_file_is_read(tmp_path):
    (tmp_path / "config.py").write_text("ITEMS_PER_PAGE = 7\n")
    app = create_app(TestingConfig, instance_path=str(tmp_path),
                     SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/x.sqlite3")
    assert app.config["ITEMS_PER_PAGE"] == 7
    with app.app_context():
        db.engine.dispose()


def test_default_database_is_sqlite_in_instance(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_DATABASE_URL", raising=False)
    app = create_app(TestingConfig, instance_path=str(tmp_path))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/tracker.sqlite3"
    with app.app_context():
        db.engine.dispose()


def test_explicit_database_override_wins_over_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_DATABASE_URL", "sqlite:////nonexistent/prod.sqlite3")
    url = f"sqlite:///{tmp_path}/mine.sqlite3"
    app = create_app(TestingConfig, instance_path=str(tmp_path), SQLALCHEMY_DATABASE_URI=url)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == url
    with app.app_context():
        db.engine.dispose()


def test_wsgi_entry_point_freezes_the_startup_objects(tmp_path):
    """Served through wsgi.py, the objects of start-up are left out of full collections."""
    env = {
        **os.environ,
        "TRACKER_INSTANCE_PATH": str(tmp_path),
        "TRACKER_DATABASE_URL": f"sqlite:///{tmp_path / 'wsgi.sqlite3'}",
    }
    script = "import gc, wsgi; print(gc.get_freeze_count())"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    # The app and its modules: well over ten thousand objects.
    assert int(result.stdout.split()[-1]) > 10_000
