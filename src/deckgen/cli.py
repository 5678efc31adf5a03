"""The `deckgen` command: parse options, call the library, print, pick the exit code.

Exit codes: 0 success; 1 a content problem (or, for check, stale decks); 2 a usage or config
error; 3 an internal error in deckgen itself. Messages go to stderr as `path:line: message`;
data goes to stdout.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import asdict, dataclass
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from deckgen import __version__
from deckgen.configfile import find_config
from deckgen.diagnostics import (
    ConfigError,
    DeckgenError,
    Diagnostic,
    PathDisplay,
    display_path,
)
from deckgen.stamp import DeckSummary, fingerprint_once, replay

# Each command imports the modules it runs when it runs: `deckgen build` with nothing to do,
# answered from the build stamp, must not pay for the parser, genanki or the extractors.
if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

    from deckgen.config import Config

EXIT_INTERNAL = 3
KIND_LABELS = {
    "definition": ("definition", "definitions"),
    "comparison": ("comparison", "comparisons"),
    "salary": ("salary band", "salary bands"),
    "question": ("question", "questions"),
}
DIFF_FORMATS = ("text", "json", "markdown")

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(command: F) -> F:
    """User errors become one `path:line: message` line; crashes get their own exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DeckgenError as error:
            click.echo(str(error.diagnostic), err=True)
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # `deckgen list | head`: the reader left; that is not an error worth a message.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except Exception as error:
            if os.environ.get("DECKGEN_DEBUG"):
                import traceback  # a crash's own cost: every run would pay for it up front

                traceback.print_exc()
            click.echo(
                f"deckgen: internal error: {type(error).__name__}: {error} "
                "(set DECKGEN_DEBUG=1 for a traceback, and please report it)",
                err=True,
            )
            sys.exit(EXIT_INTERNAL)

    return wrapper  # type: ignore[return-value]


def _config(ctx: click.Context) -> Config:
    """The run's config, parsed on first use: a build answered from its stamp never needs it."""
    if "config" not in ctx.obj:
        from deckgen.config import load_config
        from deckgen.extract import check_kinds

        config = load_config(ctx.obj["config_file"])
        check_kinds(config)
        ctx.obj["config"] = config
    return ctx.obj["config"]


def _print_warnings(warnings: Sequence[Diagnostic], quiet: bool = False) -> None:
    if quiet:
        return
    shown = PathDisplay()
    for warning in warnings:
        click.echo(warning.shown_with(shown), err=True)


def _summary(counts: Mapping[str, int]) -> str:
    parts = []
    for kind, (one, many) in KIND_LABELS.items():
        number = counts.get(kind, 0)
        parts.append(f"{number} {one if number == 1 else many}")
    return ", ".join(parts)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="deckgen")
@click.option(
    "-c",
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Course config file.  [default: ./deckgen.yaml; built-in defaults when absent]",
)
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """Turn Markdown course lessons into Anki decks with stable note IDs.

    \b
    Exit codes:
      0  success
      1  a problem in the lessons (or `check`: decks are stale)
      2  usage or config error
      3  internal error in deckgen
    """
    ctx.ensure_object(dict)
    if config_path is not None and not config_path.exists():
        raise click.BadParameter(f"{config_path}: no such file", param_hint="--config")
    try:
        ctx.obj["config_file"] = find_config(config_path)
    except ConfigError as error:
        click.echo(str(error.diagnostic), err=True)
        sys.exit(error.exit_code)


_paths = click.argument(
    "paths",
    nargs=-1,
    type=click.Path(path_type=Path, exists=False),
)


def _cores() -> int:
    """Cores this process may use: a container or `taskset` may allow fewer than exist."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@cli.command("build")
@_paths
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=_cores(),
    show_default="the number of cores",
    help="Lessons built in parallel by this many processes.",
)
@click.option("--force", is_flag=True, help="Parse every lesson again, ignoring the cache.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say which lessons came from the cache, and totals."
)
@click.option(
    "--prune-retired",
    is_flag=True,
    help="Drop notes whose item left the lesson instead of keeping them tagged deckgen::removed.",
)
@click.pass_context
@_reports_errors
def build_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    jobs: int,
    force: bool,
    quiet: bool,
    verbose: bool,
    prune_retired: bool,
) -> None:
    """Write one .apkg per lesson into the decks directory.

    PATHS are lesson files or directories (default: the config's lessons directory). Each deck
    is written to a temporary file and atomically replaced; a deck whose bytes would not change
    is not touched. A note whose item left the lesson stays in its deck, tagged
    deckgen::removed with a notice on its back, until --prune-retired (or `prune_retired: true`
    in deckgen.yaml) drops it. A lesson unchanged since the last build (same bytes, config and
    deckgen version) is not parsed again: its plan is kept in .deckgen-cache/. When nothing at
    all changed, the last build's report is printed again, from .deckgen-cache/build-stamp.json.
    """
    started = time.perf_counter()
    write_warnings: list[Diagnostic] = []
    with fingerprint_once():  # a stale stamp's fingerprint is the build's
        summaries = None if force else replay(ctx.obj["config_file"], paths, prune_retired)
        if summaries is None:
            from deckgen.builder import build

            with _progress(quiet) as progress:
                report = build(
                    paths,
                    _config(ctx),
                    prune_retired=prune_retired,
                    jobs=jobs,
                    force=force,
                    on_start=progress.start,
                    on_lesson=progress.advance,
                )
            summaries, write_warnings = report.summaries(), report.write_warnings
    _print_warnings([w for deck in summaries for w in deck.warnings] + write_warnings, quiet)
    if not quiet:
        _print_build(summaries, verbose, time.perf_counter() - started)


def _print_build(summaries: Sequence[DeckSummary], verbose: bool, seconds: float) -> None:
    shown = PathDisplay()
    for deck in summaries:
        state = "" if deck.written else " (unchanged)"
        for count, label in ((deck.retired, "retired"), (deck.pruned, "pruned")):
            if count:
                state += f" ({count} {label})"
        if verbose and deck.cached:
            state += " (cached)"
        click.echo(f"{shown(deck.source)}: {_summary(deck.counts)} -> {shown(deck.output)}{state}")
    if verbose:
        written = sum(deck.written for deck in summaries)
        cached = sum(deck.cached for deck in summaries)
        click.echo(
            f"{len(summaries)} lessons, {written} decks written, "
            f"{cached} lessons from the cache, in {seconds:.2f}s",
            err=True,
        )


# Fewer lessons than this finish before a bar would be worth drawing.
_PROGRESS_MIN_LESSONS = 10


def _interactive() -> bool:
    """Someone is watching stderr: a terminal, and not a CI job (whose logs keep every frame)."""
    return sys.stderr.isatty() and not os.environ.get("CI")


@dataclass
class _Progress:
    """A progress bar on stderr for long builds at a terminal; nothing in pipes, CI or -q."""

    stack: ExitStack
    quiet: bool
    bar: ProgressBar[int] | None = None

    def start(self, total: int) -> None:
        if not self.quiet and total >= _PROGRESS_MIN_LESSONS and _interactive():
            bar = click.progressbar(length=total, label="Building", file=sys.stderr)
            self.bar = self.stack.enter_context(bar)

    def advance(self, _lesson: object) -> None:
        if self.bar is not None:
            self.bar.update(1)


@contextmanager
def _progress(quiet: bool) -> Iterator[_Progress]:
    with ExitStack() as stack:
        yield _Progress(stack, quiet)


@cli.command("list")
@_paths
@click.option(
    "-k",
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(list(KIND_LABELS)),
    help="Only items of this kind (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per item, one per line.")
@click.pass_context
@_reports_errors
def list_command(
    ctx: click.Context, paths: tuple[Path, ...], kinds: tuple[str, ...], as_json: bool
) -> None:
    """Show the study items found in lessons, with file:line. Writes nothing.

    Unlike build, PATHS may lie outside the lessons directory.
    """
    from deckgen.builder import plan_draft
    from deckgen.layout import find_lessons

    config = _config(ctx)
    shown = PathDisplay()
    for path in find_lessons(paths, config):
        deck = plan_draft(path, config)
        _print_warnings(deck.warnings)
        for keyed, note in zip(deck.items, deck.notes, strict=True):
            item = keyed.item
            if kinds and item.kind not in kinds:
                continue
            where = f"{shown(item.source.path)}:{item.source.line}"
            if as_json:
                record = {
                    "kind": item.kind,
                    "key": item.key,
                    "guid": note.guid,
                    "file": where,
                    "section": list(item.source.section),
                    **asdict(item),
                }
                record.pop("source")
                click.echo(json.dumps(record, ensure_ascii=False))
            else:
                click.echo(f"{where}: {item.kind}: {item.key}")


@cli.command("preview")
@_paths
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("preview.html"),
    show_default=True,
    help="Where to write the page.",
)
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
@click.pass_context
@_reports_errors
def preview_command(
    ctx: click.Context, paths: tuple[Path, ...], output: Path, open_page: bool
) -> None:
    """Write one self-contained HTML page with every card, front and back, as Anki shows it.

    The page needs no server and no network: filter cards, switch day and night mode. Like
    list, PATHS may lie outside the lessons directory. Writes nothing else.
    """
    from deckgen.preview import write_preview  # each command loads only what it runs

    report = write_preview(paths, _config(ctx), output)
    _print_warnings(report.warnings)
    click.echo(f"{report.summary} -> {display_path(output)}")
    if open_page:
        click.launch(str(output.resolve()))


_formats = click.option(
    "--format",
    "output_format",
    type=click.Choice(DIFF_FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for scripts, markdown for a pull-request comment.",
)


@cli.command("check")
@_paths
@click.option(
    "--against",
    metavar="REV",
    help="Git revision whose committed decks learners have.  "
    "[default: HEAD in a git work tree, else the decks on disk]",
)
@click.option("--prune-retired", is_flag=True, help="Check as if built with --prune-retired.")
@_formats
@click.pass_context
@_reports_errors
def check_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    against: str | None,
    prune_retired: bool,
    output_format: str,
) -> None:
    """Fail if decks/ is stale, or if the change would hurt learners. Writes nothing.

    Regenerates every deck in memory and compares it, note by note, with decks/ (stale: run
    `deckgen build`) and with the decks committed at --against (breaking: a note type's field
    or template names changed under the same id, a deck was renamed, or a note vanished while
    one with the same back appeared under a new GUID: add an alias). A change of card
    templates' text or CSS is not breaking: learners get it on import.

    \b
    Exit codes:
      0  decks/ is up to date and the change is safe
      1  decks/ is stale, or the change is breaking
      2  usage or config error (unknown revision, bad config)
    """
    from deckgen.compare import check
    from deckgen.notediff import RENDERERS

    report = check(_config(ctx), paths, against=against, prune_retired=prune_retired)
    _print_warnings(report.warnings)
    render = RENDERERS[output_format]
    if report.stale.changed or output_format != "text":
        click.echo(render(report.stale), nl=False)
    if report.stale.changed:
        click.echo("deckgen check: decks are stale; run `deckgen build`", err=True)
    for orphan in report.orphans:
        click.echo(
            f"{display_path(_config(ctx).decks_dir / orphan)}: no lesson builds this deck; "
            "delete it or restore its lesson",
            err=True,
        )
    for reason in report.against.breaking:
        click.echo(f"{reason} (against {report.baseline})", err=True)
    if not report.ok:
        sys.exit(1)
    count = len(report.stale.decks)
    click.echo(f"deckgen check: up to date ({count} deck{'' if count == 1 else 's'})", err=True)


@cli.command("diff")
@click.argument("old", required=False, type=click.Path(path_type=Path))
@click.argument("new", required=False, type=click.Path(path_type=Path))
@click.option(
    "--git",
    "revision",
    metavar="REV",
    help="Compare decks/ committed at REV with decks/ in the working tree.",
)
@_formats
@click.option(
    "--exit-code", is_flag=True, help="Exit 1 when there are differences, 0 when there are none."
)
@click.option("--all", "show_all", is_flag=True, help="Also list unchanged notes (text format).")
@click.pass_context
@_reports_errors
def diff_command(
    ctx: click.Context,
    old: Path | None,
    new: Path | None,
    revision: str | None,
    output_format: str,
    exit_code: bool,
    show_all: bool,
) -> None:
    """Show what importing NEW does to a learner who has OLD.

    OLD and NEW are .apkg files or directories of them. Each note is listed as new, updated
    (field by field), retired (tagged deckgen::removed), conflicting, not-newer (changed but
    Anki would skip it), pruned (left out; learners keep their copy) or unchanged; note-type
    and deck changes and likely unaliased renames follow.

    \b
    Exit codes:
      0  success (with --exit-code: no differences)
      1  with --exit-code: there are differences
      2  usage error (missing paths, unknown revision)
    """
    from deckgen.compare import diff_paths, diff_revision
    from deckgen.notediff import RENDERERS, render_text

    if revision is not None:
        if old is not None or new is not None:
            raise click.UsageError("give either OLD and NEW, or --git REV, not both")
        result = diff_revision(revision, _config(ctx))
    elif old is None or new is None:
        raise click.UsageError("give OLD and NEW (.apkg files or directories), or --git REV")
    else:
        result = diff_paths(old, new)
    if output_format == "text":
        click.echo(render_text(result, show_unchanged=show_all), nl=False)
    else:
        click.echo(RENDERERS[output_format](result), nl=False)
    if exit_code and result.changed:
        sys.exit(1)


@cli.command("lint")
@_paths
@click.option("--strict", is_flag=True, help="Exit 1 when there is any finding.")
@click.pass_context
@_reports_errors
def lint_command(ctx: click.Context, paths: tuple[Path, ...], strict: bool) -> None:
    """Report what looks like a study item but was not extracted, and why.

    Prints `file:line: message` per finding: question sections with no items, ragged table
    rows, bold-term bullets with an empty explanation, terms defined twice in a lesson, and
    broken code fences. Exit code 0, or 1 with --strict when anything was found.
    """
    from deckgen.lint import lint

    findings = lint(paths, _config(ctx))
    for finding in findings:
        click.echo(str(finding))
    if findings:
        click.echo(f"{len(findings)} finding{'s' if len(findings) != 1 else ''}", err=True)
    if strict and findings:
        sys.exit(1)


def main() -> None:
    """The console script: click's usage errors, too, become one line on stderr."""
    _exit_without_teardown(_run())


def _run() -> int:
    """Run the command line and give the process's exit code."""
    try:
        code = cli.main(prog_name="deckgen", standalone_mode=False)
    except click.UsageError as error:
        command = error.ctx.command_path if error.ctx else "deckgen"
        click.echo(f"deckgen: {error.format_message()} (see '{command} --help')", err=True)
        return error.exit_code
    except click.ClickException as error:
        click.echo(f"deckgen: {error.format_message()}", err=True)
        return error.exit_code
    except click.Abort:
        return 1  # Ctrl-C at a prompt
    except SystemExit as exit:
        if exit.code is None or isinstance(exit.code, int):
            return exit.code or 0
        click.echo(exit.code, err=True)  # what Python does with `sys.exit("message")`
        return 1
    return code if isinstance(code, int) else 0


def _exit_without_teardown(code: int) -> NoReturn:
    """End the process once its output is out, without tearing the interpreter down.

    Python's exit frees every object and module one by one: after a build of a large course,
    its tokens, plans and report, which took ~30 ms of a 1.3 s build with nothing left to do
    (mypy's `--fast-exit` skips it for the same reason). Nothing of deckgen's waits for the
    teardown: commands close their files and stop their worker processes and threads before
    they return, and decks and the cache are replaced atomically.
    """
    for stream in (sys.stdout, sys.stderr):
        # click.echo flushes what it writes, and a failed write was reported then (see
        # `_reports_errors`); this is for anything written otherwise.
        with suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)
