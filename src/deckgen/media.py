"""Images a lesson's cards show: found under the lessons root, packed under their content hash.

A card must work offline and must not reach outside the course: a URL, an absolute path or a
path that climbs out of the lessons directory is never packed, and the author gets a warning
with the file and line instead.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from deckgen.diagnostics import Diagnostic

# What a card's <img> can show. Anything else (a .md, a .env) is not an image to pack.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp"})
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@dataclass
class LessonMedia:
    """The images one lesson's notes refer to, as {packed name: bytes}, and what was refused."""

    root: Path  # the lessons directory: nothing outside it is packed
    lesson: Path  # relative targets are relative to the lesson's folder
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)

    def pack(self, target: str, line: int) -> str | None:
        """The name `target` is packed under, or None (and a warning) when it is not packed."""
        problem, data, suffix = self._read(unquote(target.strip()))
        if problem:
            self.warnings.append(Diagnostic(self.lesson, line, f"image {target!r} {problem}"))
            return None
        # Named by content: two lessons' `images/x.png` that differ never overwrite each other
        # in a learner's collection, and the same picture is stored once.
        name = hashlib.sha256(data).hexdigest()[:32] + suffix
        self.files[name] = data
        return name

    def _read(self, target: str) -> tuple[str, bytes, str]:
        if _SCHEME.match(target) or target.startswith("//"):
            return "is a URL, not packed (cards must work offline)", b"", ""
        if target.startswith(("/", "\\")) or Path(target).is_absolute():
            return "is an absolute path, not packed", b"", ""
        path = (self.lesson.parent / target).resolve()
        if not path.is_relative_to(self.root.resolve()):
            return "is outside the lessons directory, not packed", b"", ""
        suffix = path.suffix.lower()
        if suffix not in IMAGE_SUFFIXES:
            return "is not an image file, not packed", b"", ""
        try:
            return "", path.read_bytes(), suffix
        except FileNotFoundError:
            return "not found", b"", ""
        except OSError as exc:
            return f"cannot be read: {exc.strerror or exc}", b"", ""
