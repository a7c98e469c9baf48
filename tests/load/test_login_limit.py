"""The login limit holds across gunicorn's two workers, whichever of them answers."""

from __future__ import annotations

import socket
import time

import pytest

from load.conftest import CSRF, Client

pytestmark = pytest.mark.slow


def _hold_a_worker(server) -> socket.socket:
    """Connect and send nothing: one sync worker waits on this, the other one answers."""
    held = socket.create_connection(("127.0.0.1", server.port))
    time.sleep(0.5)  # one of the idle workers has accepted it by now
    return held


def _attempt(server, email: str) -> int:
    client = Client(server.base)
    status, _, page = client.request("/login")
    assert status == 200, status
    token = CSRF.search(page).group(1)
    data = {"email": email, "password": "falsch falsch falsch", "csrf_token": token}
    return client.request("/login", data)[0]


def test_failed_logins_are_counted_by_both_workers(server, make_user):
    email = make_user().email
    server.env["TRACKER_RATELIMIT_ENABLED"] = "true"
    server.start()
    first = _hold_a_worker(server)
    codes = [_attempt(server, email) for _ in range(5)]  # all answered by the other worker
    second = _hold_a_worker(server)  # taken by that other worker: the first one is busy
    first.close()  # the first worker is free again and answers the rest
    codes += [_attempt(server, email) for _ in range(6)]
    second.close()
    assert codes == [401] * 5 + [429] * 6
