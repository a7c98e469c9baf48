"""PDF from HTML. WeasyPrint lays the pages out in a child process (``pdf_layout``).

WeasyPrint and one layout take some 60 MB that a long-running worker would keep for good
(memory freed by Python is rarely given back). Each PDF is therefore made by a new
interpreter that runs ``pdf_layout.py``, reads the HTML on stdin, writes the PDF to stdout
and ends, returning all of it. Starting it and importing WeasyPrint cost about half a second.

The child is started, not forked. A child forked from a gunicorn worker kept the worker's
signal handlers, so SIGTERM only set a flag in it, and ``multiprocessing.Pool`` ends its
worker with SIGTERM after taking the lock of its task queue for good: a child that had not
yet come back to that lock waited on it for ever, and the worker waited for the child until
gunicorn killed it. A new interpreter shares no handlers, locks, threads or connections.

Every PDF is bounded: the parent kills its child at the deadline and reaps it; the child
ends itself a little later by an alarm of its own (should its parent have been killed first)
and cannot grow beyond ``memory_mb``.
"""

from __future__ import annotations

import contextlib
import logging
import subprocess
import sys
import time
from pathlib import Path

STATIC_FOLDER = Path(__file__).resolve().parents[2] / "static"
LAYOUT_SCRIPT = Path(__file__).with_name("pdf_layout.py")
TIMEOUT_SECONDS = 20.0
MEMORY_MB = 1024

log = logging.getLogger(__name__)


class PdfError(Exception):
    """The PDF could not be made: the child failed or ran out of time."""


class PdfTimeout(PdfError):
    """The child did not finish before the deadline and was killed."""


def render(
    html: str,
    *,
    static_folder: str | Path = STATIC_FOLDER,
    timeout: float = TIMEOUT_SECONDS,
    memory_mb: int = MEMORY_MB,
) -> bytes:
    """Lay out the HTML on A4 pages in a child process and return the PDF.

    Raise ``PdfTimeout`` when it takes longer than ``timeout`` seconds, ``PdfError`` when
    the child fails; either way no child is left behind.
    """
    started = time.monotonic()
    child = _start(static_folder, timeout, memory_mb)
    try:
        body, errors = child.communicate(html.encode("utf-8"), timeout=timeout)
    except subprocess.TimeoutExpired:
        raise PdfTimeout(
            f"no PDF after {time.monotonic() - started:.1f} s (limit {timeout:g} s)"
        ) from None
    finally:
        _end(child)
    if child.returncode != 0 or not body.startswith(b"%PDF"):
        raise PdfError(f"renderer exited with {child.returncode}: {_tail(errors)}")
    if errors.strip():  # WeasyPrint's warnings, e.g. a refused URL
        log.warning("PDF renderer: %s", _tail(errors))
    return body


def _start(static_folder: str | Path, timeout: float, memory_mb: int) -> subprocess.Popen:
    # -I: no environment variables, user site or script folder on the path; the folder of
    # pdf_layout.py holds modules named like installed packages (docx, markdown).
    command = [sys.executable, "-I", str(LAYOUT_SCRIPT), str(static_folder)]
    command += [f"{timeout:g}", str(memory_mb)]
    return subprocess.Popen(  # noqa: S603 - our own script; the arguments are no user input
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _end(child: subprocess.Popen) -> None:
    """Kill the child if it still runs, reap it and close its pipes, whatever interrupted."""
    if child.poll() is None:
        child.kill()
        child.wait()  # reaped: no zombie
    for pipe in (child.stdin, child.stdout, child.stderr):
        with contextlib.suppress(OSError):  # a killed child's stdin may be a broken pipe
            pipe.close()


def _tail(errors: bytes, lines: int = 5) -> str:
    text = [line for line in errors.decode("utf-8", "replace").splitlines() if line.strip()]
    return " | ".join(text[-lines:])
