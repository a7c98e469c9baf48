"""Login, logout and reset against a real server: cookies copied by hand, time measured.

The app is served by werkzeug in a thread, so every request has its own app context and
database session, as in production (the test client shares the test's session).
"""

from __future__ import annotations

import http.client
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from tracker.audit.models import AuditEvent
from tracker.db import db

PASSWORD = "correct horse battery staple"


@pytest.fixture
def server(app):
    """The test's app on a free port; yields (host, port). Test data must be committed."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield httpd.server_port
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


def _settle(*objects) -> None:
    """Load the objects, then end the test thread's transaction: the server writes."""
    db.session.commit()
    for obj in objects:
        db.session.refresh(obj)
    db.session.close()


def send(
    port: int, method: str, path: str, form: dict | None = None, cookie: str | None = None
) -> http.client.HTTPResponse:
    """One request on a new connection; the cookie header is set by hand, nothing kept."""
    body = urllib.parse.urlencode(form).encode() if form is not None else None
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body else {}
    if cookie:
        headers["Cookie"] = cookie
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers)
    answer = connection.getresponse()
    answer.read()
    connection.close()
    return answer


def _session_cookie(answer: http.client.HTTPResponse) -> str:
    header = answer.getheader("Set-Cookie")
    assert header and header.startswith("session="), header
    return header.split(";", 1)[0]


def _login(port: int, user) -> str:
    answer = send(port, "POST", "/login", {"email": user.email, "password": PASSWORD})
    assert answer.status == 302, answer.status
    return _session_cookie(answer)


def test_copied_cookie_is_refused_after_logout(server, make_user):
    user = make_user()
    _settle(user)
    cookie = _login(server, user)
    copy = cookie  # what someone took from the browser before the logout
    assert send(server, "GET", "/account", cookie=copy).status == 200
    assert send(server, "POST", "/logout", cookie=cookie).status == 302
    assert send(server, "GET", "/", cookie=copy).status == 302
    assert send(server, "GET", "/account", cookie=copy).status == 302


def test_logout_ends_only_this_login(server, make_user):
    user = make_user()
    _settle(user)
    laptop, phone = _login(server, user), _login(server, user)
    send(server, "POST", "/logout", cookie=laptop)
    assert send(server, "GET", "/account", cookie=phone).status == 200


def test_logout_everywhere_refuses_every_copied_cookie(server, make_user):
    user = make_user()
    _settle(user)
    laptop, phone = _login(server, user), _login(server, user)
    send(server, "POST", "/account/logout-everywhere", cookie=laptop)
    assert [send(server, "GET", "/", cookie=c).status for c in (laptop, phone)] == [302, 302]


def _audit(event: str) -> list[AuditEvent]:
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.event == event)).all()
    db.session.close()
    return list(rows)


def test_failed_and_refused_logins_are_committed_to_the_audit_log(app, server, make_user):
    app.config["RATELIMIT_ENABLED"] = True
    user = make_user()
    _settle(user)
    wrong = {"email": user.email, "password": "falsch falsch falsch"}
    codes = [send(server, "POST", "/login", wrong).status for _ in range(6)]
    send(server, "POST", "/login", {"email": "niemand@example.org", "password": "x" * 12})
    assert codes == [401] * 5 + [429]
    failed, refused = _audit("login_failed"), _audit("login_refused")
    assert len(failed) == 6 and len(refused) == 1
    assert {e.actor_id for e in failed[:5]} == {user.id} and refused[0].actor_id == user.id
    assert failed[5].subject.startswith("unknown:") and "niemand" not in failed[5].subject
    assert {e.address for e in failed + refused} == {"127.0.0.1"}


def test_reset_lifts_the_login_lock(app, server, make_user):
    from tracker.auth import passwords

    app.config["RATELIMIT_ENABLED"] = True
    user = make_user()
    token = passwords.reset_token(user)
    _settle(user)
    for _ in range(5):
        send(server, "POST", "/login", {"email": user.email, "password": "falsch falsch"})
    locked = send(server, "POST", "/login", {"email": user.email, "password": PASSWORD})
    assert locked.status == 429
    new = "ein ganz neues Passwort"
    reset = send(server, "POST", f"/password/reset/{token}", {"password": new, "confirm": new})
    assert reset.status == 302 and reset.getheader("Location").endswith("/login")
    answer = send(server, "POST", "/login", {"email": user.email, "password": new})
    assert answer.status == 302


def test_locked_login_page_offers_the_reset_link(app, client, make_user):
    app.config["RATELIMIT_ENABLED"] = True
    user = make_user()
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "falsch falsch"})
    answer = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert answer.status_code == 429 and 'href="/password/forgot"' in answer.text


def test_lock_is_per_account_and_address(app, client, make_user):
    app.config["RATELIMIT_ENABLED"] = True
    user, other = make_user(), make_user()
    for _ in range(5):
        client.post("/login", data={"email": user.email, "password": "falsch falsch"})
    other_answer = client.post("/login", data={"email": other.email, "password": PASSWORD})
    elsewhere = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
    )
    assert other_answer.status_code == 302 and elsewhere.status_code == 302


# --- time: an attacker must not tell known from unknown addresses by the answer's time ---

ROUNDS = 50
HASH_FOR_TIMING = "pbkdf2:sha256:100000"  # a real cost (not the suite's 1,000 rounds)


def _median_times(port: int, path: str, forms: dict[str, dict]) -> dict[str, float]:
    """Median seconds per kind of form, the kinds taking turns (load hits both alike)."""
    times: dict[str, list[float]] = {kind: [] for kind in forms}
    for _ in range(ROUNDS):
        for kind, form in forms.items():
            start = time.perf_counter()
            send(port, "POST", path, form)
            times[kind].append(time.perf_counter() - start)
    return {kind: statistics.median(values) for kind, values in times.items()}


def _assert_alike(medians: dict[str, float]) -> None:
    known, unknown = medians["known"], medians["unknown"]
    bound = max(0.005, 0.25 * min(known, unknown))  # 5 ms or a quarter, whichever is more
    assert abs(known - unknown) < bound, {k: f"{v * 1000:.1f} ms" for k, v in medians.items()}


@pytest.mark.slow
def test_login_takes_as_long_for_unknown_addresses(app, server, make_user):
    app.config["PASSWORD_HASH_METHOD"] = HASH_FOR_TIMING
    user = make_user()
    _settle(user)
    medians = _median_times(
        server,
        "/login",
        {
            "known": {"email": user.email, "password": "falsch falsch falsch"},
            "unknown": {"email": "niemand@example.org", "password": "falsch falsch falsch"},
        },
    )
    _assert_alike(medians)


@pytest.fixture
def smtp(app):
    """A real SMTP server (aiosmtpd, accepting every mail) in a process of its own.

    In this process it would compete for the interpreter with the server's threads, and a
    mail still being sent would slow the next answer, as no separate mail server does.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "aiosmtpd",
        "-n",
        "-l",
        f"127.0.0.1:{port}",
        "-c",
        "aiosmtpd.handlers.Sink",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "aiosmtpd did not start"
            time.sleep(0.1)
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield
    process.terminate()
    process.wait(timeout=10)


@pytest.mark.slow
def test_reset_request_takes_as_long_for_unknown_addresses(app, server, smtp, make_user):
    user = make_user()
    _settle(user)
    medians = _median_times(
        server,
        "/password/forgot",
        {
            "known": {"email": user.email},
            "unknown": {"email": "niemand@example.org"},
        },
    )
    _assert_alike(medians)
