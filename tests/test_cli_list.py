"""`deckgen list` through the real CLI: one line per item, `--kind`, `--json`, and errors."""

from __future__ import annotations

import json
from pathlib import Path

WHERE = "lessons/01-introduction-to-ml-infrastructure.md"


def test_one_line_per_item_with_file_line_kind_and_key(project: Path, run) -> None:
    result = run("list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 56
    assert lines[0] == f"{WHERE}:12: definition: ML Infrastructure"
    assert f"{WHERE}:118: salary: AI Infrastructure Engineer" in lines
    assert result.stderr == ""


def test_kind_is_repeatable_and_keeps_lesson_order(project: Path, run) -> None:
    result = run("list", "--kind", "question", "--kind", "salary")
    assert result.exit_code == 0
    kinds = [line.split(": ")[1] for line in result.stdout.splitlines()]
    assert kinds == ["salary"] * 4 + ["question"] * 6


def test_an_unknown_kind_is_a_usage_error(project: Path, run) -> None:
    result = run("list", "--kind", "glossary")
    assert result.exit_code == 2


def test_json_gives_each_item_with_its_guid_and_fields(project: Path, run) -> None:
    result = run("list", "--json", "--kind", "salary")
    assert result.exit_code == 0
    first = json.loads(result.stdout.splitlines()[0])
    assert first == {
        "kind": "salary",
        "key": "AI Infrastructure Engineer",
        "guid": "c*F]5dW_|7",
        "file": f"{WHERE}:118",
        "section": ["Career Path in AI Infrastructure", "Entry Level: AI Infrastructure Engineer"],
        "level": "Entry Level",
        "role": "AI Infrastructure Engineer",
        "min": 107000,
        "max": 230000,
        "currency": "USD",
        "open_ended": False,
        "band_text": "$107k-$230k USD",
        "focus": "Deploy and maintain ML systems, build pipelines, monitor infrastructure",
        "skills": "Python, Docker, Kubernetes basics, cloud platforms, MLOps tools",
    }


def test_json_keeps_the_authors_characters(project: Path, run) -> None:
    Path("draft.md").write_text("# Draft\n\n- **Café:** où l'on boit\n", encoding="utf-8")
    (line,) = run("list", "--json", "draft.md").stdout.splitlines()
    assert '"key": "Café"' in line and "où" in line


def test_a_draft_outside_the_lessons_directory_is_listed(project: Path, run) -> None:
    draft = project / "draft.md"
    draft.write_text("# Draft\n\n- **Ray:** Distributed computing\n", encoding="utf-8")
    result = run("list", "draft.md")
    assert result.exit_code == 0
    assert result.stdout == "draft.md:3: definition: Ray\n"


def test_warnings_go_to_stderr_and_items_to_stdout(project: Path, run) -> None:
    Path("lessons/02-fences.md").write_text(
        "# Fences\n\n- **Helm:** charts\n\n```python\nprint('open')\n", encoding="utf-8"
    )
    result = run("list", "lessons/02-fences.md")
    assert result.exit_code == 0
    assert result.stdout == "lessons/02-fences.md:3: definition: Helm\n"
    assert result.stderr == (
        "lessons/02-fences.md:5: warning: code fence is never closed: "
        "the rest of the file is read as code\n"
    )


def test_a_lesson_that_cannot_be_read_ends_the_list_after_the_ones_before_it(
    project: Path, run
) -> None:
    Path("lessons/02-broken.md").write_bytes(b"\xff\xfe")
    result = run("list")
    assert result.exit_code == 1
    assert len(result.stdout.splitlines()) == 56  # lesson 01 comes first
    assert result.stderr == "lessons/02-broken.md:1: not valid UTF-8 at byte 0\n"


def test_asking_headings_make_question_cards_when_the_config_says_so(
    tmp_path: Path, monkeypatch, run
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lessons").mkdir()
    lesson = "# Queues\n\n## Why Queues?\n\nQueues let a slow consumer catch up.\n"
    (tmp_path / "lessons" / "queues.md").write_text(lesson, encoding="utf-8")
    assert run("list", "--kind", "question").stdout == ""
    (tmp_path / "deckgen.yaml").write_text("extract:\n  asking_headings: true\n", encoding="utf-8")
    result = run("list", "--kind", "question")
    assert result.exit_code == 0
    assert result.stdout == "lessons/queues.md:3: question: Why Queues?\n"
