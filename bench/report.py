"""The result tables, in Markdown, and the description of the machine."""

from __future__ import annotations

import math
import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.load import Measurement, Run


@dataclass
class Figure:
    """A figure outside the page table: seeding, the PDF, memory."""

    name: str
    value: str
    budget: str
    met: bool | None  # None: a figure without a budget


def _ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.1f}"


def _verdict(met: bool | None) -> str:
    return "–" if met is None else "yes" if met else "**NO**"


def budget_text(m: Measurement) -> str:
    parts = []
    if m.page.p50_budget is not None:
        parts.append(f"p50 ≤ {m.page.p50_budget:.0f}")
    if m.page.p95_budget is not None:
        parts.append(f"p95 ≤ {m.page.p95_budget:.0f}")
    return ", ".join(parts) or "–"


def meets(m: Measurement, run: Run) -> bool:
    """Whether the page answered correctly and within its budgets in ``run``."""
    ok = run.errors == 0 and run.count > 0 and not (m.writes and m.writes.errors)
    if m.page.p50_budget is not None:
        ok = ok and run.percentile(50) <= m.page.p50_budget
    if m.page.p95_budget is not None:
        ok = ok and run.percentile(95) <= m.page.p95_budget
    return ok


def page_table(reference: Measurement, measured: list[Measurement], concurrency: int) -> str:
    """Latencies and throughput at ``concurrency`` connections, then on one connection."""
    head = (
        f"| page ({concurrency} conn.) | p50 ms | p95 ms | req/s | of reference "
        "| 1 conn. p50 / p95 ms | KB | errors | load | budget | met | met at 1 conn. |\n"
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|---|---|---|\n"
    )
    rows = [_row(reference, reference, with_budget=False)]
    rows += [_row(m, reference) for m in measured]
    return head + "\n".join(rows)


def _row(m: Measurement, reference: Measurement, with_budget: bool = True) -> str:
    share = m.load.rps / reference.load.rps if reference.load.rps else math.nan
    size = m.load.bytes / m.load.count / 1024 if m.load.count else 0
    single = f"{_ms(m.single.percentile(50))} / {_ms(m.single.percentile(95))}"
    verdict = _verdict(meets(m, m.load)) if with_budget else "–"
    single_verdict = _verdict(meets(m, m.single)) if with_budget and m.single.count else "–"
    return (
        f"| {m.page.name} | {_ms(m.load.percentile(50))} | {_ms(m.load.percentile(95))} "
        f"| {m.load.rps:.1f} | {share:.1%} | {single} | {size:.1f} | {m.load.errors} "
        f"| {m.loadavg:.2f} | {budget_text(m) if with_budget else '–'} | {verdict} "
        f"| {single_verdict} |"
    )


def writes_table(measured: list[Measurement]) -> str:
    """The tail of the pages measured while items were being created, and those writes."""
    rows = [m for m in measured if m.writes is not None]
    if not rows:
        return ""
    head = (
        "| page, while items are created | p95 ms | p99 ms | max ms | items created "
        "| creation p50 / max ms | creation errors |\n|---|--:|--:|--:|--:|--:|--:|\n"
    )
    return head + "\n".join(
        f"| {m.page.name} | {_ms(m.load.percentile(95))} | {_ms(m.load.percentile(99))} "
        f"| {_ms(m.load.percentile(100))} | {m.writes.count} "
        f"| {_ms(m.writes.percentile(50))} / {_ms(m.writes.percentile(100))} "
        f"| {m.writes.errors} |"
        for m in rows
    )


def figure_table(figures: list[Figure]) -> str:
    head = "| figure | value | budget | met |\n|---|---|---|---|\n"
    return head + "\n".join(
        f"| {f.name} | {f.value} | {f.budget} | {_verdict(f.met)} |" for f in figures
    )


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    return math.nan


def machine() -> str:
    """Cores, memory and CPU model of this machine."""
    return (
        f"{os.cpu_count()} cores ({_cpu_model()}), {_memory_gb():.1f} GB memory, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def source(root: Path) -> str:
    """The commit of the code measured, and whether the working tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown (no git)"
    if not commit:
        return "unknown (not a git checkout)"
    return commit + (" with uncommitted changes" if dirty else "")
