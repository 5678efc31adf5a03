"""Errors and warnings that point at the author's file and line, compiler style."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
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
        return self.shown_with(display_path)

    def shown_with(self, show_path: Callable[[Path | str], str]) -> str:
        """As `str()` gives it, with paths shown by `show_path` (a `PathDisplay`, say): always
        one line (see `one_line`)."""
        where = f"{show_path(self.path)}:{self.line}" if self.line else show_path(self.path)
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return one_line(f"{where}: {prefix}{self.message}")


# What must not reach a terminal or a CI log as it is: line breaks (a file name with a newline
# would split a message in two, and its second half could pass for a CI annotation), other
# control characters (terminal escapes), bidi overrides (text shown in another order than
# it is), and the bytes of a file name that are not UTF-8 (surrogate escapes, which no
# UTF-8 stream can write).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text: str) -> str:
    """`text` as one line that any terminal and log shows as it is: line breaks and control
    characters escaped (`\\n`, `\\x1b`, `\\u202e`), and a file name's bytes that are not
    UTF-8 shown as `\\xff`. Every path and message deckgen prints goes through it."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as `os.fsdecode` keeps it
        return f"\\x{code - 0xDC00:02x}"
    return _NAMED.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


def display_path(path: Path | str) -> str:
    """A path as the user would type it: relative to the working directory when inside it."""
    return PathDisplay()(path)


class PathDisplay:
    """`display_path` for the many paths of one command's output, each folder resolved once.

    Resolving a path costs a system call per folder above it, and a build's report shows two
    paths per lesson, `list` one per item: most of what printing them cost.
    """

    def __init__(self) -> None:
        self._real: dict[str, str] = {}  # path as given -> os.path.realpath of it
        self._shown: dict[str, str] = {}

    def __call__(self, path: Path | str) -> str:
        given = str(path)
        if given not in self._shown:
            try:
                shown = self._inside_cwd(self._realpath(given))
            except (ValueError, OSError):  # outside the working directory, or no such one
                shown = given
            self._shown[given] = one_line(shown)
        return self._shown[given]

    def _realpath(self, path: str) -> str:
        """`os.path.realpath(path)`: an entry that is no symlink (nor `.` or `..`) is where its
        resolved folder says; only the rest is resolved in full."""
        if path not in self._real:
            folder, name = os.path.split(path)
            if name in ("", os.curdir, os.pardir) or os.path.islink(path):
                self._real[path] = os.path.realpath(path)
            else:
                self._real[path] = os.path.join(self._realpath(folder), name)
        return self._real[path]

    @staticmethod
    def _inside_cwd(path: str) -> str:
        """`str(Path(path).relative_to(os.getcwd()))` for a normalized absolute path."""
        cwd = os.getcwd()
        if path == cwd:
            return os.curdir
        inside = cwd if cwd.endswith(os.sep) else cwd + os.sep
        if not path.startswith(inside):
            raise ValueError(f"{path} is not inside {cwd}")
        return path[len(inside) :]


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
