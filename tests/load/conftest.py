"""A real gunicorn server with two workers on 127.0.0.1, and small HTTP clients for it."""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import time_machine
from conftest import PASSWORD  # tests/conftest.py (tests/ is on sys.path)

from tracker.db import db

ROOT = Path(__file__).resolve().parents[2]
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """gunicorn serving wsgi:app against the test database; start, kill and restart it."""

    def __init__(self, database_url: str, instance: Path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "TRACKER_DATABASE_URL": database_url,
            "TRACKER_SECRET_KEY": "load-test-secret",
            "TRACKER_PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "TRACKER_RATELIMIT_ENABLED": "false",
            "TRACKER_INSTANCE_PATH": str(instance),
        }
        self.process: subprocess.Popen | None = None
        self.log = ""  # what the servers wrote to stderr
        # stderr goes to a file: a pipe read only at the end would fill up (64 KB) with a
        # chatty server, and the workers would block writing to it.
        self.log_file = instance / "gunicorn-stderr.log"
        self._offset: int | None = None  # where the running server's output begins

    def start(self) -> None:
        # The test's own session must not hold SQLite's write lock while the server writes.
        db.session.commit()
        db.session.remove()
        with open(self.log_file, "ab") as log:  # the server keeps its own handle
            self._offset = log.tell()
            self.process = subprocess.Popen(
                [
                    *self._gunicorn(),
                    "--workers",
                    "2",
                    "--threads",
                    "1",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--graceful-timeout",
                    "2",
                    "wsgi:app",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as answer:
                    if answer.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start: " + self.stop_and_read_errors())

    def _gunicorn(self) -> list[str]:
        """The command that starts gunicorn, at this process's clock even when it travels."""
        if not time_machine.escape_hatch.is_travelling():
            return [sys.executable, "-m", "gunicorn"]
        self.env["TRACKER_TEST_NOW"] = repr(time.time())
        return [sys.executable, str(Path(__file__).with_name("clocked_gunicorn.py"))]

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers die mid-request."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._collect()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self._collect()

    def _collect(self) -> None:
        """Add what this run of the server wrote to ``log``."""
        if self._offset is None:
            return
        with open(self.log_file, "rb") as log:
            log.seek(self._offset)
            self.log += log.read().decode(errors="replace")
        self._offset = None

    def stop_and_read_errors(self) -> str:
        self.stop()
        return self.log


def _body(response) -> str:
    """The answer's body; what arrived of it when the server died while sending it (the
    status line and headers, which say whether the write was acknowledged, came before)."""
    try:
        return response.read().decode()
    except http.client.IncompleteRead as cut:
        return cut.partial.decode(errors="replace")


class Client:
    """One browser-like client: cookies, CSRF tokens, no redirects followed."""

    def __init__(self, base: str):
        self.base = base
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as answer:
                return answer.status, answer.headers.get("Location", ""), _body(answer)
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Location", ""), _body(error)

    def token(self, path: str) -> str:
        status, _, page = self.request(path)
        assert status == 200, (path, status)
        return CSRF.search(page).group(1)

    def login(self, email: str, password: str = PASSWORD) -> None:
        token = self.token("/login")
        status, _, _ = self.request(
            "/login", {"email": email, "password": password, "csrf_token": token}
        )
        assert status == 302, status


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def server(app, database_url, tmp_path):
    """A server the test starts once it has written its data; stopped afterwards."""
    instance = tmp_path / "server-instance"
    instance.mkdir()
    running = Server(database_url, instance)
    yield running
    running.stop()
