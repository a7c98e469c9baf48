"""How many PDFs are laid out at once: a few slots shared by all workers, one per user.

A slot is an exclusive ``flock`` on a small file in a folder (the instance folder's
``pdf-locks``), so the workers of one host share the slots without a server, and a slot
is given back by the kernel even when its worker is killed. A request that gets no slot
within its wait is refused with ``PdfBusy`` rather than holding its worker longer.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path

POLL_SECONDS = 0.05


class PdfBusy(Exception):
    """No slot became free within the wait."""


@contextlib.contextmanager
def render_slot(folder: str | Path, *, user: str, slots: int, wait: float) -> Iterator[None]:
    """Hold the user's own lock and one of ``slots`` shared ones, waiting ``wait`` s at most."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    shared = [f"slot-{n}.lock" for n in range(max(slots, 1))]
    # The user's lock first: a user's second PDF waits without holding a shared slot.
    with _one_of(folder, [f"user-{user}.lock"], deadline), _one_of(folder, shared, deadline):
        yield


@contextlib.contextmanager
def _one_of(folder: Path, names: list[str], deadline: float) -> Iterator[None]:
    """Lock one of the named files, trying them all until the deadline."""
    descriptors = [os.open(folder / name, os.O_RDWR | os.O_CREAT, 0o600) for name in names]
    try:
        while not any(_try_lock(fd) for fd in descriptors):
            if time.monotonic() >= deadline:
                raise PdfBusy(f"none of {len(names)} PDF slot(s) free in time")
            time.sleep(POLL_SECONDS)
        yield
    finally:
        for fd in descriptors:
            os.close(fd)  # closing gives the lock back


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
