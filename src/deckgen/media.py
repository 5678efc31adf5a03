"""Images a lesson's cards show: found under the lessons root, packed under their content hash.

A card must work offline and must not reach outside the course: a URL, an absolute path or a
path that climbs out of the lessons directory is never packed, and the author gets a warning
with the file and line instead.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

from deckgen.diagnostics import Diagnostic
from deckgen.reader import NotRegular, TooLarge

if TYPE_CHECKING:
    from deckgen.reader import Files

# What a card's <img> can show; anything else (a .md, a .env) is not an image to pack.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".bmp"})
# An image is read whole into the deck (and into the build's memory): this is some hundred
# times a diagram's size, and keeps a link to `/dev/zero` or a huge file from filling memory.
MAX_IMAGE_BYTES = 20 * 1024 * 1024
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


@dataclass
class LessonMedia:
    """The images one lesson's notes refer to, as {packed name: bytes}, and what was refused."""

    root: Path  # the lessons directory: nothing outside it is packed
    lesson: Path  # relative targets are relative to the lesson's folder
    reader: Files  # through which images are read: the plan depends on what they hold
    files: dict[str, bytes] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)
    # Every image file looked for -> its packed name ("" when missing): what a cached plan
    # reads again to pack.
    sources: dict[str, str] = field(default_factory=dict)

    def pack(self, target: str, line: int) -> str | None:
        """The name `target` is packed under, or None (and a warning) when it is not packed."""
        problem, path = self._locate(unquote(target.strip()))
        data = b""
        if path is not None:
            try:
                data = self.reader.read(path, MAX_IMAGE_BYTES)
            except FileNotFoundError:
                problem = "not found"
            except (NotRegular, TooLarge) as exc:
                problem = f"is {exc.strerror}, not packed"
            except OSError as exc:
                problem = f"cannot be read: {exc.strerror or exc}"
            self.sources[str(path)] = "" if problem else packed_name(data, path.suffix)
        if problem or path is None:
            self.warnings.append(Diagnostic(self.lesson, line, f"image {target!r} {problem}"))
            return None
        name = packed_name(data, path.suffix)
        self.files[name] = data
        return name

    def _locate(self, target: str) -> tuple[str, Path | None]:
        """The image file `target` names, or why it is not one deckgen packs."""
        if _SCHEME.match(target) or target.startswith("//"):
            return "is a URL, not packed (cards must work offline)", None
        if target.startswith(("/", "\\")) or Path(target).is_absolute():
            return "is an absolute path, not packed", None
        # realpath, not Path.resolve: an image linked to itself is one that cannot be read.
        path = Path(os.path.realpath(self.lesson.parent / target))
        if not path.is_relative_to(os.path.realpath(self.root)):
            return "is outside the lessons directory, not packed", None
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            return "is not an image file, not packed", None
        return "", path


def packed_name(data: bytes, suffix: str) -> str:
    # Named by content: two lessons' `images/x.png` that differ never overwrite each other in a
    # learner's collection, and the same picture is stored once.
    return hashlib.sha256(data).hexdigest()[:32] + suffix.lower()
