"""One POST to a checked target: its address, bounded in time and in what is read back.

The connection goes to the address ``targets.resolve`` checked, with the host name in the
``Host`` header and for TLS (SNI and the certificate check). Redirects are not followed: a
3xx is an answer like any other that is not 2xx.
"""

from __future__ import annotations

import http.client
import socket
import ssl
from dataclasses import dataclass

from tracker.webhooks.targets import Target

USER_AGENT = "Bedarfsregister-Webhooks/1"


@dataclass(frozen=True)
class Answer:
    status: int
    body: str  # the first bytes of the answer, for the delivery log


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(target: Target, body: bytes, headers: dict[str, str], *, timeout: float, limit: int):
    """Send the body; the answer's status and at most ``limit`` bytes of it (OSError and
    http.client.HTTPException pass up)."""
    kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = kind(target, timeout)
    try:
        connection.request(
            "POST",
            target.path,
            body=body,
            headers={
                **headers,
                "Content-Type": "application/json",
                "User-Agent": USER_AGENT,
                "Connection": "close",
            },
        )
        response = connection.getresponse()
        text = response.read(limit).decode("utf-8", "replace")
        return Answer(response.status, text)
    finally:
        connection.close()
