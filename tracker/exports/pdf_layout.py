"""WeasyPrint's side of the PDF export: it loads nothing but the app's own static files.

Imported only in the renderer's child processes (see ``pdf``), and directly by tests.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from tracker.exports.pdf import STATIC_FOLDER


class StaticOnlyFetcher(URLFetcher):
    """Serve files below one folder (and data: URLs); refuse the network and other files.

    User text is escaped in the templates anyway; this keeps a PDF export from ever reading
    local files or calling out to other servers, whatever ends up in the HTML.
    """

    def __init__(self, static_folder: str | Path = STATIC_FOLDER) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.root = Path(static_folder).resolve()

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        """Answer a data: URL or a file below the static folder; raise for anything else."""
        parts = urlsplit(url)
        if parts.scheme == "data":
            return super().fetch(url, headers)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        raise ValueError(f"refused to load {url[:80]!r}: only bundled files may load")


def base_url(static_folder: str | Path = STATIC_FOLDER) -> str:
    """The URL that relative links in export templates resolve against."""
    return Path(static_folder).resolve().as_uri() + "/"


def render(html: str, *, static_folder: str | Path = STATIC_FOLDER) -> bytes:
    """Lay out the HTML on A4 pages in this process and return the PDF."""
    document = HTML(
        string=html,
        base_url=base_url(static_folder),
        url_fetcher=StaticOnlyFetcher(static_folder),
    )
    return document.write_pdf()
