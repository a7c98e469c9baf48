"""Mail delivery: `python -m bench.mail` (after `make install-test`).

Creates a fresh database (a temporary SQLite file, or ``--database`` PostgreSQL whose name
contains "bench"), makes ``--messages`` users and queues a password-reset mail for each
(the outbox rows of one unit of work), then runs the real sender, ``flask --app wsgi mail
deliver --once``, against an aiosmtpd server on 127.0.0.1 and times it. With ``--senders
2`` two sender processes run at once; the server counts duplicates. Then the outage
scenario: the server is stopped, the same number is queued and the sender runs while it
is down; the server is started again and the sender delivers the backlog.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.database import ROOT, flask, prepare, sqlite_url
from bench.server import free_port
from tests.mail_server import MailServer


def _env(url: str, instance: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "TRACKER_DATABASE_URL": url,
        "TRACKER_INSTANCE_PATH": str(instance),
        "TRACKER_MAIL_SERVER": "127.0.0.1",
        "TRACKER_MAIL_PORT": str(port),
        "TRACKER_MAIL_BATCH": "100",
    }


QUEUE = """
import sys, time
from wsgi import app
from tracker import events
from tracker.auth.models import User
from tracker.db import db, unit_of_work
count, prefix = int(sys.argv[1]), sys.argv[2]
with app.app_context():
    with unit_of_work() as session:
        session.add_all(User(email=f"{prefix}{n}@example.org", name=f"Person {n}",
                             password_hash="-", locale="de" if n % 2 else "en")
                        for n in range(count))
    users = db.session.scalars(db.select(User).where(User.email.like(f"{prefix}%"))).all()
    started = time.perf_counter()
    with unit_of_work():
        for user in users:
            events.password_reset_requested.send(user)
    print(time.perf_counter() - started)
"""


def _queue(env: dict[str, str], count: int, prefix: str) -> float:
    run = subprocess.run(
        [sys.executable, "-c", QUEUE, str(count), prefix],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return float(run.stdout.strip().splitlines()[-1])


def _deliver(env: dict[str, str], senders: int) -> float:
    started = time.perf_counter()
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "mail", "deliver", "--once"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(senders)
    ]
    for process in processes:
        process.wait(timeout=600)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.mail", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--messages", type=int, default=500)
    parser.add_argument("--senders", type=int, default=1)
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-mail-") as folder:
        instance = Path(folder)
        url = args.database or sqlite_url(instance)
        if args.database and "bench" not in url:
            raise SystemExit("the database's name must contain 'bench'")
        prepare(url)
        server = MailServer(free_port()).start()
        env = _env(url, instance, server.port)
        flask(env, "db", "upgrade")
        queued = _queue(env, args.messages, "a")
        seconds = _deliver(env, args.senders)
        received = Counter(str(m["To"]) for m in server.messages)
        print(f"database: {url.split('@')[-1]}")
        print(f"queued {args.messages} messages in one unit of work: {queued * 1000:.0f} ms")
        print(
            f"delivered by {args.senders} sender(s): {len(server.messages)} received in "
            f"{seconds:.1f} s ({len(server.messages) / seconds:.0f}/s, process start included), "
            f"{sum(c - 1 for c in received.values())} duplicates"
        )
        server.stop()
        _queue(env, args.messages, "b")
        down = _deliver(env, 1)
        during = len(server.messages)
        server.start()
        back = _deliver(env, 1)
        after = Counter(str(m["To"]) for m in server.messages)
        print(
            f"outage: the sender ran {down:.1f} s against a stopped server "
            f"({during - len(received)} delivered meanwhile); once it was back, "
            f"{len(server.messages) - during} delivered in {back:.1f} s, "
            f"{sum(c - 1 for c in after.values())} duplicates in all"
        )
        server.stop()
        status = flask(env, "mail", "status").stdout
        print("outbox:", " ".join(status.split()))


if __name__ == "__main__":
    main()
