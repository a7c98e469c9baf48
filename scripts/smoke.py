"""Smoke run: install the app as `make run` does, serve it, and crawl it as every demo role.

A suite that runs with the test extras installed cannot see a runtime dependency that only
a test extra brings in. This script builds what `make run` builds and nothing more: a copy
of the source tree in a temporary folder, a fresh virtual environment with `pip install -e .`
(no extras), compiled translations, `flask db upgrade` and `flask demo ensure`. It serves
the app with gunicorn on a free 127.0.0.1 port, logs in with each demo login that the seed
prints (admin, manager, observer) and follows the same-origin links from the start page
breadth-first: GET only, skipping logout and static files, with a bound on depth and on
URLs of the same shape. As the admin it also submits a few edit forms unchanged (a user, a
network, a topic), which must save. Any 5xx, connection error or unsaved form fails it.

It uses only the standard library, since the environment it serves from has no test extras.

    python3 scripts/smoke.py                 # everything, in a temporary folder
    python3 scripts/smoke.py --venv DIR      # reuse (or create) that environment
    python3 scripts/smoke.py --source DIR    # install another tree (e.g. a `git archive`)

Prints what it requested per role and exits non-zero on failure.
"""

from __future__ import annotations

import argparse
import base64
import collections
import concurrent.futures
import hmac
import html.parser
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_DEPTH = 3
MAX_PAGES = 250  # per role
MAX_PER_SHAPE = 1  # /items/1 and /items/2 are the same page for this purpose
REQUEST_TIMEOUT = 60
SERVER_START_TIMEOUT = 60
SERVER_STOP_TIMEOUT = 15
SKIP = re.compile(r"/logout\b|^/static/|/delete\b|/remove\b")
RESUBMIT = (r"^/admin/users/\d+$", r"^/admin/networks/\d+$", r"^/admin/topics/\d+$")
LOGIN_LINE = re.compile(r"\((admin|observer|manager)\):\s+(\S+@\S+) / (\S+)")


class Links(html.parser.HTMLParser):
    """Collect the href of every <a> element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


class Forms(html.parser.HTMLParser):
    """Collect each form's method, action and the values a browser would submit unchanged."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            method = a.get("method", "get").lower()
            self.forms.append({"method": method, "action": a.get("action", ""), "fields": []})
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self.forms[-1]["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._options: list[tuple[str, bool]] = []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1]["fields"].append((a["name"], ""))

    def handle_data(self, data):
        if self._textarea is not None:
            name, value = self.forms[-1]["fields"][-1]
            self.forms[-1]["fields"][-1] = (name, value + data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.forms[-1]["fields"].extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


class Client:
    """A cookie-keeping HTTP client that records every answer's status."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.statuses: collections.Counter[int] = collections.Counter()
        self.seconds: dict[str, float] = {}
        self.failures: list[str] = []

    def request(self, path: str, data: dict | list | None = None) -> tuple[int, str, bytes, str]:
        """Return status, final path, body and content type; count 5xx as failures."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        started = time.monotonic()
        try:
            with self.opener.open(self.base + path, body, timeout=REQUEST_TIMEOUT) as answer:
                status, url = answer.status, answer.url
                content, kind = answer.read(), answer.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            status, url, content, kind = exc.code, exc.url, exc.read(), ""
        except OSError as exc:
            self.failures.append(f"{path}: {exc}")
            return 0, path, b"", ""
        self.statuses[status] += 1
        self.seconds[path] = time.monotonic() - started
        if status >= 500:
            self.failures.append(f"{path}: {status}")
        return status, urllib.parse.urlsplit(url).path, content, kind


def _same_origin_path(base: str, page: str, href: str) -> str | None:
    url = urllib.parse.urljoin(base + page, href)
    parts = urllib.parse.urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != base:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return None if SKIP.search(parts.path) else path


def _shape(path: str) -> str:
    parts = urllib.parse.urlsplit(path)
    keys = sorted({k for k, _ in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _csrf(html_text: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html_text)
    return found.group(1) if found else ""


def totp(secret: str, at: float | None = None) -> str:
    """The six-digit code an authenticator app shows for this base32 key (RFC 6238)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(
        key, struct.pack(">Q", int((time.time() if at is None else at) // 30)), "sha1"
    )
    raw = digest.digest()
    offset = raw[-1] & 0x0F
    return f"{(struct.unpack('>I', raw[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


def login(client: Client, email: str, password: str) -> bool:
    """Log in through the login form; true when the app lands on the start page.

    The coordination office sets up its authenticator app on the way, as a new user does:
    the key from the setup page, the code computed from it, the recovery codes shown.
    """
    _, _, page, _ = client.request("/login")
    token = _csrf(page.decode("utf-8", "replace"))
    data = {"email": email, "password": password, "csrf_token": token}
    status, path, page, _ = client.request("/login", data)
    if status == 200 and path == "/login/setup":
        text = page.decode("utf-8", "replace")
        secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7]+)<', text)
        if secret is None:
            return False
        answer = {"code": totp(secret.group(1)), "csrf_token": _csrf(text)}
        status, path, page, _ = client.request("/login/setup", answer)
        if status != 200 or b'id="recovery-codes"' not in page:
            return False
        status, path, _, _ = client.request("/")
    return status == 200 and path == "/"


def crawl(client: Client) -> list[str]:
    """Visit same-origin links breadth-first from the start page; return the paths seen."""
    queue, seen, shapes = collections.deque([("/", 0)]), {"/"}, collections.Counter()
    visited: list[str] = []
    while queue and len(visited) < MAX_PAGES:
        path, depth = queue.popleft()
        status, _, content, kind = client.request(path)
        visited.append(f"{status} {path}")
        if depth >= MAX_DEPTH or "text/html" not in kind:
            continue
        parser = Links()
        parser.feed(content.decode("utf-8", "replace"))
        for href in parser.hrefs:
            target = _same_origin_path(client.base, path, href)
            if target is None or target in seen or shapes[_shape(target)] >= MAX_PER_SHAPE:
                continue
            seen.add(target)
            shapes[_shape(target)] += 1
            queue.append((target, depth + 1))
    return visited


def resubmit(client: Client, paths: list[str]) -> list[str]:
    """Submit the first edit form of each pattern unchanged; it must save (redirect away)."""
    done = []
    for pattern in RESUBMIT:
        path = next((p for p in paths if re.match(pattern, p)), None)
        if path is None:
            client.failures.append(f"no page matching {pattern} was reachable")
            continue
        _, _, content, _ = client.request(path)
        parser = Forms()
        parser.feed(content.decode("utf-8", "replace"))
        form = next((f for f in parser.forms if f["method"] == "post" and not f["action"]), None)
        if form is None:
            client.failures.append(f"{path}: no edit form")
            continue
        status, landed, _, _ = client.request(path, form["fields"])
        done.append(f"{status} POST {path} -> {landed}")
        if status != 200 or landed == path:
            client.failures.append(f"POST {path} unchanged did not save: {status}")
    return done


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list[str], **kwargs) -> str:
    """Run a step; print its output and stop the smoke run when it fails."""
    started = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, **kwargs)  # noqa: S603
    shown = " ".join(Path(c).name if i == 0 else str(c) for i, c in enumerate(cmd))
    print(f"$ {shown}  ({time.monotonic() - started:.1f} s)", flush=True)
    if done.returncode != 0:
        sys.exit(f"smoke: step failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


def copy_source(origin: Path, target: Path) -> None:
    """Copy the source tree without environments, instance data and build output."""
    ignore = shutil.ignore_patterns(
        ".git",
        ".venv",
        "instance",
        "__pycache__",
        "*.egg-info",
        "*.mo",
        "test-artifacts",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "build",
        "dist",
        "out",
    )
    shutil.copytree(origin, target, ignore=ignore)
    (target / "instance").mkdir()


def prepare(source: Path, env_dir: Path, env: dict) -> tuple[Path, str]:
    """Install as `make install` does, migrate and seed; return the bin folder and logins."""
    bin_dir = env_dir / "bin"
    if not (bin_dir / "python").exists():
        venv.create(env_dir, with_pip=True)
    run([bin_dir / "pip", "install", "--quiet", "-e", "."], cwd=source)
    for po in sorted(source.glob("tracker/translations/*/LC_MESSAGES/messages.po")):
        run([bin_dir / "pybabel", "compile", "--use-fuzzy", "-i", po, "-o", po.with_suffix(".mo")])
    flask = [bin_dir / "flask", "--app", "wsgi"]
    run([*flask, "db", "upgrade"], cwd=source, env=env)
    return bin_dir, run([*flask, "demo", "ensure"], cwd=source, env=env)


def serve(bin_dir: Path, source: Path, env: dict, port: int, log: Path) -> subprocess.Popen:
    """Start gunicorn as `make run` does and wait until it answers."""
    cmd = [bin_dir / "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"]
    with log.open("w") as out:
        server = subprocess.Popen(  # noqa: S603
            cmd, cwd=source, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"smoke: gunicorn ended with {server.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/login", timeout=5):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.5)
    stop(server)
    sys.exit(f"smoke: gunicorn did not answer within {SERVER_START_TIMEOUT} s")


def stop(server: subprocess.Popen) -> None:
    """Stop the server: TERM, then KILL after a bounded wait."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(SERVER_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(SERVER_STOP_TIMEOUT)


def check_role(base: str, role: str, email: str, password: str) -> tuple[str, list[str]]:
    """Log in and crawl as one role; return the report and the failures."""
    client = Client(base)
    started = time.monotonic()
    if not login(client, email, password):
        return f"{role:9} {email}: login failed", [f"{role}: login as {email} failed"]
    visited = crawl(client)
    paths = [line.split(" ", 1)[1] for line in visited]
    posted = resubmit(client, paths) if role == "admin" else []
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(client.statuses.items()))
    slowest = sorted(client.seconds.items(), key=lambda kv: -kv[1])[:3]
    lines = [
        f"{role:9} {email}: {len(visited)} pages, {len(posted)} forms saved, "
        f"statuses {statuses}, {time.monotonic() - started:.1f} s",
        *(f"    {line}" for line in posted),
        "    slowest: " + ", ".join(f"{p} {s:.1f} s" for p, s in slowest),
    ]
    return "\n".join(lines), [f"{role}: {failure}" for failure in client.failures]


def check_roles(base: str, logins: list[tuple[str, str, str]]) -> list[str]:
    """Crawl as each role at once, as several people use the app; return the failures."""
    with concurrent.futures.ThreadPoolExecutor(len(logins)) as pool:
        results = list(pool.map(lambda login: check_role(base, *login), logins))
    for report, _ in results:
        print(report)
    return [failure for _, failures in results for failure in failures]


def demo_logins(output: str) -> list[tuple[str, str, str]]:
    """Read the first login of each role from what `flask demo ensure` printed."""
    logins: dict[str, tuple[str, str, str]] = {}
    for role, email, password in LOGIN_LINE.findall(output):
        logins.setdefault(role, (role, email, password))
    for line in output.splitlines():  # managers after the first are printed without a label
        found = re.match(r"\s+(\S+@\S+) / (\S+) \(network", line)
        if found and "manager" not in logins:
            logins["manager"] = ("manager", *found.groups())
    missing = {"admin", "manager", "observer"} - logins.keys()
    if missing:
        sys.exit(f"smoke: the demo seed printed no login for {sorted(missing)}:\n{output}")
    return [logins[r] for r in ("admin", "manager", "observer")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, help="environment to use (default: a new one)")
    parser.add_argument("--source", type=Path, default=ROOT, help="source tree to install")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tracker-smoke-") as tmp:
        work = Path(tmp)
        source = work / "src"
        copy_source(args.source.resolve(), source)
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
        env["TRACKER_INSTANCE_PATH"] = str(source / "instance")
        bin_dir, seeded = prepare(source, (args.venv or work / "venv").resolve(), env)
        port = free_port()
        server = serve(bin_dir, source, env, port, work / "gunicorn.log")
        try:
            failures = check_roles(f"http://127.0.0.1:{port}", demo_logins(seeded))
        finally:
            stop(server)
        if failures:
            print("smoke: FAILED\n  " + "\n  ".join(failures))
            print("gunicorn log (end):\n" + (work / "gunicorn.log").read_text()[-5000:])
            return 1
    print("smoke: passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
