"""Print the import graph between the packages of tracker/.

Every module under tracker/ is parsed with `ast`; each import is resolved to the module
it names and attributed to a node: a sub-package (`tracker.items`) or a top-level module
(`tracker.db`); tracker/__init__.py, the app factory, is the node `tracker`. Imports are
of three kinds, counted separately: at module level, inside a function (often there only
to dodge a cycle, so it counts as an edge all the same), and under `if TYPE_CHECKING:`
(never run, so left out of the cycles but still listed).

    .venv/bin/python scripts/dependencies.py [ROOT]
"""

from __future__ import annotations

import ast
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

PACKAGE = "tracker"
KINDS = ("module", "function", "typing")
RUNTIME = ("module", "function")


@dataclass(frozen=True)
class Import:
    """One import statement's target, seen from the module that runs it."""

    source: str
    target: str
    kind: str
    line: int


def module_names(root: Path) -> dict[str, Path]:
    """Map the dotted name of every module under root/tracker to its file."""
    names = {}
    for path in sorted((root / PACKAGE).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def node_of(module: str) -> str:
    """The graph node a module belongs to: its sub-package (or top-level module) of tracker."""
    parts = module.split(".")
    return ".".join(parts[:2]) if len(parts) > 1 else parts[0]


def resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of name that is a module of ours, or None."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Collector(ast.NodeVisitor):
    def __init__(self, module: str, is_package: bool, modules: dict[str, Path]):
        self.module, self.is_package, self.modules = module, is_package, modules
        self.kind = "module"
        self.found: list[Import] = []

    def _add(self, name: str, line: int) -> None:
        target = resolve(name, self.modules)
        if target is not None and target != self.module:
            self.found.append(Import(self.module, target, self.kind, line))

    def _within(self, kind: str, node: ast.AST) -> None:
        outer, self.kind = self.kind, kind
        self.generic_visit(node)
        self.kind = outer

    def visit_FunctionDef(self, node: ast.AST) -> None:
        self._within("function", node)

    visit_AsyncFunctionDef = visit_Lambda = visit_FunctionDef

    def visit_If(self, node: ast.If) -> None:
        if self.kind == "module" and _is_type_checking(node.test):
            self._within("typing", node)
        else:
            self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name, node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:
            package = self.module.split(".")
            if not self.is_package:
                package.pop()
            package = package[: len(package) - node.level + 1]
            base = ".".join(package + ([base] if base else []))
        for alias in node.names:
            # `from tracker.x import y` names the module tracker.x.y when there is one.
            self._add(f"{base}.{alias.name}", node.lineno)


def collect(root: Path) -> list[Import]:
    """Every import between modules of tracker/, in file order, one per statement and target."""
    modules = module_names(root)
    found = []
    for name, path in modules.items():
        collector = _Collector(name, path.name == "__init__.py", modules)
        collector.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        # `from a import B, C` is one import of a, however many names it takes.
        found.extend(dict.fromkeys(collector.found))
    return found


def package_edges(imports: list[Import], kinds=KINDS) -> Counter:
    """(source node, target node, kind) -> number of imports, between different nodes."""
    edges = Counter()
    for i in imports:
        if i.kind in kinds:
            source, target = node_of(i.source), node_of(i.target)
            if source != target:
                edges[source, target, i.kind] += 1
    return edges


def graph(imports: list[Import], kinds=RUNTIME) -> dict[str, set[str]]:
    """Node -> the nodes it imports (only the given kinds)."""
    nodes = defaultdict(set)
    for i in imports:
        nodes[node_of(i.source)]
        nodes[node_of(i.target)]
    for source, target, _kind in package_edges(imports, kinds):
        nodes[source].add(target)
    return dict(nodes)


def mutual_pairs(imports: list[Import], kinds=RUNTIME) -> list[tuple[str, str]]:
    """Pairs of nodes that import each other both ways."""
    nodes = graph(imports, kinds)
    return sorted((a, b) for a in nodes for b in nodes[a] if a < b and a in nodes[b])


def components(nodes: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components (Tarjan), dependencies before their dependents."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(nodes[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            result.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(nodes) + 100))
    for node in sorted(nodes):
        if node not in index:
            visit(node)
    return result


def cycles(imports: list[Import], kinds=RUNTIME) -> list[list[str]]:
    """The components of more than one node: packages that reach each other."""
    return [c for c in components(graph(imports, kinds)) if len(c) > 1]


def layers(imports: list[Import], kinds=RUNTIME) -> list[list[str]]:
    """Nodes by layer: 0 imports nothing of ours, n imports layers below n only.

    A cycle's members share one layer, shown as a single group.
    """
    nodes = graph(imports, kinds)
    level, group_of = {}, {}
    for component in components(nodes):
        name = " + ".join(component) if len(component) > 1 else component[0]
        below = {group_of[t] for n in component for t in nodes[n] if t not in component}
        level[name] = 1 + max((level[g] for g in below), default=-1)
        group_of.update(dict.fromkeys(component, name))
    result = defaultdict(list)
    for name, n in level.items():
        result[n].append(name)
    return [sorted(result[n]) for n in sorted(result)]


def report(imports: list[Import]) -> str:
    """The text printed by the script."""
    lines = ["Edges (source -> target: module-level / in functions / TYPE_CHECKING)"]
    edges = package_edges(imports)
    pairs = sorted({(s, t) for s, t, _k in edges})
    for source, target in pairs:
        counts = " / ".join(str(edges[source, target, k]) for k in KINDS)
        lines.append(f"  {source} -> {target}: {counts}")
    mutual = mutual_pairs(imports)
    module_only = len(mutual_pairs(imports, ("module",)))
    with_typing = len(mutual_pairs(imports, ("module", "typing")))
    lines += [
        "",
        f"Pairs importing each other both ways: {len(mutual)} (module level alone: "
        f"{module_only}; module level with TYPE_CHECKING: {with_typing})",
    ]
    for a, b in mutual:
        lines.append(f"  {a} <-> {b}  ({_why(imports, a, b)}; {_why(imports, b, a)})")
    found = cycles(imports)
    lines += ["", f"Cycles (strongly connected components of more than one node): {len(found)}"]
    lines += [f"  {' , '.join(c)}" for c in found]
    lines += ["", "Layers (0 imports nothing of ours; each imports only the layers below)"]
    lines += [f"  {n}: {', '.join(group)}" for n, group in enumerate(layers(imports))]
    typing_only = mutual_pairs(imports, KINDS)
    extra = sorted(set(typing_only) - set(mutual))
    if extra:
        lines += ["", "Pairs that import each other only when TYPE_CHECKING is counted:"]
        lines += [f"  {a} <-> {b}" for a, b in extra]
    return "\n".join(lines)


def _why(imports: list[Import], source: str, target: str) -> str:
    """The modules behind an edge: `a.b -> c.d (function)`, at most two shown."""
    seen = sorted(
        {
            f"{i.source}->{i.target}{'' if i.kind == 'module' else ' (' + i.kind + ')'}"
            for i in imports
            if i.kind in RUNTIME
            and node_of(i.source) == source
            and node_of(i.target) == target
        }
    )
    return ", ".join(seen[:2]) + (f", +{len(seen) - 2}" if len(seen) > 2 else "")


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    print(report(collect(root)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
