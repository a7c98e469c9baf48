"""Signatures in the Standard Webhooks format (https://www.standardwebhooks.com).

The secret is ``whsec_`` followed by the base64 of 24 random bytes; the key is those bytes.
Each request carries ``webhook-id`` (the same for every attempt of one delivery),
``webhook-timestamp`` (seconds since 1970, of this attempt) and ``webhook-signature``:
``v1,`` and the base64 of HMAC-SHA256 over ``<id>.<timestamp>.<body>``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

PREFIX = "whsec_"


def new_secret() -> str:
    """A fresh signing secret, as it is shown to the office once."""
    return PREFIX + base64.b64encode(secrets.token_bytes(24)).decode()


def new_message_id() -> str:
    """A delivery's id, sent as ``webhook-id`` with every attempt (receivers dedupe by it)."""
    return "msg_" + secrets.token_urlsafe(18)


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value for one attempt."""
    key = base64.b64decode(secret.removeprefix(PREFIX))
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, message_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three headers of the format, for one attempt."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, message_id, timestamp, body),
    }
