"""A small HTTP client on http.client: keep-alive connections, cookies, CSRF tokens.

gunicorn's sync workers close the connection after each answer; http.client then opens
a new one for the next request by itself, as a browser would.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie

from bench.server import HOST

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Answer:
    status: int
    body: bytes
    seconds: float


class Session:
    """One connection with its own cookies, like one browser tab."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=120)
        self.cookies = dict(cookies or {})
        self.last_location = ""

    def request(self, method: str, path: str, form: dict | list | None = None) -> Answer:
        """Send one request, read the whole answer, keep its cookies; time it."""
        if form is None:
            return self.send(method, path)
        body = urllib.parse.urlencode(form, doseq=True).encode()
        return self.send(method, path, body, "application/x-www-form-urlencoded")

    def post_raw(self, path: str, body: bytes, content_type: str) -> Answer:
        """Post a body encoded by the caller (a multipart upload)."""
        return self.send("POST", path, body, content_type)

    def send(
        self, method: str, path: str, body: bytes | None = None, content_type: str = ""
    ) -> Answer:
        headers = {"Accept-Encoding": "identity"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # a fresh connection for the next request
            return Answer(0, b"", time.perf_counter() - started)
        seconds = time.perf_counter() - started
        self.last_location = response.headers.get("Location", "")
        self._keep_cookies(response.headers.get_all("Set-Cookie") or [])
        return Answer(response.status, data, seconds)

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value

    def csrf_token(self, path: str) -> str:
        """Load a form page and return its CSRF token."""
        answer = self.request("GET", path)
        found = CSRF.search(answer.body.decode("utf-8", "replace"))
        if not found:
            raise RuntimeError(f"no CSRF token on {path} (status {answer.status})")
        return found.group(1)

    def login(self, email: str, password: str) -> None:
        """Log in through the form, as a person would."""
        token = self.csrf_token("/login")
        answer = self.request(
            "POST", "/login", {"csrf_token": token, "email": email, "password": password}
        )
        if answer.status != 302:
            raise RuntimeError(f"login of {email} failed with status {answer.status}")

    def close(self) -> None:
        self.connection.close()
