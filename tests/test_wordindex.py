"""The word index counts runs of words exactly as counting every run up front does."""

from __future__ import annotations

import random
import re
import sys
from collections import Counter

import pytest

from deckgen.extract.wordindex import _TOKEN, WORD, WordIndex

from .conftest import CORPUS

VOCABULARY = ["model", "Model", "data", "Data", "the", "GPU", "k8s-native", "C++", "node.js", "x"]


def _lesson(seed: int) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(rng.randrange(1, 40)):
        words = [rng.choice(VOCABULARY) for _ in range(rng.randrange(0, 12))]
        opening = rng.choice(["", "", "## ", "- **", "  # "])
        lines.append(opening + " ".join(words) + rng.choice(["", ".", ":", "**"]))
    return lines


def _every_run(lines: list[str]) -> tuple[Counter[str], Counter[str]]:
    """The straightforward count: every run of 1 to 3 words, lower-cased; and, as written,
    those after a lower-case word of the same line outside headings."""
    runs: Counter[str] = Counter()
    names: Counter[str] = Counter()
    for line in lines:
        words = WORD.findall(line)
        for start in range(len(words)):
            for length in (1, 2, 3):
                if start + length <= len(words):
                    run = words[start : start + length]
                    runs[" ".join(word.lower() for word in run)] += 1
                    if (
                        start > 0
                        and words[start - 1][:1].islower()
                        and not line.lstrip().startswith("#")
                    ):
                        names[" ".join(run)] += 1
    return runs, names


@pytest.mark.parametrize("seed", range(60))
def test_counts_equal_counting_every_run(seed: int) -> None:
    lines = _lesson(seed)
    runs, names = _every_run(lines)
    index = WordIndex(lines)
    rng = random.Random(seed)
    asked = [run.split() for run in runs] + [
        [rng.choice(VOCABULARY) for _ in range(rng.randrange(1, 4))] for _ in range(50)
    ]
    for run in asked:
        assert index.count([word.lower() for word in run]) == runs[" ".join(run).lower()], run
        assert index.count_as_name(run) == names[" ".join(run)], run


def test_a_run_never_spans_two_lines() -> None:
    index = WordIndex(["the model", "data here"])
    assert index.count(["model", "data"]) == 0
    assert index.count(["the", "model"]) == 1


def test_many_terms_with_one_first_word_are_counted_apart() -> None:
    lines = [f"- **Step {n}:** see step {n} and step {n}" for n in range(2000)]
    index = WordIndex(lines)
    assert index.count(["step", "7"]) == 3
    assert index.count(["step"]) == 6000
    assert index.count_as_name(["Step", "7"]) == 0  # it opens its line's words


def test_a_lessons_words_are_words_and_line_ends() -> None:
    """`_TOKEN`, written for speed, finds what `WORD` or a line end finds, on the corpus, on
    every character, and on mixtures of the marks a word may hold inside but not end with."""
    plain = re.compile(rf"{WORD.pattern}|\n")
    texts = [path.read_text(encoding="utf-8-sig") for path in sorted(CORPUS.rglob("*.md"))]
    texts.append("".join(map(chr, range(sys.maxunicode + 1))))
    pieces = ["a", "Z", "9", "é", "_", "+", "#", ".", "-", " ", "\n", "/", "\u0301", "\u00b2"]
    generator = random.Random(5)
    texts += ["".join(generator.choices(pieces, k=generator.randint(0, 12))) for _ in range(20000)]
    for text in texts:
        assert _TOKEN.findall(text) == plain.findall(text), repr(text[:80])
