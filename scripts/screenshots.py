"""Take the README's screenshots from a running app (normally `make run` with its demo data).

    make run
    .venv/bin/python scripts/screenshots.py --base http://127.0.0.1:5000

It logs in with the demo logins that `make run` prints: a network manager for the everyday
pages and the mail settings, the coordination office (admin) for the account, users,
import and mail outbox pages. The office needs a second factor. Against a fresh demo
database the script sets up the authenticator app at the first login and keeps its key,
and the ten recovery codes shown then, in --secret-file; later runs compute the code from
that key. If the office's factor was set up elsewhere, give one of its recovery codes with
--admin-recovery-code (it is used up).

The browser is Debian's Chromium through Playwright (never `playwright install`; Playwright
comes with the test extras, `make install-test`), asking for German, at a 1366x900
viewport. The browser's own controls (date fields, the file button) stay in English in
headless Chromium. Pages are saved whole, up to a height that keeps them readable; live
mode is saved as the top of the page. Nothing is submitted except the logins and the
factor setup: the register filter is a GET form, live mode is only typed into.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyotp

try:
    from playwright.sync_api import Browser, Page, sync_playwright
except ImportError:
    sys.exit("screenshots: Playwright is missing; `make install-test` installs it")

ROOT = Path(__file__).resolve().parent.parent
VIEWPORT = {"width": 1366, "height": 900}
MAX_HEIGHT = 2600  # taller pages are cut here: a README image is read, not scrolled
LIVE_HEIGHT = 1500  # the quick-add, the attendance and the first entries
OVERVIEW_HEIGHT = 3000  # the whole overview
SEARCH_HEIGHT = 1800
SEARCH_WORD = "Fachkräfte"
ITEM_LINK = re.compile(r"^/items/\d+$")
ROW_MARGIN = 12
# The end of the footer, or of the document if it has none.
CONTENT_HEIGHT = """() => {
  const footer = document.querySelector("footer");
  const end = footer ? footer.getBoundingClientRect().bottom + window.scrollY : 0;
  return Math.ceil(end || document.documentElement.scrollHeight);
}"""
ROW_BOTTOMS = "els => els.map(e => Math.ceil(e.getBoundingClientRect().bottom + window.scrollY))"
HREFS = "els => els.map(e => e.getAttribute('href'))"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="http://127.0.0.1:5000", help="the app's URL")
    parser.add_argument(
        "--out", default=ROOT / "docs" / "screenshots", type=Path, help="folder for the PNGs"
    )
    parser.add_argument("--manager", default="hannes.heinrich@demo.example")
    parser.add_argument("--admin", default="admin@demo.example")
    parser.add_argument("--password", default="Demo-Passwort-2026", help="of both logins")
    parser.add_argument(
        "--secret-file",
        default=ROOT / "instance" / "screenshots-admin-totp.txt",
        type=Path,
        help="the admin's authenticator key: written at the first setup, read later",
    )
    parser.add_argument("--admin-recovery-code", help="when the admin has a factor but no key file")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--only", nargs="*", choices=[*MANAGER_SHOTS, *ADMIN_SHOTS])
    return parser.parse_args(argv)


class Shooter:
    """Save pages of one logged-in browser context as PNGs into one folder."""

    def __init__(self, page: Page, base: str, out: Path) -> None:
        self.page, self.base, self.out = page, base.rstrip("/"), out

    def open(self, path: str) -> Page:
        """Go to a path of the app and fail on an error answer."""
        answer = self.page.goto(self.base + path)
        if answer is None or answer.status >= 400:
            status = answer.status if answer else "no answer"
            raise RuntimeError(f"{path}: {status}")
        self.page.wait_for_load_state("networkidle")
        return self.page

    def save(self, name: str, rows: str | None = None, max_height: int = MAX_HEIGHT) -> None:
        """Save the page from its top to the footer, or to the last row that fits."""
        # A page taller than max_height ends below the last of its rows (a CSS selector)
        # that fits, so that no line of text is cut through.
        self.page.evaluate("document.activeElement && document.activeElement.blur()")
        self.page.evaluate("window.scrollTo(0, 0)")
        height = self.page.evaluate(CONTENT_HEIGHT)
        shown = height
        if height > max_height:
            bottoms = self.page.eval_on_selector_all(rows or "main *", ROW_BOTTOMS)
            shown = max([b for b in bottoms if b <= max_height - ROW_MARGIN], default=max_height)
            shown = min(shown + ROW_MARGIN, max_height)
        clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": shown}
        path = self.out / f"{name}.png"
        self.page.screenshot(path=path, full_page=True, clip=clip, animations="disabled")
        cut = f", {shown} of {height}px" if shown < height else ""
        print(f"{path}  ({self.page.url}{cut})")

    def links(self, selector: str) -> list[str]:
        """The hrefs of the elements that match the selector, in page order."""
        return self.page.eval_on_selector_all(selector, HREFS)


def log_in(page: Page, base: str, email: str, password: str) -> None:
    """Submit the login form; the second factor, if asked for, is the caller's."""
    page.goto(base.rstrip("/") + "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("form[action$='/login'] button[type=submit]")
    if page.url.rstrip("/").endswith("/login"):
        raise RuntimeError(f"login of {email} refused")


def enter_code(page: Page, code: str) -> bool:
    """Type a code into the second-factor form; whether it was accepted."""
    page.fill("#code", code)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    return page.locator("#code").count() == 0


def set_up_factor(page: Page, secret_file: Path) -> None:
    """Confirm the authenticator app that the first login asks for and keep its key."""
    secret = page.locator("#totp-secret").inner_text().strip()
    if not enter_code(page, pyotp.TOTP(secret).now()):
        raise RuntimeError("the authenticator app's first code was refused")
    codes = page.locator("#recovery-codes li").all_inner_texts()
    secret_file.parent.mkdir(parents=True, exist_ok=True)
    secret_file.write_text("\n".join([secret, *codes]) + "\n")
    os.chmod(secret_file, 0o600)
    print(f"authenticator app set up; key and {len(codes)} recovery codes in {secret_file}")
    page.click("main a.btn-primary")  # "I have saved the codes"
    page.wait_for_load_state()


def confirm_factor(page: Page, secret_file: Path, recovery_code: str | None) -> None:
    """Answer the second-factor question with the kept key or a recovery code."""
    if secret_file.exists():
        totp = pyotp.TOTP(secret_file.read_text().split()[0])
        if enter_code(page, totp.now()):
            return
        # A code counts once: a run within the same 30 seconds waits for the next one.
        time.sleep(totp.interval - time.time() % totp.interval + 1)
        if enter_code(page, totp.now()):
            return
    if recovery_code and enter_code(page, recovery_code):
        return
    raise RuntimeError(
        f"the admin's second factor is set up, but {secret_file} holds no working key: "
        "pass --admin-recovery-code, or let the office reset the factor"
    )


def log_in_admin(page: Page, args: argparse.Namespace) -> None:
    """Log in as the coordination office, setting up or answering its second factor."""
    log_in(page, args.base, args.admin, args.password)
    if "/login/setup" in page.url:
        set_up_factor(page, args.secret_file)
    elif "/login/factor" in page.url:
        confirm_factor(page, args.secret_file, args.admin_recovery_code)


def shoot_start(s: Shooter) -> None:
    """The start page: hand-offs, overdue follow-ups, own and network items."""
    s.open("/")
    s.save("start", rows="main section")


def shoot_register(s: Shooter) -> None:
    """The register filtered to open needs."""
    page = s.open("/items/")
    page.select_option("select[name=kind]", "need")
    page.select_option("select[name=status]", "open")
    with page.expect_navigation():
        page.locator("select[name=kind]").evaluate("e => e.form.requestSubmit()")
    page.wait_for_load_state("networkidle")
    s.save("register")


def busiest_item(s: Shooter, candidates: int = 15) -> str:
    """The path of the item with the longest activity among the first register rows."""
    s.open("/items/")
    paths = [h for h in dict.fromkeys(s.links("main a[href^='/items/']")) if ITEM_LINK.match(h)]
    best, most = paths[0], -1
    for path in paths[:candidates]:
        count = s.open(path).locator("#timeline li").count()
        if count > most:
            best, most = path, count
    return best


def shoot_item(s: Shooter) -> None:
    """An item with its details, next steps and activity."""
    s.open(busiest_item(s))
    s.save("item")


def next_meeting(s: Shooter) -> str:
    """The path of the first upcoming meeting."""
    s.open("/meetings/")
    found = s.links("#h-upcoming ~ .list-group a")
    if not found:
        raise RuntimeError("no upcoming meeting")
    return found[0]


def shoot_meeting(s: Shooter) -> None:
    """The next meeting's agenda."""
    s.open(next_meeting(s))
    s.save("meeting", rows="main li.agenda-entry")


def shoot_live(s: Shooter) -> None:
    """Live mode: a title typed into the quick-add; the entry being discussed open, with a
    note being written when it has a note field."""
    page = s.open(next_meeting(s) + "/live")
    page.fill("#quick-add [name=title]", "Gewinnung von Fachkräften")
    note = page.locator("#live-root .live-entry.expanded textarea").first
    if note.count():
        note.fill("Zwei Netzwerke haben passende Kontakte.")
    page.wait_for_load_state("networkidle")  # the duplicate check of the typed title
    page.wait_for_timeout(500)
    s.save("live", rows="#live-root .live-entry", max_height=LIVE_HEIGHT)


def shoot_overview(s: Shooter) -> None:
    """The overview dashboard."""
    s.open("/overview")
    s.save("overview", rows="main section", max_height=OVERVIEW_HEIGHT)


def shoot_clusters(s: Shooter) -> None:
    """Demand clusters across networks."""
    s.open("/overview/clusters")
    s.save("clusters", rows="main .card")


def shoot_search(s: Shooter) -> None:
    """Search results for a German word."""
    page = s.open("/search/?q=" + SEARCH_WORD)
    if not page.locator("main a[href^='/items/']").count():
        raise RuntimeError(f"the search for {SEARCH_WORD} found no item")
    s.save("search", rows="main li.mb-3", max_height=SEARCH_HEIGHT)


def shoot_minutes(s: Shooter) -> None:
    """The minutes of the latest closed meeting, if one was held."""
    s.open("/meetings/")
    for path in s.links("#h-archive ~ table tbody a"):
        if s.open(path).locator("h1 .badge.meeting-closed").count():
            s.save("minutes", rows="main li.agenda-entry")
            return
    print("no closed meeting: minutes.png not taken")


def shoot_decisions(s: Shooter) -> None:
    """The decisions and tasks of the series, newest meeting first."""
    page = s.open("/meetings/")
    found = s.links("main a[href$='/decisions']")
    if not found:
        raise RuntimeError("no meeting series to show the decisions of")
    page = s.open(found[0])
    if not page.locator("main ol.decisions li").count():
        print("no decisions recorded yet: decisions.png shows the empty list")
    s.save("decisions", rows="main ol.decisions > li")


def shoot_api_docs(s: Shooter) -> None:
    """The API's documentation page."""
    page = s.open("/api/v1/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    s.save("api-docs", max_height=VIEWPORT["height"])


def shoot_mail_settings(s: Shooter) -> None:
    """The manager's mail settings: a choice per kind of notification."""
    s.open("/account/mail")
    s.save("mail-settings")


def shoot_account(s: Shooter) -> None:
    """The account page with its second-factor section."""
    s.open("/account")
    s.save("account")


def shoot_users(s: Shooter) -> None:
    """The office's users page."""
    s.open("/admin/users")
    s.save("users")


def shoot_mail_outbox(s: Shooter) -> None:
    """The office's mail outbox: the queue by status, last errors, refused addresses."""
    s.open("/admin/mail")
    s.save("mail-outbox", rows="main tr")


def shoot_import(s: Shooter) -> None:
    """The import's first step: choosing the file."""
    s.open("/import/")
    s.save("import")


MANAGER_SHOTS: dict[str, Callable[[Shooter], None]] = {
    "start": shoot_start,
    "register": shoot_register,
    "item": shoot_item,
    "meeting": shoot_meeting,
    "live": shoot_live,
    "overview": shoot_overview,
    "clusters": shoot_clusters,
    "search": shoot_search,
    "minutes": shoot_minutes,
    "mail-settings": shoot_mail_settings,
    "decisions": shoot_decisions,
    "api-docs": shoot_api_docs,
}
ADMIN_SHOTS: dict[str, Callable[[Shooter], None]] = {
    "account": shoot_account,
    "users": shoot_users,
    "import": shoot_import,
    "mail-outbox": shoot_mail_outbox,
}


def run_as(browser: Browser, args: argparse.Namespace, admin: bool, shots: dict) -> None:
    """Log in as one role in a fresh context and take that role's screenshots."""
    wanted = {n: f for n, f in shots.items() if not args.only or n in args.only}
    if not wanted:
        return
    context = browser.new_context(
        viewport=VIEWPORT, locale="de-DE", timezone_id="Europe/Berlin", device_scale_factor=1
    )
    page = context.new_page()
    if admin:
        log_in_admin(page, args)
    else:
        log_in(page, args.base, args.manager, args.password)
    shooter = Shooter(page, args.base, args.out)
    for shoot in wanted.values():
        shoot(shooter)
    context.close()


def main(argv: list[str] | None = None) -> int:
    """Take every screenshot; exit non-zero on the first failure."""
    args = parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=args.chromium)
        try:
            run_as(browser, args, admin=False, shots=MANAGER_SHOTS)
            run_as(browser, args, admin=True, shots=ADMIN_SHOTS)
        except RuntimeError as exc:
            print(f"screenshots: {exc}", file=sys.stderr)
            return 1
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
