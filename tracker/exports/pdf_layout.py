"""WeasyPrint's side of the PDF export: it loads nothing but the app's own static files.

Run by ``pdf`` as a script in a new interpreter for each PDF (``python -I pdf_layout.py``):
it reads the HTML on stdin and writes the PDF to stdout. It imports nothing of the app, so
the child pays for WeasyPrint alone, not for Flask and the models. Tests import it directly.
"""

from __future__ import annotations

import logging
import math
import mimetypes
import resource
import signal
import sys
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# The same folder as ``pdf.STATIC_FOLDER``; not imported from there, which would load the app.
STATIC_FOLDER = Path(__file__).resolve().parents[2] / "static"

# Left to the child after its parent's deadline, so that the parent's kill comes first and
# the child's own alarm only ends a child whose parent was killed before it could.
ALARM_GRACE_SECONDS = 5


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


def limit_self(seconds: float, memory_mb: int) -> None:
    """End this process by SIGALRM after the seconds (and grace); cap its address space."""
    signal.alarm(math.ceil(seconds) + ALARM_GRACE_SECONDS)
    if memory_mb > 0:
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))


def main(argv: list[str]) -> int:
    """Read HTML on stdin, write the PDF to stdout: ``pdf_layout.py STATIC SECONDS MB``."""
    static_folder, seconds, memory_mb = argv[0], float(argv[1]), int(argv[2])
    limit_self(seconds, memory_mb)
    logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")  # to stderr
    html = sys.stdin.buffer.read().decode("utf-8")
    sys.stdout.buffer.write(render(html, static_folder=static_folder))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
