"""deckgen: turn Markdown course lessons into Anki decks with stable note identities."""

from deckgen.build import BuildReport, LessonDeck, build, find_lessons, plan_lesson
from deckgen.config import Config, load_config
from deckgen.diagnostics import ConfigError, ContentError, DeckgenError, Diagnostic

__version__ = "0.1.0"

__all__ = [
    "BuildReport",
    "Config",
    "ConfigError",
    "ContentError",
    "DeckgenError",
    "Diagnostic",
    "LessonDeck",
    "__version__",
    "build",
    "find_lessons",
    "load_config",
    "plan_lesson",
]
