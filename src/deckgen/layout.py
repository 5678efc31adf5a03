"""Which Markdown files are lessons, what each lesson is called, and where its deck goes.

Lessons may sit in module folders: a folder's index page titles the module, an answer key next
to a quiz answers it, and neither becomes a deck of its own.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any, TypeVar

from deckgen.config import Config, FilesConfig
from deckgen.diagnostics import ConfigError, DeckgenError
from deckgen.lesson import Lesson, decode_text, lesson_title, read_bytes
from deckgen.stamp import file_digest

_R = TypeVar("_R")
# The answers remembered inside the current `scan_once()` block, by function and arguments.
_memo: ContextVar[dict[tuple[object, ...], object] | None] = ContextVar("layout_memo", default=None)


@contextmanager
def scan_once() -> Iterator[None]:
    """Within this block, list each folder, resolve each path and hash each plan input once.

    Every lesson asks about the files beside it and the folders above it, so a build would
    otherwise list each folder once per lesson in it. The answers last only as long as the
    block (one build): a file added in a subfolder does not change its parent's mtime, so no
    stat could tell a later build that they are stale. A block inside another shares its memo.
    """
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


_UNKNOWN = object()


def _within_scan(function: Callable[..., _R]) -> Callable[..., _R]:
    """Remember `function`'s answers inside a `scan_once()` block; outside one, always ask."""

    @wraps(function)
    def remembered(*args: Any) -> _R:
        memo = _memo.get()
        if memo is None:
            return function(*args)
        key = (function, *args)
        answer = memo.get(key, _UNKNOWN)  # one look-up: comparing paths is not free
        if answer is _UNKNOWN:
            answer = memo[key] = function(*args)
        return answer  # type: ignore[return-value]

    return remembered


@dataclass(frozen=True)
class _Folder:
    markdown: tuple[Path, ...]  # its `.md` files, sorted
    subfolders: tuple[Path, ...]  # not symlinks, which `Path.rglob` does not follow either


@_within_scan
def _listing(folder: Path) -> _Folder:
    markdown: list[Path] = []
    subfolders: list[Path] = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name.endswith(".md") and entry.is_file():
                    markdown.append(folder / entry.name)
                elif entry.is_dir(follow_symlinks=False):
                    subfolders.append(folder / entry.name)
    except OSError:
        pass  # a folder that is gone (or unreadable) has no lessons, as with `Path.glob`
    return _Folder(tuple(sorted(markdown)), tuple(sorted(subfolders)))


def _markdown_below(folder: Path) -> list[Path]:
    """The `.md` files in `folder` and every folder below it."""
    listing = _listing(folder)
    found = list(listing.markdown)
    for subfolder in listing.subfolders:
        found.extend(_markdown_below(subfolder))
    return found


@_within_scan
def _resolved(path: Path) -> Path:
    """`path.resolve()`. Inside a scan, a file that is no link sits in its resolved folder: one
    look at the file, not at every folder above it, for each lesson."""
    if _memo.get() is not None and path.name not in ("", ".", "..") and not path.is_symlink():
        return _resolved(path.parent) / path.name
    return path.resolve()


def find_lessons(paths: Sequence[Path], config: Config) -> list[Path]:
    """Markdown files named on the command line, or the lessons found under directories, sorted.

    A file named explicitly is always a lesson. Under a directory, a module's index file, an
    answer key paired with a quiz beside it, and excluded files are not.
    """
    with scan_once():
        return _find_lessons(paths, config)


def _find_lessons(paths: Sequence[Path], config: Config) -> list[Path]:
    roots = list(paths) or [config.lessons_dir]
    found: list[Path] = []
    for root in roots:
        if root.is_dir():
            candidates = sorted(_markdown_below(root))
            found.extend(p for p in candidates if _is_lesson(p, root, config.files))
        elif root.is_file():
            found.append(root)
        else:
            raise ConfigError(root, None, "no such file or directory")
    return sorted(dict.fromkeys(found))


def _is_lesson(path: Path, root: Path, files: FilesConfig) -> bool:
    relative = path.relative_to(root).as_posix()
    if any(fnmatch(relative, pattern) for pattern in files.exclude):
        return False
    if _is_index(path, files) and len(_markdown_below(path.parent)) > 1:
        return False  # the module's own page: it titles the module's decks
    return _paired_quiz(path, files) is None


def _is_index(path: Path, files: FilesConfig) -> bool:
    return any(path.name.casefold() == name.casefold() for name in files.index)


@lru_cache(maxsize=64)  # asked for every file beside every lesson
def _key_pattern(pattern: str) -> re.Pattern[str]:
    """`*-answers.md` -> a regex capturing the quiz's stem (the part the `*` stands for)."""
    return re.compile("(.*)".join(re.escape(part) for part in pattern.split("*")), re.I)


def _paired_quiz(path: Path, files: FilesConfig) -> Path | None:
    """The quiz an answer key file answers: `quiz.md` for `quiz-answers.md`, or the only one."""
    for pattern in files.answer_keys:
        match = _key_pattern(pattern).fullmatch(path.name)
        if match is None:
            continue
        if match.groups():
            quiz = path.with_name(f"{match.group(1)}.md")
            return quiz if quiz in _listing(path.parent).markdown else None
        others = [
            p
            for p in _listing(path.parent).markdown
            if p != path and not _is_index(p, files) and not _is_answer_key(p, files)
        ]
        return others[0] if len(others) == 1 else None
    return None


def _is_answer_key(path: Path, files: FilesConfig) -> bool:
    return any(_key_pattern(pattern).fullmatch(path.name) for pattern in files.answer_keys)


@_within_scan  # asked by both the cache key and the plan
def answer_key_for(path: Path, files: FilesConfig) -> Path | None:
    """The answer key file next to a quiz, if there is one."""
    for candidate in _answer_keys_in(path.parent, files):
        if candidate != path and _paired_quiz(candidate, files) == path:
            return candidate
    return None


@_within_scan  # every lesson of a folder asks which of its files are answer keys
def _answer_keys_in(folder: Path, files: FilesConfig) -> tuple[Path, ...]:
    return tuple(p for p in _listing(folder).markdown if _is_answer_key(p, files))


@_within_scan  # every lesson of a module asks
def _folder_title(folder: Path, index_names: tuple[str, ...]) -> str:
    """A module's title: the first heading of its index file, else the folder's name."""
    for name in index_names:
        index = folder / name
        if index.is_file():
            stat = index.stat()
            return _index_title(index, stat.st_mtime_ns, stat.st_size) or folder.name
    return folder.name


# Every lesson of a module asks for its title; the stat in the key notices an edited index.
@lru_cache(maxsize=256)
def _index_title(index: Path, mtime_ns: int, size: int) -> str:
    try:
        title = lesson_title(decode_text(read_bytes(index), index))
    except DeckgenError:
        return ""
    # A heading that only repeats the file name (`# README`) names no module.
    return "" if title == index.stem else title.replace("::", ":")


@_within_scan  # asked by both the cache key and the deck name
def _module_folders(path: Path, lessons_dir: Path, files: FilesConfig) -> tuple[Path, ...]:
    """The folders between `lessons/` and the lesson that each add a level to its deck name."""
    home, base = _resolved(path).parent, _resolved(lessons_dir)
    try:
        folders = home.relative_to(base).parts
    except ValueError:
        folders = ()
    found = []
    for depth in range(len(folders)):
        folder = base.joinpath(*folders[: depth + 1])
        if folder == home and _is_index(path, files):
            break  # an exercise folder's only page: the lesson title names it already
        found.append(folder)
    return tuple(found)


def deck_name(path: Path, lesson: Lesson, config: Config) -> str:
    """`<Course>::<Module>::<Lesson>`: one level per folder between `lessons/` and the lesson."""
    folders = _module_folders(path, config.lessons_dir, config.files)
    modules = [_folder_title(folder, config.files.index) for folder in folders]
    return "::".join([config.course.name, *modules, lesson.title.replace("::", ":")])


def plan_inputs(path: Path, config: Config) -> list[Path]:
    """The files besides the lesson whose contents (or absence) its plan depends on: its answer
    key and its modules' index files. The build cache keys on them, so keep this in step with
    `plan_lesson` and `deck_name`."""
    key = answer_key_for(path, config.files)
    folders = _module_folders(path, config.lessons_dir, config.files)
    indexes = [folder / name for folder in folders for name in config.files.index]
    return [key, *indexes] if key is not None else indexes


@_within_scan  # a module's index pages are inputs of every lesson in it
def input_digest(path: Path) -> str | None:
    """`file_digest` of one of `plan_inputs`, read once inside a `scan_once()` block."""
    return file_digest(path)


def lesson_slug(path: Path, config: Config) -> str:
    """The lesson's path under the lessons directory, without `.md`: the base of its identity."""
    try:
        relative = _resolved(path).relative_to(_resolved(config.lessons_dir))
    except ValueError:
        raise ConfigError(
            path,
            None,
            f"is outside the lessons directory {config.lessons_dir}; "
            "set `lessons:` in deckgen.yaml to include it",
        ) from None
    return relative.with_suffix("").as_posix()


def deck_output(config: Config, slug: str) -> Path:
    return config.decks_dir / f"{slug}.apkg"
