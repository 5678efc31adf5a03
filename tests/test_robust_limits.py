"""Pathological lessons finish, within bounded memory, and every limit hit is reported.

The sizes here keep the suite fast; benchmarks/pathological.py runs the full sizes of issue 6
and shows time growing linearly with size (numbers in benchmarks/README.md).
"""

from __future__ import annotations

import sys
import tracemalloc
from pathlib import Path

import pytest

from deckgen.apkg import read_apkg
from deckgen.builder import plan_lesson
from deckgen.config import Config
from deckgen.lesson import MAX_LESSON_BYTES, MAX_NESTING

from .pathological import bold_terms, long_line, nested_list, nested_quotes, wide_table

pointers_module = sys.modules["deckgen.extract.pointers"]

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop


def _write(project: Path, name: str, text: str) -> Path:
    path = project / "lessons" / name
    path.write_text(text, encoding="utf-8")
    return path


def _peak_mib(action) -> tuple[object, float]:
    tracemalloc.start()
    try:
        result = action()
        return result, tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize(("generator", "line"), [(nested_list, 5), (nested_quotes, 3)])
def test_ten_thousand_levels_of_nesting_are_cut_off_with_a_warning(
    project: Path, run, generator, line: int
) -> None:
    _write(project, "deep.md", generator(10_000))
    result = run("build", "lessons/deep.md")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        f"lessons/deep.md:{line}: warning: lists or quotes nested deeper than {MAX_NESTING} "
        "levels; the content below that depth is ignored\n"
    )


def test_shallow_nesting_keeps_its_content_and_gives_no_warning(project: Path) -> None:
    deck = plan_lesson(_write(project, "ok.md", nested_list(8)), Config(root=project))
    assert [keyed.item.key for keyed in deck.items] == ["Deep"]
    assert deck.warnings == ()


def test_a_table_with_five_thousand_columns(project: Path, run) -> None:
    _write(project, "wide.md", wide_table(5_000))
    result, peak = _peak_mib(lambda: run("build", "lessons/wide.md"))
    assert result.exit_code == 0, result.output
    assert peak < 100
    (note,) = read_apkg(project / "decks" / "wide.apkg").notes.values()
    answer = note.fields[3]
    assert answer.count("<dd><strong>cell</strong>") == 4_999
    assert answer.endswith("<dt>Header 4999</dt><dd><strong>cell</strong>4999</dd></dl>")


def test_a_single_ten_megabyte_line(project: Path) -> None:
    text = long_line(10_000_000)
    assert len(text.encode()) <= MAX_LESSON_BYTES
    path = _write(project, "long.md", text)
    deck, peak = _peak_mib(lambda: plan_lesson(path, Config(root=project)))
    (note,) = deck.notes
    assert len(note.field("Definition")) > 9_900_000
    assert peak < 40 * len(text) / 2**20


def test_thousands_of_bold_terms_all_become_notes(project: Path) -> None:
    deck = plan_lesson(_write(project, "bold.md", bold_terms(3_000)), Config(root=project))
    assert len(deck.notes) == 3_000 == len({note.guid for note in deck.notes})
    assert deck.warnings == ()


def test_a_lesson_over_the_size_limit_is_refused_in_one_line(project: Path, run) -> None:
    (project / "lessons" / "huge.md").write_bytes(b"# Huge\n" + b"x" * MAX_LESSON_BYTES)
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == (
        "lessons/huge.md: lesson is 10.0 MiB, over the limit of 10 MiB; "
        "split it into smaller lessons\n"
    )
    assert not list((project / "decks").rglob("*.apkg"))


def test_question_matching_stops_at_its_budget_with_a_warning(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pointers_module, "MAX_MATCH_COMPARISONS", 25)
    sections = "".join(f"## Topic {i}\n\nAbout topic number {i}.\n\n" for i in range(10))
    asked = "".join(f"- What is topic number {i}?\n" for i in range(5))
    text = f"# Budget\n\n{sections}## Self-Check Questions\n\n{asked}"
    deck = plan_lesson(_write(project, "budget.md", text), Config(root=project))
    answered = [keyed.item.answer_section for keyed in deck.items]
    # 10 sections per question: two questions fit in 25 comparisons, the third does not; a
    # question with no answer section makes no card (issue 14: no pointer without an excerpt).
    assert answered == [("Topic 0",), ("Topic 1",)]
    third_line = text.splitlines().index("- What is topic number 2?") + 1
    assert [(w.line, w.message) for w in deck.warnings] == [
        (
            third_line,
            "too many questions and sections to match (over 25 comparisons); "
            "this and later questions get no answer section, so no card",
        )
    ]
