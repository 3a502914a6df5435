"""The package read as a graph of arrows between modules, from the source alone (no Django, no database), for
tests/test_architecture.py.

An arrow is an import statement anywhere in a file (inside functions too; relative imports resolved), or a
dotted path to one of our modules written as a string ("actiontrack.reports.renderers.render_pdf", a
settings entry): loading a module by name later is still depending on it."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "actiontrack"
_DOTTED = re.compile(r"actiontrack(\.[A-Za-z_][A-Za-z0-9_]*)+")


@dataclass(frozen=True)
class Module:
    name: str  # dotted: actiontrack.plans.models
    path: Path
    tree: ast.Module
    root: Path = ROOT  # the folder holding the package, for `where`

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def where(self) -> str:
        return self.path.relative_to(self.root).as_posix()


@dataclass(frozen=True)
class Arrow:
    source: str
    target: str
    line: int = 0
    by_name: bool = False  # a dotted path in a string, not an import statement

    def __str__(self) -> str:
        how = "names" if self.by_name else "imports"
        return f"{self.source} {how} {self.target} (line {self.line})"


def is_migration(name: str) -> bool:
    return ".migrations." in name or name.endswith(".migrations")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def read_package(root: Path = ROOT, package: str = PACKAGE) -> dict[str, Module]:
    """Every module of the package by dotted name, migrations included (so that imports of them resolve)."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        name = module_name(path, root)
        modules[name] = Module(name, path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), root)
    return modules


def _resolve(dotted: str, known: Iterable[str] | set[str]) -> str | None:
    """The longest known module that `dotted` names or is inside (a name imported from a module)."""
    parts = dotted.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return None


def _base_of_relative(module: Module, node: ast.ImportFrom) -> str:
    package = module.name if module.is_package else module.name.rpartition(".")[0]
    parts = package.split(".")
    if node.level > 1:
        parts = parts[: len(parts) - (node.level - 1)]
    return ".".join(parts + ([node.module] if node.module else []))


def _imported(module: Module, node: ast.AST, known: set[str]) -> Iterable[str]:
    """The modules an import statement makes this module depend on."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            yield alias.name
    elif isinstance(node, ast.ImportFrom):
        base = _base_of_relative(module, node) if node.level else (node.module or "")
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            yield submodule if submodule in known else base


def arrows_of(module: Module, known: set[str]) -> Iterable[Arrow]:
    """Every arrow from `module` to another module of the package (to itself and the bare package: none)."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            for dotted in _imported(module, node, known):
                target = _resolve(dotted, known) if dotted.startswith(PACKAGE) else None
                if target and target not in (module.name, PACKAGE):
                    yield Arrow(module.name, target, node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _DOTTED.fullmatch(node.value):
            target = _resolve(node.value, known)
            # A logger name such as "actiontrack.job" resolves only to the bare package: not a module reference.
            if target and target not in (module.name, PACKAGE) and node.value.count(".") - target.count(".") <= 1:
                yield Arrow(module.name, target, node.lineno, by_name=True)


def package_arrows(modules: dict[str, Module]) -> list[Arrow]:
    """All arrows between the package's modules, once per line, migrations left out. The dotted names in
    settings (installed apps, middleware, the URL configuration, the WSGI application) are the wiring Django
    reads, not what settings depend on: left out too."""
    known = set(modules)
    arrows = {arrow for module in modules.values() if not is_migration(module.name)
              for arrow in arrows_of(module, known)
              if not is_migration(arrow.target) and not (arrow.by_name and arrow.source == f"{PACKAGE}.settings")}
    return sorted(arrows, key=lambda arrow: (arrow.source, arrow.line, arrow.target))


def imported_top_levels(module: Module) -> Iterable[tuple[str, int]]:
    """(top-level package, line) for every absolute import outside the package, e.g. ("django", 3)."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name.partition(".")[0], node.lineno
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            yield node.module.partition(".")[0], node.lineno


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components of more than one node (or a node with an arrow to itself): the
    cycles. Each component sorted; the list sorted, so failures read the same on every run."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph.get(node, ())):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(sorted(component))

    for node in sorted(set(graph) | {n for successors in graph.values() for n in successors}):
        if node not in index:
            visit(node)
    return sorted(found)


def graph_of(arrows: Iterable[Arrow], unit=lambda name: name) -> dict[str, set[str]]:
    """{unit: units it has arrows to}, with `unit` mapping a module to what is compared (itself, its app)."""
    graph: dict[str, set[str]] = {}
    for arrow in arrows:
        source, target = unit(arrow.source), unit(arrow.target)
        if source is not None and target is not None and source != target:
            graph.setdefault(source, set()).add(target)
    return graph
