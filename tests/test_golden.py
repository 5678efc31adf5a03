"""Hand-annotated corpus files (tests/golden/*.yaml): precision and recall per item kind.

An extracted item counts as correct only when its key matches an expected entry AND its back
matches too (`back_contains` / `answer_contains`; a `null` answer means the card must point to a
section instead). Items named in `borderline` count neither way. The bar is 0.95 precision and
0.90 recall per kind, summed over all golden files.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from deckgen.builder import plan_lesson
from deckgen.config import Config
from deckgen.items import ComparisonRow, Definition, Item, SalaryBand, SelfCheckQuestion

from .conftest import CORPUS

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

GOLDEN = sorted((Path(__file__).parent / "golden").glob("*.yaml"))
MIN_PRECISION = 0.95
MIN_RECALL = 0.90


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" .,:;!?*").casefold()


def _contains(haystack: str | None, needle: str) -> bool:
    return haystack is not None and _norm(needle) in _norm(haystack)


@dataclass(frozen=True)
class Kind:
    """How one golden section is matched against one item type."""

    section: str
    item_type: type[Item]
    key_of_item: Callable[[Any], str]
    key_of_entry: Callable[[dict[str, Any]], str]
    back_matches: Callable[[Any, dict[str, Any]], bool]


def _answer_matches(item: SelfCheckQuestion, entry: dict[str, Any]) -> bool:
    expected = entry["answer_contains"]
    return item.answer is None if expected is None else _contains(item.answer, expected)


KINDS = (
    Kind(
        "definitions",
        Definition,
        lambda d: d.term_text,
        lambda e: e["term"],
        lambda d, e: _contains(d.body, e["back_contains"]),
    ),
    Kind(
        "comparison_rows",
        ComparisonRow,
        lambda r: f"{r.header_texts[0]} = {r.key_text}",
        lambda e: f"{e['table_header']} = {e['key']}",
        lambda r, e: True,
    ),
    Kind(
        "salary_bands",
        SalaryBand,
        lambda b: b.role,
        lambda e: e["role"],
        lambda b, e: (b.min, b.max, b.currency) == (e["min"], e["max"], e["currency"]),
    ),
    Kind(
        "questions",
        SelfCheckQuestion,
        lambda q: q.question_text,
        lambda e: e["question"],
        _answer_matches,
    ),
)


@dataclass
class Score:
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        expected = self.true_positive + self.false_negative
        return self.true_positive / expected if expected else 1.0


def _golden_items(golden: dict[str, Any]) -> list[Item]:
    path = CORPUS / golden["file"]
    config = Config(root=CORPUS)
    return [keyed.item for keyed in plan_lesson(path, config, slug=golden["file"]).items]


def _score_file(golden: dict[str, Any], kind: Kind, items: list[Item], misses: list[str]) -> Score:
    borderline = {_norm(text) for text in golden.get("borderline") or ()}
    expected = list(golden.get(kind.section) or ())
    unmatched = Counter(_norm(kind.key_of_entry(entry)) for entry in expected)
    by_key = {_norm(kind.key_of_entry(entry)): entry for entry in expected}
    score = Score()
    for item in items:
        if not isinstance(item, kind.item_type):
            continue
        key = _norm(kind.key_of_item(item))
        if key in borderline or _norm(item.key) in borderline:
            continue
        entry = by_key.get(key)
        if entry is not None and unmatched[key] and kind.back_matches(item, entry):
            unmatched[key] -= 1
            score.true_positive += 1
        else:
            score.false_positive += 1
            misses.append(f"{golden['file']}:{item.source.line}: unexpected {kind.section}: {key}")
    for key, count in unmatched.items():
        score.false_negative += count
        misses.extend([f"{golden['file']}: missed {kind.section}: {key}"] * count)
    return score


def test_golden_precision_and_recall(capsys: pytest.CaptureFixture[str]) -> None:
    totals = {kind.section: Score() for kind in KINDS}
    misses: list[str] = []
    for golden_path in GOLDEN:
        golden = yaml.safe_load(golden_path.read_text(encoding="utf-8"))
        items = _golden_items(golden)
        for kind in KINDS:
            score = _score_file(golden, kind, items, misses)
            total = totals[kind.section]
            total.true_positive += score.true_positive
            total.false_positive += score.false_positive
            total.false_negative += score.false_negative
        for headers in golden.get("skipped_tables") or ():
            rows = [i for i in items if isinstance(i, ComparisonRow)]
            assert all(list(row.header_texts) != headers for row in rows), headers
    lines = [f"{'kind':<16} {'tp':>4} {'fp':>4} {'fn':>4} {'precision':>9} {'recall':>7}"]
    for section, score in totals.items():
        lines.append(
            f"{section:<16} {score.true_positive:>4} {score.false_positive:>4} "
            f"{score.false_negative:>4} {score.precision:>9.3f} {score.recall:>7.3f}"
        )
    with capsys.disabled():
        print("\n" + "\n".join(lines + misses))
    failing = [
        section
        for section, score in totals.items()
        if score.precision < MIN_PRECISION or score.recall < MIN_RECALL
    ]
    assert not failing, f"below {MIN_PRECISION} precision / {MIN_RECALL} recall: {failing}"


def test_golden_files_cover_the_required_kinds() -> None:
    """At least six annotated files, and every annotated corpus file exists."""
    assert len(GOLDEN) >= 6
    for golden_path in GOLDEN:
        golden = yaml.safe_load(golden_path.read_text(encoding="utf-8"))
        assert (CORPUS / golden["file"]).is_file(), golden_path.name
