"""Browser tests: the app served in a thread, driven through Playwright and Debian's Chromium.

The test thread keeps an app context whose session takes SQLite's write lock when a
transaction begins. Test data is therefore committed and the session closed (``settle``)
before the browser sends requests, and results are read back with ``fresh``, which closes
the session again at once.
"""

from __future__ import annotations

import logging
import os
import re
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pyotp
import pytest
from conftest import PASSWORD  # tests/conftest.py (tests/ is on sys.path)
from playwright.sync_api import Browser, Page, expect, sync_playwright
from werkzeug.serving import make_server

from tracker.db import db, write_intent

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
TIMEOUT_MS = 10_000
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

expect.set_options(timeout=TIMEOUT_MS)


def settle(*objects):
    """Commit, load the objects' columns, and end the test thread's transaction.

    The objects stay readable (detached, columns loaded) while the server uses the database.
    """
    db.session.commit()
    for obj in objects:
        db.session.refresh(obj)
    db.session.close()
    return objects[0] if len(objects) == 1 else objects


def fresh(model, ident):
    """Read one row as it is now in the database, then close the session again.

    The read runs in a plain (not write-locking) transaction, like a GET request's.
    """
    db.session.close()
    token = write_intent.set(False)
    try:
        return db.session.get(model, ident)
    finally:
        db.session.close()
        write_intent.reset(token)


class _ErrorLog(logging.Handler):
    """Collects the errors the app logs (with tracebacks) while the browser uses it."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(self.format(record))


class _Buffered:
    """WSGI middleware: answer from memory, the app's response closed before sending.

    Werkzeug's development server skips closing a response (a static file's handle) when
    the browser resets the connection mid-answer, as Chromium does when a context closes;
    the open file then surfaces later as a ResourceWarning in an unrelated test.
    """

    def __init__(self, app) -> None:
        self.app = app
        self.running = 0  # requests being answered now
        self._lock = threading.Condition()

    def __call__(self, environ, start_response):
        with self._lock:
            self.running += 1
        try:
            return self._answer(environ, start_response)
        finally:
            with self._lock:
                self.running -= 1
                self._lock.notify_all()

    def wait_idle(self, timeout: float = 10) -> None:
        """Wait until no request is being answered: the tables are emptied after the test."""
        with self._lock:
            self._lock.wait_for(lambda: self.running == 0, timeout=timeout)

    def _answer(self, environ, start_response):
        answer = self.app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()


@pytest.fixture
def live_server(app):
    """Serve the test's app object on a free port; yield its base URL.

    An error the server logs (an unexpected exception behind a 500 page) fails the test
    with its traceback, which the browser alone would only show as an error page.
    """
    app.config["WTF_CSRF_ENABLED"] = True  # forms post real tokens, as in production
    errors = _ErrorLog()
    loggers = [app.logger, logging.getLogger("werkzeug")]
    for logger in loggers:
        logger.addHandler(errors)
    buffered = _Buffered(app)
    server = make_server("127.0.0.1", 0, buffered, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        # A request the browser sent just before its context closed may still run in its
        # own thread: emptying the tables under it deadlocks on PostgreSQL.
        buffered.wait_idle()
        for logger in loggers:
            logger.removeHandler(errors)
    if errors.messages:
        pytest.fail("the server logged errors:\n" + "\n".join(errors.messages), pytrace=False)


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if not os.path.exists(CHROMIUM):
        message = f"{CHROMIUM} is missing: install Debian's chromium package"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember whether the test itself failed, for the screenshots in ``new_page``."""
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


@pytest.fixture
def new_page(browser: Browser, live_server, request):
    """Open pages, each in its own browser context (own cookies): German, Berlin time."""
    contexts = []

    def open_page() -> Page:
        context = browser.new_context(locale="de-DE", timezone_id="Europe/Berlin",
                                      base_url=live_server)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    if request.node.stash.get(_FAILED, False):
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]", "_", request.node.name)
        pages = [page for context in contexts for page in context.pages]
        for number, page in enumerate(pages):
            page.screenshot(path=ARTIFACTS / f"{name}-{number}.png", full_page=True)
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    """A page in a fresh browser context."""
    return new_page()


def browser_login(page: Page, base_url: str, user, password: str = PASSWORD) -> None:
    """Log in through the form and wait for the start page."""
    page.goto(f"{base_url}/login")
    form = page.locator("main form")
    form.locator("#email").fill(user.email)
    form.locator("#password").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base_url}/")
    expect(page.locator("main h1")).to_contain_text(user.name)


def browser_login_to(page: Page, base_url: str, user, path: str,
                     password: str = PASSWORD) -> None:
    """Log in through the form opened with ``?next=path``; wait until the app shows ``path``."""
    page.goto(f"{base_url}/login?next={quote(path)}")
    form = page.locator("main form")
    form.locator("#email").fill(user.email)
    form.locator("#password").fill(password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(f"{base_url}{path}")


def browser_logout(page: Page) -> None:
    """Log out through the user menu in the navbar."""
    page.locator("#user-menu").click()
    page.locator("#nav-main form[action$='/logout'] button").click()
    page.wait_for_url(re.compile(r"/login$"))


def office_logs_in(page: Page, base_url: str, office, path: str = "/") -> None:
    """Password, then the set-up of the authenticator app the office must have; then ``path``."""
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(office.email)
    page.locator("#password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"{base_url}/login/setup")
    secret = page.locator("#totp-secret").inner_text()
    page.locator("main form #code").fill(pyotp.TOTP(secret).at(time.time()))
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="Ich habe die Codes gespeichert").click()
    page.wait_for_url(f"{base_url}/")
    expect(page.locator("#user-menu")).to_have_text(office.name)
    if path != "/":
        page.goto(f"{base_url}{path}")
