"""Profile one page in-process with pyinstrument, against a benchmark database.

    .venv/bin/python -m bench.profile --database sqlite:////tmp/b/bench.sqlite3 /items/
    .venv/bin/python -m bench.profile --database URL --repeat 50 --sql "/?x=1" /overview
    .venv/bin/python -m bench.profile --database URL --create --quiet

``--create`` posts the benchmark's new-item form instead of requesting pages (each
request creates an item).

Logs in as the first demo manager (or ``--email``), requests the page ``--repeat`` times
after one warm-up request and prints pyinstrument's call tree; ``--sql`` also prints each
statement of the last request with its time.
"""

from __future__ import annotations

import argparse
import os
import re
import time

from tracker.demo.data import DEMO_PASSWORD

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL of a seeded database")
    parser.add_argument("--email", default="hannes.heinrich@demo.example")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--sql", action="store_true", help="print the last request's statements")
    parser.add_argument("--quiet", action="store_true", help="times only, no call tree")
    parser.add_argument("--all", action="store_true", help="show library frames too")
    parser.add_argument("--create", action="store_true", help="post the new-item form")
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args(argv)
    if not args.paths and not args.create:
        parser.error("give a path or --create")

    os.environ["TRACKER_DATABASE_URL"] = args.database
    from pyinstrument import Profiler
    from sqlalchemy import event

    from tracker import create_app
    from tracker.db import db

    app = create_app()
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    answer = client.post(
        "/login", data={"csrf_token": token, "email": args.email, "password": DEMO_PASSWORD}
    )
    if answer.status_code != 302:
        raise SystemExit(f"login of {args.email} failed: {answer.status_code}")

    statements: list[tuple[float, str]] = []
    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _start(conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def _end(conn, cursor, statement, parameters, context, executemany):
        statements.append((time.perf_counter() - conn.info["bench_started"], statement))

    requests = [(path, lambda path=path: client.get(path)) for path in args.paths]
    if args.create:
        requests.append(("POST /items/new", _creation(client, args.database)))
    for path, request in requests:
        request()
        started = time.perf_counter()
        for _ in range(args.repeat):
            statements.clear()
            answer = request()
        per_request = (time.perf_counter() - started) / args.repeat * 1000
        sql = sum(seconds for seconds, _ in statements) * 1000
        size = len(answer.get_data()) / 1024
        print(
            f"== {path}: {answer.status_code}, {per_request:.1f} ms per request "
            f"({len(statements)} statements, {sql:.1f} ms), {size:.0f} KB"
        )
        if args.sql:
            for seconds, statement in statements:
                print(f"{seconds * 1000:7.2f} ms  {' '.join(statement.split())[:300]}")
        if args.quiet:
            continue
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(args.repeat):
                statements.clear()
                request()
        print(profiler.output_text(unicode=True, color=False, show_all=args.all))


def _creation(client, database: str):
    """A request that posts the benchmark's new-item form with the form's token."""
    from bench.database import pick_targets
    from bench.pages import creation_form

    form = creation_form(pick_targets(database))
    form["csrf_token"] = CSRF.search(client.get("/items/new").get_data(as_text=True)).group(1)
    cookie = client.get_cookie("session")

    def post():
        # As in the benchmark: each post starts from the session the form left, without
        # the confirmation messages of the posts before.
        client.set_cookie("session", cookie.value)
        return client.post("/items/new", data=form)

    return post


if __name__ == "__main__":
    main()
