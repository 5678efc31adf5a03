"""deckgen from Python: one function per command, each returning a report that owns its exit code.

`deckgen.api.build(...)` does what `deckgen build` does from the shell, with no subprocess. A
report holds everything the command prints, as `Line`s (data for stdout, diagnostics for
stderr), and its `exit_code` (0 success, 1 a content problem or stale decks, 2 a usage or
config error). A problem that stops a command is raised as a `DeckgenError`, which has its own
`exit_code`.

This module must stay cheap to import: a build answered from the build cache loads it and
nothing of the pipeline. Each function imports what it runs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from shlex import quote
from typing import TYPE_CHECKING, Any

from deckgen.cache import Cache, DeckSummary
from deckgen.configfile import ConfigFile, find_config
from deckgen.diagnostics import DeckgenError, Diagnostic, PathDisplay, display_path

if TYPE_CHECKING:
    from deckgen.builder import LessonBuild, LessonDeck
    from deckgen.compare import CheckResult
    from deckgen.config import Config
    from deckgen.extract.evidence import Candidate
    from deckgen.items import Item
    from deckgen.notediff import Diff
    from deckgen.preview import PreviewPage
    from deckgen.scaffold import InitReport

# Named here rather than taken from the extractor registry and the diff renderers, so that the
# CLI can offer them as choices without importing either (see `deckgen.extract.EXTRACTORS`).
KIND_LABELS = {
    "definition": ("definition", "definitions"),
    "comparison": ("comparison", "comparisons"),
    "salary": ("salary band", "salary bands"),
    "question": ("question", "questions"),
}
DIFF_FORMATS = ("text", "json", "markdown")


@dataclass(frozen=True)
class Line:
    """One piece of a command's output, newline included: data on stdout, else stderr.
    `warning` lines are what `--quiet` hides."""

    text: str
    err: bool = False
    warning: bool = False


def _out(text: str) -> Line:
    return Line(text + "\n")


def _err(text: str) -> Line:
    return Line(text + "\n", err=True)


# More warnings than this end with a count: the first ones have scrolled out of sight.
_WARNINGS_SUMMARY_OVER = 10


def _warning_lines(warnings: Sequence[Diagnostic], shown: PathDisplay | None = None) -> list[Line]:
    """Each warning once, in order, however many stages of the command met it, and a count
    after many of them."""
    shown = shown or PathDisplay()
    unique = {warning.shown_with(shown): warning.path for warning in warnings}
    lines = [Line(text + "\n", err=True, warning=True) for text in unique]
    if len(unique) > _WARNINGS_SUMMARY_OVER:
        files = len({str(path) for path in unique.values()})
        summary = (
            f"{_plural(len(unique), 'warning')} in {_plural(files, 'file')}; "
            "`deckgen lint` lists them, `--quiet` hides them\n"
        )
        lines.append(Line(summary, err=True, warning=True))
    return lines


def _found(config: Config | ConfigFile | Path | str | None) -> Config | ConfigFile:
    """Every function takes a parsed `Config`, a config file found but not yet parsed, a path
    to one, or None for `./deckgen.yaml` (built-in defaults when there is none)."""
    if config is None or isinstance(config, Path | str):
        return find_config(None if config is None else Path(config))
    return config


def _parsed(config: Config | ConfigFile | Path | str | None) -> Config:
    """The config, parsed, with its `kinds:` checked against the extractors there are and its
    `moved:` against the lessons (a config made in code, too)."""
    from deckgen.config import Config, check_choices, load_config
    from deckgen.extract import check_kinds
    from deckgen.layout import check_moves

    found = _found(config)
    parsed = found if isinstance(found, Config) else load_config(found)
    check_kinds(parsed)
    check_choices(parsed)
    check_moves(parsed)
    return parsed


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _item_counts(counts: Mapping[str, int]) -> str:
    """`3 definitions, 1 comparison, 0 salary bands, 2 questions`."""
    return ", ".join(
        _plural(counts.get(kind, 0), one, many) for kind, (one, many) in KIND_LABELS.items()
    )


# --- build -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class BuildReport:
    """What `build` did to each lesson's deck, and the warnings it gave."""

    decks: tuple[DeckSummary, ...]
    write_warnings: tuple[Diagnostic, ...] = ()
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return 0  # a build that fails raises, and writes no deck

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return (*(w for deck in self.decks for w in deck.warnings), *self.write_warnings)

    def lines(self, verbose: bool = False, quiet: bool = False) -> Iterator[Line]:
        """Warnings, then a line per lesson and one for the course package; `verbose` adds
        cache use and totals."""
        if quiet:
            return
        shown = PathDisplay()
        yield from _warning_lines(self.warnings, shown)
        for deck in self.decks:
            state = "" if deck.written else " (unchanged)"
            for count, label in ((deck.retired, "retired"), (deck.pruned, "pruned")):
                if count:
                    state += f" ({count} {label})"
            if verbose and deck.cached:
                state += " (cached)"
            source, output = shown(deck.source), shown(deck.output)
            if not deck.digest:  # no package of its own: see `deckgen.course.has_package`
                found = _item_counts(deck.counts) if any(deck.counts.values()) else ""
                where = (
                    f"{found} (course package only)" if found else "no study items, no deck written"
                )
                yield _out(f"{source}: {where}")
                continue
            yield _out(f"{source}: {_item_counts(deck.counts)} -> {output}{state}")
        if verbose:
            written = sum(deck.written for deck in self.decks)
            cached = sum(deck.cached for deck in self.decks)
            lessons = sum(not deck.course for deck in self.decks)
            yield _err(
                f"{lessons} lessons, {written} decks written, "
                f"{cached} lessons from the cache, in {self.seconds:.2f}s"
            )


def build(
    paths: Sequence[Path] = (),
    config: Config | ConfigFile | Path | str | None = None,
    *,
    prune_retired: bool = False,
    jobs: int = 1,
    force: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_lesson: Callable[[LessonBuild], None] | None = None,
    replace_unreadable: bool = False,
) -> BuildReport:
    """Write the course package and one `.apkg` per lesson (as `packages:` says), as
    `deckgen build` does (see `deckgen.builder.build`).

    When nothing changed since the last build, the build cache gives its report again without
    building (`Cache.replay`), before the config is parsed or the pipeline imported.
    """
    from deckgen.clock import build_time

    started = time.perf_counter()
    build_time()  # checks SOURCE_DATE_EPOCH, also when the cache answers
    found = _found(config)
    cache = Cache.load(found.root)
    replayed = None if force else cache.replay(found, paths, prune_retired)
    if replayed is not None:
        return BuildReport(tuple(replayed), seconds=time.perf_counter() - started)
    from deckgen.builder import build as build_decks

    built = build_decks(
        paths,
        _parsed(found),
        prune_retired,
        jobs=jobs,
        force=force,
        on_start=on_start,
        on_lesson=on_lesson,
        cache=cache,
        replace_unreadable=replace_unreadable,
    )
    summaries, warnings = tuple(built.summaries()), tuple(built.write_warnings)
    return BuildReport(summaries, warnings, time.perf_counter() - started)


# --- list ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListedItem:
    """One study item with the GUID of its note."""

    item: Item
    guid: str


@dataclass(frozen=True)
class LessonItems:
    """One lesson's listed items (with `--why`, its candidates), and the warnings reading it
    gave."""

    items: tuple[ListedItem, ...] | tuple[Candidate, ...]
    warnings: tuple[Diagnostic, ...]


@dataclass(frozen=True)
class ItemsReport:
    """The study items of each lesson, in order (or, from `explain`, every candidate, kept or
    dropped); `error` stopped the listing at a lesson."""

    lessons: tuple[LessonItems, ...]
    error: DeckgenError | None = None
    skipped: tuple[Diagnostic, ...] = ()  # what finding the lessons passed over

    @property
    def exit_code(self) -> int:
        return 0 if self.error is None else self.error.exit_code

    def records(self, shown: PathDisplay | None = None) -> Iterator[dict[str, Any]]:
        """Each item (or candidate) as `deckgen list --json` gives it."""
        shown = shown or PathDisplay()
        for lesson in self.lessons:
            for entry in lesson.items:
                yield _entry_record(entry, shown)

    def lines(self, as_json: bool = False) -> Iterator[Line]:
        shown = PathDisplay()
        warnings = [w for lesson in self.lessons for w in lesson.warnings]
        yield from _warning_lines([*self.skipped, *warnings], shown)
        for lesson in self.lessons:
            for entry in lesson.items:
                if as_json:
                    yield _out(json.dumps(_entry_record(entry, shown), ensure_ascii=False))
                elif isinstance(entry, ListedItem):
                    item = entry.item
                    yield _out(f"{_where(item, shown)}: {item.kind}: {item.key}")
                else:
                    yield _out(_explained(entry, shown))
        if self.error is not None:
            yield _err(str(self.error.diagnostic))


def _where(item: Item, shown: PathDisplay) -> str:
    return f"{shown(item.source.path)}:{item.source.line}"


def _record(listed: ListedItem, shown: PathDisplay) -> dict[str, Any]:
    item = listed.item
    record = {
        "kind": item.kind,
        "key": item.key,
        "guid": listed.guid,
        "file": _where(item, shown),
        "section": list(item.source.section),
        **asdict(item),
    }
    record.pop("source")
    return record


def items(
    paths: Sequence[Path] = (),
    config: Config | ConfigFile | Path | str | None = None,
    *,
    kinds: Sequence[str] = (),
) -> ItemsReport:
    """The study items `deckgen list` shows (only `kinds`, when given), writing nothing.

    Unlike `build`, `paths` may lie outside the lessons directory. A lesson that cannot be read
    ends the listing: the report keeps the lessons before it, and the error.
    """
    from deckgen.builder import plan_draft
    from deckgen.layout import discover

    parsed = _parsed(config)
    lessons: list[LessonItems] = []
    found = discover(paths, parsed)
    skipped = tuple(found.warnings)
    for path in found.lessons:
        try:
            deck = plan_draft(path, parsed)
        except DeckgenError as error:
            return ItemsReport(tuple(lessons), error, skipped)
        lessons.append(_lesson_items(deck, kinds))
    return ItemsReport(tuple(lessons), skipped=skipped)


def _lesson_items(deck: LessonDeck, kinds: Sequence[str]) -> LessonItems:
    listed = tuple(
        ListedItem(keyed.item, note.guid)
        for keyed, note in zip(deck.items, deck.notes, strict=True)
        if not kinds or keyed.item.kind in kinds
    )
    return LessonItems(listed, deck.warnings)


def _entry_record(entry: ListedItem | Candidate, shown: PathDisplay) -> dict[str, Any]:
    return (
        _record(entry, shown) if isinstance(entry, ListedItem) else _candidate_record(entry, shown)
    )


def _candidate_record(candidate: Candidate, shown: PathDisplay) -> dict[str, Any]:
    return {
        "kind": candidate.kind,
        "key": candidate.text,
        "file": f"{shown(candidate.source.path)}:{candidate.source.line}",
        "kept": candidate.kept,
        "reason": candidate.reason,
        "shape": candidate.shape,
        "signals": [asdict(signal) for signal in candidate.signals],
    }


def _explained(candidate: Candidate, shown: PathDisplay) -> str:
    where = f"{shown(candidate.source.path)}:{candidate.source.line}"
    decision = "kept" if candidate.kept else f"dropped, {candidate.reason}"
    evidence = "; ".join([candidate.shape, *(str(signal) for signal in candidate.signals)])
    return f"{where}: {candidate.kind}: {candidate.text}: {decision} [{evidence}]"


def explain(
    paths: Sequence[Path] = (),
    config: Config | ConfigFile | Path | str | None = None,
    *,
    kinds: Sequence[str] = (),
) -> ItemsReport:
    """Every candidate `deckgen list` considered (only `kinds`, when given), kept or dropped,
    with its evidence and the decision's reason. Writes nothing; reads no cache."""
    from deckgen.layout import discover, draft_slug, lesson_extraction
    from deckgen.reader import Reader

    parsed = _parsed(config)
    reader = Reader()
    lessons: list[LessonItems] = []
    found = discover(paths, parsed, reader)
    skipped = tuple(found.warnings)
    for path in found.lessons:
        try:
            extraction = lesson_extraction(path, parsed, draft_slug(path, parsed, reader), reader)
        except DeckgenError as error:
            return ItemsReport(tuple(lessons), error, skipped)
        candidates = tuple(c for c in extraction.candidates if not kinds or c.kind in kinds)
        lessons.append(LessonItems(candidates, tuple(extraction.warnings)))
    return ItemsReport(tuple(lessons), skipped=skipped)


# --- config ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ConfigReport:
    """The configuration in force: the config file's keys over the built-in defaults."""

    settings: Mapping[str, Any]
    source: Path | None  # the file read, or None when only defaults apply
    exit_code: int = 0

    def lines(self, as_json: bool = False) -> Iterator[Line]:
        if as_json:
            yield _out(json.dumps(self.settings, ensure_ascii=False, indent=2))
            return
        import yaml

        origin = display_path(self.source) if self.source else "no config file"
        yield _out(f"# deckgen's configuration in force ({origin}, over the built-in defaults)")
        text = yaml.safe_dump(dict(self.settings), sort_keys=False, allow_unicode=True, width=100)
        yield Line(text)


def effective_config(config: Config | ConfigFile | Path | str | None = None) -> ConfigReport:
    """What `deckgen config` prints: every setting, with the built-in lists in full."""
    from deckgen.config import effective_settings

    parsed = _parsed(config)
    source = parsed.source.path if parsed.source is not None else None
    return ConfigReport(effective_settings(parsed), source)


# --- preview ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewReport:
    """The preview page written, and what is on it."""

    page: PreviewPage

    @property
    def exit_code(self) -> int:
        return 0

    @property
    def output(self) -> Path:
        return self.page.output

    def lines(self) -> Iterator[Line]:
        yield from _warning_lines(self.page.warnings)
        yield _out(f"{self.page.summary} -> {display_path(self.page.output)}")


def preview(
    paths: Sequence[Path] = (),
    config: Config | ConfigFile | Path | str | None = None,
    *,
    output: Path = Path("preview.html"),
) -> PreviewReport:
    """Write one self-contained HTML page with every card of the lessons, front and back."""
    from deckgen.preview import write_preview

    return PreviewReport(write_preview(paths, _parsed(config), output))


# --- check -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckReport:
    """Whether `decks/` is what build would write, and whether the change is safe."""

    result: CheckResult
    decks_dir: Path  # where the orphans are
    lessons_dir: Path = Path("lessons")  # where the lessons of never-shipped notes are

    @property
    def exit_code(self) -> int:
        return 0 if self.result.ok else 1

    @property
    def ok(self) -> bool:
        return self.result.ok

    def messages(self) -> list[str]:
        """Why the check failed, one sentence each (for stderr)."""
        result = self.result
        breaking = [f"{reason} (against {result.baseline})" for reason in result.against.breaking]
        return [*self.problems(), *breaking]

    def problems(self) -> list[str]:
        """Why the check failed, besides the breaking changes its diff lists."""
        from deckgen.notediff import lesson_path

        result = self.result
        found = []
        if result.stale.changed:
            found.append("deckgen check: decks are stale; run `deckgen build`")
        for orphan in result.orphans:
            moved_to = result.moved.get(orphan)
            found.append(
                f"{display_path(self.decks_dir / orphan)}: no lesson builds this deck; "
                + (
                    "delete it or restore its lesson"
                    if moved_to is None
                    else f"its lesson moved (`moved:` in deckgen.yaml) and its notes are "
                    f"built into {display_path(self.decks_dir / moved_to)}: delete it"
                )
            )
        for unshipped in result.never_shipped:
            deck = self.decks_dir / unshipped.deck
            if not (unshipped.restore or unshipped.remove):
                lesson = self.lessons_dir / lesson_path(unshipped.deck)
                how = f"deckgen build --prune-retired {quote(display_path(lesson))}"
            else:
                steps = []
                if unshipped.restore:
                    shown = (quote(display_path(self.decks_dir / k)) for k in unshipped.restore)
                    steps.append(f"git checkout {quote(result.baseline)} -- {' '.join(shown)}")
                if unshipped.remove:
                    shown = (quote(display_path(self.decks_dir / k)) for k in unshipped.remove)
                    steps.append(f"rm {' '.join(shown)}")
                how = " && ".join([*steps, "deckgen build"])
            names = ", ".join(map(repr, unshipped.labels))
            found.append(
                f"{display_path(deck)}: {_plural(len(unshipped.labels), 'note')} never shipped "
                f"(not in the decks at {result.baseline}) would reach learners already retired "
                f"({names}); drop them: `{how}`"
            )
        return found

    def to_dict(self) -> dict[str, Any]:
        """`check --format json`: whether it passed, why not, and both diffs."""
        result = self.result
        return {
            "ok": result.ok,
            "baseline": result.baseline,
            "problems": self.messages(),
            "stale": result.stale.to_dict(),
            "against": result.against.to_dict(),
            "orphans": list(result.orphans),
            "never_shipped": [asdict(unshipped) for unshipped in result.never_shipped],
        }

    def lines(self, output_format: str = "text") -> Iterator[Line]:
        """Text: what build would change in decks/ (stdout), and why the check failed
        (stderr). Markdown and JSON, for review: the change for learners who have the
        baseline's decks, with every reason the check failed in the same output."""
        from deckgen.notediff import render_markdown, render_text

        yield from _warning_lines(self.result.warnings)
        if output_format == "json":
            yield Line(json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n")
        elif output_format == "markdown":
            problems = self.problems()
            if self.result.against.breaking:
                problems.append(f"breaking changes for learners of {self.result.baseline}: below")
            yield Line(render_markdown(self.result.against, problems))
        elif self.result.stale.changed:
            yield Line(render_text(self.result.stale))
        yield from map(_err, self.messages())
        if self.result.ok:
            count = len(self.result.stale.decks)
            yield _err(f"deckgen check: up to date ({_plural(count, 'deck')})")


def check(
    paths: Sequence[Path] = (),
    config: Config | ConfigFile | Path | str | None = None,
    *,
    against: str | None = None,
    prune_retired: bool = False,
) -> CheckReport:
    """Is `decks/` what `build` would write, and is the change safe for learners? Writes
    nothing. `against` is the git revision whose decks learners have (see `compare.check`)."""
    from deckgen.clock import build_time
    from deckgen.compare import check as compare

    parsed = _parsed(config)
    build_time()  # checks SOURCE_DATE_EPOCH, also when the cache answers
    cache = Cache.load(parsed.root)
    result = compare(parsed, paths, against=against, prune_retired=prune_retired, cache=cache)
    return CheckReport(result, parsed.decks_dir, parsed.lessons_dir)


# --- diff ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffReport:
    """What importing the new decks does to a learner who has the old ones."""

    diff: Diff
    fail_on_change: bool = False  # `--exit-code`: differences exit 1

    @property
    def exit_code(self) -> int:
        return 1 if self.fail_on_change and self.diff.changed else 0

    def lines(self, output_format: str = "text", show_unchanged: bool = False) -> Iterator[Line]:
        from deckgen.notediff import RENDERERS, render_text

        if output_format == "text":
            yield Line(render_text(self.diff, show_unchanged=show_unchanged))
        else:
            yield Line(RENDERERS[output_format](self.diff))


def diff(
    old: Path | None = None,
    new: Path | None = None,
    *,
    revision: str | None = None,
    config: Config | ConfigFile | Path | str | None = None,
    fail_on_change: bool = False,
) -> DiffReport:
    """Compare OLD and NEW (`.apkg` files or directories of them), or, with `revision`, the
    decks committed at that git revision with `decks/` in the working tree."""
    from deckgen.compare import diff_paths, diff_revision

    if revision is not None and old is None and new is None:
        return DiffReport(diff_revision(revision, _parsed(config)), fail_on_change)
    if revision is None and old is not None and new is not None:
        return DiffReport(diff_paths(old, new), fail_on_change)
    raise ValueError("give old and new, or revision alone")


# --- lint ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LintReport:
    """What looks like a study item but was not extracted, and why."""

    findings: tuple[Diagnostic, ...]
    strict: bool = False  # any finding exits 1

    @property
    def exit_code(self) -> int:
        return 1 if self.strict and self.findings else 0

    def lines(self) -> Iterator[Line]:
        yield from (_out(str(finding)) for finding in self.findings)
        if self.findings:
            yield _err(_plural(len(self.findings), "finding"))


def lint(
    paths: Sequence[Path] = (),
    config: Config | ConfigFile | Path | str | None = None,
    *,
    strict: bool = False,
) -> LintReport:
    """Every lint finding in the lessons under `paths` (or the lessons directory), in order."""
    from deckgen.lint import lint as findings

    return LintReport(tuple(findings(paths, _parsed(config))), strict)


# --- init ------------------------------------------------------------------------------------


def init(root: Path = Path("."), *, lessons: Path | None = None) -> InitReport:
    """Set the course repository at `root` up for deckgen, as `deckgen init` does: write
    `deckgen.yaml`, the pre-commit hook and the GitHub workflow where there are none, and
    ignore the build cache (see `deckgen.scaffold`)."""
    from deckgen.scaffold import init_course

    return init_course(root, lessons)


__all__ = [
    "DIFF_FORMATS",
    "KIND_LABELS",
    "BuildReport",
    "CheckReport",
    "ConfigFile",
    "ConfigReport",
    "DiffReport",
    "ItemsReport",
    "LessonItems",
    "Line",
    "LintReport",
    "ListedItem",
    "PreviewReport",
    "build",
    "check",
    "diff",
    "effective_config",
    "explain",
    "find_config",
    "init",
    "items",
    "lint",
    "preview",
]
