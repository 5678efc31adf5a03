"""Decks to compare, from files, directories, git revisions or the lessons themselves: `check`.

`check` regenerates every deck in memory, exactly as `build` would write it, and compares it
with two baselines: `decks/` on disk (is it stale?) and the decks committed at a git revision,
`HEAD` by default (would the change hurt learners who imported them?). The second catches a
breaking change even after `decks/` was rebuilt and committed along with it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from deckgen.apkg import StoredDeck, read_apkg, read_apkg_bytes
from deckgen.cache import Cache
from deckgen.config import Config
from deckgen.diagnostics import ConfigError, Diagnostic
from deckgen.layout import earlier_outputs, find_lessons
from deckgen.notediff import Diff, diff, likely_moves
from deckgen.render import RETIRED_TAG

DeckSet = dict[str, StoredDeck]  # by path within the set, e.g. "01-intro.apkg"


def load_decks(path: Path) -> DeckSet:
    """One `.apkg` (keyed by its name) or every `.apkg` under a directory (by relative path)."""
    if path.is_file():
        return {path.name: read_apkg(path)}
    if path.is_dir():
        return {
            found.relative_to(path).as_posix(): read_apkg(found)
            for found in sorted(path.rglob("*.apkg"))
            if found.is_file()
        }
    raise ConfigError(path, None, "no such file or directory")


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
    listing = _git(toplevel, "ls-tree", "-r", "-z", "--name-only", commit_id, "--", prefix)
    decks: DeckSet = {}
    for name in sorted(filter(None, listing.decode("utf-8").split("\0"))):
        if name.endswith(".apkg"):
            data = _git(toplevel, "cat-file", "blob", f"{commit_id}:{name}")
            key = Path(name).relative_to(prefix).as_posix() if prefix != "." else name
            decks[key] = read_apkg_bytes(data, Path(f"{revision}:{name}"))
    return decks


def diff_revision(revision: str, config: Config) -> Diff:
    """`decks/` at a git revision against `decks/` in the working tree."""
    current = load_decks(config.decks_dir) if config.decks_dir.exists() else {}
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
    lessons = find_lessons(paths, config, cache.reader)
    course_key = course_output(config).relative_to(config.decks_dir).as_posix()
    course_before = previous.get(course_key)
    in_course = split_course(course_before)
    decks: DeckSet = {}
    warnings: list[Diagnostic] = []
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
    on_disk = load_decks(config.decks_dir) if config.decks_dir.exists() else {}
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
