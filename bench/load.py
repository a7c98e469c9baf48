"""The load client: threads, each with its own keep-alive connection, for a fixed time."""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.client import Answer, Session


@dataclass
class Page:
    """One measured request, and the budgets its latencies must meet (ms)."""

    name: str
    path: str
    method: str = "GET"
    expect: int = 200
    form: dict | None = None  # POST body; the session's CSRF token is added
    form_page: str | None = None  # the form page that gives the CSRF token
    p50_budget: float | None = None
    p95_budget: float | None = None
    # Sent by one more connection, ``writes_per_second`` times a second, while this page is
    # measured: every write raises the data revision, so the cached pages are built anew.
    writer: Page | None = None
    writes_per_second: float = 0.0


@dataclass
class Run:
    """The timings of one phase: latencies in ms, failures, volume and duration."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def add(self, answer: Answer, expect: int) -> None:
        self.latencies.append(answer.seconds * 1000)
        self.bytes += len(answer.body)
        if answer.status != expect:
            self.errors += 1

    def merge(self, other: Run) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.bytes += other.bytes

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile of the latencies in ms (NaN without requests)."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    @property
    def rps(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


@dataclass
class Measurement:
    """A page under load, its single-connection latencies, and the machine's load."""

    page: Page
    load: Run
    single: Run
    loadavg: float
    writes: Run | None = None  # the writer's requests, when the page has one


def loadavg() -> float:
    """The one-minute load average of the machine."""
    return os.getloadavg()[0]


class Bench:
    """Measure pages of one server: warm-up, one connection, then ``concurrency`` ones."""

    def __init__(
        self,
        port: int,
        cookies: dict[str, str],
        *,
        concurrency: int = 8,
        seconds: float = 5.0,
        single_seconds: float = 2.0,
        warmup: int = 20,
    ):
        self.port = port
        self.cookies = cookies
        self.concurrency = concurrency
        self.seconds = seconds
        self.single_seconds = single_seconds
        self.warmup = warmup

    def measure(self, page: Page) -> Measurement:
        connections = self.concurrency + (1 if page.writer else 0)
        sessions = [Session(self.port, self.cookies) for _ in range(connections)]
        writer = _Writer(page, self._sender(page.writer, sessions[-1])) if page.writer else None
        try:
            send = [self._sender(page, session) for session in sessions[: self.concurrency]]
            per_thread = math.ceil(self.warmup / self.concurrency)
            self._threads(send, lambda s, run: self._count(s, run, page, per_thread))
            if writer:
                writer.start()
            single = Run()
            if self.single_seconds > 0:
                single = self._timed(send[:1], page, self.single_seconds)
            load = self._timed(send, page, self.seconds)
        finally:
            writes = writer.stop() if writer else None
            for session in sessions:
                session.close()
        return Measurement(page, load, single, loadavg(), writes)

    def _sender(self, page: Page, session: Session) -> Callable[[], Answer]:
        if page.method == "GET":
            return lambda: session.request("GET", page.path)
        form = dict(page.form or {})
        if page.form_page:
            form["csrf_token"] = session.csrf_token(page.form_page)
        cookies = dict(session.cookies)

        def send() -> Answer:
            # Each post starts from the session as the form left it. A browser follows the
            # redirect, and the page it lands on takes the confirmation message out of the
            # session; kept here, a hundred of them would pile up in the cookie.
            session.cookies = dict(cookies)
            return session.request(page.method, page.path, form)

        return send

    @staticmethod
    def _count(send: Callable[[], Answer], run: Run, page: Page, n: int) -> None:
        for _ in range(n):
            run.add(send(), page.expect)

    def _timed(self, senders: list[Callable[[], Answer]], page: Page, seconds: float) -> Run:
        """Send requests until ``seconds`` have passed; the throughput counts to the last answer."""
        started = time.perf_counter()
        deadline = started + seconds

        def loop(send: Callable[[], Answer], run: Run) -> None:
            while time.perf_counter() < deadline:
                run.add(send(), page.expect)

        total = self._threads(senders, loop)
        total.seconds = time.perf_counter() - started
        return total

    @staticmethod
    def _threads(senders: list[Callable[[], Answer]], work: Callable) -> Run:
        runs = [Run() for _ in senders]
        threads = [
            threading.Thread(target=work, args=(send, run), daemon=True)
            for send, run in zip(senders, runs, strict=True)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        total = Run()
        for run in runs:
            total.merge(run)
        return total


class _Writer(threading.Thread):
    """Sends the page's writer request at a steady rate until stopped."""

    def __init__(self, page: Page, send: Callable[[], Answer]):
        super().__init__(daemon=True)
        self.expect = page.writer.expect
        self.interval = 1 / page.writes_per_second
        self.send = send
        self.run_ = Run()
        self.stopped = threading.Event()

    def run(self) -> None:
        started = time.perf_counter()
        while not self.stopped.is_set():
            self.run_.add(self.send(), self.expect)
            # The next write is due one interval after this one was due, not after it ended.
            due = started + self.run_.count * self.interval
            self.stopped.wait(max(0.0, due - time.perf_counter()))

    def stop(self) -> Run:
        self.stopped.set()
        if self.is_alive():
            self.join()
        return self.run_
