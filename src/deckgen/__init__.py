"""deckgen: turn Markdown course lessons into Anki decks with stable note identities.

`deckgen.build(...)`, `deckgen.check(...)` and `deckgen.diff(...)` do what the commands do;
`deckgen.api` has every command, `items`, `preview` and `lint` too (the package's modules of
those names keep the package attributes).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from deckgen.api import (
        BuildReport,
        CheckReport,
        DiffReport,
        ItemsReport,
        LintReport,
        PreviewReport,
        build,
        check,
        diff,
    )
    from deckgen.builder import LessonDeck, plan_lesson
    from deckgen.compare import decks_at_revision, diff_paths, load_decks
    from deckgen.config import Config, load_config
    from deckgen.diagnostics import ConfigError, ContentError, DeckgenError, Diagnostic
    from deckgen.layout import find_lessons
    from deckgen.notediff import Diff

from deckgen.version import __version__

# Every name is loaded on first use (PEP 562): the CLI imports this package, and a build with
# nothing to do (every pre-commit run) must not pay for the parser, genanki or the extractors.
_LAZY = {
    "BuildReport": "deckgen.api",
    "CheckReport": "deckgen.api",
    "DiffReport": "deckgen.api",
    "ItemsReport": "deckgen.api",
    "LintReport": "deckgen.api",
    "PreviewReport": "deckgen.api",
    "build": "deckgen.api",
    "check": "deckgen.api",
    "diff": "deckgen.api",
    "LessonDeck": "deckgen.builder",
    "plan_lesson": "deckgen.builder",
    "decks_at_revision": "deckgen.compare",
    "diff_paths": "deckgen.compare",
    "load_decks": "deckgen.compare",
    "Config": "deckgen.config",
    "load_config": "deckgen.config",
    "ConfigError": "deckgen.diagnostics",
    "ContentError": "deckgen.diagnostics",
    "DeckgenError": "deckgen.diagnostics",
    "Diagnostic": "deckgen.diagnostics",
    "find_lessons": "deckgen.layout",
    "Diff": "deckgen.notediff",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'deckgen' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_LAZY[name]), name)


__all__ = [
    "BuildReport",
    "CheckReport",
    "Config",
    "ConfigError",
    "ContentError",
    "DeckgenError",
    "Diagnostic",
    "Diff",
    "DiffReport",
    "ItemsReport",
    "LessonDeck",
    "LintReport",
    "PreviewReport",
    "__version__",
    "build",
    "check",
    "decks_at_revision",
    "diff",
    "diff_paths",
    "find_lessons",
    "load_config",
    "load_decks",
    "plan_lesson",
]
