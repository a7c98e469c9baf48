"""The packages of tracker/ import each other top-down: no cycles, lower layers stay lower.

The graph is scripts/dependencies.py's: imports at module level and inside functions both
count (an import moved into a function to dodge a cycle is the cycle still); imports under
``if TYPE_CHECKING:`` never run and do not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.dependencies import collect, cycles

IMPORTS = collect(Path(__file__).resolve().parent.parent)
UPPER_LAYERS = ("views", "services", "forms")

def _layer(module: str) -> str:
    """A module's layer by its name: `tracker.auth.reset_views` is a views module."""
    name = module.rsplit(".", 1)[-1]
    return next(
        (layer for layer in UPPER_LAYERS if name == layer or name.endswith(f"_{layer}")), ""
    )


def _is_models(module: str) -> bool:
    return module.count(".") == 2 and module.rsplit(".", 1)[-1] in ("models", "factor_models")


def _is_lower_layer(module: str) -> bool:
    return module == "tracker.templating" or module.startswith("tracker.exports.")


def test_no_cycles_between_packages():
    assert cycles(IMPORTS) == []


@pytest.mark.parametrize("module", sorted({i.source for i in IMPORTS if _is_models(i.source)}))
def test_models_import_no_views_services_or_forms(module):
    wrong = [
        f"{i.target} (line {i.line})" for i in IMPORTS if i.source == module and _layer(i.target)
    ]
    assert wrong == []


def test_templating_and_exports_import_no_feature_views():
    wrong = [
        f"{i.source} -> {i.target}"
        for i in IMPORTS
        if _is_lower_layer(i.source)
        and _layer(i.target) == "views"
        and not _is_lower_layer(i.target)
    ]
    assert wrong == []
