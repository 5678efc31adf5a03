"""Errors and warnings that point at the author's file and line, compiler style."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Diagnostic:
    """One message about a place in a file: rendered as `path:line: message`."""

    path: Path | str
    line: int | None
    message: str
    severity: str = "warning"

    def __str__(self) -> str:
        where = f"{display_path(self.path)}:{self.line}" if self.line else display_path(self.path)
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{where}: {prefix}{self.message}"


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


class DeckgenError(Exception):
    """A problem with the user's input. The CLI prints it as one line, no traceback."""

    exit_code = 1

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.diagnostic = Diagnostic(path, line, message, severity="error")
        super().__init__(str(self.diagnostic))

    def __reduce__(self) -> tuple[type[DeckgenError], tuple[Path | str, int | None, str]]:
        # Errors raised in a `--jobs` worker process are pickled back to the parent.
        diagnostic = self.diagnostic
        return type(self), (diagnostic.path, diagnostic.line, diagnostic.message)


class ContentError(DeckgenError):
    """The lessons cannot be turned into decks (exit code 1)."""


class ConfigError(DeckgenError):
    """deckgen.yaml or the command line is wrong (exit code 2)."""

    exit_code = 2
