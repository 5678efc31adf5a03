"""deckgen: turn Markdown course lessons into Anki decks with stable note identities."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from deckgen.build import BuildReport, LessonDeck, build, plan_lesson
from deckgen.config import Config, load_config
from deckgen.diagnostics import ConfigError, ContentError, DeckgenError, Diagnostic
from deckgen.diff import Diff, diff  # eager: importing the module `diff` would hide the function
from deckgen.layout import find_lessons

if TYPE_CHECKING:
    from deckgen.compare import CheckReport, check, decks_at_revision, diff_paths, load_decks

__version__ = "0.1.0"

# Loaded on first use (PEP 562): `deckgen build`, the command a pre-commit hook runs most,
# does not compare decks, and every module imported is start-up time.
_LAZY = {
    "CheckReport": "deckgen.compare",
    "check": "deckgen.compare",
    "decks_at_revision": "deckgen.compare",
    "diff_paths": "deckgen.compare",
    "load_decks": "deckgen.compare",
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
    "LessonDeck",
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
