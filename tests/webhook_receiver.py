"""A real HTTP server on 127.0.0.1 that receives webhooks and checks their signatures.

It verifies each request as a receiver following the Standard Webhooks format would, with
its own code (not the app's): the secret's key is the base64 after ``whsec_``, the signed
content ``<webhook-id>.<webhook-timestamp>.<body>``, the header ``v1,<base64>`` (several
space-separated signatures allowed), and the timestamp within five minutes of now.
``fail_next(n, status)`` answers the next n requests with that status (an error on
purpose); ``redirect_to`` answers every request with a redirect; ``delay`` answers late.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 300


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool
    answered: int

    @property
    def json(self) -> dict:
        return json.loads(self.body)


def verify(secret: str, headers: dict[str, str], body: bytes, now: float) -> bool:
    """Whether the request carries a valid, recent signature made with ``secret``."""
    message_id = headers.get("webhook-id", "")
    stamp = headers.get("webhook-timestamp", "")
    if not message_id or not stamp.isdigit() or abs(now - int(stamp)) > TOLERANCE_SECONDS:
        return False
    key = base64.b64decode(secret.split("_", 1)[1])
    expected = hmac.new(key, f"{message_id}.{stamp}.".encode() + body, hashlib.sha256).digest()
    for candidate in headers.get("webhook-signature", "").split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), base64.b64encode(expected)):
            return True
    return False


class WebhookReceiver:
    """Receives on 127.0.0.1:``port``; ``secret`` is set once the endpoint is registered."""

    def __init__(self):
        self.secret = ""
        self.received: list[Received] = []
        self.redirect_to = ""
        self.delay = 0.0  # seconds to wait before answering (a slow receiver)
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def fail_next(self, count: int, status: int = 503) -> None:
        with self._lock:
            self._failures.extend([status] * count)

    def use_tls(self, certfile: str, keyfile: str) -> None:
        """Answer over TLS with this certificate (before ``start``)."""
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certfile, keyfile)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)

    def start(self) -> WebhookReceiver:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def wait_for(self, count: int, timeout: float = 10) -> list[Received]:
        """Wait until ``count`` requests came in (or the time is over); return them."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received) < count:
            time.sleep(0.05)
        return list(self.received)

    def _answer(self, headers: dict[str, str], body: bytes) -> int:
        with self._lock:
            if self._failures:
                return self._failures.pop(0)
        if self.redirect_to:
            return 307
        return 200 if verify(self.secret, headers, body, time.time()) else 401

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server name
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                headers = {k.lower(): v for k, v in self.headers.items()}
                status = receiver._answer(headers, body)
                time.sleep(receiver.delay)
                verified = verify(receiver.secret, headers, body, time.time())
                with receiver._lock:
                    receiver.received.append(Received(self.path, headers, body, verified, status))
                self.send_response(status)
                if status == 307:
                    self.send_header("Location", receiver.redirect_to)
                self.send_header("Content-Type", "text/plain")
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else f"error {status}".encode())

            def log_message(self, *_args):
                pass

        return Handler
