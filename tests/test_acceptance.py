"""Lesson 01 must yield everything `acceptance-01.yaml` lists (a copy of shared/acceptance)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.items import ComparisonRow, Definition, SalaryBand, SelfCheckQuestion
from deckgen.lesson import parse_lesson

from .conftest import LESSON_01

EXPECTED = yaml.safe_load((Path(__file__).parent / "acceptance-01.yaml").read_text())


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" .,:;!?*").casefold()


@pytest.fixture(scope="module")
def items() -> list:
    lesson = parse_lesson(LESSON_01.read_text(encoding="utf-8"), LESSON_01, "01")
    return [keyed.item for keyed in extract_lesson(lesson, ExtractConfig()).items]


def _of(items: list, kind: type) -> list:
    return [item for item in items if isinstance(item, kind)]


@pytest.mark.parametrize("entry", EXPECTED["definitions"]["must"], ids=lambda e: e["term"])
def test_must_definitions(items: list, entry: dict) -> None:
    matches = [d for d in _of(items, Definition) if _norm(d.term_text) == _norm(entry["term"])]
    assert matches, f"no definition of {entry['term']}"
    assert any(entry["back_contains"] in d.body for d in matches)


def test_no_metadata_label_is_a_term(items: list) -> None:
    terms = {_norm(d.term_text) for d in _of(items, Definition)}
    assert not terms & {_norm(label) for label in EXPECTED["definitions"]["must_not"]}


def test_comparison_rows(items: list) -> None:
    rows = _of(items, ComparisonRow)
    expected = EXPECTED["comparison_rows"]
    assert [list(row.cells) for row in rows] == expected["exact"]
    assert all(list(row.header_texts) == expected["headers"] for row in rows)
    assert all(row.two_sided for row in rows)


def test_salary_bands(items: list) -> None:
    bands = [
        {
            "level": b.level,
            "role": b.role,
            "min": b.min,
            "max": b.max,
            "currency": b.currency,
            "open_ended": b.open_ended,
        }
        for b in _of(items, SalaryBand)
    ]
    assert bands == EXPECTED["salary_bands"]["exact"]
    assert all(b.focus and b.skills for b in _of(items, SalaryBand))


def test_self_check_questions(items: list) -> None:
    questions = _of(items, SelfCheckQuestion)
    assert [q.question_text for q in questions] == EXPECTED["self_check_questions"]["exact"]


@pytest.mark.parametrize(
    ("question", "section"),
    EXPECTED["self_check_questions"]["answer_sections"].items(),
)
def test_answer_sections(items: list, question: str, section: str) -> None:
    found = next(q for q in _of(items, SelfCheckQuestion) if q.question_text == question)
    assert found.answer_section is not None
    assert found.answer_section[-1] == section
