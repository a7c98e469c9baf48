"""Markdown render times against the 50 ms budget: `python -m bench.markdown`.

Renders each pathological input of tests/test_markdown_render.py and an ordinary text of
the same length, prints the CPU time (best of five) and whether it is within the budget.
Run it on an idle machine: the figures are the renderer's, the unit test checks linearity.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

BUDGET_MS = 50.0


def main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_markdown_render import PATHOLOGICAL, ordinary  # the inputs, kept in one place

    from tracker import create_app, limits
    from tracker.config import TestingConfig
    from tracker.templating import render_markdown

    def best(text: str) -> float:
        times = []
        for _ in range(5):
            start = time.process_time()
            render_markdown(text)
            times.append(time.process_time() - start)
        return min(times) * 1000

    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="sqlite://")
    over = 0
    with app.app_context():
        print(f"{'input':32} {'chars':>9} {'ms':>7}  budget {BUDGET_MS:.0f} ms")
        rows = {"ordinary Markdown": ordinary(limits.MARKDOWN), **PATHOLOGICAL}
        for name, text in rows.items():
            ms = best(text)
            within = ms <= BUDGET_MS
            over += not within
            print(f"{name:32} {len(text):9,} {ms:7.1f}  {'ok' if within else 'OVER'}")
    print(f"{len(rows) - over} of {len(rows)} within {BUDGET_MS:.0f} ms")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
