"""The command line around the commands: how a crash is reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen import builder as build_module


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
