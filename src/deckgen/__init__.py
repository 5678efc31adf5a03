"""deckgen: turn Markdown course lessons into Anki decks with stable note identities."""

from deckgen.build import BuildReport, LessonDeck, build, find_lessons, plan_lesson
from deckgen.compare import CheckReport, check, decks_at_revision, diff_paths, load_decks
from deckgen.config import Config, load_config
from deckgen.diagnostics import ConfigError, ContentError, DeckgenError, Diagnostic
from deckgen.diff import Diff, diff

__version__ = "0.1.0"

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
