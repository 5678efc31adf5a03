"""Global options (`--config`, `--quiet`) on either side of the command, and warnings: each
once per command, counted when there are many, hidden by `--quiet`."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.api import BuildReport
from deckgen.diagnostics import Diagnostic


def _sections(count: int) -> str:
    """A lesson defining one term in `count` sections: a warning for each after the first."""
    return "# Lesson\n" + "".join(
        f"\n## Part {n}\n\n- **Pod**: meaning number {n}.\n" for n in range(count)
    )


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "01-pods.md").write_text(_sections(11), encoding="utf-8")
    (tmp_path / "notes" / "02-pods.md").write_text(_sections(2), encoding="utf-8")
    (tmp_path / "course.yaml").write_text("lessons: notes\ndecks: out\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line]


@pytest.mark.parametrize("command", ["build", "check", "list", "preview"])
def test_config_before_or_after_the_command(course: Path, run, command: str) -> None:
    before = run("--config", "course.yaml", command)
    after = run(command, "-c", "course.yaml")
    assert before.exit_code == after.exit_code
    assert before.exit_code in (0, 1)  # check before any build: stale
    assert before.stdout.replace(" (unchanged)", "") == after.stdout.replace(" (unchanged)", "")
    assert "notes/01-pods.md" in after.stdout + after.stderr


def test_a_missing_config_after_the_command_is_a_usage_error(course: Path, run) -> None:
    result = run("list", "--config", "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml: no such file" in result.stderr


def test_the_command_s_config_wins_over_the_group_s(course: Path, run) -> None:
    (course / "other.yaml").write_text("lessons: missing\n", encoding="utf-8")
    assert run("-c", "other.yaml", "list", "-c", "course.yaml").exit_code == 0
    assert run("-c", "course.yaml", "list", "-c", "other.yaml").exit_code == 2


@pytest.mark.parametrize("command", ["build", "check", "list"])
def test_each_warning_once_then_a_count(course: Path, run, command: str) -> None:
    if command == "check":
        run("-c", "course.yaml", "build")
    result = run("-c", "course.yaml", command)
    warnings = _warnings(result.stderr)
    assert len(warnings) == len(set(warnings)) == 11  # 10 in lesson 01, 1 in lesson 02
    assert (
        "11 warnings in 2 files; `deckgen lint` lists them, `--quiet` hides them"
        in result.stderr.splitlines()
    )


def test_ten_warnings_get_no_count(course: Path, run) -> None:
    (course / "notes" / "01-pods.md").write_text(_sections(10), encoding="utf-8")
    result = run("-c", "course.yaml", "list")
    assert len(_warnings(result.stderr)) == 10
    assert "warnings in" not in result.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_quiet_hides_warnings_but_not_data_or_errors(course: Path, run, where: str) -> None:
    def quiet(*args: str) -> object:
        first, *rest = args
        return run("-q", *args) if where == "before" else run(first, "-q", *rest)

    listed = quiet("list", "-c", "course.yaml")
    assert listed.exit_code == 0
    assert listed.stderr == ""
    assert "notes/01-pods.md:5: definition: Pod" in listed.stdout
    assert quiet("build", "-c", "course.yaml").output == ""
    checked = quiet("check", "-c", "course.yaml")
    assert checked.stderr == "deckgen check: up to date (3 decks)\n"  # 2 lessons, the course
    (course / "notes" / "02-pods.md").write_bytes(b"\xff not UTF-8")
    failed = quiet("check", "-c", "course.yaml")
    assert failed.exit_code == 1
    assert "notes/02-pods.md" in failed.stderr and ": warning: " not in failed.stderr


def test_a_warning_two_stages_report_prints_once() -> None:
    warning = Diagnostic(Path("notes/a.md"), 3, "something odd")
    lines = list(
        BuildReport((), (warning, warning, Diagnostic("notes/a.md", 3, "something odd"))).lines()
    )
    assert [line.text for line in lines] == ["notes/a.md:3: warning: something odd\n"]
    assert all(line.err and line.warning for line in lines)
