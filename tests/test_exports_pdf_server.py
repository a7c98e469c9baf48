"""PDFs under concurrency from a real gunicorn: every one made, no worker lost, nothing left."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bench import database
from bench.client import Session
from bench.server import Gunicorn, children
from tracker.demo.data import DEMO_PASSWORD

PDFS, AT_ONCE = 50, 4
MANAGERS = text("SELECT email FROM users WHERE role = 'manager' AND active ORDER BY id LIMIT 4")


def process_group(pgid: int) -> set[int]:
    """Processes of a process group, wherever they were reparented."""
    members = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[2]) == pgid:
            members.add(int(stat.parent.name))
    return members


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """gunicorn with 2 sync workers on a small demo database; renders serialised by 1 slot."""
    folder = tmp_path_factory.mktemp("pdf-server")
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": database.sqlite_url(folder),
        "TRACKER_INSTANCE_PATH": str(folder / "instance"),
        # Generous for a busy test machine: this is about PDFs ending, not about speed.
        "TRACKER_PDF_TIMEOUT": "100",
        "TRACKER_PDF_QUEUE_SECONDS": "50",
        "TRACKER_PDF_CONCURRENCY": "1",
    }
    database.flask(env, "db", "upgrade")
    database.flask(env, "demo", "seed", "--items", "40", "--meetings", "1", "--today", "2026-11-23")
    with Gunicorn("wsgi:app", env, workers=2, probe="/healthz") as gunicorn:
        yield gunicorn, database.pick_targets(env["TRACKER_DATABASE_URL"])


def download_pdfs(port: int, email: str, meeting_id: int, count: int) -> list[bytes | int]:
    """One user's PDFs, one after the other; a failure as its status."""
    session = Session(port)
    session.login(email, DEMO_PASSWORD)
    answers = [session.request("GET", f"/meetings/{meeting_id}/agenda.pdf") for _ in range(count)]
    session.close()
    return [a.body if a.status == 200 else a.status for a in answers]


@pytest.mark.slow
def test_fifty_pdfs_four_at_a_time_all_succeed_and_leave_no_process(server):
    gunicorn, targets = server
    workers = set(gunicorn.worker_pids())
    engine = create_engine(gunicorn.env["TRACKER_DATABASE_URL"])
    with engine.connect() as connection:
        emails = connection.scalars(MANAGERS).all()
    engine.dispose()
    with ThreadPoolExecutor(AT_ONCE) as pool:
        shares = [PDFS // AT_ONCE + (n < PDFS % AT_ONCE) for n in range(AT_ONCE)]
        ports, meetings = [gunicorn.port] * AT_ONCE, [targets.meeting_id] * AT_ONCE
        runs = pool.map(download_pdfs, ports, emails, meetings, shares)
        answers = [answer for run in runs for answer in run]
    failures = [a for a in answers if not (isinstance(a, bytes) and a.startswith(b"%PDF"))]
    assert (len(answers), failures) == (PDFS, [])
    assert set(gunicorn.worker_pids()) == workers  # none was killed and replaced
    assert [pid for worker in workers for pid in children(worker)] == []
    assert process_group(gunicorn.process.pid) == {gunicorn.process.pid, *workers}
