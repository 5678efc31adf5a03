"""Which Markdown files are lessons, what each lesson is called, and where its deck goes.

Lessons may sit in module folders: a folder's index page titles the module and is a lesson too
(a module's page often holds its key concepts, FAQ or pay bands; one with no study items makes no
deck), and an answer key next to a quiz answers it instead of becoming a deck of its own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

from deckgen.config import Config, FilesConfig
from deckgen.defaults import alternatives, defaults
from deckgen.diagnostics import ConfigError, ContentError, DeckgenError, Diagnostic
from deckgen.extract import Extraction, extract_lesson
from deckgen.identity import Moves
from deckgen.lesson import (
    MAX_LESSON_BYTES,
    Lesson,
    decode_lesson,
    decode_text,
    lesson_title,
    plain_text,
)
from deckgen.reader import Files, Reader, TooLarge


@dataclass(frozen=True)
class Found:
    """The lessons under the paths named, and what was passed over there, as warnings."""

    lessons: list[Path]
    warnings: list[Diagnostic]


def _markdown_below(
    folder: Path, reader: Files, warnings: list[Diagnostic] | None = None
) -> list[Path]:
    """The `.md` files in `folder` and every folder below it; what is passed over there is
    added to `warnings`."""
    listing = reader.listing(folder)
    if warnings is not None:
        if listing.problem:
            message = f"folder {listing.problem}; its lessons are skipped"
            warnings.append(Diagnostic(folder, None, message))
        for name, why in listing.skipped:
            warnings.append(_passed_over(folder / name, why, name in listing.skipped_links))
    found = list(listing.markdown)
    for subfolder in listing.subfolders:
        found.extend(_markdown_below(subfolder, reader, warnings))
    return found


def find_lessons(paths: Sequence[Path], config: Config, reader: Files | None = None) -> list[Path]:
    """Markdown files named on the command line, or the lessons found under directories, sorted
    (see `discover`, which also says what it passed over)."""
    return discover(paths, config, reader).lessons


def discover(paths: Sequence[Path], config: Config, reader: Files | None = None) -> Found:
    """Markdown files named on the command line, or the lessons found under directories, sorted.

    A file named explicitly is always a lesson. Under a directory, an answer key paired with a
    quiz beside it and excluded files are not. The folders are
    listed through `reader` (a `Recording` notes them: the lessons found depend on them).

    What is passed over gets a warning: a symlink that leads out of the lessons directory (and
    of the folder searched), so that nothing outside it reaches a deck or a page; a `.md` that
    is no regular file; a symlinked folder; a folder that cannot be listed.
    """
    reader = reader or Reader()
    roots = list(paths) or [config.lessons_dir]
    found: list[Path] = []
    warnings: list[Diagnostic] = []
    for root in roots:
        kind = reader.listing(root).kind
        if kind == "folder":
            candidates = sorted(_markdown_below(root, reader, warnings))
            bounds = (config.lessons_dir, root)
            found.extend(
                path
                for path in candidates
                if _inside(path, bounds, reader, warnings)
                and _is_lesson(path, root, config, reader)
            )
        elif kind == "file":
            if _inside(root, (config.lessons_dir, root.parent), reader, warnings):
                found.append(root)
        else:
            raise ConfigError(root, None, "no such file or directory")
    return Found(sorted(dict.fromkeys(found)), sorted(warnings, key=lambda w: str(w.path)))


def _inside(
    path: Path, bounds: Sequence[Path], reader: Files, warnings: list[Diagnostic] | None = None
) -> bool:
    """Whether `path` (through any symlink) is inside one of the folders `bounds`; if not, a
    warning says it is passed over."""
    target = reader.resolve(path)
    if any(target.is_relative_to(reader.resolve(bound)) for bound in bounds):
        return True
    if warnings is not None:
        message = f"symlink to {target}, outside the lessons directory; skipped"
        warnings.append(_passed_over(path, message, link=True))
    return False


def _passed_over(path: Path, why: str, link: bool) -> Diagnostic:
    """The warning for an entry passed over. One about a symlink is given at its folder and
    names it: paths are shown resolved (see `deckgen.diagnostics.PathDisplay`), which would
    show the place it leads to instead."""
    if link:
        return Diagnostic(path.parent, None, f"{path.name}: {why}")
    return Diagnostic(path, None, why)


def _is_lesson(path: Path, root: Path, config: Config, reader: Files) -> bool:
    files = config.files
    relative = path.relative_to(root).as_posix()
    if any(fnmatch(relative, pattern) for pattern in files.exclude):
        return False
    return _paired_quiz(path, files, reader) is None


def _is_index(path: Path, files: FilesConfig) -> bool:
    return any(path.name.casefold() == name.casefold() for name in files.index)


@lru_cache(maxsize=64)  # asked for every file beside every lesson
def _key_pattern(pattern: str) -> re.Pattern[str]:
    """`*-answers.md` -> a regex capturing the quiz's stem (the part the `*` stands for)."""
    return re.compile("(.*)".join(re.escape(part) for part in pattern.split("*")), re.I)


def _paired_quiz(path: Path, files: FilesConfig, reader: Files) -> Path | None:
    """The quiz an answer key file answers: `quiz.md` for `quiz-answers.md`, or the only one."""
    for pattern in files.answer_keys:
        match = _key_pattern(pattern).fullmatch(path.name)
        if match is None:
            continue
        listing = reader.listing(path.parent)
        if match.groups():
            quiz = path.with_name(f"{match.group(1)}.md")
            return quiz if quiz in listing.markdown else None
        others = [
            p
            for p in listing.markdown
            if p != path and not _is_index(p, files) and not _is_answer_key(p, files)
        ]
        return others[0] if len(others) == 1 else None
    return None


def _is_answer_key(path: Path, files: FilesConfig) -> bool:
    return any(_key_pattern(pattern).fullmatch(path.name) for pattern in files.answer_keys)


def answer_key_for(
    path: Path, files: FilesConfig, reader: Files, lessons_dir: Path | None = None
) -> Path | None:
    """The answer key file next to a quiz, if there is one; not a symlink that leads out of
    `lessons_dir` and the quiz's folder (finding the lessons warned of it)."""
    bounds = (path.parent,) if lessons_dir is None else (lessons_dir, path.parent)
    for candidate in reader.listing(path.parent).markdown:
        if (
            candidate != path
            and _inside(candidate, bounds, reader)
            and _is_answer_key(candidate, files)
            and _paired_quiz(candidate, files, reader) == path
        ):
            return candidate
    return None


def _folder_title(
    folder: Path, index_names: tuple[str, ...], reader: Files, lessons_dir: Path
) -> str:
    """A module's title: the first heading of its index file, else the folder's name. Not
    that of a symlink leading out of the lessons directory (finding the lessons warned of it)."""
    for name in index_names:
        index = folder / name
        if not _inside(index, (lessons_dir,), reader):
            continue
        try:
            data = reader.read(index, MAX_LESSON_BYTES)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            continue  # no such file: the next name may be the module's index
        except OSError:
            return folder.name
        return _index_title(index, data) or folder.name
    return folder.name


# Every lesson of a module asks for its title, with the same bytes.
@lru_cache(maxsize=256)
def _index_title(index: Path, data: bytes) -> str:
    try:
        title = lesson_title(decode_text(data, index))
    except DeckgenError:
        return ""
    # A heading that only repeats the file name (`# README`) names no module.
    return "" if title == index.stem else title.replace("::", ":")


def _module_folders(
    path: Path, lessons_dir: Path, files: FilesConfig, reader: Files
) -> tuple[Path, ...]:
    """The folders between `lessons/` and the lesson that each add a level to its deck name."""
    home, base = reader.resolve(path).parent, reader.resolve(lessons_dir)
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


def deck_name(path: Path, lesson: Lesson, config: Config, reader: Files) -> str:
    """`<Course>::<Module>::<Lesson>`: one level per folder between `lessons/` and the lesson.

    Anki lists decks sorted by name as text, so each level is numbered for that sort to be the
    course's order (`deck_titles: numbered`, see `numbered`); `legacy` keeps the names of
    deckgen 0.x: a lesson's level-1 title, else its file name, as written.
    """
    folders = _module_folders(path, config.lessons_dir, config.files, reader)
    index, lessons_dir = config.files.index, config.lessons_dir
    modules = [_folder_title(folder, index, reader, lessons_dir) for folder in folders]
    if config.deck_titles == "legacy":
        title = lesson.title
    else:
        modules = [
            numbered(title, folder.name) for title, folder in zip(modules, folders, strict=True)
        ]
        title = numbered(_first_heading(lesson), path.stem)
    return "::".join([config.course.name, *modules, title.replace("::", ":")])


def _first_heading(lesson: Lesson) -> str:
    """The text of the lesson's first heading at any level, else its file name. A front
    matter's title comes first: it is the page's own heading."""
    if lesson.front_matter_title:
        return lesson.front_matter_title
    for index in lesson.positions("heading_open"):
        text = plain_text(lesson.tokens[index + 1].content)
        if text:
            return text
    return lesson.path.stem


_NUMBER = r"\d+(?:\.\d+)*"
# `1.2 Intro`, `Lesson 3: Setup`: a number (after a label word) leading the title.
_TITLE_NUMBER = re.compile(
    rf"^((?:{alternatives(defaults().lesson_labels)})\s+)?({_NUMBER})(?!\w)", re.I
)
# `01-intro.md`, `1.2_setup.md`: a number leading the file or folder name.
_NAME_NUMBER = re.compile(rf"^({_NUMBER})(?![\d])")
# Anki sorts "10" before "9"; two digits order up to 99 lessons (or modules) at one level.
_PAD = 2


def numbered(title: str, name: str) -> str:
    """A deck level whose text sort is course order: the number leading the title, each part
    padded (`1.2 Intro` -> `01.02 Intro`, `Lesson 3` -> `Lesson 03`), else the number leading
    the file or folder name put before the title (`03-intro.md`: `03 Intro`), else the title."""
    match = _TITLE_NUMBER.match(title)
    if match is not None:
        label, number = match.group(1) or "", _padded(match.group(2))
        return f"{label}{number}{title[match.end() :]}"
    match = _NAME_NUMBER.match(name)
    return f"{_padded(match.group(1))} {title}" if match is not None else title


def _padded(number: str) -> str:
    return ".".join(part.zfill(_PAD) for part in number.split("."))


def lesson_slug(path: Path, config: Config, reader: Files | None = None) -> str:
    """The lesson's path under the lessons directory, without `.md`: the base of its identity."""
    reader = reader or Reader()
    slug = _slug(reader.resolve(path), reader.resolve(config.lessons_dir))
    if slug is None:
        raise ConfigError(
            path,
            None,
            f"is outside the lessons directory {config.lessons_dir}; "
            "set `lessons:` in deckgen.yaml to include it",
        )
    return slug


@lru_cache(maxsize=65536)  # a build asks for each lesson's several times
def _slug(path: Path, lessons_dir: Path) -> str | None:
    """The slug of the resolved `path` under the resolved `lessons_dir`; None: not under it."""
    try:
        return path.relative_to(lessons_dir).with_suffix("").as_posix()
    except ValueError:
        return None


def deck_output(config: Config, slug: str) -> Path:
    return config.decks_dir / f"{slug}.apkg"


def earlier_outputs(config: Config, output: Path) -> tuple[Path, ...]:
    """Where a moved lesson's deck was written before (`moved:`), newest first: until its
    deck is built at the new path, the old deck is the record of its notes' mods."""
    if not config.moved:
        return ()
    slug = output.relative_to(config.decks_dir).with_suffix("").as_posix()
    earlier = Moves.resolve(config.moved, config.where).earlier.get(slug, ())
    return tuple(deck_output(config, old) for old in earlier)


def check_moves(config: Config) -> None:
    """Refuse a `moved:` entry whose new path is no file under the lessons folder, or whose
    old path is still one (two lessons would share one identity), naming its line."""
    Moves.resolve(config.moved, config.where)  # the paths' form, loops
    for old, new in config.moved.items():
        key = f"moved.{old}"
        if (config.lessons_dir / old).exists():
            raise ConfigError(
                *config.where(key),
                f"{key}: {config.lessons}/{old} still exists; a moved lesson's old path must "
                "be gone, or both lessons would have the same notes",
            )
        if new not in config.moved and not (config.lessons_dir / new).is_file():
            raise ConfigError(
                *config.where(key), f"{key}: there is no lesson {config.lessons}/{new}"
            )


def read_lesson(path: Path, slug: str, reader: Files) -> Lesson:
    """Read and parse a lesson file; one error naming it when it cannot be read."""
    if not slug.isascii():
        try:
            slug.encode("utf-8")
        except UnicodeEncodeError:  # a byte of the file's name that is not UTF-8
            message = "file name is not valid UTF-8; rename it (decks and notes are named by it)"
            raise ContentError(path, None, message) from None
    try:
        data = reader.read(path, MAX_LESSON_BYTES)
    except TooLarge as exc:
        message = f"lesson is {exc.strerror}; split it into smaller lessons"
        raise ContentError(path, None, message) from None
    except OSError as exc:
        raise ContentError(path, None, f"cannot read lesson: {exc.strerror or exc}") from None
    return decode_lesson(data, path, slug)


def lesson_extraction(
    path: Path, config: Config, slug: str, reader: Files, dropped: bool = True
) -> Extraction:
    """Read one lesson, and its answer key when it has one, and extract its candidates (not
    every `dropped` one: `extract_lesson`)."""
    lesson = read_lesson(path, slug, reader)
    key = answer_key_for(path, config.files, reader, config.lessons_dir)
    if key is not None:
        lesson.answer_key = read_lesson(key, slug, reader)
    return extract_lesson(lesson, config.extract, config.skip, dropped)


def draft_slug(path: Path, config: Config, reader: Files) -> str:
    """The slug of a lesson that commands writing no deck (list, lint, preview) may be given
    from outside the lessons directory: there, its file name."""
    try:
        return lesson_slug(path, config, reader)
    except ConfigError:
        return path.stem
