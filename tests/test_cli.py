"""The console script around the commands: crash reports, and how the process ends."""

from __future__ import annotations

import gc
import sys
from pathlib import Path

import pytest

from deckgen import builder as build_module
from deckgen.cli import main


def test_an_internal_error_prints_a_traceback_only_when_asked(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(build_module, "plan_lesson", crash)
    quiet = run("build", "--jobs", "1")
    assert quiet.exit_code == 3
    assert quiet.stderr.splitlines() == [
        "deckgen: internal error: RuntimeError: disk on fire "
        "(set DECKGEN_DEBUG=1 for a traceback, and please report it)"
    ]
    monkeypatch.setenv("DECKGEN_DEBUG", "1")
    debug = run("build", "--jobs", "1")
    assert debug.exit_code == 3
    assert debug.stderr.startswith("Traceback (most recent call last):\n")
    assert "in crash\n" in debug.stderr
    assert debug.stderr.endswith(quiet.stderr)


def test_the_console_script_leaves_its_objects_out_of_the_final_collection(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Whatever the run kept (caches, genanki's models) is only freed by the process ending:
    # the interpreter's last collection need not walk it.
    monkeypatch.setattr(sys, "argv", ["deckgen", "build", "--quiet", "--jobs", "1"])
    assert gc.get_freeze_count() == 0
    try:
        with pytest.raises(SystemExit) as ended:
            main()
        assert ended.value.code == 0
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()  # this test process goes on
    assert (project / "decks" / "01-introduction-to-ml-infrastructure.apkg").is_file()
    assert capsys.readouterr() == ("", "")
