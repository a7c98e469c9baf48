"""Register imports: `python -m bench.imports` (after `make install-test`).

Creates a fresh database (a temporary SQLite file, or ``--database`` PostgreSQL whose name
contains "bench") with the two networks and five topics of the generated office register
(``tests/imports_register.py``: German headers, dates, about eight rows per company), then

1. imports ``--cli-rows`` rows (default 3,000) with ``flask --app wsgi imports run``;
2. serves the app with gunicorn (2 sync workers, as ``make bench``), logs in as the office
   and imports ``--web-rows`` rows (default 10,000) of another register through the pages
   as a person does: upload, column mapping, dry run, confirm, then the progress page's
   status until it says finished. Meanwhile a second session loads the register page
   every half second, to show that the other requests are still answered.

Prints each step's seconds, the CPU seconds used (on a busy machine the clock's figures
grow, the CPU's much less), and the register page's p50/p95 during the import.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from html.parser import HTMLParser
from pathlib import Path

from bench.client import Session
from bench.database import ROOT, flask, prepare, sqlite_url
from bench.server import Gunicorn
from tests.imports_register import NETWORKS, TOPICS, register_csv

EMAIL, PASSWORD = "office@example.org", "bench-import-office-1"

SETUP = f"""
from wsgi import app
from tracker.auth.models import UserRole
from tracker.auth.services import create_user
from tracker.db import unit_of_work
from tracker.networks.models import Network
from tracker.topics.models import Topic
with app.app_context():
    with unit_of_work() as session:
        session.add_all(Network(name="Netzwerk " + n, short_name=n) for n in {NETWORKS!r})
        session.add_all(Topic(name=t) for t in {TOPICS!r})
    with unit_of_work():
        create_user(email={EMAIL!r}, name="Geschäftsstelle", role=UserRole.ADMIN,
                    password={PASSWORD!r}, actor=None)
"""


class _Form(HTMLParser):
    """The fields of the form posting to ``action``: inputs, chosen options, text areas."""

    def __init__(self, action: str):
        super().__init__()
        self.action, self.inside, self.fields = action, False, []
        self.options: dict[str, list[str]] = {}
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("action") == self.action
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") not in ("submit",):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.fields.append((attrs["name"], attrs.get("value", "")))
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select:
            self.options.setdefault(self._select, []).append(attrs.get("value", ""))
            if "selected" in attrs:
                self.fields.append((self._select, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None


def form_fields(page: bytes, action: str) -> list[tuple[str, str]]:
    return _parse(page, action).fields


def _parse(page: bytes, action: str) -> _Form:
    parser = _Form(action)
    parser.feed(page.decode("utf-8"))
    if not parser.fields:
        raise RuntimeError(f"no form posting to {action}")
    return parser


def _multipart(fields: list[tuple[str, str]], name: str, filename: str, data: bytes):
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
        for key, value in fields
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
        f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'.encode()
        + data
        + b"\r\n"
    )
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def _env(url: str, instance: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_INSTANCE_PATH": str(instance),
        "TRACKER_MFA_REQUIRED_FOR_ADMINS": "false",  # the bench logs in without an authenticator
        "TRACKER_IMPORT_WEB_MAX_ROWS": "50000",
    }


def _cli(env: dict[str, str], folder: Path, rows: int) -> tuple[float, float]:
    """Seconds on the clock and of CPU for the command (process start included)."""
    path = folder / "cli-register.csv"
    path.write_bytes(register_csv(rows, seed=3))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    flask(env, "imports", "run", str(path), "--network", NETWORKS[1])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return time.perf_counter() - started, cpu


def _cpu_seconds(pids: list[int]) -> float:
    """User and system CPU seconds the processes have used so far."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / os.sysconf("SC_CLK_TCK")


def _timed(steps: dict, name: str, call):
    started = time.perf_counter()
    answer = call()
    steps[name] = time.perf_counter() - started
    if answer.status >= 400 or answer.status == 0:
        raise RuntimeError(f"{name}: status {answer.status}")
    return answer


def _web(port: int, rows: int) -> tuple[dict, list[float], list[float]]:
    office = Session(port)
    office.login(EMAIL, PASSWORD)
    data = register_csv(rows, seed=11)
    upload = _parse(office.request("GET", "/import/").body, "/import/")
    home = [value for value in upload.options["network"] if value][-1]  # the second network
    fields = [(k, v) for k, v in upload.fields if k != "network"] + [("network", home)]
    body, boundary = _multipart(fields, "file", "register.csv", data)
    steps: dict[str, float] = {}
    mapping = _timed(steps, "upload and column mapping", lambda: office.post_raw(
        "/import/", body, f"multipart/form-data; boundary={boundary}"
    ))  # fmt: skip
    check = _timed(steps, "dry run", lambda: office.request(
        "POST", "/import/check", form_fields(mapping.body, "/import/check")
    ))  # fmt: skip
    confirm = form_fields(check.body, "/import/run")
    started = time.perf_counter()
    answer = office.request("POST", "/import/run", confirm)
    steps["confirm (answer)"] = time.perf_counter() - started
    location = office.last_location
    if answer.status != 303 or not location:
        raise RuntimeError(f"confirm: status {answer.status}")
    path = "/" + location.split("/", 3)[-1] if location.startswith("http") else location
    done = threading.Event()
    other = Session(port)
    other.cookies = dict(office.cookies)
    during: list[float] = []

    def browse():
        while not done.is_set():
            during.append(other.request("GET", "/items/").seconds)
            time.sleep(0.5)

    browser = threading.Thread(target=browse, daemon=True)
    browser.start()
    polls: list[float] = []
    while True:
        status = office.request("GET", path + "/status")
        polls.append(status.seconds)
        if b'"finished":true' in status.body.replace(b" ", b""):
            break
        if time.perf_counter() - started > 600:
            raise RuntimeError("the import did not finish within 10 minutes")
        time.sleep(0.5)
    steps["import (confirm to finished)"] = time.perf_counter() - started
    done.set()
    browser.join()
    result = office.request("GET", path)
    if result.status != 200:
        raise RuntimeError(f"result page: status {result.status}")
    return steps, during, polls


def _figures(seconds: list[float]) -> str:
    if not seconds:
        return "none"
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    median = statistics.median(ordered)
    return f"{len(seconds)} requests, p50 {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.imports", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--cli-rows", type=int, default=3000)
    parser.add_argument("--web-rows", type=int, default=10000)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-imports-") as folder:
        instance = Path(folder)
        url = args.database or sqlite_url(instance)
        prepare(url)
        env = _env(url, instance)
        flask(env, "db", "upgrade")
        subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True)
        print(f"database: {url.split('@')[-1]}")
        if args.cli_rows:
            seconds, cpu = _cli(env, instance, args.cli_rows)
            print(
                f"command line: {args.cli_rows} rows in {seconds:.1f} s, {cpu:.1f} s of CPU "
                "(process start included)"
            )
        if args.web_rows:
            server = Gunicorn("wsgi:app", env, probe="/login")
            server.start()
            try:
                workers = server.worker_pids()
                cpu = _cpu_seconds(workers)
                steps, during, polls = _web(server.port, args.web_rows)
                cpu = _cpu_seconds(workers) - cpu
            finally:
                server.stop()
            print(f"web, {args.web_rows} rows:")
            for name, seconds in steps.items():
                print(f"  {name}: {seconds:.1f} s")
            total = sum(s for name, s in steps.items() if name != "confirm (answer)")
            print(f"  in all, upload to finished: {total:.1f} s; the workers' CPU: {cpu:.1f} s")
            print(f"  register page while importing: {_figures(during)}")
            print(f"  progress status while importing: {_figures(polls)}")


if __name__ == "__main__":
    main()
