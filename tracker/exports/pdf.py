"""PDF from HTML. WeasyPrint lays the pages out in a child process (``pdf_layout``).

WeasyPrint and one layout take some 60 MB that a long-running worker would keep for good
(memory freed by Python is rarely given back). Each PDF is therefore made in a child forked
for it, which imports WeasyPrint, lays the pages out and ends, returning all of it. The
import costs the child about half a second; PDFs are made a few times a week.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path

STATIC_FOLDER = Path(__file__).resolve().parents[2] / "static"

# A fork shares the worker's memory until written and runs no exit handlers of the parent's
# (its database connections stay untouched); the app's workers are single-threaded.
_context = multiprocessing.get_context("fork")


def render(html: str, *, static_folder: str | Path = STATIC_FOLDER) -> bytes:
    """Lay out the HTML on A4 pages in a child process and return the PDF."""
    with _context.Pool(1) as pool:
        return pool.apply(_layout, (html, str(static_folder)))


def _layout(html: str, static_folder: str) -> bytes:
    from tracker.exports import pdf_layout

    return pdf_layout.render(html, static_folder=static_folder)
