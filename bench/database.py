"""The benchmark's database: a fresh SQLite file, or a recreated PostgreSQL schema; seeding."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from bench.server import ROOT

SEED_ARGS = ("--items", "--companies", "--meetings", "--users", "--seed")


def sqlite_url(folder: Path) -> str:
    return "sqlite:///" + str(folder / "bench.sqlite3")


def check_postgresql(url: URL) -> None:
    """Refuse databases that are not meant for the benchmark: their schema is dropped."""
    if "bench" not in (url.database or ""):
        raise SystemExit(
            f"refusing to drop the schema of {url.database!r}: "
            "the benchmark database's name must contain 'bench' (e.g. tracker_bench)"
        )


def reset_postgresql(url: URL) -> None:
    """Create the benchmark database if missing, then drop and recreate its public schema."""
    check_postgresql(url)
    maintenance = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with maintenance.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
        )
    maintenance.dispose()
    if not exists:
        _createdb(url)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _createdb(url: URL) -> None:
    if not shutil.which("createdb"):
        raise SystemExit(f"database {url.database} is missing and createdb is not installed")
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    command = ["createdb", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432)]
    if url.username:
        command += ["-U", url.username]
    subprocess.run([*command, url.database], check=True, env=env)


def prepare(url: str) -> None:
    """Empty the database at ``url``: a missing SQLite file, or a fresh PostgreSQL schema."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        reset_postgresql(parsed)
    elif parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        raise SystemExit(f"unsupported database {parsed.get_backend_name()}")


def flask(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """Run ``flask --app wsgi ARGS`` against the benchmark's database."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def seed(env: dict[str, str], options: dict[str, int]) -> float:
    """Apply the migrations, then seed the demo data; return the seed command's seconds."""
    flask(env, "db", "upgrade")
    args = [str(part) for name in SEED_ARGS for part in (name, options[name[2:]])]
    started = time.perf_counter()
    flask(env, "demo", "seed", *args)
    return time.perf_counter() - started


def settle(url: str) -> str:
    """Bring fresh bulk-loaded data to the state a server reaches by itself; say what was done.

    PostgreSQL's autovacuum would analyse the new tables and set their visibility map a
    little after the load (and is off on some servers); the benchmark does it at once, so
    that plans rest on statistics. SQLite is left as the app leaves it: without ANALYZE.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return "no ANALYZE (as the app leaves it)"
    engine = create_engine(parsed, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("VACUUM (ANALYZE)"))
    finally:
        engine.dispose()
    return "VACUUM (ANALYZE) after seeding"


@dataclass
class Targets:
    """What the pages are measured on, picked from the seeded data by fixed rules."""

    manager_email: str
    network_id: int
    item_id: int
    activities: int
    meeting_id: int
    entries: int
    company_name: str
    topic_id: int
    rare_word: str


# The first demo manager in roll-call order (the one the demo logins show first).
MANAGER = text(
    "SELECT u.email, u.network_id FROM users u JOIN networks n ON n.id = u.network_id "
    "WHERE u.role = 'manager' AND u.active ORDER BY n.roll_call_position, u.id LIMIT 1"
)
# The non-confidential item with the longest timeline.
LONGEST_TIMELINE = text(
    "SELECT a.item_id, count(*) FROM activities a JOIN items i ON i.id = a.item_id "
    "WHERE NOT i.confidential GROUP BY a.item_id ORDER BY count(*) DESC, a.item_id LIMIT 1"
)
# The next planned meeting; the seeder gives it about 100 item entries.
NEXT_MEETING = text(
    "SELECT m.id, count(e.id) FROM meetings m JOIN agenda_entries e ON e.meeting_id = m.id "
    "WHERE m.status = 'planned' GROUP BY m.id, m.starts_at ORDER BY m.starts_at LIMIT 1"
)
COMPANY_ITEMS = text(
    "SELECT c.name, count(i.id) FROM companies c JOIN items i ON i.company_id = c.id "
    "GROUP BY c.id, c.name"
)
FIRST_TOPIC = text("SELECT id FROM topics WHERE active ORDER BY name LIMIT 1")


def rare_word(rows) -> str:
    """The first word of company names that the fewest items carry (at least one)."""
    counts: dict[str, int] = {}
    for name, items in rows:
        word = name.split()[0]
        if word.isalpha() and len(word) >= 5:
            counts[word] = counts.get(word, 0) + items
    return min(sorted(counts), key=lambda word: counts[word])


def pick_targets(url: str) -> Targets:
    """Pick the manager, item, meeting and words the benchmark uses."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            email, network_id = conn.execute(MANAGER).one()
            item_id, activities = conn.execute(LONGEST_TIMELINE).one()
            meeting_id, entries = conn.execute(NEXT_MEETING).one()
            companies = conn.execute(COMPANY_ITEMS).all()
            topic_id = conn.scalar(FIRST_TOPIC)
    finally:
        engine.dispose()
    return Targets(
        manager_email=email,
        network_id=network_id,
        item_id=item_id,
        activities=activities,
        meeting_id=meeting_id,
        entries=entries,
        company_name=max(companies, key=lambda row: (row[1], row[0]))[0],
        topic_id=topic_id,
        rare_word=rare_word(companies),
    )


def describe(url: str) -> str:
    """The database's kind and version, its URL without password."""
    parsed = make_url(url)
    engine = create_engine(parsed)
    try:
        with engine.connect() as conn:
            if parsed.get_backend_name() == "postgresql":
                version = "PostgreSQL " + conn.scalar(text("SHOW server_version"))
                settings = ("autovacuum", "jit", "shared_buffers", "work_mem")
                version += ", " + ", ".join(
                    f"{name} {conn.scalar(text('SHOW ' + name))}" for name in settings
                )
            else:
                version = "SQLite " + conn.scalar(text("SELECT sqlite_version()"))
    finally:
        engine.dispose()
    return f"{version} ({parsed.render_as_string(hide_password=True)})"
