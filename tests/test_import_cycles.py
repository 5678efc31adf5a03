"""No import cycle in `src/deckgen`: every import counts, in a function or for type checking."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "deckgen"


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


def test_no_import_cycle() -> None:
    assert _shown(_cycles(_graph(PACKAGE))) == []


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
