"""Configuration classes: safe defaults, overridden by instance/config.py and TRACKER_* vars."""

from __future__ import annotations

import json
import os
from datetime import timedelta

ENV_PREFIX = "TRACKER_"


class Config:
    """Production defaults. The secret key comes from the instance folder or the environment."""

    SECRET_KEY: str | None = None
    SQLALCHEMY_DATABASE_URI: str | None = None  # default: instance/tracker.sqlite3
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = 30_000
    DATABASE_URL: str | None = None  # alias read from TRACKER_DATABASE_URL

    # The initiative: author of the documents the app writes.
    ORGANISATION_NAME = "Cross-Cluster-Initiative Thüringen"

    BABEL_DEFAULT_LOCALE = "de"
    BABEL_DEFAULT_TIMEZONE = "Europe/Berlin"
    LANGUAGES = ("de", "en")

    PASSWORD_HASH_METHOD = "pbkdf2:sha256:600000"  # noqa: S105 - a method, not a secret
    PASSWORD_MIN_LENGTH = 12

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False  # set True behind HTTPS
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session: a meeting may take hours

    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    PROXY_FIX = 0  # behind a TLS-terminating proxy: 1 (trust its X-Forwarded-* headers)

    # Login limits, counted in the database (tracker/auth/attempts.py): every worker and
    # host shares them. Failed logins per account and address, per address for any
    # accounts, and reset links asked for per address.
    RATELIMIT_ENABLED = True
    LOGIN_RATE_LIMIT = "5 per minute"
    LOGIN_ADDRESS_RATE_LIMIT = "30 per minute"
    PASSWORD_RESET_RATE_LIMIT = "5 per minute"  # noqa: S105 - a rate, not a password

    # Second factor (tracker/auth/factors.py): the coordination office always needs one;
    # managers too when the office requires it on the users page (its default:
    # MFA_REQUIRED_FOR_MANAGERS). Wrong codes, recovery codes and
    # passkeys are limited per account and address, and per account from anywhere.
    MFA_REQUIRED_FOR_ADMINS = True
    MFA_REQUIRED_FOR_MANAGERS = False
    MFA_PENDING_SECONDS = 300  # between the password and the second factor
    FACTOR_RATE_LIMIT = "5 per minute"
    FACTOR_ACCOUNT_RATE_LIMIT = "20 per hour"
    # Passkeys: the relying party is the request's host unless set (then the origin, e.g.
    # "https://bedarf.example.org", is checked against WEBAUTHN_ORIGIN).
    WEBAUTHN_RP_ID: str | None = None
    WEBAUTHN_ORIGIN: str | None = None
    WEBAUTHN_RP_NAME = "Bedarfsregister"

    SESSION_IDLE_MINUTES = 180  # a two-hour meeting with a break stays logged in
    PASSWORD_RESET_MAX_AGE = 3600

    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""  # noqa: S105 - empty: no SMTP login
    MAIL_FROM = "bedarfsregister@localhost"
    MAIL_FROM_NAME = "Bedarfsregister"
    MAIL_REPLY_TO = ""  # the coordination office's address, for answers to the mails
    MAIL_TIMEOUT = 10  # seconds for each SMTP step
    MAIL_PICKUP_DIR = ""  # a folder (in the instance folder) for .eml files instead of SMTP
    # The address the app is reached at: links in mails are absolute (no request to ask).
    BASE_URL = "http://127.0.0.1:5000"
    # The sender (tracker/mail/sender.py): rows per claim, how long a claim holds, attempts
    # before a message is marked failed, the first retry's delay (doubling up to the cap).
    MAIL_BATCH = 100
    MAIL_CLAIM_SECONDS = 300
    MAIL_MAX_ATTEMPTS = 10
    MAIL_RETRY_SECONDS = 30
    MAIL_RETRY_MAX_SECONDS = 1800
    MAIL_POLL_SECONDS = 5
    # Webhooks (tracker/webhooks): the delivery's settings as the sender's above; each step of
    # a request (connect, send, each read) times out after WEBHOOKS_TIMEOUT seconds and at
    # most WEBHOOKS_RESPONSE_BYTES of an answer are read. Only https to public addresses,
    # unless these allow plain http or private and loopback addresses (tests, local receivers).
    WEBHOOKS_BATCH = 50
    WEBHOOKS_CLAIM_SECONDS = 300
    WEBHOOKS_MAX_ATTEMPTS = 8
    WEBHOOKS_RETRY_SECONDS = 30
    WEBHOOKS_RETRY_MAX_SECONDS = 3600
    WEBHOOKS_TIMEOUT = 10
    WEBHOOKS_RESPONSE_BYTES = 4096
    WEBHOOKS_ALLOW_HTTP = False
    WEBHOOKS_ALLOW_PRIVATE = False
    WEBHOOKS_KEEP_DAYS = 30  # finished deliveries in the log
    # The weekly digest: weekday (Monday = 0) and local time in the initiative's zone.
    DIGEST_WEEKDAY = 0
    DIGEST_TIME = "07:00"

    PRIVACY_ANONYMISE_AFTER_MONTHS = 24

    ITEMS_PER_PAGE = 25
    # Rendered lists and figures, per worker (tracker/caching.py); 0 seconds turns it off.
    FRAGMENT_CACHE_SECONDS = 60
    FRAGMENT_CACHE_CHARS = 8_000_000
    FOLLOW_UP_DEFAULT_DAYS = 14
    # The register import (tracker/imports): rows a web upload may have (the command line has
    # no limit), and rows per batch, each committed in a unit of work of its own.
    IMPORT_WEB_MAX_ROWS = 10_000
    IMPORT_CHUNK_ROWS = 500
    # PDFs (tracker/exports/pdf.py): a request ends within PDF_TIMEOUT seconds, of which it
    # waits at most PDF_QUEUE_SECONDS for one of PDF_CONCURRENCY slots (all workers of the
    # host share them; each user has one at a time); a renderer may take PDF_MEMORY_MB.
    PDF_TIMEOUT = 20
    PDF_QUEUE_SECONDS = 10
    PDF_CONCURRENCY = 1
    PDF_MEMORY_MB = 1024
    BOOTSTRAP_SERVE_LOCAL = True
    # A request that writes outside tracker.db.unit_of_work: True raises, False logs it.
    STRICT_UNIT_OF_WORK = False


class TestingConfig(Config):
    """Fast, isolated settings for the test suite."""

    BASE_URL = "http://localhost"  # the test client's host: links in mails open in it

    TESTING = True
    SECRET_KEY = "testing-only-secret"  # noqa: S105
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - fast for tests only
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # The suite logs its admins in with a password alone; tests/test_auth_factors.py and
    # tests/e2e/test_second_factor.py turn the requirement on.
    MFA_REQUIRED_FOR_ADMINS = False
    STRICT_UNIT_OF_WORK = True


def _parse(value: str):
    """Read an environment value as JSON where it is JSON (numbers, booleans), else as text."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def env_overrides(environ: dict[str, str] | None = None) -> dict:
    """Return the TRACKER_* variables as config keys without the prefix."""
    environ = os.environ if environ is None else environ
    return {
        key.removeprefix(ENV_PREFIX): _parse(value)
        for key, value in environ.items()
        if key.startswith(ENV_PREFIX) and not key.startswith(ENV_PREFIX + "TEST_")
    }
