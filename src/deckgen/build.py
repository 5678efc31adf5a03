"""The library entry points: find lessons, extract, render, and write or compare decks."""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

from deckgen.aliases import Aliases
from deckgen.apkg import StoredDeck, read_apkg
from deckgen.config import Config, FilesConfig
from deckgen.diagnostics import ConfigError, ContentError, DeckgenError, Diagnostic
from deckgen.extract import KeyedItem, extract_lesson
from deckgen.lesson import MAX_LESSON_BYTES, Lesson, parse_lesson
from deckgen.media import LessonMedia
from deckgen.package import DeckContent, DeckWriter, package_bytes
from deckgen.render import Note, render_item, retired_note


@dataclass(frozen=True)
class LessonDeck:
    """One lesson as a deck: what was found, the notes, and where the `.apkg` goes."""

    source: Path
    output: Path
    deck_name: str
    items: tuple[KeyedItem, ...]
    notes: tuple[Note, ...]
    warnings: tuple[Diagnostic, ...]
    media: Mapping[str, bytes] = field(default_factory=dict)  # packed name -> bytes

    @property
    def counts(self) -> Counter[str]:
        return Counter(keyed.item.kind for keyed in self.items)


@dataclass
class BuildReport:
    decks: list[LessonDeck] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # outputs whose bytes changed
    retired: dict[Path, tuple[Note, ...]] = field(default_factory=dict)  # by output
    pruned: dict[Path, tuple[str, ...]] = field(default_factory=dict)  # by output: GUIDs
    write_warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [warning for deck in self.decks for warning in deck.warnings] + self.write_warnings


def find_lessons(paths: Sequence[Path], config: Config) -> list[Path]:
    """Markdown files named on the command line, or the lessons found under directories, sorted.

    A file named explicitly is always a lesson. Under a directory, a module's index file, an
    answer key paired with a quiz beside it, and excluded files are not.
    """
    roots = list(paths) or [config.lessons_dir]
    found: list[Path] = []
    for root in roots:
        if root.is_dir():
            candidates = sorted(p for p in root.rglob("*.md") if p.is_file())
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
    if _is_index(path, files) and len(_markdown_beside(path)) > 1:
        return False  # the module's own page: it titles the module's decks
    return _paired_quiz(path, files) is None


def _is_index(path: Path, files: FilesConfig) -> bool:
    return any(path.name.casefold() == name.casefold() for name in files.index)


def _markdown_beside(path: Path) -> list[Path]:
    """Markdown files in the same folder and below it (the folder's lessons)."""
    return [p for p in path.parent.rglob("*.md") if p.is_file()]


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
            return quiz if quiz.is_file() else None
        others = [
            p
            for p in path.parent.glob("*.md")
            if p != path and not _is_index(p, files) and not _is_answer_key(p, files)
        ]
        return others[0] if len(others) == 1 else None
    return None


def _is_answer_key(path: Path, files: FilesConfig) -> bool:
    return any(_key_pattern(pattern).fullmatch(path.name) for pattern in files.answer_keys)


def answer_key_for(path: Path, files: FilesConfig) -> Path | None:
    """The answer key file next to a quiz, if there is one."""
    for candidate in sorted(path.parent.glob("*.md")):
        if (
            candidate != path
            and _is_answer_key(candidate, files)
            and _paired_quiz(candidate, files) == path
        ):
            return candidate
    return None


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
        title = read_lesson(index, index.stem).title
    except DeckgenError:
        return ""
    return "" if title == index.stem else title.replace("::", ":")  # no heading of its own


def deck_name(path: Path, lesson: Lesson, config: Config) -> str:
    """`<Course>::<Module>::<Lesson>`: one level per folder between `lessons/` and the lesson."""
    names = [config.course.name]
    try:
        folders = path.resolve().parent.relative_to(config.lessons_dir.resolve()).parts
    except ValueError:
        folders = ()
    base = config.lessons_dir.resolve()
    for depth in range(len(folders)):
        folder = base.joinpath(*folders[: depth + 1])
        if folder == path.resolve().parent and _is_index(path, config.files):
            break  # an exercise folder's only page: the lesson title names it already
        names.append(_folder_title(folder, config.files.index))
    names.append(lesson.title.replace("::", ":"))
    return "::".join(names)


def lesson_slug(path: Path, config: Config) -> str:
    """The lesson's path under the lessons directory, without `.md`: the base of its identity."""
    try:
        relative = path.resolve().relative_to(config.lessons_dir.resolve())
    except ValueError:
        raise ConfigError(
            path,
            None,
            f"is outside the lessons directory {config.lessons_dir}; "
            "set `lessons:` in deckgen.yaml to include it",
        ) from None
    return relative.with_suffix("").as_posix()


def read_lesson(path: Path, slug: str) -> Lesson:
    """A lesson's text (UTF-8, BOM and CRLF welcome), or one error naming what is wrong."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ContentError(path, None, f"cannot read lesson: {exc.strerror or exc}") from None
    if len(data) > MAX_LESSON_BYTES:
        raise ContentError(
            path,
            None,
            f"lesson is {len(data) / 2**20:.1f} MiB, over the limit of "
            f"{MAX_LESSON_BYTES / 2**20:.0f} MiB; split it into smaller lessons",
        )
    # NUL is valid UTF-8, but no Markdown file holds one: this is an image, archive, ...
    nul = data.find(b"\0")
    if nul != -1:
        raise ContentError(
            path, _line_at(data, nul), f"binary file (NUL byte at byte {nul}), not a lesson"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(
            path, _line_at(data, exc.start), f"not valid UTF-8 at byte {exc.start}"
        ) from None
    if not text.strip():
        raise ContentError(path, None, "empty lesson: nothing to make cards from")
    return parse_lesson(text, path, slug)


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def plan_lesson(path: Path, config: Config, slug: str | None = None) -> LessonDeck:
    """Read, extract and render one lesson, writing nothing."""
    slug = slug or lesson_slug(path, config)
    lesson = read_lesson(path, slug)
    key = answer_key_for(path, config.files)
    if key is not None:
        lesson.answer_key = read_lesson(key, slug)
    extraction = extract_lesson(lesson, config.extract)
    items, alias_warnings = Aliases.resolve(config.aliases, config.path).apply(extraction.items)
    media = LessonMedia(config.lessons_dir, path)
    notes = tuple(
        render_item(keyed, config.course.id, slug, lesson.label, media) for keyed in items
    )
    return LessonDeck(
        source=path,
        output=config.decks_dir / f"{slug}.apkg",
        deck_name=deck_name(path, lesson, config),
        items=tuple(items),
        notes=notes,
        warnings=(*extraction.warnings, *alias_warnings, *media.warnings),
        media=media.files,
    )


def plan_draft(path: Path, config: Config) -> LessonDeck:
    """`plan_lesson` for commands that write no deck (list, preview), so the lesson may lie
    outside the lessons directory; such a lesson is identified by its file name."""
    try:
        slug = lesson_slug(path, config)
    except ConfigError:
        slug = path.stem
    return plan_lesson(path, config, slug=slug)


def modification_times(
    notes: Iterable[Note], previous: StoredDeck | None, now: int
) -> dict[str, int]:
    """A note keeps its last `mod` while unchanged, and moves past it when its content changed.

    Anki's importer updates a note only when the incoming `mod` is strictly newer, so this is
    what makes an edit reach learners and an untouched note leave their own edits alone.
    """
    mods = {}
    for note in notes:
        old = previous.notes.get(note.guid) if previous else None
        mods[note.guid] = (
            now
            if old is None
            else _kept_or_newer(
                old.mod,
                (old.notetype_id, old.fields, old.tags)
                == (note.notetype.id, note.fields, note.tags),
                now,
            )
        )
    return mods


def notetype_modification_times(
    notes: Iterable[Note], previous: StoredDeck | None, now: int
) -> dict[int, int]:
    """The same rule for the note types the notes use, judged by their templates and CSS.

    Anki replaces a learner's note type (same id, same field and template names) only when the
    incoming `mod` is strictly newer, so this is what makes a card-design change reach learners.
    """
    mods = {}
    for notetype in {note.notetype.id: note.notetype for note in notes}.values():
        old = previous.notetypes.get(notetype.id) if previous else None
        mods[notetype.id] = (
            now if old is None else _kept_or_newer(old.mod, old.same_design(notetype), now)
        )
    return mods


def _kept_or_newer(old: int, unchanged: bool, now: int) -> int:
    """The old `mod` while unchanged; else now, but always past the old one (clocks differ)."""
    return old if unchanged else max(now, old + 1)


def build_time() -> int:
    """Now, or `SOURCE_DATE_EPOCH` for reproducible builds."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return int(time.time())
    try:
        return int(epoch)
    except ValueError:
        raise ConfigError("SOURCE_DATE_EPOCH", None, f"not an integer: {epoch!r}") from None


def read_previous(path: Path) -> StoredDeck | None:
    if not path.exists():
        return None
    try:
        return read_apkg(path)
    except DeckgenError:
        return None  # an unreadable old deck is simply replaced


@dataclass(frozen=True)
class DeckWrite:
    """The write stage's view of one deck: its notes with mod times, and what left the lesson."""

    content: DeckContent
    retired: tuple[Note, ...]  # kept from the previous deck, tagged deckgen::removed
    pruned: tuple[str, ...]  # GUIDs of the previous deck's notes left out on purpose
    warnings: tuple[Diagnostic, ...]


def deck_content(
    deck: LessonDeck, previous: StoredDeck | None, now: int, prune_retired: bool
) -> DeckWrite:
    """Combine a planned lesson with the previous deck: retired notes, then mod times."""
    current = {note.guid for note in deck.notes}
    gone = [
        stored
        for guid, stored in (previous.notes if previous else {}).items()
        if guid not in current
    ]
    retired: list[Note] = []
    pruned: list[str] = []
    warnings: list[Diagnostic] = []
    for stored in gone:
        note = None if prune_retired else retired_note(stored)
        if note is not None:
            retired.append(note)
            continue
        pruned.append(stored.guid)
        if not prune_retired:
            warnings.append(
                Diagnostic(
                    deck.output,
                    None,
                    f"dropping retired note {stored.guid}: its note type "
                    f"{stored.notetype_id} is no longer one of deckgen's",
                )
            )
    notes = (*deck.notes, *retired)
    content = DeckContent(
        deck.deck_name,
        notes,
        modification_times(notes, previous, now),
        notetype_modification_times(notes, previous, now),
        deck.media,
    )
    return DeckWrite(content, tuple(retired), tuple(pruned), tuple(warnings))


def build(
    paths: Sequence[Path] = (), config: Config | None = None, prune_retired: bool = False
) -> BuildReport:
    """Build every lesson's deck and write the ones whose bytes changed, all or none.

    Notes whose items left a lesson are kept, tagged `deckgen::removed`, unless
    `prune_retired` (or the config's `prune_retired`) drops them.
    """
    config = config or Config(root=Path.cwd())
    prune_retired = prune_retired or config.prune_retired
    report = BuildReport()
    now = build_time()
    lessons = find_lessons(paths, config)
    with DeckWriter(config.decks_dir) as writer:
        for path in lessons:
            deck = plan_lesson(path, config)
            write = deck_content(deck, read_previous(deck.output), now, prune_retired)
            if writer.stage(deck.output, package_bytes(write.content)):
                report.written.append(deck.output)
            report.decks.append(deck)
            report.retired[deck.output] = write.retired
            report.pruned[deck.output] = write.pruned
            report.write_warnings.extend(write.warnings)
    return report
