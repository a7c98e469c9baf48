"""How long requests hold SQLite's write lock: `python -m bench.locks`.

Serves the app (test client) on a fresh SQLite file with production-strength password
hashing, and for each scenario sums the time from every ``BEGIN IMMEDIATE`` to its commit or
rollback, over ``--repeat`` requests: a failed login, a reset request with the mail
sender's delivery of its mail (the SMTP server answers after ``--mail-delay`` seconds), a
comment on an item, a quick-add in a meeting.
Prints the median and the largest hold per request and how often the lock was taken.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from datetime import time as clock_time
from pathlib import Path

from aiosmtpd.controller import Controller
from flask_migrate import upgrade
from sqlalchemy import event

from bench.server import free_port
from tracker import create_app
from tracker.config import TestingConfig
from tracker.db import db

PASSWORD = "correct horse battery staple"  # noqa: S105 - the benchmark's own accounts


class SlowSink:
    """An SMTP server that takes its time to accept a mail."""

    def __init__(self, delay: float):
        self.delay = delay

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        await asyncio.sleep(self.delay)
        return "250 OK"


class LockClock:
    """Measures each write transaction of the engine from BEGIN IMMEDIATE to its end."""

    def __init__(self, engine):
        self.holds: list[float] = []
        self._since: float | None = None
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "commit", self._end)
        event.listen(engine, "rollback", self._end)

    def _before(self, _conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN IMMEDIATE"):
            self._since = time.perf_counter()

    def _end(self, _conn):
        if self._since is not None:
            self.holds.append(time.perf_counter() - self._since)
            self._since = None

    def take(self) -> list[float]:
        holds, self.holds = self.holds, []
        return holds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.locks")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--mail-delay", type=float, default=3.0)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="bench-locks-"))
    smtp = Controller(SlowSink(args.mail_delay), hostname="127.0.0.1", port=free_port())
    smtp.start()
    app = create_app(
        TestingConfig,
        instance_path=str(folder / "instance"),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{folder / 'locks.sqlite3'}",
        PASSWORD_HASH_METHOD="pbkdf2:sha256:600000",  # noqa: S106 - production's hashing
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=smtp.port,
        WTF_CSRF_ENABLED=False,
    )
    with app.app_context():
        upgrade()
        scenarios = _scenarios(app)
        db.session.remove()  # requests below run in their own app contexts and sessions
        clock = LockClock(db.engine)
    _measure(clock, scenarios, args.repeat)
    smtp.stop()
    return 0


def _measure(clock: LockClock, scenarios: dict, repeat: int) -> None:
    print(f"{'scenario':28} {'requests':>8} {'locks':>6} {'median ms':>10} {'max ms':>8}")
    for name, request in scenarios.items():
        clock.take()
        per_request, locks = [], 0
        for _ in range(repeat):
            request()
            holds = clock.take()
            locks += len(holds)
            per_request.append(sum(holds))
        median, most = statistics.median(per_request) * 1000, max(per_request) * 1000
        print(f"{name:28} {repeat:8} {locks:6} {median:10.1f} {most:8.1f}")


def _scenarios(app) -> dict:
    from tracker.auth import services as users
    from tracker.auth.models import UserRole
    from tracker.companies import services as companies
    from tracker.items import services as items
    from tracker.items.models import ItemKind
    from tracker.mail import sender
    from tracker.meetings import series as series_services
    from tracker.meetings import services as meetings
    from tracker.networks import services as networks

    office = users.create_user(actor=None, email="office@example.org", name="Olga Office",
                               password=PASSWORD, role=UserRole.ADMIN)  # fmt: skip
    network = networks.save_network(actor=office, network=None, expected_version=None,
                                    name="Alpha", short_name="Alpha")  # fmt: skip
    manager = users.create_user(actor=None, email="anna@example.org", name="Anna Alpha",
                                password=PASSWORD, role=UserRole.MANAGER,
                                network=network)  # fmt: skip
    company = companies.create_company(actor=manager, name="Optik AG")
    item = items.create_item(actor=manager, title="Partner gesucht", kind=ItemKind.NEED,
                             company=company, reporting_network=network)  # fmt: skip
    series = series_services.save_series(
        actor=office, name="Runde", weekday=3, start_time=clock_time(10, 0), duration_minutes=90,
        timezone="Europe/Berlin", video_link="", standing_topics_start="", standing_topics_end="",
    )  # fmt: skip
    meeting = meetings.upcoming(series)
    db.session.commit()
    ids = {"item": item.id, "meeting": meeting.id}
    guest, member = app.test_client(), app.test_client()
    logged_in = member.post("/login", data={"email": "anna@example.org", "password": PASSWORD})
    assert logged_in.status_code == 302, logged_in.status_code
    counter = iter(range(10**6))

    def failed_login():
        guest.post("/login", data={"email": "anna@example.org", "password": "wrong" * 3})

    def reset_request():  # the request queues the mail; the sender delivers it
        guest.post("/password/forgot", data={"email": "anna@example.org"}).close()
        with app.app_context():
            sender.deliver_due()

    def comment():
        answer = member.post(f"/items/{ids['item']}/comments", data={"body": "Anruf erledigt"})
        assert answer.status_code in (200, 302), answer.status_code

    def quick_add():
        number = next(counter)
        member.post(f"/meetings/{ids['meeting']}/quick-add",
                    data={"title": f"Neu {number}", "company_name": f"Firma {number}",
                          "kind": "need"})  # fmt: skip

    return {
        "failed login": failed_login,
        "reset + its slow delivery": reset_request,
        "comment on an item": comment,
        "quick-add in a meeting": quick_add,
    }


if __name__ == "__main__":
    raise SystemExit(main())
