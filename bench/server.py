"""gunicorn on 127.0.0.1 with sync workers: start, wait until it answers, read RSS, stop."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_mb(pid: int) -> float | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


class Gunicorn:
    """One gunicorn master with ``workers`` sync workers serving ``app`` (module:variable)."""

    def __init__(self, app: str, env: dict[str, str], workers: int = 2, probe: str = "/"):
        self.app = app
        self.env = env
        self.workers = workers
        self.probe = probe
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--worker-class",
            "sync",
            "--bind",
            f"{HOST}:{self.port}",
            "--timeout",
            "120",
            "--graceful-timeout",
            "5",
            self.app,
        ]

    def start(self, timeout: float = 60) -> None:
        """Start the server and return once every worker answers the probe path."""
        self.process = subprocess.Popen(
            self.command(),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn {self.app} exited with {self.process.returncode}")
            if self._answers() and len(self.worker_pids()) == self.workers:
                return
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"gunicorn {self.app} did not answer within {timeout:.0f} s")

    def _answers(self) -> bool:
        connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
        try:
            connection.request("GET", self.probe)
            return connection.getresponse().status < 500
        except OSError:
            return False
        finally:
            connection.close()

    def worker_pids(self) -> list[int]:
        """The pids of the master's child processes (its workers)."""
        return children(self.process.pid) if self.process else []

    def worker_rss_mb(self) -> list[float]:
        """Resident memory (VmRSS) of each worker in MB."""
        return [size for size in map(rss_mb, self.worker_pids()) if size is not None]

    def helper_rss_mb(self) -> list[float]:
        """Resident memory of the workers' own child processes (the PDF renderers' servers)."""
        pids = [pid for worker in self.worker_pids() for pid in children(worker)]
        return [size for size in map(rss_mb, pids) if size is not None]

    def stop(self) -> None:
        """Stop master and workers (this server's process group only)."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def __enter__(self) -> Gunicorn:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
