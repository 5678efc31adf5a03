"""What the system and the environment can do to a command: a bad SOURCE_DATE_EPOCH, a full
disk, a folder that cannot be written, a closed or full stdout, a config too deep or too big.
Each is one line naming what is wrong, exit 1 (2 for the config and the environment), never
exit 3 or a traceback, and no deck is lost or half written.
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen import atomic
from deckgen.apkg import read_apkg

from .conftest import DECK, edit_lesson

WATCHDOG_SECONDS = 300


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (temp files too), by relative path."""
    if not folder.is_dir():
        return {}
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in folder.rglob("*")
        if path.is_file()
    }


def _deckgen(project: Path, *args: str, **options) -> subprocess.CompletedProcess[str]:
    """The console script; stdout as `options` say (captured by default), stderr captured."""
    options.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "deckgen", *args],
        cwd=project,
        stderr=subprocess.PIPE,
        text=True,
        timeout=WATCHDOG_SECONDS,
        **options,
    )


# --- SOURCE_DATE_EPOCH ----------------------------------------------------------------------

_RANGE = "(seconds since 1970, from 0 to 253402300799, the end of year 9999)"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", f"out of range: -1 {_RANGE}"),
        ("253402300800", f"out of range: 253402300800 {_RANGE}"),
        ("99999999999999999999", f"out of range: 99999999999999999999 {_RANGE}"),
        ("1.5", "not an integer: '1.5'"),
        ("", "not an integer: ''"),
    ],
)
@pytest.mark.parametrize("command", ["build", "check"])
def test_a_source_date_epoch_out_of_range_is_a_usage_error(
    project: Path, run, monkeypatch: pytest.MonkeyPatch, command: str, value: str, message: str
) -> None:
    assert run("build").exit_code == 0  # so that the cache could answer: it is checked first
    before = _snapshot(project / "decks")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    result = run(command)
    assert (result.exit_code, result.stdout, result.stderr) == (
        2,
        "",
        f"SOURCE_DATE_EPOCH: {message}\n",
    )
    assert _snapshot(project / "decks") == before


def test_the_last_second_of_year_9999_is_accepted(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "253402300799")
    assert run("build").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    assert run("build").exit_code == 0
    assert run("check").exit_code == 0


def test_one_huge_source_date_epoch_cannot_poison_later_builds(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build").exit_code == 0
    (project / "lessons" / "new.md").write_text("# New\n\n- **Zeta:** a thing\n")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "99999999999999999")
    assert run("build").exit_code == 2
    assert not (project / "decks" / "new.apkg").exists()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    later = run("build")
    assert (later.exit_code, later.stderr) == (0, "")
    assert run("check").exit_code == 0
    (note,) = read_apkg(project / "decks" / "new.apkg").notes.values()
    assert note.mod == 1780000000


# --- writing decks ---------------------------------------------------------------------------


def test_decks_being_a_file_is_one_line(project: Path, run) -> None:
    (project / "decks").write_text("not a folder")
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        f"{DECK}: cannot write: decks is a file, not a folder\n",
    )
    assert (project / "decks").read_text() == "not a folder"


def test_a_file_where_a_folder_above_decks_should_be_is_one_line(project: Path, run) -> None:
    config = project / "deckgen.yaml"
    text = config.read_text()
    assert text.count("\ndecks: decks ") == 1
    config.write_text(text.replace("\ndecks: decks ", "\ndecks: blocked/decks "))
    (project / "blocked").write_text("a file")
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        1,
        f"blocked/decks/{DECK.name}: cannot write: blocked is a file, not a folder\n",
    )


def test_a_read_only_decks_folder_is_one_line_and_changes_nothing(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chmod does not stop root: as root, creating the file is refused as the system would."""
    assert run("build").exit_code == 0
    edit_lesson("orchestration at scale", "orchestration at SCALE")
    before = _snapshot(project / "decks")
    decks = project / "decks"
    if os.geteuid() == 0:
        real = atomic._make_temp

        def refused(path: Path) -> tuple[int, str]:
            if path.parent == decks.absolute() or path.parent == Path("decks"):
                raise PermissionError(errno.EACCES, "Permission denied", str(path.parent))
            return real(path)

        monkeypatch.setattr(atomic, "_make_temp", refused)
    else:
        decks.chmod(0o555)
    try:
        result = run("build", "--jobs", "1")
    finally:
        decks.chmod(0o755)
    assert (result.exit_code, result.stderr) == (1, f"{DECK}: cannot write: Permission denied\n")
    assert _snapshot(decks) == before


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_full_disk_is_one_line_and_changes_no_deck(
    project: Path, run, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    (project / "lessons" / "second.md").write_text("# Second\n\n- **Term:** text\n")
    assert run("build").exit_code == 0
    edit_lesson("orchestration at scale", "orchestration at SCALE")
    before = _snapshot(project / "decks")

    def full(handle: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", full)  # forked workers inherit it
    result = run("build", "--jobs", jobs)
    assert (result.exit_code, result.stderr) == (
        1,
        f"{DECK}: cannot write: No space left on device\n",
    )
    assert _snapshot(project / "decks") == before  # no temp file left either


def test_a_full_disk_under_the_preview_page_keeps_the_old_page(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "preview.html").write_text("the old page")

    def full(handle: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "_write_all", full)
    result = run("preview")
    assert (result.exit_code, result.stderr) == (
        2,
        "preview.html: cannot write: No space left on device\n",
    )
    assert (project / "preview.html").read_text() == "the old page"
    assert [path.name for path in project.iterdir() if "tmp" in path.name] == []


def test_another_error_of_the_system_is_one_line_naming_the_path(project: Path, run) -> None:
    """Whatever else the system refuses (here: the cache's folder is a file, so no lock)."""
    (project / ".deckgen-cache").write_text("a file")
    result = run("build")
    assert (result.exit_code, result.stderr) == (1, ".deckgen-cache: File exists\n")


# --- standard output ----------------------------------------------------------------------


@pytest.mark.parametrize("command", ["list", "build"])
def test_stdout_on_a_full_disk_is_one_line(project: Path, command: str) -> None:
    with open("/dev/full", "w") as full:
        result = _deckgen(project, command, stdout=full)
    assert (result.returncode, result.stderr) == (
        1,
        "<stdout>: cannot write: No space left on device\n",
    )


@pytest.mark.parametrize("command", ["list", "build"])
def test_a_closed_stdout_is_one_line_and_no_file_takes_its_place(
    project: Path, command: str
) -> None:
    """`deckgen build >&-`: the decks it writes are whole, none opened as stdout."""
    result = _deckgen(project, command, stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1))
    assert (result.returncode, result.stderr) == (1, "<stdout>: cannot write: it is closed\n")
    if command == "build":
        assert read_apkg(project / DECK).notes


def test_a_closed_stdout_is_no_error_when_nothing_is_printed(project: Path) -> None:
    result = _deckgen(
        project, "build", "--quiet", stdout=subprocess.DEVNULL, preexec_fn=lambda: os.close(1)
    )
    assert (result.returncode, result.stderr) == (0, "")


# --- the config -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "course: " + "[" * 5000 + "]" * 5000 + "\n",
            "deckgen.yaml: nested more than 50 levels deep",
        ),
        (
            "course:\n" + "".join(" " * depth + f"k{depth}:\n" for depth in range(1, 80)),
            "deckgen.yaml:51: nested more than 50 levels deep",
        ),
        (
            "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"b{n}: &b{n} [{', '.join([f'*b{n - 1}' if n > 1 else '*a'] * 10)}]\n"
                for n in range(1, 8)
            ),
            "deckgen.yaml:1: more than 100000 values (counting each use of an alias)",
        ),
    ],
    ids=["5000-deep-flow", "79-deep-block", "alias-bomb"],
)
def test_a_config_too_deep_or_too_big_is_a_config_error(
    project: Path, run, text: str, message: str
) -> None:
    (project / "deckgen.yaml").write_text(text)
    result = run("list")
    assert (result.exit_code, result.stderr) == (2, message + "\n")


def test_a_config_linked_to_dev_zero_or_huge_is_refused_unread(project: Path, run) -> None:
    config = project / "deckgen.yaml"
    config.unlink()
    config.symlink_to("/dev/zero")
    result = run("list")
    assert (result.exit_code, result.stderr) == (
        2,
        "deckgen.yaml: cannot read config: a character device, not a regular file\n",
    )
    config.unlink()
    with config.open("wb") as file:
        file.truncate(2 * 1024**3)  # sparse
    result = run("list")
    assert (result.exit_code, result.stderr) == (
        2,
        "deckgen.yaml: config is 2048.0 MiB, over the limit of 1 MiB\n",
    )


def test_a_config_that_is_a_fifo_is_refused_unopened(project: Path) -> None:
    config = project / "deckgen.yaml"
    config.unlink()
    os.mkfifo(config)
    result = _deckgen(project, "list")
    assert (result.returncode, result.stderr) == (
        2,
        "deckgen.yaml: cannot read config: a FIFO, not a regular file\n",
    )
