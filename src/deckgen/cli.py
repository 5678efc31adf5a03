"""The `deckgen` command: parse options, call the library, print, pick the exit code.

Exit codes: 0 success; 1 a content problem (or, for check, stale decks); 2 a usage or config
error; 3 an internal error in deckgen itself. Messages go to stderr as `path:line: message`;
data goes to stdout.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from deckgen import api
from deckgen.api import DIFF_FORMATS, KIND_LABELS, Line
from deckgen.diagnostics import DeckgenError, display_path, one_line
from deckgen.version import DISTRIBUTION

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

EXIT_INTERNAL = 3

F = TypeVar("F", bound=Callable[..., Any])


def _reports_errors(command: F) -> F:
    """User errors become one `path:line: message` line; an error of the system (a full disk,
    a read-only folder) one `path: why` line, exit 1; crashes get their own exit code."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except DeckgenError as error:
            _say(str(error.diagnostic))
            sys.exit(error.exit_code)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except BrokenPipeError:
            # `deckgen list | head`: the reader left; that is not an error worth a message.
            with suppress(OSError, ValueError, AttributeError):  # also when stdout is gone
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(0)
        except OSError as error:
            where = display_path(error.filename) if error.filename else "deckgen"
            _say(one_line(f"{where}: {error.strerror or error}"))
            sys.exit(1)
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


def _say(message: str) -> None:
    """A message on stderr, if stderr takes it: an error about an error is not shown."""
    with suppress(OSError, ValueError):
        click.echo(message, err=True)


def _finish(lines: Iterable[Line], exit_code: int, quiet: bool = False) -> None:
    """Print a report's output, each line to its stream (warnings not when `quiet`), and exit
    with the report's code. A stream that cannot take it (closed, or on a full disk) is one
    error naming it."""
    for line in lines:
        if quiet and line.warning:
            continue
        name = "<stderr>" if line.err else "<stdout>"
        if (sys.stderr if line.err else sys.stdout) is None:  # closed before deckgen began
            raise DeckgenError(name, None, "cannot write: it is closed")
        try:
            click.echo(line.text, err=line.err, nl=False)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise DeckgenError(name, None, f"cannot write: {error.strerror or error}") from None
        except ValueError:  # a closed stream, in Python's words
            raise DeckgenError(name, None, "cannot write: it is closed") from None
    if exit_code:
        sys.exit(exit_code)


# Global options are taken before or after the subcommand (`deckgen -c x.yaml build` and
# `deckgen build -c x.yaml`): both spellings put the value in the root context's `meta`.
_CONFIG, _QUIET = "deckgen.config", "deckgen.quiet"


def _remember(key: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if not value:  # not given here: keep what the other spelling said
            return
        if isinstance(value, Path) and not value.exists():
            raise click.BadParameter(f"{value}: no such file", ctx=ctx, param_hint="--config")
        ctx.meta[key] = value

    return callback


def _global_options(command: F) -> F:
    config = click.option(
        "-c",
        "--config",
        type=click.Path(dir_okay=False, path_type=Path),
        expose_value=False,
        callback=_remember(_CONFIG),
        help="Course config file.  [default: ./deckgen.yaml; built-in defaults when absent]",
    )
    quiet = click.option(
        "-q",
        "--quiet",
        is_flag=True,
        expose_value=False,
        callback=_remember(_QUIET),
        help="Hide warnings; errors still print (build prints nothing but errors).",
    )
    return config(quiet(command))


def _config_file(ctx: click.Context) -> api.ConfigFile:
    """The config file the global `--config` names, or `./deckgen.yaml` (or none)."""
    return api.find_config(ctx.meta.get(_CONFIG))


def _quiet(ctx: click.Context) -> bool:
    return bool(ctx.meta.get(_QUIET))


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=DISTRIBUTION, prog_name="deckgen")
@_global_options
def cli() -> None:
    """Turn Markdown course lessons into Anki decks with stable note IDs.

    --config and --quiet may also follow the command.

    \b
    Exit codes:
      0  success
      1  a problem in the lessons (or `check`: decks are stale)
      2  usage or config error
      3  internal error in deckgen
    """


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
@_global_options
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
@click.option(
    "-v", "--verbose", is_flag=True, help="Also say which lessons came from the cache, and totals."
)
@click.option(
    "--prune-retired",
    is_flag=True,
    help="Drop notes whose item left the lesson instead of keeping them tagged deckgen::removed.",
)
@click.option(
    "--replace-unreadable",
    is_flag=True,
    help="Replace a deck in the decks directory that deckgen cannot read, losing its retired "
    "notes and mod times (restoring it with git keeps them).",
)
@click.pass_context
@_reports_errors
def build_command(
    ctx: click.Context,
    paths: tuple[Path, ...],
    jobs: int,
    force: bool,
    verbose: bool,
    prune_retired: bool,
    replace_unreadable: bool,
) -> None:
    """Write the course package (every lesson a subdeck) and one .apkg per lesson.

    PATHS are lesson files or directories (default: the config's lessons directory). Each deck
    is written to a temporary file and atomically replaced; a deck whose bytes would not change
    is not touched. A note whose item left the lesson stays in its deck, tagged
    deckgen::removed with a notice on its back, until --prune-retired (or `prune_retired: true`
    in deckgen.yaml) drops it. A lesson unchanged since the last build (same bytes, config and
    deckgen version) is not parsed again: its plan is kept in .deckgen-cache/. When nothing at
    all changed, the last build's report is printed again, from the same cache.
    """
    quiet = _quiet(ctx)
    with _progress(quiet) as progress:
        report = api.build(
            paths,
            _config_file(ctx),
            prune_retired=prune_retired,
            jobs=jobs,
            force=force,
            on_start=progress.start,
            on_lesson=progress.advance,
            replace_unreadable=replace_unreadable,
        )
    _finish(report.lines(verbose=verbose, quiet=quiet), report.exit_code, quiet)


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
@_global_options
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
@click.option(
    "--why",
    is_flag=True,
    help="Every candidate, kept or dropped, with the evidence and the reason for the decision.",
)
@click.pass_context
@_reports_errors
def list_command(
    ctx: click.Context, paths: tuple[Path, ...], kinds: tuple[str, ...], as_json: bool, why: bool
) -> None:
    """Show the study items found in lessons, with file:line. Writes nothing.

    Unlike build, PATHS may lie outside the lessons directory. With --why, also the places that
    could have made an item and did not, each with its reason: to leave an item out, add it to
    `skip:` in deckgen.yaml, or put `<!-- deckgen: skip -->` on the line before it.
    """
    config_file = _config_file(ctx)
    report = (
        api.explain(paths, config_file, kinds=kinds)
        if why
        else api.items(paths, config_file, kinds=kinds)
    )
    _finish(report.lines(as_json=as_json), report.exit_code, _quiet(ctx))


@cli.command("config")
@_global_options
@click.option("--json", "as_json", is_flag=True, help="As JSON instead of YAML.")
@click.pass_context
@_reports_errors
def config_command(ctx: click.Context, as_json: bool) -> None:
    """Print the configuration in force: deckgen.yaml over the built-in defaults.

    Lists such as extract.metadata_labels show in full, with what deckgen.yaml adds.
    """
    report = api.effective_config(_config_file(ctx))
    _finish(report.lines(as_json=as_json), report.exit_code, _quiet(ctx))


@cli.command("preview")
@_global_options
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
    report = api.preview(paths, _config_file(ctx), output=output)
    _finish(report.lines(), report.exit_code, _quiet(ctx))
    if open_page:
        click.launch(str(report.output.resolve()))


_formats = click.option(
    "--format",
    "output_format",
    type=click.Choice(DIFF_FORMATS),
    default="text",
    show_default=True,
    help="text for people, json for scripts, markdown for a pull-request comment.",
)


@cli.command("check")
@_global_options
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
    or template names changed under the same id, a deck was renamed, a note vanished while
    one with the same back appeared under a new GUID: add an alias, or a deck vanished while
    one with its notes' keys appeared: add a `moved:` entry). A change of card templates' text
    or CSS is not breaking: learners get it on import. Retired notes that were never in the
    decks at --against also fail the check, with the command that drops them. With --format
    markdown or json, the output is the change for learners of --against, with every reason
    the check failed.

    \b
    Exit codes:
      0  decks/ is up to date and the change is safe
      1  decks/ is stale, or the change is breaking
      2  usage or config error (unknown revision, bad config)
    """
    report = api.check(paths, _config_file(ctx), against=against, prune_retired=prune_retired)
    _finish(report.lines(output_format), report.exit_code, _quiet(ctx))


@cli.command("diff")
@_global_options
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
    (the words that changed, field by field), retired (tagged deckgen::removed), never-shipped
    (new, and already retired), conflicting, not-newer (changed but Anki would skip it), pruned
    (left out; learners keep their copy) or unchanged; note-type and deck changes and likely
    unaliased renames and lesson moves follow.

    \b
    Exit codes:
      0  success (with --exit-code: no differences)
      1  with --exit-code: there are differences
      2  usage error (missing paths, unknown revision)
    """
    if revision is not None and (old is not None or new is not None):
        raise click.UsageError("give either OLD and NEW, or --git REV, not both")
    if revision is None and (old is None or new is None):
        raise click.UsageError("give OLD and NEW (.apkg files or directories), or --git REV")
    report = api.diff(
        old, new, revision=revision, config=_config_file(ctx), fail_on_change=exit_code
    )
    _finish(report.lines(output_format, show_unchanged=show_all), report.exit_code, _quiet(ctx))


@cli.command("lint")
@_global_options
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
    report = api.lint(paths, _config_file(ctx), strict=strict)
    _finish(report.lines(), report.exit_code, _quiet(ctx))


@cli.command("init")
@click.argument("directory", default=Path("."), type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--lessons",
    type=click.Path(file_okay=False, path_type=Path),
    help="The lessons folder.  [default: lessons/, else the folder with the most Markdown]",
)
@_reports_errors
def init_command(directory: Path, lessons: Path | None) -> None:
    """Set up the course repository DIRECTORY (default: here) for deckgen.

    Writes deckgen.yaml (the course named after the README's first heading), a
    .pre-commit-config.yaml with the deckgen-check hook and a GitHub workflow,
    .github/workflows/decks.yml, both at this version's tag; adds .deckgen-cache/ to
    .gitignore. A file that exists is left as it is. Prints the next commands.
    """
    report = api.init(directory, lessons=lessons)
    for message in report.messages():
        click.echo(message)


def main() -> None:
    """The console script: click's usage errors, too, become one line on stderr."""
    _hold_closed_standard_fds()
    _exit_without_teardown(_run())


def _hold_closed_standard_fds() -> None:
    """A standard stream its caller closed (`deckgen list >&-`) leaves its file descriptor
    free, and the next file opened would take it: whatever is then written to that stream
    (by deckgen or a git it runs) would land in a deck or the cache. /dev/null holds the
    place; Python has left the stream as None, which `_finish` reports."""
    for descriptor in (0, 1, 2):
        try:
            os.fstat(descriptor)
        except OSError:
            os.open(os.devnull, os.O_RDWR)  # the lowest free descriptor: this one


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
        # `_reports_errors`); this is for anything written otherwise. None: it was closed.
        with suppress(OSError, ValueError, AttributeError):
            stream.flush()
    os._exit(code)
