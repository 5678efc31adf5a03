"""The library entry points: plan each lesson's deck (read, extract, render), then write decks."""

from __future__ import annotations

import dataclasses
import gc
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.cache import CACHE_DIR, BuildRecord, Cache, DeckSummary, Row, Summary, named_paths
from deckgen.clock import build_time
from deckgen.codec import Damaged
from deckgen.config import Config
from deckgen.course import (
    COURSE,
    LESSONS,
    check_course_output,
    counts_total,
    course_bytes,
    course_output,
    has_package,
    latest,
    lesson_tag,
    split_course,
)
from deckgen.diagnostics import Diagnostic
from deckgen.identity import Aliases, Moves
from deckgen.layout import (
    deck_name,
    deck_output,
    discover,
    draft_slug,
    earlier_outputs,
    lesson_extraction,
    lesson_slug,
)
from deckgen.media import LessonMedia
from deckgen.package import DeckContent, DeckWriter, package_bytes, stage
from deckgen.parallel import map_in_order
from deckgen.plan import LessonDeck, dumps_plan, loads_plan, notes_digest
from deckgen.reader import FILE, Entry, Files, Reader, bytes_digest
from deckgen.regenerate import merged, regenerate
from deckgen.render import render_item

if TYPE_CHECKING:
    from deckgen.apkg import StoredDeck
    from deckgen.identity import KeyedItem
    from deckgen.render import Note

# Held while a build runs (see DeckWriter); beside the cache, which git ignores.
BUILD_LOCK = "build.lock"
# Net allocations between two collections of the youngest generation while building (CPython's
# default is 700); see `_fewer_collections`.
_BUILD_GC_THRESHOLD = 10_000


@dataclass
class BuildReport:
    lessons: list[DeckSummary] = field(default_factory=list)  # every lesson, in order
    course: DeckSummary | None = None  # the course package, when this build wrote it
    # The plans this build made or took from the cache; a lesson with nothing to do has none.
    decks: list[LessonDeck] = field(default_factory=list)
    write_warnings: list[Diagnostic] = field(default_factory=list)

    @property
    def warnings(self) -> list[Diagnostic]:
        return [w for lesson in self.lessons for w in lesson.warnings] + self.write_warnings

    @property
    def written(self) -> list[Path]:
        """Outputs whose bytes changed."""
        return [summary.output for summary in self.summaries() if summary.written]

    @property
    def cached(self) -> list[Path]:
        """Outputs of lessons that were not parsed."""
        return [lesson.output for lesson in self.lessons if lesson.cached]

    def summaries(self) -> list[DeckSummary]:
        """Every lesson's, then the course package's."""
        return [*self.lessons, *([self.course] if self.course is not None else [])]


def plan_lesson(
    path: Path, config: Config, slug: str | None = None, reader: Files | None = None
) -> LessonDeck:
    """Read (through `reader`: see `deckgen.reader`), extract and render one lesson."""
    reader = reader or Reader()
    slug = slug or lesson_slug(path, config, reader)
    extraction = lesson_extraction(path, config, slug, reader, dropped=False)
    lesson = extraction.lesson
    items, alias_warnings = Aliases.resolve(config.aliases, config.path).apply(extraction.items)
    media = LessonMedia(config.lessons_dir, path, reader)
    label = lesson.label  # worked out from the title each time it is asked for
    notes = _render_notes(items, config, slug, label, media)
    return LessonDeck(
        source=path,
        output=deck_output(config, slug),
        deck_name=deck_name(path, lesson, config, reader),
        items=tuple(items),
        notes=notes,
        warnings=(*extraction.warnings, *alias_warnings, *media.warnings),
        media=media.files,
        media_sources=media.sources,
        label=label,
    )


def _render_notes(
    items: Sequence[KeyedItem], config: Config, slug: str, label: str, media: LessonMedia
) -> tuple[Note, ...]:
    """A lesson's notes; a moved lesson's GUIDs hash the path it had first (`moved:`)."""
    origin = Moves.resolve(config.moved, config.where).origin(slug)
    return tuple(
        render_item(keyed, config.course.id, slug, label, media, identity_slug=origin)
        for keyed in items
    )


def rendered_as_planned(
    deck: LessonDeck, digest: str, config: Config, reader: Files
) -> LessonDeck | None:
    """A plan from the cache with its notes, rendered from its items; None unless they have
    the `digest` the plan was stored with (`deckgen.plan.notes_digest`) and show the images it
    packed. A plan is data: a card's HTML comes from rendering alone, never from a string
    someone stored."""
    slug = lesson_slug(deck.source, config, reader)
    media = LessonMedia(config.lessons_dir, deck.source, reader)
    notes = _render_notes(deck.items, config, slug, deck.label, media)
    if notes_digest(notes) != digest or media.files != deck.media:
        return None
    return dataclasses.replace(deck, notes=notes)


def plan_draft(path: Path, config: Config, reader: Files | None = None) -> LessonDeck:
    """`plan_lesson` for commands that write no deck (list, preview), so the lesson may lie
    outside the lessons directory; such a lesson is identified by its file name."""
    reader = reader or Reader()
    return plan_lesson(path, config, slug=draft_slug(path, config, reader), reader=reader)


def course_part(parts: Mapping[str, StoredDeck], config: Config, slug: str) -> StoredDeck | None:
    """A lesson's part of the course package on disk (`split_course`): under its lesson tag,
    and, for a lesson moved (`moved:`), under the tags of the paths it had before."""
    earlier = Moves.resolve(config.moved, config.where).earlier.get(slug, ())
    return merged(parts.get(lesson_tag(path)) for path in (slug, *earlier))


def read_previous(
    path: Path, replace_unreadable: bool = False
) -> tuple[StoredDeck | None, tuple[Diagnostic, ...]]:
    """The deck a build writes over, and what to warn of. A deck deckgen cannot read stops the
    build: its retired notes and mod times would be lost, and a git-LFS pointer checked out in
    its place looks just like one. Only `replace_unreadable` replaces it, with a warning."""
    if not path.exists():
        return None, ()
    from deckgen.apkg import DeckError, read_apkg  # imported here: a first build reads none

    try:
        return read_apkg(path), ()
    except DeckError as error:
        if not replace_unreadable:
            raise error.with_fix() from None
        lost = "replaced; its retired notes and every note's mod time were lost"
        return None, (Diagnostic(path, None, f"{error.diagnostic.message}: {lost}"),)


@dataclass(frozen=True)
class LessonBuild:
    """What building one lesson did: its report, and what the write stage did with its deck."""

    summary: DeckSummary
    # The plan, made or taken from the cache; None when the cache answered for the lesson.
    deck: LessonDeck | None = None
    # The new deck in a temp file beside its output, moved into place when the whole build
    # succeeds (DeckWriter); None when the deck's bytes did not change.
    staged: Path | None = None
    warnings: tuple[Diagnostic, ...] = ()
    # What the cache is to remember of this lesson, stored by the build's own process once it
    # has every lesson's; None when it already holds it.
    row: Row | None = None
    # What the cache may record of the files read for it (see `Reader.settled`), from the
    # process that read them (maybe a `--jobs` worker).
    entries: Mapping[str, Entry] = field(default_factory=dict)
    # The lesson's deck as the course package holds it; None when no course package is built.
    content: DeckContent | None = None


# A lesson to build, with its plan and row from the cache when its plan still stands, its
# notes in the course package on disk (see `deckgen.course.latest`), whether its package on
# disk is the one that plan gives (then only the course package needs its notes), and whether
# the course package on disk holds the very notes of that package (then it is not read).
_Work = tuple[Path, "tuple[LessonDeck, Row] | None", "StoredDeck | None", bool, bool]


def _standing_row(path: Path, config: Config, cache: Cache, key: str) -> Row | None:
    """The lesson's row, while everything its plan read is as it was. None: no row, or the
    lesson, a file it reads, the config or deckgen itself changed."""
    row = cache.row(key, str(deck_output(config, lesson_slug(path, config, cache.reader))))
    return row if row is not None and cache.inputs_unchanged(row, path) else None


def _load(row: Row, cache: Cache, config: Config) -> tuple[LessonDeck, Row] | None:
    """The row's plan, and the row with it; None when it cannot be had."""
    text = cache.plan(row)
    try:
        loaded = loads_plan(text, cache.reader, _inputs_read(row)) if text else None
        deck = None
        if loaded is not None:
            stored, digest = loaded
            if (str(stored.source), str(stored.output)) != (row.source, row.output):
                raise Damaged(f"the plan of {stored.source} stored for {row.source}")
            deck = rendered_as_planned(stored, digest, config, cache.reader)
            if deck is None:
                raise Damaged(f"the notes stored for {row.source} are not what its items render to")
    except Damaged as error:
        cache.damaged(error)
        return None
    return None if deck is None else (deck, dataclasses.replace(row, plan=text))


def _inputs_read(row: Row) -> frozenset[str]:
    return frozenset(name for kind, name, _ in row.inputs if kind == FILE)


def _cached(
    path: Path, config: Config, cache: Cache, key: str, prune_retired: bool, course: bool
) -> LessonBuild | tuple[LessonDeck, Row] | None:
    """What the cache has for a lesson: its whole build when its plan stands and its deck is
    intact (unless the `course` package needs its notes), else its plan to package again."""
    row = _standing_row(path, config, cache, key)
    if row is None:
        return None
    if not course and cache.deck_unchanged(row, prune_retired):
        return LessonBuild(row.deck_summary())  # notes retired last time are retired again
    return _load(row, cache, config)


def cached_plan(path: Path, config: Config, cache: Cache) -> LessonDeck:
    """`plan_lesson`, answered from the build cache when nothing the plan read changed
    (`check` regenerates every deck; this spares it parsing the unchanged ones)."""
    row = _standing_row(path, config, cache, cache.key(config))
    loaded = _load(row, cache, config) if row is not None else None
    return loaded[0] if loaded is not None else plan_lesson(path, config, reader=cache.reader)


def build_lesson(
    lesson: _Work,
    config: Config,
    now: int,
    reader: Reader,
    prune_retired: bool = False,
    course: bool = False,
    replace_unreadable: bool = False,
) -> LessonBuild:
    """Plan one lesson (unless the cache's plan is given), then stage its deck if its bytes
    changed; with `course`, give its deck back for the course package as well.

    A package the course package matches (`_Work`) is not read: both were written from the
    same notes, so `latest` of the two is the course package's part (its note types are the
    newest of every lesson's), and regenerating gives the same deck either way.
    """
    path, cached, in_course, intact, matched = lesson
    record = reader.recording()
    deck = plan_lesson(path, config, reader=record) if cached is None else cached[0]
    stored, replaced = (None, ()) if matched else read_previous(deck.output, replace_unreadable)
    # A moved lesson's notes may still sit in the package at its old path.
    old_paths = earlier_outputs(config, deck.output)
    earlier = [read_previous(old_path, replace_unreadable) for old_path in old_paths]
    replaced = (*replaced, *(warning for _, warnings in earlier for warning in warnings))
    previous = merged((latest(stored, in_course), *(old for old, _ in earlier)))
    write = regenerate(deck, previous, now, prune_retired)
    staged, digest = None, ""  # no package of its own
    if intact and cached is not None:
        digest = cached[1].deck_digest  # packaging again would give the same bytes
    elif LESSONS in config.packages and has_package(write.content, previous):
        packaged = package_bytes(write.content)
        staged = stage(deck.output, packaged)
        digest = bytes_digest(packaged)
    summary = DeckSummary(
        deck.source,
        deck.output,
        deck.counts,
        deck.warnings,
        retired=len(write.retired),
        pruned=len(write.pruned),
        written=staged is not None,
        cached=cached is not None,
        digest=digest,
    )
    row = Row(
        output=str(deck.output),
        source=str(path),
        prune_retired=prune_retired,
        deck_digest=digest,
        inputs=tuple(record.record()) if cached is None else cached[1].inputs,
        summary=Summary(dict(deck.counts), deck.warnings, len(write.retired)),
        plan=dumps_plan(deck) if cached is None else cached[1].plan,
    )
    content = write.content if course else None
    warnings = (*replaced, *write.warnings)
    # A row the cache holds already is not stored again (the course package has every lesson
    # built, so that would be every row, plan and all, after each edit).
    kept = None if cached is not None and row == cached[1] else row
    return LessonBuild(summary, deck, staged, warnings, kept, record.entries(), content)


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
    cache: Cache | None = None,
    replace_unreadable: bool = False,
) -> BuildReport:
    """Build every lesson's deck and write the ones whose bytes changed, all or none.

    Notes whose items left a lesson are kept, tagged `deckgen::removed`, unless
    `prune_retired` (or the config's `prune_retired`) drops them. A lesson unchanged since the
    last build is not parsed again (`force` parses every lesson). `jobs` > 1 spreads lessons
    over that many processes; no deck depends on another being built first, so the output is
    the same.
    For a progress display, `on_start` is called with the number of lessons found, then
    `on_lesson` as each lesson is done, in lesson order.
    `cache` is the project's build cache as the command loaded it (default: loaded here).
    The build leaves in it what lets `Cache.replay` answer the same build, run again with
    nothing changed, without building.
    A deck in `decks/` that deckgen cannot read stops the build (`DeckError`), unless
    `replace_unreadable` replaces it, with a warning.
    """
    config = config or Config(root=Path.cwd())
    cache = cache or Cache.load(config.root)
    prune_retired = prune_retired or config.prune_retired
    report = BuildReport()
    now = build_time()
    key = cache.key(config)
    found = cache.reader.recording()  # what finding the lessons read
    discovered = discover(paths, config, found)
    lessons = discovered.lessons
    report.write_warnings.extend(discovered.warnings)
    # A build of the whole course writes the course package; either package may hold a
    # lesson's notes as learners last got them.
    course = COURSE in config.packages and not paths
    course_path = course_output(config)
    check_course_output(
        config, (deck_output(config, lesson_slug(p, config, cache.reader)) for p in lessons)
    )
    course_before, replaced = read_previous(course_path, replace_unreadable)
    report.write_warnings.extend(replaced)
    in_course = split_course(course_before)
    if on_start is not None:
        on_start(len(lessons))
    record = BuildRecord(
        cache.replay_key(config.identity),
        named_paths(paths),
        prune_retired,
        config.prune_retired,
        tuple(found.record()),
        (),
    )
    with DeckWriter(config.decks_dir, config.root / CACHE_DIR / BUILD_LOCK) as writer:
        rows: list[Row] = []
        try:
            # Closed before the writer cleans up, even if `on_lesson` raises: no worker is
            # left to stage a deck after that.
            work = [
                (path, course_part(in_course, config, lesson_slug(path, config, cache.reader)))
                for path in lessons
            ]
            built = _build_all(
                work,
                config,
                now,
                prune_retired,
                force,
                jobs,
                cache,
                key,
                course,
                replace_unreadable,
            )
            results: list[LessonBuild] = []
            with closing(built):
                for result in built:
                    _take(result, report, writer, cache.reader)
                    if result.row is not None:
                        rows.append(result.row)
                    if course:
                        results.append(result)
                    if on_lesson is not None:
                        on_lesson(result)
            if course:
                row, staged = _build_course(results, course_before, course_path, config)
                pruned = sum(lesson.pruned for lesson in report.lessons)
                summary = row.deck_summary(written=staged is not None)
                report.course = dataclasses.replace(summary, pruned=pruned)
                rows.append(dataclasses.replace(row, prune_retired=prune_retired))
                if staged is not None:
                    cache.reader.forget(str(course_path))
                    writer.adopt(staged, course_path)
        finally:
            # Also when a lesson failed: the plans made before it are still good, but no
            # record of a finished build is left. Under the lock, so that builds at once
            # write the cache one after the other too.
            outputs = tuple(str(summary.output) for summary in report.summaries())
            done = len(report.lessons) == len(lessons) and (report.course is not None) == course
            # A build that passed something over is not replayed: its warnings are given again.
            done = done and not discovered.warnings
            finished = dataclasses.replace(record, outputs=outputs) if done else None
            cache.save(key, rows, finished, everything=not paths)
    report.write_warnings.extend(cache.warnings)
    return report


def _build_course(
    lessons: Sequence[LessonBuild], before: StoredDeck | None, output: Path, config: Config
) -> tuple[Row, Path | None]:
    """The course package (every lesson's deck as a subdeck) staged, or None when its bytes
    did not change; and the row the cache keeps of it, which lets `Cache.replay` see it
    intact."""
    packaged = course_bytes([lesson.content for lesson in lessons if lesson.content], before)
    staged = None if packaged is None else stage(output, packaged)
    digest = "" if packaged is None else bytes_digest(packaged)
    summaries = [lesson.summary for lesson in lessons]
    counts = counts_total(summary.counts for summary in summaries)
    retired = sum(summary.retired for summary in summaries)
    parts = {str(summary.output): summary.digest for summary in summaries}
    row = Row(
        output=str(output),
        source=str(config.lessons_dir),
        prune_retired=False,
        deck_digest=digest,
        inputs=(),
        summary=Summary(counts, (), retired, course=True, parts=parts),
    )
    return row, staged


def _take(result: LessonBuild, report: BuildReport, writer: DeckWriter, reader: Reader) -> None:
    """Add one lesson's build to the report, and its staged deck to what the writer moves."""
    summary = result.summary
    report.lessons.append(summary)
    if result.deck is not None:
        report.decks.append(result.deck)
    report.write_warnings.extend(result.warnings)
    reader.adopt(result.entries)
    if result.staged is not None:
        reader.forget(str(summary.output))  # what was seen of the deck is about to change
        writer.adopt(result.staged, summary.output)


def _build_all(
    lessons: list[tuple[Path, StoredDeck | None]],
    config: Config,
    now: int,
    prune_retired: bool,
    force: bool,
    jobs: int,
    cache: Cache,
    key: str,
    course: bool,
    replace_unreadable: bool = False,
) -> Iterator[LessonBuild]:
    """Lessons with nothing to do are answered here; only the others are built, by `jobs`
    processes, from the cache's plan where it stands. Each lesson comes with its notes in the
    course package on disk; with `course`, every lesson gives its deck back for the course
    package, so none is answered without it."""
    done: list[LessonBuild | None] = []
    todo: list[_Work] = []
    parts = _course_parts(config, cache, key, prune_retired) if course and not force else {}
    for path, in_course in lessons:
        found = None if force else _cached(path, config, cache, key, prune_retired, course)
        done.append(found if isinstance(found, LessonBuild) else None)
        if not isinstance(found, LessonBuild):
            row = found[1] if found is not None else None
            intact = row is not None and cache.deck_unchanged(row, prune_retired)
            matched = intact and row is not None and parts.get(row.output) == row.deck_digest
            todo.append((path, found, in_course, intact, matched))
    work = partial(
        build_lesson,
        config=config,
        now=now,
        reader=cache.reader,
        prune_retired=prune_retired,
        course=course,
        replace_unreadable=replace_unreadable,
    )
    # A lesson whose plan stands and whose package is intact only gives its notes back for
    # the course package: that costs less here than sending its plan to a worker and back.
    # So after one edit, no worker is started at all.
    shared = [lesson for lesson in todo if not _light(lesson)]
    first = _smallest([path for path, *_ in shared]) if jobs > 1 else 0
    pending = iter(todo)
    # Closed as soon as the last lesson is in, which ends the workers then, not whenever
    # the generator is collected.
    with closing(map_in_order(work, shared, jobs, first=first)) as built:
        for result in done:
            if result is None:
                lesson = next(pending)
                result = work(lesson) if _light(lesson) else next(built)
            yield result


def _light(lesson: _Work) -> bool:
    """Whether the lesson's plan comes from the cache and its package on disk is intact."""
    return lesson[1] is not None and lesson[3]


def _course_parts(config: Config, cache: Cache, key: str, prune_retired: bool) -> Mapping[str, str]:
    """Each lesson package's digest when the course package on disk was written, while that
    package is still the one the last build of the course left; else none."""
    row = cache.row(key, str(course_output(config)))
    return row.summary.parts if row is not None and cache.deck_unchanged(row, prune_retired) else {}


def _smallest(lessons: list[Path]) -> int:
    """The smallest lesson, which a parallel build builds before its workers start: that
    imports the parser and genanki and fills their caches, which forked workers inherit."""
    return min(range(len(lessons)), key=lambda index: _size(lessons[index]), default=0)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # building the lesson reports what is wrong with it
