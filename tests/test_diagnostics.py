"""Paths in messages and reports: as the user would type them."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostic, PathDisplay, display_path


def _resolved_then_relative(path: Path | str) -> str:
    """What `display_path` promises, the plain way: resolve, then relative to the cwd."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def test_paths_shown_once_per_folder_are_shown_as_resolving_each_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, elsewhere = tmp_path / "course", tmp_path / "elsewhere"
    (home / "lessons" / "mod").mkdir(parents=True)
    (elsewhere / "deep").mkdir(parents=True)
    for file in (home / "lessons" / "a.md", home / "lessons" / "mod" / "b.md"):
        file.write_text("x")
    (elsewhere / "deep" / "c.md").write_text("x")
    (home / "lessons" / "linked.md").symlink_to(elsewhere / "deep" / "c.md")
    (home / "lessons" / "back.md").symlink_to(home / "lessons" / "a.md")
    (home / "lessons" / "out").symlink_to(elsewhere / "deep")
    (home / "lessons" / "in").symlink_to(home / "lessons" / "mod")
    (home / "top.md").symlink_to(home / "lessons" / "mod" / "b.md")
    monkeypatch.chdir(home)
    paths: list[Path | str] = [
        "lessons/a.md",
        "lessons/mod/b.md",
        Path("lessons/mod/b.md"),
        "lessons/missing.md",
        "lessons/linked.md",  # a symlink out of the working directory
        "lessons/back.md",  # a symlink to a file inside it
        "lessons/out/c.md",  # a folder symlinked out of it
        "lessons/in/b.md",  # and one inside it
        "lessons/out/../a.md",  # `..` after a symlinked folder: the target's parent
        "lessons/mod/../a.md",
        "lessons/mod/..",
        "lessons/",
        ".",
        "a.md",
        "top.md",
        "lessons/in/../a.md",
        home / "lessons" / "a.md",
        elsewhere / "deep" / "c.md",
        "/",
    ]
    expected = [_resolved_then_relative(path) for path in paths]
    # The plain way agrees with what a person would say, symlinks and all.
    assert expected[4:11] == [
        "lessons/linked.md",  # its target lies outside: shown as given
        "lessons/a.md",
        "lessons/out/c.md",
        "lessons/mod/b.md",
        "lessons/out/../a.md",  # `..` of the target's folder, outside: as given
        "lessons/a.md",
        "lessons",
    ]
    shown = PathDisplay()
    assert [shown(path) for path in paths] == expected
    assert [shown(path) for path in paths] == expected  # remembered, the same
    assert [display_path(path) for path in paths] == expected


def test_a_warning_reads_the_same_with_paths_shown_once_per_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "a.md").write_text("x")
    (tmp_path / "lessons" / "b.md").symlink_to(tmp_path / "lessons" / "a.md")
    monkeypatch.chdir(tmp_path)
    shown = PathDisplay()
    for path, line in ((tmp_path / "lessons" / "b.md", 3), ("lessons/a.md", None)):
        warning = Diagnostic(path, line, "something odd")
        assert warning.shown_with(shown) == str(warning)
    assert str(Diagnostic(tmp_path / "lessons" / "b.md", 3, "x")) == "lessons/a.md:3: warning: x"
