"""Command-line operations: ``flask --app wsgi users ...``, ``demo ...``."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from tracker.auth import services as users
from tracker.auth.models import User, UserRole
from tracker.db import db, unit_of_work
from tracker.exceptions import ServiceError
from tracker.networks.models import Network

users_cli = AppGroup("users", help="Manage users.")


def _network(short_name: str | None) -> Network | None:
    if not short_name:
        return None
    network = db.session.scalar(select(Network).where(Network.short_name == short_name))
    if network is None:
        raise click.BadParameter(f"no network with short name {short_name!r}")
    return network


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role", type=click.Choice([r.value for r in UserRole]), default="admin", show_default=True
)
@click.option("--network", "network_short", help="Short name of the manager's network.")
@click.password_option(help="At least 12 characters; asked for when not given.")
def create_user(email: str, name: str, role: str, network_short: str | None, password: str) -> None:
    """Create a user, for example the first admin."""
    try:
        checked = users.check_new_password(password, email=email, name=name)
        with unit_of_work():
            user = users.create_user(
                actor=None,
                email=email,
                name=name,
                password=checked,
                role=UserRole(role),
                network=_network(network_short),
            )
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Created {user.role.value} {user.email}.")


@users_cli.command("list")
def list_users() -> None:
    """List users with role, network and state."""
    for user in db.session.scalars(select(User).order_by(User.email)):
        network = user.network.short_name if user.network else "-"
        state = "active" if user.active else "inactive"
        click.echo(f"{user.email}\t{user.role.value}\t{network}\t{state}")


@users_cli.command("set-password")
@click.argument("email")
@click.password_option()
def set_password(email: str, password: str) -> None:
    """Set a user's password and end their sessions."""
    user = users.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user {email}")
    try:
        checked = users.check_new_password(password, email=user.email, name=user.name)
        with unit_of_work():
            users.set_password(user, checked)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"Password of {user.email} changed.")


@users_cli.command("reset-factors")
@click.argument("email")
def reset_factors(email: str) -> None:
    """Remove a user's second factors (lost device and codes) and end their sessions."""
    from tracker.auth import factors

    user = users.find_user_by_email(email)
    if user is None:
        raise click.ClickException(f"no user {email}")
    with unit_of_work():
        factors.reset_factors(user, actor=None)
    click.echo(f"Second factors of {user.email} removed; a new one is set up at the next login.")


def init_app(app: Flask) -> None:
    """Register the command groups."""
    from tracker.backup import backup_command
    from tracker.demo.cli import demo_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(backup_command)
