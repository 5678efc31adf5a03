"""Decks to compare, from files, directories, git revisions or the lessons themselves: `check`.

`check` regenerates every deck in memory, exactly as `build` would write it, and compares it
with two baselines: `decks/` on disk (is it stale?) and the decks committed at a git revision,
`HEAD` by default (would the change hurt learners who imported them?). The second catches a
breaking change even after `decks/` was rebuilt and committed along with it.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from deckgen.apkg import (
    MAX_PACKAGE_BYTES,
    DeckError,
    StoredDeck,
    read_apkg,
    read_apkg_bytes,
    read_package,
    too_large,
    unreadable,
)
from deckgen.cache import Cache
from deckgen.config import Config
from deckgen.diagnostics import ConfigError, Diagnostic
from deckgen.layout import discover, earlier_outputs
from deckgen.notediff import Diff, diff, likely_moves
from deckgen.render import RETIRED_TAG

DeckSet = dict[str, StoredDeck]  # by path within the set, e.g. "01-intro.apkg"
_SPOOL_BYTES = 16 * 1024 * 1024  # a blob read from git is kept in memory up to this, then on disk
_CHUNK = 1024 * 1024


def load_decks(path: Path, decks_dir: bool = False) -> DeckSet:
    """One `.apkg` (keyed by its name) or every `.apkg` under a directory (by relative path).
    `decks_dir`: `path` is the project's decks, and an unreadable one's error says how to get
    a readable one back."""
    # A FIFO or a device is refused as no deck (by `read_apkg`), not skipped.
    if path.is_dir():
        return {
            found.relative_to(path).as_posix(): _read(found, decks_dir)
            for found in sorted(path.rglob("*.apkg"))
            if not found.is_dir()
        }
    if path.exists():
        return {path.name: _read(path, decks_dir)}
    raise ConfigError(path, None, "no such file or directory")


def _read(path: Path, decks_dir: bool) -> StoredDeck:
    try:
        return read_apkg(path)
    except DeckError as error:
        raise error.with_fix() if decks_dir else error from None


def diff_paths(old: Path, new: Path) -> Diff:
    """Compare two packages or two directories of them; two files are one deck's versions."""
    old_decks, new_decks = load_decks(old), load_decks(new)
    if old.is_file() and new.is_file():
        old_decks = {new.name: old_decks[old.name]}
    return diff(old_decks, new_decks)


def _git(root: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, check=False, timeout=120
        )
    except FileNotFoundError:
        raise ConfigError("git", None, "git is not installed") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConfigError("git", None, message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def decks_at_revision(revision: str, decks_dir: Path) -> DeckSet:
    """The `.apkg` files committed under `decks_dir` at a git revision."""
    root = decks_dir.resolve()
    while not root.exists():
        root = root.parent  # `decks/` itself may be missing from the working tree
    toplevel = Path(_git(root, "rev-parse", "--show-toplevel").decode().strip())
    try:
        commit = _git(
            root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}"
        )
    except ConfigError:
        raise ConfigError(revision, None, "not a git revision (commit, branch or tag)") from None
    commit_id = commit.decode().strip()
    prefix = decks_dir.resolve().relative_to(toplevel.resolve()).as_posix()
    # With each blob's size (`-l`), known before a byte of it is read.
    listing = _git(toplevel, "ls-tree", "-r", "-z", "-l", commit_id, "--", prefix)
    decks: DeckSet = {}
    entries = (entry.partition(b"\t") for entry in filter(None, listing.split(b"\0")))
    for info, _, raw_name in sorted(entries, key=lambda entry: entry[2]):
        name = os.fsdecode(raw_name)  # any bytes: git names are not always UTF-8
        if not name.endswith(".apkg"):
            continue
        mode, kind, blob, size = info.split()
        shown = f"{revision}:{raw_name.decode('utf-8', 'backslashreplace')}"
        key = Path(name).relative_to(prefix).as_posix() if prefix != "." else name
        decks[key] = _deck_in_git(toplevel, mode, kind, blob, size, shown)
    return decks


def _deck_in_git(
    root: Path, mode: bytes, kind: bytes, blob: bytes, size: bytes, shown: str
) -> StoredDeck:
    """One `.apkg` blob of a `git ls-tree -l` listing, read no further than a deck may be."""
    if kind != b"blob" or mode not in (b"100644", b"100755"):
        what = "a symbolic link" if mode == b"120000" else f"a git {kind.decode()}"
        raise unreadable(shown, f"{what}, not a file")
    if int(size) > MAX_PACKAGE_BYTES:
        raise unreadable(shown, too_large(int(size), MAX_PACKAGE_BYTES))
    with tempfile.SpooledTemporaryFile(max_size=_SPOOL_BYTES) as copy:
        copied = git_blob(root, blob.decode("ascii"), copy, MAX_PACKAGE_BYTES)
        if copied is None:
            raise unreadable(shown, "larger than git said")
        copy.seek(0)
        return read_package(copy, copied, shown)


def git_blob(root: Path, blob: str, sink: IO[bytes], limit: int) -> int | None:
    """Copy a blob into `sink`; its size, or None when it is larger than `limit` (the copy
    stops there)."""
    command = ["git", "-C", str(root), "cat-file", "blob", blob]
    try:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    except FileNotFoundError:
        raise ConfigError("git", None, "git is not installed") from None
    assert process.stdout is not None
    copied = 0
    with process:
        while chunk := process.stdout.read(_CHUNK):
            copied += len(chunk)
            if copied > limit:
                process.kill()
                return None
            sink.write(chunk)
    if process.returncode != 0:
        raise ConfigError("git", None, f"git cat-file could not read blob {blob}")
    return copied


def diff_revision(revision: str, config: Config) -> Diff:
    """`decks/` at a git revision against `decks/` in the working tree."""
    current = load_decks(config.decks_dir, decks_dir=True) if config.decks_dir.exists() else {}
    return diff(decks_at_revision(revision, config.decks_dir), current)


def regenerate(
    config: Config,
    previous: DeckSet,
    paths: Sequence[Path] = (),
    prune_retired: bool = False,
    cache: Cache | None = None,
) -> tuple[DeckSet, list[Diagnostic]]:
    """Every package exactly as `build` would write it over `previous`, read back; nothing
    written. A plan the build cache holds is taken from it while everything it read is
    unchanged. The course package is part of it when `paths` names no lessons."""
    # Imported here: a check that the build cache answers needs no pipeline.
    from deckgen.builder import build_time, cached_plan, course_part
    from deckgen.course import (
        COURSE,
        LESSONS,
        check_course_output,
        course_bytes,
        course_output,
        has_package,
        latest,
        split_course,
    )
    from deckgen.layout import lesson_slug
    from deckgen.package import DeckContent, package_bytes
    from deckgen.regenerate import merged
    from deckgen.regenerate import regenerate as regenerate_deck

    cache = cache or Cache.load(config.root)
    prune_retired = prune_retired or config.prune_retired
    now = build_time()
    found = discover(paths, config, cache.reader)
    lessons = found.lessons
    course_key = course_output(config).relative_to(config.decks_dir).as_posix()
    course_before = previous.get(course_key)
    in_course = split_course(course_before)
    decks: DeckSet = {}
    warnings: list[Diagnostic] = list(found.warnings)
    contents: list[DeckContent] = []
    plans = [cached_plan(path, config, cache) for path in lessons]
    check_course_output(config, (deck.output for deck in plans))
    for deck in plans:
        key = deck.output.relative_to(config.decks_dir).as_posix()
        slug = lesson_slug(deck.source, config, cache.reader)
        part = course_part(in_course, config, slug)
        earlier = (previous.get(k) for k in _with_earlier(config, key)[1:])
        before = merged((latest(previous.get(key), part), *earlier))
        write = regenerate_deck(deck, before, now, prune_retired)
        if LESSONS in config.packages and has_package(write.content, before):
            decks[key] = read_apkg_bytes(package_bytes(write.content), deck.output)
        contents.append(write.content)
        warnings.extend((*deck.warnings, *write.warnings))
    course = COURSE in config.packages and not paths
    packaged = course_bytes(contents, course_before) if course else None
    if packaged is not None:
        decks[course_key] = read_apkg_bytes(packaged, course_output(config))
    return decks, warnings


@dataclass(frozen=True)
class NeverShipped:
    """A deck's notes that learners never had, and that would reach them already retired."""

    deck: str  # its path in decks/
    labels: tuple[str, ...]
    # How to drop them. Empty when pruning the lesson's retired notes drops just these (none
    # of them shipped, and no course package holds them too); else the packages to restore
    # as learners have them (paths at the baseline) and to delete, then build over them.
    restore: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


@dataclass(frozen=True)
class CheckResult:
    stale: Diff  # decks/ on disk -> what build would write now
    against: Diff  # the baseline -> what build would write now
    baseline: str  # "HEAD", another revision, or "decks/ on disk"
    orphans: tuple[str, ...]  # decks on disk that no lesson builds
    warnings: tuple[Diagnostic, ...]
    # Orphans that a `moved:` entry moved (old deck path -> the new one): delete them.
    moved: Mapping[str, str] = field(default_factory=dict)
    never_shipped: tuple[NeverShipped, ...] = ()

    @property
    def ok(self) -> bool:
        return not (
            self.stale.changed or self.against.breaking or self.never_shipped or self.orphans
        )


def check(
    config: Config,
    paths: Sequence[Path] = (),
    against: str | None = None,
    prune_retired: bool = False,
    cache: Cache | None = None,
) -> CheckResult:
    """Is `decks/` what `build` would write, and is the change safe for learners?

    `against` is the git revision whose committed decks learners are assumed to have. None
    means `HEAD` inside a git work tree, and `decks/` on disk elsewhere. `cache` is the
    project's build cache as the command loaded it (default: loaded here).
    """
    cache = cache or Cache.load(config.root)
    on_disk = load_decks(config.decks_dir, decks_dir=True) if config.decks_dir.exists() else {}
    expected, warnings = _replayed(cache, config, on_disk, paths, prune_retired) or regenerate(
        config, on_disk, paths, prune_retired, cache
    )
    warnings.extend(cache.warnings)
    orphans = () if paths else tuple(sorted(set(on_disk) - set(expected)))
    stale = diff(_paired(config, on_disk, expected), expected)
    baseline, name = on_disk, f"{config.decks} on disk"
    if against is not None:
        baseline, name = decks_at_revision(against, config.decks_dir), against
    elif _in_git(config.root):
        baseline, name = decks_at_revision("HEAD", config.decks_dir), "HEAD"
    paired = _paired(config, baseline, expected)
    moved = {old: key for key in expected for old in _with_earlier(config, key)[1:]}
    # A lesson moved with no `moved:` entry: its deck left, and one with its notes' keys but
    # new GUIDs arrived. Not when checking some lessons: the others' decks are not regenerated.
    gone = {} if paths else {**on_disk, **baseline}
    gone = {key: deck for key, deck in gone.items() if key not in expected and key not in moved}
    arrived = {
        key: deck
        for key, deck in expected.items()
        if not any(k in paired for k in _with_earlier(config, key))
    }
    learners = replace(diff(paired, expected), moves=likely_moves(gone, arrived))
    # The move's line says what to do with its old deck.
    orphans = tuple(o for o in orphans if o not in {m.old_path for m in learners.moves})
    unshipped = _never_shipped(config, learners, expected, baseline)
    return CheckResult(stale, learners, name, orphans, tuple(warnings), moved, unshipped)


def _never_shipped(
    config: Config, learners: Diff, expected: DeckSet, baseline: DeckSet
) -> tuple[NeverShipped, ...]:
    """Each package's never-shipped notes, and how to drop them: prune the lesson's retired
    notes when that drops only them, else build again over the packages learners have."""
    from deckgen.course import LESSONS, course_output

    course = course_output(config).relative_to(config.decks_dir).as_posix()
    labels: dict[str, list[str]] = {}
    for path, note in learners.never_shipped:
        if path != course or LESSONS not in config.packages:  # else its lessons' say it
            labels.setdefault(path, []).append(note.label)
    found = []
    for path, names in labels.items():
        earlier = next((k for k in _with_earlier(config, path) if k in baseline), None)
        retired = {guid for guid, note in expected[path].notes.items() if RETIRED_TAG in note.tags}
        shipped = earlier is not None and not retired.isdisjoint(baseline[earlier].notes)
        if not shipped and course not in expected:
            found.append(NeverShipped(path, tuple(names)))
            continue
        # The course package holds the lesson's notes too (under the tags of its paths before
        # as well): it is restored with the lesson's package at the same path.
        kept = (earlier,) if earlier == path or course not in baseline else ()
        restore = tuple(k for k in dict.fromkeys((*kept, course)) if k in baseline)
        remove = () if path in restore else (path,)
        found.append(NeverShipped(path, tuple(names), restore, remove))
    return tuple(found)


def _with_earlier(config: Config, key: str) -> tuple[str, ...]:
    """A deck's path in `decks/`, then where a `moved:` lesson's deck was before."""
    output = config.decks_dir / key
    earlier = earlier_outputs(config, output)
    return (key, *(path.relative_to(config.decks_dir).as_posix() for path in earlier))


def _paired(config: Config, decks: DeckSet, expected: DeckSet) -> DeckSet:
    """The decks of `decks` that the expected ones replace, by their own paths: a moved
    lesson's deck at its old path while there is none at the new one (`diff` pairs them by
    their notes' GUIDs)."""
    paired = {}
    for key in expected:
        found = next((k for k in _with_earlier(config, key) if k in decks), None)
        if found is not None:
            paired[found] = decks[found]
    return paired


def _replayed(
    cache: Cache, config: Config, on_disk: DeckSet, paths: Sequence[Path], prune_retired: bool
) -> tuple[DeckSet, list[Diagnostic]] | None:
    """What `regenerate` would give, when the build cache says the last build left `decks/`
    exactly as a build would write it now: then those decks are what build would write."""
    summaries = cache.replay(config, paths, prune_retired)
    if summaries is None:
        return None
    keys = [
        summary.output.relative_to(config.decks_dir).as_posix()
        for summary in summaries
        if summary.digest  # "": no package there (see `deckgen.course.has_package`)
    ]
    if not all(key in on_disk for key in keys):
        return None
    warnings = [warning for summary in summaries for warning in summary.warnings]
    return {key: on_disk[key] for key in keys}, warnings


def _in_git(root: Path) -> bool:
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD")
    except ConfigError:
        return False  # not a repository, no commit yet, or no git at all
    return True
