"""The Bedarfsregister: a needs tracker for the weekly meeting of business networks."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from flask import Flask, flash, jsonify, redirect, request, url_for
from flask_login import login_url
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.config import Config, env_overrides
from tracker.db import alembic_render_item, configure_sqlite, db, watch_writes
from tracker.extensions import babel, bootstrap, csrf, login_manager, migrate
from tracker.forms_support import CleanedRequest

ROOT = Path(__file__).resolve().parent.parent
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def create_app(config_class: type = Config, instance_path: str | None = None, **overrides) -> Flask:
    """Build the application: config class, instance/config.py, TRACKER_* vars, overrides."""
    app = Flask(
        __name__,
        instance_path=instance_path
        or os.environ.get("TRACKER_INSTANCE_PATH")
        or str(ROOT / "instance"),
        instance_relative_config=True,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
    )
    app.request_class = CleanedRequest
    app.config.from_object(config_class)
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(env_overrides())
    if app.config.get("DATABASE_URL"):  # TRACKER_DATABASE_URL, the documented name
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)
    if app.config.get("PROXY_FIX"):  # the number of proxies in front, which set X-Forwarded-*
        count = int(app.config["PROXY_FIX"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    register_secret_key(app)
    register_database(app)
    register_extensions(app)
    register_blueprints(app)
    from tracker import (
        api,
        caching,
        cli,
        errors,
        i18n,
        limits,
        mail,
        security,
        templating,
        webhooks,
    )
    from tracker.auth import sessions

    caching.init_app(app)
    limits.init_app(app)
    sessions.init_app(app)
    i18n.init_app(app)  # after the session check: an ended session's language is the browser's
    errors.init_app(app)
    security.init_app(app)
    templating.init_app(app)
    cli.init_app(app)
    mail.init_app(app)
    api.init_app(app)
    webhooks.init_app(app)
    register_listeners(app)
    return app


def register_listeners(app: Flask) -> None:
    """Connect the features that listen to domain events (tracker/events.py), and hand the
    rules of higher packages down to the lower ones that use them (tracker/providers.py)."""
    from tracker import notifications, providers
    from tracker.items import company_visibility
    from tracker.meetings import item_changes, mails
    from tracker.meetings.services import next_meeting_date
    from tracker.search.services import item_match, query_problem

    item_changes.init_app(app)
    notifications.init_app(app)
    mails.init_app(app)
    providers.provide(app, providers.ITEM_TEXT_MATCH, item_match)
    providers.provide(app, providers.TEXT_PROBLEM, query_problem)
    providers.provide(app, providers.NEXT_MEETING_DATE, next_meeting_date)
    providers.provide(app, providers.HIDDEN_COMPANIES, company_visibility.hidden_company_ids)
    providers.provide(app, providers.HIDDEN_CONTACTS, company_visibility.hidden_contact_ids)


def register_secret_key(app: Flask) -> None:
    """Use the configured key, else one generated once into the instance folder."""
    if app.config.get("SECRET_KEY"):
        return
    path = Path(app.instance_path) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        app.config["SECRET_KEY"] = path.read_text().strip()
        return
    key = secrets.token_hex(32)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    app.config["SECRET_KEY"] = key


def register_database(app: Flask) -> None:
    """Point SQLAlchemy at TRACKER_DATABASE_URL, or at the SQLite file in the instance folder."""
    from tracker.search import index as search_index

    url = app.config.get("SQLALCHEMY_DATABASE_URI")
    if not url:
        url = "sqlite:///" + str(Path(app.instance_path) / "tracker.sqlite3")
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    db.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        watch_writes(db.engine, strict=app.config["STRICT_UNIT_OF_WORK"])
        search_index.init_app(app, db.engine)  # before the first connection: its stemmer


def register_extensions(app: Flask) -> None:
    """Attach the unbound extensions."""
    from tracker.auth.sessions import load_user
    from tracker.i18n import select_locale

    csrf.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(__file__).parent / "migrations"),
        render_as_batch=True,
        compare_type=True,
        render_item=alembic_render_item,
    )
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )
    bootstrap.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(_unauthorized)


def _unauthorized():
    """Background requests and API clients get 401; pages redirect to the login form."""
    from tracker.errors import wants_json
    from tracker.i18n import _
    from tracker.routing import is_fetch

    if is_fetch() or wants_json():
        return jsonify(error={"status": 401, "message": _("Please log in.")}), 401
    flash(_("Please log in to see this page."), "info")
    return redirect(login_url(url_for("auth.login"), next_url=request.full_path.rstrip("?")))


def register_blueprints(app: Flask) -> None:
    """Mount one blueprint per area."""
    from tracker import routing

    routing.init_app(app)  # before the routes: their <int:...> are then ids
    from tracker import settings as _settings  # noqa: F401
    from tracker.admin.views import bp as admin_bp
    from tracker.audit import models as _audit_models  # noqa: F401
    from tracker.auth.views import bp as auth_bp
    from tracker.dashboard.company_views import bp as companies_bp
    from tracker.dashboard.network_views import bp as networks_bp
    from tracker.dashboard.views import bp as dashboard_bp
    from tracker.health import bp as health_bp
    from tracker.imports.views import bp as imports_bp
    from tracker.items.views import bp as items_bp
    from tracker.meetings.export_views import bp as meeting_exports_bp
    from tracker.meetings.views import bp as meetings_bp
    from tracker.privacy.views import bp as privacy_bp
    from tracker.reports.views import bp as reports_bp
    from tracker.search.views import bp as search_bp
    from tracker.submissions import models as _submission_models  # noqa: F401

    for blueprint in (
        auth_bp,
        dashboard_bp,
        items_bp,
        companies_bp,
        networks_bp,
        admin_bp,
        health_bp,
        meetings_bp,
        meeting_exports_bp,
        reports_bp,
        imports_bp,
        search_bp,
        privacy_bp,
    ):
        app.register_blueprint(blueprint)
