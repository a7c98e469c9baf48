"""Where a webhook may go: https only, and never to this host or a private network.

A webhook is a request the app makes on the office's word; without these checks an
endpoint could reach services behind the firewall (SSRF). The host is resolved and every
address must be public (not loopback, private, link-local, shared, reserved or multicast).
The check runs when the endpoint is saved and again before every attempt, and the request
then goes to the address that was checked, so a name that resolves differently the second
time (DNS rebinding) gains nothing. ``WEBHOOKS_ALLOW_HTTP`` allows plain http and
``WEBHOOKS_ALLOW_PRIVATE`` private addresses: for tests and local receivers only.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app

from tracker.i18n import _


class Refused(Exception):
    """The URL may not be a webhook's target; the message says why, for the office."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # with the query
    address: str  # the checked IP address the request goes to


def check_form(url: str) -> None:
    """Check the URL's form (no lookup): scheme, host, no user info or fragment."""
    _split(url)


def resolve(url: str) -> Target:
    """Check the URL and its host's addresses; the target to connect to, or ``Refused``."""
    scheme, host, port, path = _split(url)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise Refused(_("The host %(host)s cannot be found.", host=host)) from exc
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses:
        raise Refused(_("The host %(host)s cannot be found.", host=host))
    for address in addresses:
        _check_address(address)
    return Target(scheme, host, port, path, addresses[0])


def _split(url: str) -> tuple[str, str, int, str]:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise Refused(_("This is not a valid URL.")) from exc
    allowed = ("https", "http") if current_app.config["WEBHOOKS_ALLOW_HTTP"] else ("https",)
    if parts.scheme not in allowed:
        raise Refused(_("Webhooks go to https:// addresses only."))
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise Refused(_("The URL needs a host name and no user name or password."))
    if parts.fragment:
        raise Refused(_("The URL may not have a #fragment."))
    try:  # an international name is sent as its ASCII form (IDNA)
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise Refused(_("This is not a valid URL.")) from exc
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    if any(ord(char) < 33 or ord(char) > 126 for char in path):
        raise Refused(_("This is not a valid URL."))
    default = 443 if parts.scheme == "https" else 80
    return parts.scheme, host, port or default, path


def _check_address(address: str) -> None:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if current_app.config["WEBHOOKS_ALLOW_PRIVATE"]:
        return
    if not ip.is_global or ip.is_multicast:
        raise Refused(
            _("Webhooks may not go to this host or a private network (%(address)s).", address=ip)
        )
