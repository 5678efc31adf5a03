"""The library entry points: find lessons, extract, render, and write or compare decks."""

from __future__ import annotations

import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import lru_cache, partial
from pathlib import Path

from deckgen import cache
from deckgen.aliases import Aliases
from deckgen.apkg import StoredDeck, read_apkg
from deckgen.config import Config, FilesConfig
from deckgen.diagnostics import ConfigError, ContentError, DeckgenError, Diagnostic
from deckgen.extract import KeyedItem, extract_lesson
from deckgen.lesson import MAX_LESSON_BYTES, Lesson, parse_lesson
from deckgen.media import LessonMedia, media_unchanged
from deckgen.package import DeckContent, DeckWriter, package_bytes, stage
from deckgen.render import Note, render_item, retired_note

# Held while a build runs (see DeckWriter); beside the cache, which git ignores.
BUILD_LOCK = "build.lock"


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


def _module_folders(path: Path, config: Config) -> list[Path]:
    """The folders between `lessons/` and the lesson that each add a level to its deck name."""
    home, base = path.resolve().parent, config.lessons_dir.resolve()
    try:
        folders = home.relative_to(base).parts
    except ValueError:
        folders = ()
    found = []
    for depth in range(len(folders)):
        folder = base.joinpath(*folders[: depth + 1])
        if folder == home and _is_index(path, config.files):
            break  # an exercise folder's only page: the lesson title names it already
        found.append(folder)
    return found


def deck_name(path: Path, lesson: Lesson, config: Config) -> str:
    """`<Course>::<Module>::<Lesson>`: one level per folder between `lessons/` and the lesson."""
    modules = [
        _folder_title(folder, config.files.index) for folder in _module_folders(path, config)
    ]
    return "::".join([config.course.name, *modules, lesson.title.replace("::", ":")])


def plan_inputs(path: Path, config: Config) -> list[Path]:
    """The files besides the lesson whose contents (or absence) its plan depends on: its answer
    key and its modules' index files. The build cache keys on them, so keep this in step with
    `plan_lesson` and `deck_name`."""
    key = answer_key_for(path, config.files)
    indexes = [
        folder / name for folder in _module_folders(path, config) for name in config.files.index
    ]
    return [key, *indexes] if key is not None else indexes


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
    """A lesson's text (UTF-8, BOM and CRLF welcome), or one error naming what is wrong."""
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


def deck_output(config: Config, slug: str) -> Path:
    return config.decks_dir / f"{slug}.apkg"


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
    notes = tuple(
        render_item(keyed, config.course.id, slug, lesson.label, media) for keyed in items
    )
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
    retired: tuple[Note, ...] = ()
    pruned: tuple[str, ...] = ()
    warnings: tuple[Diagnostic, ...] = ()


def _plan_key(path: Path, slug: str, data: bytes, config: Config) -> str:
    return cache.lesson_key(path, slug, data, config, plan_inputs(path, config))


def up_to_date(path: Path, config: Config, prune_retired: bool) -> LessonBuild | None:
    """The last build of a lesson, when nothing it depends on changed and its deck is intact.

    Building is idempotent (the previous deck supplies mod times and retired notes, and
    rebuilding from the deck a build wrote gives that deck again), so there is nothing to do.
    """
    slug = lesson_slug(path, config)
    entry = cache.load(config, deck_output(config, slug))
    if entry is None or entry.prune_retired != prune_retired:
        return None  # checked first: on a first build, hashing every lesson twice is waste
    if entry.key != _plan_key(path, slug, read_bytes(path), config):
        return None
    if cache.file_digest(entry.deck.output) != entry.deck_digest:
        return None
    if not media_unchanged(entry.deck.media_sources):
        return None
    # Notes retired last time are retired again; anything pruned or dropped is already gone.
    return LessonBuild(entry.deck, staged=None, cached=True, retired=entry.retired)


def _plan(path: Path, config: Config, use_cache: bool = True) -> tuple[LessonDeck, str, bool]:
    """A lesson's plan, its cache key, and whether the plan came from the cache."""
    slug = lesson_slug(path, config)
    data = read_bytes(path)
    key = _plan_key(path, slug, data, config)
    entry = cache.load(config, deck_output(config, slug)) if use_cache else None
    if entry is not None and entry.key == key and media_unchanged(entry.deck.media_sources):
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
    digest = cache.bytes_digest(packaged)
    cache.store(config, cache.CacheEntry(key, deck, digest, write.retired, prune_retired))
    return LessonBuild(deck, staged, cached, write.retired, write.pruned, write.warnings)


def build(
    paths: Sequence[Path] = (),
    config: Config | None = None,
    prune_retired: bool = False,
    *,
    jobs: int = 1,
    force: bool = False,
    on_lesson: Callable[[LessonBuild], None] | None = None,
) -> BuildReport:
    """Build every lesson's deck and write the ones whose bytes changed, all or none.

    Notes whose items left a lesson are kept, tagged `deckgen::removed`, unless
    `prune_retired` (or the config's `prune_retired`) drops them. A lesson unchanged since the
    last build is not parsed again (`force` parses every lesson). `jobs` > 1 spreads lessons
    over that many processes; no deck depends on another being built first, so the output is
    the same.
    `on_lesson` is called as each lesson is done, in lesson order (for progress display).
    """
    config = config or Config(root=Path.cwd())
    prune_retired = prune_retired or config.prune_retired
    report = BuildReport()
    now = build_time()
    lessons = find_lessons(paths, config)
    with DeckWriter(config.decks_dir, config.root / cache.CACHE_DIR / BUILD_LOCK) as writer:
        for result in _build_all(lessons, config, now, prune_retired, force, jobs):
            output = result.deck.output
            report.decks.append(result.deck)
            if result.staged is not None:
                writer.adopt(result.staged, output)
                report.written.append(output)
            if result.cached:
                report.cached.append(output)
            report.retired[output] = result.retired
            report.pruned[output] = result.pruned
            report.write_warnings.extend(result.warnings)
            if on_lesson is not None:
                on_lesson(result)
    return report


def _build_all(
    lessons: list[Path], config: Config, now: int, prune_retired: bool, force: bool, jobs: int
) -> Iterator[LessonBuild]:
    """Up-to-date lessons are answered here; only the others are built, by `jobs` processes."""
    done = [None if force else up_to_date(path, config, prune_retired) for path in lessons]
    todo = [path for path, result in zip(lessons, done, strict=True) if result is None]
    work = partial(build_lesson, config=config, now=now, prune_retired=prune_retired, force=force)
    built = iter(_map(work, todo, jobs))
    for result in done:
        yield result if result is not None else next(built)


def _map(
    work: Callable[[Path], LessonBuild], lessons: list[Path], jobs: int
) -> Iterator[LessonBuild]:
    jobs = min(jobs, len(lessons))
    if jobs <= 1:
        yield from map(work, lessons)
        return
    # Imported here: a serial or no-op build (every pre-commit run) need not pay for it.
    from concurrent.futures import ProcessPoolExecutor

    pool = ProcessPoolExecutor(max_workers=jobs)
    try:
        # Small chunks keep every process busy to the end although lesson sizes vary a lot.
        yield from pool.map(work, lessons, chunksize=4)
    finally:
        pool.shutdown(cancel_futures=True)  # after an error, build no more lessons
