"""The build stamp: a build with nothing to do is answered from it, and only then."""

from __future__ import annotations

from pathlib import Path


def test_a_lesson_moved_to_another_folder_is_built_again(project: Path, run) -> None:
    # Same bytes, same file name: only its place under lessons/ tells the stamp it moved.
    lesson = Path("lessons/01-introduction-to-ml-infrastructure.md")
    assert run("build", "--jobs", "1").exit_code == 0
    moved = Path("lessons/mod-101/deeper") / lesson.name
    moved.parent.mkdir(parents=True)
    lesson.rename(moved)
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0
    assert f"-> decks/mod-101/deeper/{lesson.stem}.apkg\n" in result.stdout
    assert Path("decks/mod-101/deeper", f"{lesson.stem}.apkg").is_file()
