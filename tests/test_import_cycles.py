"""No import cycle in `src/deckgen`: every import counts, in a function or for type checking."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "deckgen"

# Imports that close a cycle today, each removed by another branch of issue 13 (they own the
# files). `test_known_import_is_off_every_cycle` is expected to fail for each until its branch
# lands; then it passes, strict xfail turns the pass into a failure, and the entry comes out.
KNOWN = {
    ("deckgen.cache", "deckgen.builder"): "cache branch: the cache names the builder's plan "
    "type, which it unpickles",
    # `from deckgen import __version__`: the package re-exports the builder for type checkers,
    # and the builder imports the cache and the stamp.
    ("deckgen.cache", "deckgen"): "cache branch: __version__ read from the package facade",
    ("deckgen.stamp", "deckgen"): "cache branch: __version__ read from the package facade",
}


def _modules(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (`__init__` as the package)."""
    modules = {}
    for path in sorted(package.rglob("*.py")):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = path
    return modules


def _imports(tree: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import at any depth, those under `if TYPE_CHECKING:` too: a type one module needs
    from another is a dependency all the same (`cache` naming `builder`'s plan type is what
    makes it unpickle one)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node


def _graph(package: Path) -> dict[str, set[str]]:
    """Module -> the package's modules it imports, by name (`from a import b` means `a.b` when
    `a.b` is a module). Parent packages that an import runs on the way are not edges: every
    submodule would otherwise make a cycle with the package that lists it."""
    modules = _modules(package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = name.split(".")
                    anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [
                    f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                    for alias in node.names
                ]
            graph[name].update(target for target in targets if target in modules)
    return graph


def _cycles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one module, or a module importing itself
    (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.add(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _shown(cycles: set[frozenset[str]]) -> list[str]:
    return sorted(" <-> ".join(sorted(cycle)) for cycle in cycles)


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, pending = {start}, [start]
    while pending:
        for target in graph[pending.pop()] - seen:
            if target == goal:
                return True
            seen.add(target)
            pending.append(target)
    return start == goal


def test_no_import_cycle_but_the_known_ones() -> None:
    graph = _graph(PACKAGE)
    for importer, imported in KNOWN:
        graph[importer].discard(imported)
    assert _shown(_cycles(graph)) == []


@pytest.mark.parametrize(
    "edge",
    [
        pytest.param(edge, marks=pytest.mark.xfail(strict=True, reason=why))
        for edge, why in KNOWN.items()
    ],
    ids=[f"{importer}->{imported}" for importer, imported in KNOWN],
)
def test_known_import_is_off_every_cycle(edge: tuple[str, str]) -> None:
    importer, imported = edge
    graph = _graph(PACKAGE)
    on_cycle = imported in graph[importer] and _reaches(graph, imported, importer)
    assert not on_cycle, f"{importer} imports {imported}, which imports {importer} back"


def test_the_walk_finds_a_cycle_made_by_an_import_in_a_function(tmp_path: Path) -> None:
    package = tmp_path / "deckgen"
    (package / "extract").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "config.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from deckgen import lesson\n"
        "def names():\n    from deckgen.extract import EXTRACTORS\n    return EXTRACTORS\n"
    )
    (package / "extract" / "__init__.py").write_text("from . import common\nEXTRACTORS = {}\n")
    (package / "extract" / "common.py").write_text("from ..config import names\n")
    (package / "lesson.py").write_text("import deckgen.config\n")
    graph = _graph(package)
    assert graph["deckgen.config"] == {"deckgen.extract", "deckgen.lesson"}
    assert graph["deckgen.extract"] == {"deckgen.extract.common"}
    assert _shown(_cycles(graph)) == [
        "deckgen.config <-> deckgen.extract <-> deckgen.extract.common <-> deckgen.lesson"
    ]
    assert _reaches(graph, "deckgen.extract.common", "deckgen.lesson")
    assert not _reaches(graph, "deckgen.extract", "deckgen")
