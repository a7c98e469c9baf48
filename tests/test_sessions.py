"""Session limits, a fresh session at login, and login limits shared by workers."""

from tracker import create_app
from tracker.auth import sessions
from tracker.config import TestingConfig
from tracker.db import db

PASSWORD = "correct horse battery staple"


def _advance(monkeypatch, seconds: float) -> None:
    real = sessions.time.time
    monkeypatch.setattr(sessions.time, "time", lambda: real() + seconds)


def test_idle_session_ends(app, client, login, make_user, monkeypatch):
    login(make_user())
    _advance(monkeypatch, app.config["SESSION_IDLE_MINUTES"] * 60 + 5)
    response = client.get("/")
    assert response.status_code == 302 and "/login" in response.location


def test_active_session_ends_after_absolute_lifetime(app, client, login, make_user,
                                                     monkeypatch):
    login(make_user())
    lifetime = app.permanent_session_lifetime.total_seconds()
    for step in range(1, int(lifetime // 3600) + 2):  # a request every hour: never idle
        _advance(monkeypatch, step * 3600)
        answer = client.get("/")
    assert answer.status_code == 302 and "/login" in answer.location


def test_session_within_limits_stays(app, client, login, make_user, monkeypatch):
    login(make_user())
    _advance(monkeypatch, 2 * 3600)  # a two-hour meeting without a click
    assert client.get("/").status_code == 200


def test_expired_session_answers_401_to_background_requests(app, client, login, make_user,
                                                            monkeypatch):
    login(make_user())
    _advance(monkeypatch, app.config["SESSION_IDLE_MINUTES"] * 60 + 5)
    response = client.get("/items/duplicates?title=x", headers={"X-Requested-With": "fetch"})
    assert response.status_code == 401


def test_login_starts_a_fresh_session(client, make_user):
    user = make_user()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("login_at")


def test_login_limit_is_shared_by_workers_through_the_database(app, tmp_path, database_url):
    apps = [create_app(TestingConfig, instance_path=str(tmp_path / str(n)),
                       SQLALCHEMY_DATABASE_URI=database_url, RATELIMIT_ENABLED=True)
            for n in range(2)]
    data = {"email": "x@example.org", "password": "wrong wrong wrong"}
    codes = [apps[n % 2].test_client().post("/login", data=data).status_code for n in range(6)]
    assert codes == [401] * 5 + [429]  # two "workers", one budget
    for app in apps:
        with app.app_context():
            db.engine.dispose()
