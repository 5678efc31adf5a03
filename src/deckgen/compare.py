"""Decks to compare, from files, directories, git revisions or the lessons themselves: `check`.

`check` regenerates every deck in memory, exactly as `build` would write it, and compares it
with two baselines: `decks/` on disk (is it stale?) and the decks committed at a git revision,
`HEAD` by default (would the change hurt learners who imported them?). The second catches a
breaking change even after `decks/` was rebuilt and committed along with it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from deckgen.apkg import StoredDeck, read_apkg, read_apkg_bytes
from deckgen.cache import Cache
from deckgen.config import Config
from deckgen.diagnostics import ConfigError, Diagnostic
from deckgen.layout import discover
from deckgen.notediff import Diff, diff

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
    from deckgen.builder import build_time, cached_plan
    from deckgen.course import (
        COURSE,
        LESSONS,
        check_course_output,
        course_bytes,
        course_output,
        has_package,
        latest,
        lesson_tag,
        split_course,
    )
    from deckgen.layout import lesson_slug
    from deckgen.package import DeckContent, package_bytes
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
        before = latest(previous.get(key), in_course.get(lesson_tag(slug)))
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
class CheckResult:
    stale: Diff  # decks/ on disk -> what build would write now
    against: Diff  # the baseline -> what build would write now
    baseline: str  # "HEAD", another revision, or "decks/ on disk"
    orphans: tuple[str, ...]  # decks on disk that no lesson builds
    warnings: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not (self.stale.changed or self.against.breaking or self.orphans)


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
    stale = diff({key: on_disk[key] for key in expected if key in on_disk}, expected)
    baseline, name = on_disk, f"{config.decks} on disk"
    if against is not None:
        baseline, name = decks_at_revision(against, config.decks_dir), against
    elif _in_git(config.root):
        baseline, name = decks_at_revision("HEAD", config.decks_dir), "HEAD"
    baseline = {key: deck for key, deck in baseline.items() if key in expected}
    return CheckResult(stale, diff(baseline, expected), name, orphans, tuple(warnings))


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
