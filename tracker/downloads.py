"""File downloads: an attachment no cache keeps, with a safe file name."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response


def disposition(filename: str) -> str:
    """An attachment header with an ASCII file name and the exact one for modern clients."""
    plain = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain).strip("-") or "export"
    return f"attachment; filename={plain}; filename*=UTF-8''{quote(filename, safe='')}"


def download(body: bytes | str, mimetype: str, filename: str) -> Response:
    """Send an export as a file download that no cache keeps."""
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = disposition(filename)
    response.headers["Cache-Control"] = "no-store"
    return response
