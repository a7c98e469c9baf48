"""Web addresses people type for companies and networks: http and https only."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tracker.exceptions import ValidationFailed
from tracker.i18n import _

SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def clean_website(url: str) -> str:
    """Accept only http and https addresses; add https:// to a bare host name."""
    url = (url or "").strip()
    if not url:
        return ""
    if not SCHEME.match(url):
        url = "https://" + url  # a bare host name
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or "." not in parts.hostname:
        raise ValidationFailed(
            _("Please give a web address starting with http or https."), field="website"
        )
    return url
