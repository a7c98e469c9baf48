"""PDFs under concurrency with the defaults: `python -m bench.pdfs [--pdfs N] [--at-once N]`.

gunicorn with 2 sync workers (as `make run`) on a small demo database; ``--at-once`` managers
download the agenda PDF one after the other until ``--pdfs`` are asked for. Prints how many
came back as PDFs, how many were refused (503 with Retry-After, the queue's answer) or failed,
the times, whether a worker was replaced and whether any process was left behind. The
PDF settings are the defaults of tracker/config.py unless TRACKER_PDF_* are set.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from sqlalchemy import create_engine, text

from bench import database
from bench.client import Session
from bench.server import Gunicorn, children
from tracker.demo.data import DEMO_PASSWORD

MANAGERS = text("SELECT email FROM users WHERE role = 'manager' AND active ORDER BY id LIMIT :n")


def _download(port: int, email: str, meeting_id: int, count: int) -> list[tuple[int, float]]:
    session = Session(port)
    session.login(email, DEMO_PASSWORD)
    answers = []
    for _ in range(count):
        started = time.perf_counter()
        answer = session.request("GET", f"/meetings/{meeting_id}/agenda.pdf")
        ok = answer.status == 200 and answer.body.startswith(b"%PDF")
        answers.append((200 if ok else answer.status, time.perf_counter() - started))
    session.close()
    return answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.pdfs", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--pdfs", type=int, default=50)
    parser.add_argument("--at-once", type=int, default=4)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-pdfs-"))
    env = {
        **os.environ,
        "TRACKER_DATABASE_URL": database.sqlite_url(folder),
        "TRACKER_INSTANCE_PATH": str(folder / "instance"),
    }
    database.flask(env, "db", "upgrade")
    database.flask(env, "demo", "seed", "--items", "40", "--meetings", "1", "--today", "2026-11-23")
    with Gunicorn("wsgi:app", env, workers=2, probe="/healthz") as gunicorn:
        targets = database.pick_targets(env["TRACKER_DATABASE_URL"])
        workers = set(gunicorn.worker_pids())
        engine = create_engine(env["TRACKER_DATABASE_URL"])
        with engine.connect() as connection:
            emails = connection.scalars(MANAGERS, {"n": args.at_once}).all()
        engine.dispose()
        shares = [
            args.pdfs // args.at_once + (n < args.pdfs % args.at_once) for n in range(args.at_once)
        ]
        started = time.perf_counter()
        with ThreadPoolExecutor(args.at_once) as pool:
            runs = pool.map(
                _download,
                [gunicorn.port] * args.at_once,
                emails,
                [targets.meeting_id] * args.at_once,
                shares,
            )
            answers = [answer for run in runs for answer in run]
        wall = time.perf_counter() - started
        replaced = set(gunicorn.worker_pids()) != workers
        left = [pid for worker in workers for pid in children(worker)]
    ok = [seconds for status, seconds in answers if status == 200]
    refused = sum(1 for status, _ in answers if status == 503)
    other = len(answers) - len(ok) - refused
    settings = {k: v for k, v in os.environ.items() if k.startswith("TRACKER_PDF_")} or "defaults"
    print(f"PDF settings: {settings}")
    print(f"{len(answers)} PDFs asked for, {args.at_once} at a time, in {wall:.1f} s")
    print(f"  made: {len(ok)}, refused (503): {refused}, other failures: {other}")
    if ok:
        q = statistics.quantiles(ok, n=20) if len(ok) > 1 else [ok[0]] * 19
        median, slowest = statistics.median(ok), max(ok)
        print(f"  seconds per PDF: median {median:.2f}, p95 {q[18]:.2f}, max {slowest:.2f}")
    print(f"  worker replaced: {'yes' if replaced else 'no'}, processes left behind: {len(left)}")
    return 0 if len(ok) == len(answers) and not replaced and not left else 1


if __name__ == "__main__":
    sys.exit(main())
