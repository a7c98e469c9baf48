"""Demo data commands: ``flask --app wsgi demo seed`` and ``demo ensure``."""

from __future__ import annotations

import time
from datetime import datetime

import click
from flask.cli import AppGroup

from tracker.db import unit_of_work
from tracker.demo import data
from tracker.demo.seed import (
    SeedOptions,
    demo_admin_exists,
    demo_managers,
    has_data,
    min_users,
    seed_demo,
)

demo_cli = AppGroup("demo", help="Demo data.")
DEMO_MEETINGS = 8  # held meetings in the data set of `demo ensure`

NOT_EMPTY = (
    "The database already has networks or users; demo data is only loaded into an empty database."
)


def _seed(options: SeedOptions) -> str:
    """Seed and commit; return a summary with the time it took."""
    started = time.perf_counter()
    with unit_of_work():
        c = seed_demo(options)
    return (
        f"Seeded {c['items']} items, {c['companies']} companies ({c['contacts']} contacts), "
        f"{c['networks']} networks, {c['users']} users, {c['topics']} new topics, "
        f"{c['activities']} activities and {c['meetings']} meetings "
        f"in {time.perf_counter() - started:.1f} s."
    )


def echo_logins() -> None:
    """Print the demo logins in a block marked as demo data."""
    password = data.DEMO_PASSWORD
    lines = [
        "==== DEMO DATA (not for production) ====",
        f"Koordinierungsstelle (admin): {data.ADMIN_EMAIL} / {password}",
        f"Beobachter·in (observer):     {data.OBSERVER_EMAIL} / {password}",
    ]
    for index, (email, network) in enumerate(demo_managers()):
        label = "Netzwerkmanager·in (manager):" if index == 0 else " " * 29
        lines.append(f"{label} {email} / {password} (network {network})")
    lines += [
        f"Every demo user has the password {password}.",
        "The coordination office sets up a second factor (authenticator app) at its first login.",
        "=" * 40,
    ]
    click.echo("\n".join(lines))


@demo_cli.command("seed")
@click.option(
    "--items", type=click.IntRange(min=0), default=150, show_default=True, help="Number of items."
)
@click.option(
    "--companies",
    type=click.IntRange(min=1),
    default=40,
    show_default=True,
    help="Number of companies.",
)
@click.option(
    "--meetings",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Number of held meetings of the weekly series (the next one is added).",
)
@click.option(
    "--users",
    type=click.IntRange(min=min_users()),
    help="Number of users: the admin, the observer and managers spread over the 19 networks. "
    "Default: one or two managers a network, three from 10,000 items on.",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed: the same seed and date give the same data.",
)
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Anchor date YYYY-MM-DD of the data set; default today in Europe/Berlin.",
)
def seed_command(
    items: int,
    companies: int,
    meetings: int,
    users: int | None,
    seed: int,
    today: datetime | None,
) -> None:
    """Fill an empty database with reproducible demo data."""
    if has_data():
        raise click.ClickException(NOT_EMPTY)
    options = SeedOptions(
        items=items,
        companies=companies,
        meetings=meetings,
        seed=seed,
        today=today.date() if today else None,
        users=users,
    )
    summary = _seed(options)
    echo_logins()
    click.echo(summary)


@demo_cli.command("ensure")
def ensure_command() -> None:
    """Load the default demo data if the database is empty, and print the demo logins."""
    if has_data():
        click.echo("Demo data not loaded: the database is not empty.")
        if demo_admin_exists():
            echo_logins()
        return
    summary = _seed(SeedOptions(meetings=DEMO_MEETINGS))
    echo_logins()
    click.echo(summary)
