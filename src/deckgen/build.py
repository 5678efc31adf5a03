"""The library entry points: find lessons, extract, render, and write or compare decks."""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from deckgen import cache
from deckgen.apkg import StoredDeck, read_apkg
from deckgen.config import Config
from deckgen.diagnostics import ConfigError, ContentError, DeckgenError, Diagnostic
from deckgen.extract import KeyedItem, extract_lesson
from deckgen.items import normalize_key
from deckgen.lesson import Lesson, parse_lesson
from deckgen.package import DeckContent, atomic_write, package_bytes
from deckgen.render import Note, render_item


@dataclass(frozen=True)
class LessonDeck:
    """One lesson as a deck: what was found, the notes, and where the `.apkg` goes."""

    source: Path
    output: Path
    deck_name: str
    items: tuple[KeyedItem, ...]
    notes: tuple[Note, ...]
    warnings: tuple[Diagnostic, ...]

    @property
    def counts(self) -> Counter[str]:
        return Counter(keyed.item.kind for keyed in self.items)


@dataclass
class BuildReport:
    decks: list[LessonDeck] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)  # outputs whose bytes changed
    cached: list[Path] = field(default_factory=list)  # outputs of lessons that were not parsed

    @property
    def warnings(self) -> list[Diagnostic]:
        return [warning for deck in self.decks for warning in deck.warnings]


def find_lessons(paths: Sequence[Path], config: Config) -> list[Path]:
    """Markdown files named on the command line, or under the lessons directory, sorted."""
    roots = list(paths) or [config.lessons_dir]
    found: list[Path] = []
    for root in roots:
        if root.is_dir():
            found.extend(sorted(p for p in root.rglob("*.md") if p.is_file()))
        elif root.is_file():
            found.append(root)
        else:
            raise ConfigError(root, None, "no such file or directory")
    return sorted(dict.fromkeys(found))


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
    return decode_lesson(read_bytes(path), path, slug)


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ContentError(path, None, f"cannot read lesson: {exc.strerror or exc}") from None


def decode_lesson(data: bytes, path: Path, slug: str) -> Lesson:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(path, None, f"not valid UTF-8 at byte {exc.start}") from None
    return parse_lesson(text.replace("\r\n", "\n"), path, slug)


def deck_output(config: Config, slug: str) -> Path:
    return config.decks_dir / f"{slug}.apkg"


def plan_lesson(
    path: Path, config: Config, slug: str | None = None, data: bytes | None = None
) -> LessonDeck:
    """Read (unless its bytes are given), extract and render one lesson, writing nothing."""
    slug = slug or lesson_slug(path, config)
    lesson = decode_lesson(read_bytes(path) if data is None else data, path, slug)
    extraction = extract_lesson(lesson, config.extract)
    aliases = {normalize_key(new): normalize_key(old) for new, old in config.aliases.items()}
    notes = tuple(
        render_item(keyed, config.course.id, slug, lesson.label, aliases)
        for keyed in extraction.items
    )
    return LessonDeck(
        source=path,
        output=deck_output(config, slug),
        deck_name=f"{config.course.name}::{lesson.title.replace('::', ':')}",
        items=tuple(extraction.items),
        notes=notes,
        warnings=tuple(extraction.warnings),
    )


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
        if old is None:
            mods[note.guid] = now
        elif (old.notetype_id, old.fields, old.tags) == (note.notetype.id, note.fields, note.tags):
            mods[note.guid] = old.mod
        else:
            mods[note.guid] = max(now, old.mod + 1)
    return mods


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


def package_deck(deck: LessonDeck, now: int) -> bytes:
    """The write stage's content: the deck's bytes, mod times carried over from its last build."""
    previous = read_previous(deck.output)
    mods = modification_times(deck.notes, previous, now)
    return package_bytes(DeckContent(deck.deck_name, deck.notes, mods))


@dataclass(frozen=True)
class LessonBuild:
    """What building one lesson did: its plan, and whether its deck file was rewritten."""

    deck: LessonDeck
    written: bool
    cached: bool  # the plan came from the cache: the lesson was not parsed


def build_lesson(path: Path, config: Config, now: int, force: bool = False) -> LessonBuild:
    """Plan one lesson (or reuse its cached plan) and write its deck if its bytes changed.

    Unchanged inputs with the deck on disk still as this build left it mean there is nothing
    to do at all: building is idempotent, so repackaging would give the same bytes.
    """
    slug = lesson_slug(path, config)
    data = read_bytes(path)
    key = cache.lesson_key(path, slug, data, config)
    entry = None if force else cache.load(config, deck_output(config, slug))
    if entry is not None and entry.key != key:
        entry = None  # the lesson, the config or deckgen itself changed since
    if entry is None:
        deck = plan_lesson(path, config, slug, data)
    elif cache.file_digest(entry.deck.output) == entry.deck_digest:
        return LessonBuild(entry.deck, written=False, cached=True)
    else:
        deck = entry.deck  # the deck file was deleted or replaced: package the plan again
    packaged = package_deck(deck, now)
    written = atomic_write(deck.output, packaged)
    cache.store(config, cache.CacheEntry(key, deck, cache.bytes_digest(packaged)))
    return LessonBuild(deck, written, cached=entry is not None)


def build(
    paths: Sequence[Path] = (),
    config: Config | None = None,
    *,
    jobs: int = 1,
    force: bool = False,
    on_lesson: Callable[[LessonBuild], None] | None = None,
) -> BuildReport:
    """Build every lesson's deck and write the ones whose bytes changed.

    `jobs` > 1 spreads lessons over that many processes; each lesson's deck depends on that
    lesson alone, so the output is the same. `force` ignores the cache. `on_lesson` is called
    as each lesson is done, in lesson order (for progress display).
    """
    config = config or Config(root=Path.cwd())
    report = BuildReport()
    now = build_time()
    lessons = find_lessons(paths, config)
    for result in _build_all(lessons, config, now, force, jobs):
        report.decks.append(result.deck)
        if result.written:
            report.written.append(result.deck.output)
        if result.cached:
            report.cached.append(result.deck.output)
        if on_lesson is not None:
            on_lesson(result)
    return report


def _build_all(
    lessons: list[Path], config: Config, now: int, force: bool, jobs: int
) -> Iterator[LessonBuild]:
    jobs = min(jobs, len(lessons))
    if jobs <= 1:
        for path in lessons:
            yield build_lesson(path, config, now, force)
        return
    # Imported here: it costs a serial build (and every no-op hook run) tens of milliseconds.
    from concurrent.futures import ProcessPoolExecutor

    work = partial(build_lesson, config=config, now=now, force=force)
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        # Small chunks keep both processes busy to the end although lesson sizes vary a lot.
        yield from pool.map(work, lessons, chunksize=4)
