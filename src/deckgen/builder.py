"""The library entry points: plan each lesson's deck (read, extract, render), then write decks."""

from __future__ import annotations

import gc
import os
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen import cache, stamp
from deckgen.aliases import Aliases
from deckgen.config import Config
from deckgen.diagnostics import ConfigError, DeckgenError, Diagnostic
from deckgen.extract import KeyedItem, extract_lesson
from deckgen.layout import (
    answer_key_for,
    deck_name,
    deck_output,
    find_lessons,
    input_digest,
    lesson_slug,
    plan_inputs,
    scan_once,
)
from deckgen.lesson import decode_lesson, read_bytes, read_lesson
from deckgen.media import LessonMedia, media_unchanged
from deckgen.package import DeckContent, DeckWriter, package_bytes, stage
from deckgen.parallel import map_in_order
from deckgen.render import Note, render_item, retired_note
from deckgen.stamp import DeckSummary

if TYPE_CHECKING:
    from deckgen.apkg import StoredDeck

# Held while a build runs (see DeckWriter); beside the cache, which git ignores.
BUILD_LOCK = "build.lock"
# Net allocations between two collections of the youngest generation while building (CPython's
# default is 700); see `_fewer_collections`.
_BUILD_GC_THRESHOLD = 10_000


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
    media_sources: Mapping[str, str] = field(default_factory=dict)  # see LessonMedia.sources

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
    cached: list[Path] = field(default_factory=list)  # outputs of lessons that were not parsed
    digests: dict[Path, str] = field(default_factory=dict)  # by output: the deck left there

    @property
    def warnings(self) -> list[Diagnostic]:
        return [warning for deck in self.decks for warning in deck.warnings] + self.write_warnings

    def summaries(self) -> list[DeckSummary]:
        written, cached = set(self.written), set(self.cached)
        return [
            DeckSummary(
                source=deck.source,
                output=deck.output,
                counts=deck.counts,
                warnings=deck.warnings,
                retired=len(self.retired.get(deck.output, ())),
                pruned=len(self.pruned.get(deck.output, ())),
                written=deck.output in written,
                cached=deck.output in cached,
                digest=self.digests.get(deck.output, ""),
            )
            for deck in self.decks
        ]


def plan_lesson(
    path: Path, config: Config, slug: str | None = None, data: bytes | None = None
) -> LessonDeck:
    """Read (unless its bytes are given), extract and render one lesson, writing nothing."""
    slug = slug or lesson_slug(path, config)
    lesson = decode_lesson(read_bytes(path) if data is None else data, path, slug)
    key = answer_key_for(path, config.files)
    if key is not None:
        lesson.answer_key = read_lesson(key, slug)
    extraction = extract_lesson(lesson, config.extract)
    items, alias_warnings = Aliases.resolve(config.aliases, config.path).apply(extraction.items)
    media = LessonMedia(config.lessons_dir, path)
    label = lesson.label  # worked out from the title each time it is asked for
    notes = tuple(render_item(keyed, config.course.id, slug, label, media) for keyed in items)
    return LessonDeck(
        source=path,
        output=deck_output(config, slug),
        deck_name=deck_name(path, lesson, config),
        items=tuple(items),
        notes=notes,
        warnings=(*extraction.warnings, *alias_warnings, *media.warnings),
        media=media.files,
        media_sources=media.sources,
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
    from deckgen.apkg import read_apkg  # imported here: a first build has no deck to read

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


@dataclass(frozen=True)
class LessonBuild:
    """What building one lesson did: its plan, and what the write stage did with its deck."""

    deck: LessonDeck
    # The new deck in a temp file beside its output, moved into place when the whole build
    # succeeds (DeckWriter); None when the deck's bytes did not change.
    staged: Path | None
    cached: bool  # the plan came from the cache: the lesson was not parsed
    digest: str  # sha256 of the deck's bytes once the build is done
    retired: tuple[Note, ...] = ()
    pruned: tuple[str, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()
    # What the cache is to remember of this lesson, stored by the build's own process once it
    # has every lesson's; None when it already holds it.
    row: cache.Row | None = None


def _plan_key(path: Path, slug: str, data: bytes, config: Config) -> str:
    return cache.lesson_key(path, slug, data, config, plan_inputs(path, config), input_digest)


def up_to_date(path: Path, config: Config, prune_retired: bool) -> LessonBuild | None:
    """The last build of a lesson, when nothing it depends on changed and its deck is intact.

    Building is idempotent (the previous deck supplies mod times and retired notes, and
    rebuilding from the deck a build wrote gives that deck again), so there is nothing to do.
    """
    slug = lesson_slug(path, config)
    row = cache.lookup(config, deck_output(config, slug))
    if row is None or row.prune_retired != prune_retired:
        return None  # checked first: on a first build, hashing every lesson twice is waste
    if row.key != _plan_key(path, slug, read_bytes(path), config):
        return None
    if stamp.file_digest(Path(row.output)) != row.deck_digest:
        return None
    entry = row.load()
    if entry is None or not media_unchanged(entry.deck.media_sources):
        return None
    # Notes retired last time are retired again; anything pruned or dropped is already gone.
    return LessonBuild(
        entry.deck, staged=None, cached=True, digest=entry.deck_digest, retired=entry.retired
    )


def _plan(path: Path, config: Config, use_cache: bool = True) -> tuple[LessonDeck, str, bool]:
    """A lesson's plan, its cache key, and whether the plan came from the cache."""
    slug = lesson_slug(path, config)
    data = read_bytes(path)
    key = _plan_key(path, slug, data, config)
    row = cache.lookup(config, deck_output(config, slug)) if use_cache else None
    entry = row.load() if row is not None and row.key == key else None
    if entry is not None and media_unchanged(entry.deck.media_sources):
        return entry.deck, key, True
    # No entry, or the lesson, a file it reads, the config or deckgen itself changed.
    return plan_lesson(path, config, slug, data), key, False


def cached_plan(path: Path, config: Config) -> LessonDeck:
    """`plan_lesson`, answered from the build cache when nothing the plan depends on changed
    (`check` regenerates every deck; this spares it parsing the unchanged ones)."""
    return _plan(path, config)[0]


def build_lesson(
    path: Path, config: Config, now: int, prune_retired: bool = False, force: bool = False
) -> LessonBuild:
    """Plan one lesson (or reuse its cached plan), then write its deck if its bytes changed."""
    deck, key, cached = _plan(path, config, use_cache=not force)
    write = deck_content(deck, read_previous(deck.output), now, prune_retired)
    packaged = package_bytes(write.content)
    staged = stage(deck.output, packaged)
    digest = stamp.bytes_digest(packaged)
    row = cache.CacheEntry(key, deck, digest, write.retired, prune_retired).row()
    return LessonBuild(
        deck, staged, cached, digest, write.retired, write.pruned, write.warnings, row
    )


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Collect cyclic garbage less often while building, and as before once done.

    Planning allocates millions of short-lived objects (tokens, items, notes), nearly all freed
    by reference counting as soon as their lesson is done. At CPython's default pace the
    collector keeps walking the survivors, which grow with the course (the plans and the
    report): that took 4% of a build of the corpus, 7% of ten copies of it. Young collections
    still run, so the rare cycles are still freed and memory stays bounded. The workers of
    `--jobs` take the setting on (see `deckgen.parallel`).
    """
    thresholds = gc.get_threshold()
    if thresholds[0]:  # 0 turns collection off: not for a build to turn it back on
        gc.set_threshold(max(thresholds[0], _BUILD_GC_THRESHOLD), *thresholds[1:])
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


@_fewer_collections()
def build(
    paths: Sequence[Path] = (),
    config: Config | None = None,
    prune_retired: bool = False,
    *,
    jobs: int = 1,
    force: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_lesson: Callable[[LessonBuild], None] | None = None,
) -> BuildReport:
    """Build every lesson's deck and write the ones whose bytes changed, all or none.

    Notes whose items left a lesson are kept, tagged `deckgen::removed`, unless
    `prune_retired` (or the config's `prune_retired`) drops them. A lesson unchanged since the
    last build is not parsed again (`force` parses every lesson). `jobs` > 1 spreads lessons
    over that many processes; no deck depends on another being built first, so the output is
    the same.
    For a progress display, `on_start` is called with the number of lessons found, then
    `on_lesson` as each lesson is done, in lesson order.
    A finished build leaves a stamp (see `deckgen.stamp`) with which the CLI answers the same
    build, run again with nothing changed, without building.
    """
    config = config or Config(root=Path.cwd())
    prune_retired = prune_retired or config.prune_retired
    report = BuildReport()
    now = build_time()
    # Taken before reading any lesson: an edit made while building is not stamped as built.
    key = stamp.fingerprint(config, paths, prune_retired)
    lessons = find_lessons(paths, config)
    if on_start is not None:
        on_start(len(lessons))
    with DeckWriter(config.decks_dir, config.root / stamp.CACHE_DIR / BUILD_LOCK) as writer:
        stamp.forget(config)
        rows: list[cache.Row] = []
        try:
            # Closed before the writer cleans up, even if `on_lesson` raises: no worker is
            # left to stage a deck after that.
            with closing(_build_all(lessons, config, now, prune_retired, force, jobs)) as built:
                for result in built:
                    output = result.deck.output
                    report.decks.append(result.deck)
                    if result.staged is not None:
                        writer.adopt(result.staged, output)
                        report.written.append(output)
                    if result.cached:
                        report.cached.append(output)
                    if result.row is not None:
                        rows.append(result.row)
                    report.retired[output] = result.retired
                    report.pruned[output] = result.pruned
                    report.write_warnings.extend(result.warnings)
                    report.digests[output] = result.digest
                    if on_lesson is not None:
                        on_lesson(result)
        finally:
            # Also when a lesson failed: the plans made before it are still good. Under the
            # lock, so that builds at once write the cache one after the other too.
            cache.store(config, rows)
    stamp.write(config, key, report.summaries())
    return report


def _build_all(
    lessons: list[Path], config: Config, now: int, prune_retired: bool, force: bool, jobs: int
) -> Iterator[LessonBuild]:
    """Up-to-date lessons are answered here; only the others are built, by `jobs` processes."""
    # List each folder and hash each module page once per build, not per lesson (forked
    # workers inherit what was found by then).
    with scan_once():
        # Nothing to look up on a first build (or a forced one).
        known = not force and bool(cache.all_rows(config))
        done = [up_to_date(path, config, prune_retired) if known else None for path in lessons]
        todo = [path for path, result in zip(lessons, done, strict=True) if result is None]
        work = partial(
            build_lesson, config=config, now=now, prune_retired=prune_retired, force=force
        )
        first = _smallest(todo) if jobs > 1 else 0
        # Closed as soon as the last lesson is in, which ends the workers then, not whenever
        # the generator is collected.
        with closing(map_in_order(work, todo, jobs, first=first)) as built:
            for result in done:
                yield result if result is not None else next(built)


def _smallest(lessons: list[Path]) -> int:
    """The smallest lesson, which a parallel build builds before its workers start: that
    imports the parser and genanki and fills their caches, which forked workers inherit."""
    return min(range(len(lessons)), key=lambda index: _size(lessons[index]), default=0)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # building the lesson reports what is wrong with it
