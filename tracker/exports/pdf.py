"""PDF from HTML. WeasyPrint lays the pages out in a child process (``pdf_layout``).

WeasyPrint and one layout take some 60 MB that a long-running worker would keep; a child
gives them back when it ends. The children are forked from a small server process that has
WeasyPrint imported already, so a PDF does not pay for the import.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

STATIC_FOLDER = Path(__file__).resolve().parents[2] / "static"
LAYOUT_MODULE = "tracker.exports.pdf_layout"

_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload([LAYOUT_MODULE])


def start_renderer() -> None:
    """Start the fork server now rather than with the first PDF (about a second)."""
    from multiprocessing import forkserver

    forkserver.ensure_running()


def render(html: str, *, static_folder: str | Path = STATIC_FOLDER) -> bytes:
    """Lay out the HTML on A4 pages in a child process and return the PDF."""
    with _context.Pool(1) as pool:
        return pool.apply(_layout, (html, str(static_folder)))


def _layout(html: str, static_folder: str) -> bytes:
    from tracker.exports import pdf_layout

    return pdf_layout.render(html, static_folder=static_folder)
