"""Run the benchmark: seed a fresh database, serve it with gunicorn, measure, print the tables.

python -m bench.run [--database URL] [--seconds 5] [--only NAME] [--output FILE]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from bench import database, live, pages, report
from bench.client import Session
from bench.load import Bench, Measurement, loadavg
from bench.server import ROOT, Gunicorn
from tracker.demo.data import DEMO_PASSWORD


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--database",
        default=os.environ.get("BENCH_DATABASE_URL"),
        help="SQLAlchemy URL; default a fresh SQLite file. A PostgreSQL database's schema is "
        "dropped and recreated; its name must contain 'bench' (env: BENCH_DATABASE_URL)",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the data already in --database instead of seeding it afresh",
    )
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--companies", type=int, default=10_000)
    parser.add_argument("--meetings", type=int, default=500)
    parser.add_argument("--users", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--concurrency", type=int, default=8, help="concurrent connections")
    parser.add_argument("--seconds", type=float, default=5.0, help="per page under load")
    parser.add_argument(
        "--single-seconds", type=float, default=2.0, help="per page on one connection (0: skip)"
    )
    parser.add_argument("--warmup", type=int, default=20, help="requests before measuring")
    parser.add_argument("--pdf-requests", type=int, default=5)
    parser.add_argument("--common-word", default=pages.COMMON_WORD)
    parser.add_argument("--only", action="append", help="measure pages whose name contains this")
    parser.add_argument(
        "--without-cache",
        action="store_true",
        help="serve with FRAGMENT_CACHE_SECONDS=0: every page rendered from the database",
    )
    parser.add_argument("--output", type=Path, help="also write the report to this file")
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 when a budget is missed"
    )
    args = parser.parse_args(argv)
    if args.reuse and not args.database:
        parser.error("--reuse needs --database")
    return args


def say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


class Benchmark:
    """One run: database, servers, measurements, report."""

    def __init__(self, args: argparse.Namespace, folder: Path):
        self.args = args
        self.url = args.database or database.sqlite_url(folder)
        self.env = {
            **os.environ,
            "TRACKER_DATABASE_URL": self.url,
            "TRACKER_INSTANCE_PATH": str(folder / "instance"),
        }
        if args.without_cache:
            self.env["TRACKER_FRAGMENT_CACHE_SECONDS"] = "0"
        self.figures: list[report.Figure] = []
        self.loads: list[float] = [loadavg()]
        self.started = datetime.now().astimezone()
        self.settled = "data as found (--reuse)"

    def seed(self) -> None:
        if self.args.reuse:
            say("using the data already in the database")
            return
        say(f"preparing {make_url(self.url).render_as_string(hide_password=True)}")
        database.prepare(self.url)
        names = ("items", "companies", "meetings", "users")
        options = {name: getattr(self.args, name) for name in names}
        options["seed"] = self.args.seed
        seconds = database.seed(self.env, options)
        say(f"seeded in {seconds:.1f} s")
        self.settled = database.settle(self.url)
        self.figures.append(
            report.Figure(
                f"seed {self.args.items:,} items (flask demo seed)",
                f"{seconds:.1f} s",
                f"≤ {pages.SEED_SECONDS:.0f} s",
                seconds <= pages.SEED_SECONDS,
            )
        )

    def bench(self, port: int, cookies: dict[str, str]) -> Bench:
        a = self.args
        return Bench(
            port,
            cookies,
            concurrency=a.concurrency,
            seconds=a.seconds,
            single_seconds=a.single_seconds,
            warmup=a.warmup,
        )

    def measure_reference(self) -> Measurement:
        with Gunicorn("bench.reference_app:app", self.env, self.args.workers) as server:
            return self._measure(self.bench(server.port, {}), pages.reference())

    def _measure(self, bench: Bench, page) -> Measurement:
        m = bench.measure(page)
        self.loads.append(m.loadavg)
        say(
            f"{page.name:<36} p50 {m.load.percentile(50):7.1f} ms  p95 "
            f"{m.load.percentile(95):7.1f} ms  {m.load.rps:7.1f}/s  errors {m.load.errors}"
        )
        return m

    def measure_app(self, targets: database.Targets) -> list[Measurement]:
        wanted = pages.pages(targets, self.args.common_word)
        if not self.args.without_cache:  # without it, every request is a miss anyway
            wanted += pages.under_writes(targets)
        if self.args.only:
            wanted = [p for p in wanted if any(o in p.name for o in self.args.only)]
        with Gunicorn("wsgi:app", self.env, self.args.workers, probe="/healthz") as server:
            login = Session(server.port)
            login.login(targets.manager_email, DEMO_PASSWORD)
            if any(page.path.endswith("/live/fragment") for page in wanted):
                polls = pages.live_polls(live.prepare_poll(login, targets.meeting_id))
                at = next(i for i, p in enumerate(wanted) if p.path.endswith("/live/fragment"))
                wanted[at + 1 : at + 1] = polls
            bench = self.bench(server.port, login.cookies)
            measured = [self._measure(bench, page) for page in wanted]
            if not self.args.only:
                self._pdf(server.port, login.cookies, targets)
            self._memory(server)
        return measured

    def _pdf(self, port: int, cookies: dict[str, str], targets: database.Targets) -> None:
        page = pages.agenda_pdf(targets)
        session = Session(port, cookies)
        session.request("GET", page.path)  # warm-up: fonts and templates load once
        answers = [session.request("GET", page.path) for _ in range(self.args.pdf_requests)]
        session.close()
        seconds = [a.seconds for a in answers]
        ok = all(a.status == 200 and a.body.startswith(b"%PDF") for a in answers)
        self.figures.append(
            report.Figure(
                f"agenda PDF, {targets.entries} entries ({len(seconds)} requests)",
                f"median {statistics.median(seconds):.2f} s, max {max(seconds):.2f} s, "
                f"{len(answers[-1].body) / 1024:.0f} KB" + ("" if ok else ", FAILED"),
                f"≤ {pages.PDF_SECONDS:.0f} s each",
                ok and max(seconds) <= pages.PDF_SECONDS,
            )
        )

    def _memory(self, server: Gunicorn) -> None:
        sizes = server.worker_rss_mb()
        self.figures.append(
            report.Figure(
                "worker RSS after the run (VmRSS)",
                ", ".join(f"{size:.0f} MB" for size in sizes),
                f"≤ {pages.RSS_MB:.0f} MB each",
                bool(sizes) and max(sizes) <= pages.RSS_MB,
            )
        )
        helpers = server.helper_rss_mb()
        self.figures.append(
            report.Figure(
                "RSS of processes the workers left running",
                ", ".join(f"{size:.0f} MB" for size in helpers) or "none running",
                "–",
                None,
            )
        )

    def header(self, targets: database.Targets) -> str:
        a = self.args
        loads = self.loads + [loadavg()]
        return "\n".join(
            [
                f"- date: {self.started:%Y-%m-%d %H:%M %Z}",
                f"- machine: {report.machine()}",
                f"- code: {report.source(ROOT)}",
                f"- load average (1 min) during the run: start {loads[0]:.2f}, "
                f"max {max(loads):.2f}, end {loads[-1]:.2f}",
                f"- database: {database.describe(self.url)}; {self.settled}",
                f"- data: demo seed --items {a.items} --companies {a.companies} "
                f"--meetings {a.meetings} --users {a.users} --seed {a.seed}",
                f"- server: gunicorn, {a.workers} sync workers, 127.0.0.1, fragment cache "
                f"{'off (--without-cache)' if a.without_cache else 'on'}; client: "
                f"{a.concurrency} connections, {a.warmup} warm-up requests, {a.seconds:g} s "
                f"per page ({a.single_seconds:g} s on one connection before)",
                f"- logged in as {targets.manager_email} (manager); register filter "
                f"responsible={targets.network_id}; item {targets.item_id}; "
                f"meeting {targets.meeting_id}",
            ]
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    try:
        run = Benchmark(args, folder)
        run.seed()
        targets = database.pick_targets(run.url)
        reference = run.measure_reference()
        measured = run.measure_app(targets)
        text = "\n\n".join(
            part
            for part in [
                run.header(targets),
                report.page_table(reference, measured, args.concurrency),
                report.writes_table(measured),
                report.figure_table(run.figures),
            ]
            if part
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print(text)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    missed = [m for m in measured if not report.meets(m, m.load)]
    missed += [f for f in run.figures if f.met is False]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
