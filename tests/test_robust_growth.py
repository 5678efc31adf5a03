"""Work that grows with a lesson grows in step with it: no step reads the whole lesson again for
each of its parts. Counted in steps, not timed, so that a shared machine cannot flake them."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock

from deckgen import shortcuts
from deckgen.config import ExtractConfig
from deckgen.extract import defined_terms, definitions, extract_lesson

from .helpers import lesson_of


def test_the_underline_shortcut_stops_at_a_line_that_may_open_a_block() -> None:
    """Each item of a tight list read every item after it, looking for a `---` underline."""
    text = "".join(f"- **Term{i}:** meaning {i}\n" for i in range(5_000))
    state = StateBlock(text, MarkdownIt("commonmark"), {}, [])
    asked: list[int] = []

    def stock_rule(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        asked.append(line)
        return False

    reads = 0
    ends = state.eMarks

    class CountedEnds(list[int]):
        def __getitem__(self, index):  # type: ignore[no-untyped-def]
            nonlocal reads
            reads += 1
            return ends[index]

    state.eMarks = CountedEnds(ends)
    rule = shortcuts._only_before_an_underline(stock_rule)
    assert rule(state, 0, state.lineMax, False) is False
    assert asked == [0]  # the stock rule decides where the next item ends the paragraph
    assert reads <= 2


def test_a_question_is_matched_only_against_the_terms_it_holds_a_word_of(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lines = "\n".join(f"**Term{i}**: what term {i} means" for i in range(1_000))
    lesson = lesson_of(f"# Terms\n\n## Glossary\n\n{lines}\n")
    terms = defined_terms.DefinedTerms(lesson, ExtractConfig())
    calls = 0
    find = defined_terms._find

    def counted_find(words: list[str], part: tuple[str, ...]) -> int:
        nonlocal calls
        calls += 1
        return find(words, part)

    monkeypatch.setattr(defined_terms, "_find", counted_find)
    assert [term.term for term in terms.named_in("What is Term7?")] == ["Term7"]
    assert len(terms.terms) == 1_000
    assert calls <= 2


def test_sibling_headings_are_compared_once_per_title(monkeypatch: pytest.MonkeyPatch) -> None:
    """A lesson pasted together from copies has thousands of sibling headings of few titles."""
    part = "### Installation\n\nRun the installer.\n\n### Data Sharding\n\nSplit the data.\n\n"
    last = "### Model Sharding\n\nSplit the model.\n"
    lesson = lesson_of("# L\n\n## Strategies\n\n" + part * 300 + last)
    calls = 0
    head_words = definitions._head_words

    def counted_head_words(title: str) -> set[str]:
        nonlocal calls
        calls += 1
        return head_words(title)

    monkeypatch.setattr(definitions, "_head_words", counted_head_words)
    found = extract_lesson(lesson, ExtractConfig())
    sharding = [c for c in found.candidates if c.text == "Data Sharding"]
    assert sharding and all("sibling-kinds" in {s.name for s in c.signals} for c in sharding)
    assert calls <= 10 * len(lesson.sections)
