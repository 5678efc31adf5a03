"""Definitions inside callouts (`deckgen.extract.callouts`): a block quote its format marks as
a callout is read as prose, with `in-callout`; a plain block quote or a quotation is not."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.extract.evidence import Candidate
from deckgen.items import Definition
from deckgen.lesson import parse_lesson

_INTRO = "# Queues\n\nThis lesson is about queues and how brokers keep them.\n\n"


def _about(markdown: str, term: str) -> list[Candidate]:
    lesson = parse_lesson(_INTRO + markdown, Path("lesson.md"), "lesson")
    extraction = extract_lesson(lesson, ExtractConfig())
    return [c for c in extraction.candidates if c.kind == "definition" and c.text == term]


# (what marks the callout, the lesson's callout, the term it defines)
MARKED = [
    ("marker ✅", "> ✅ A *spool* is a buffer that holds jobs until a worker is free.\n", "spool"),
    (
        "alert NOTE",
        "> [!NOTE]\n> A *spool* is a buffer that holds jobs until a worker is free.\n",
        "spool",
    ),
    (
        "callout",
        "> ## Spools\n>\n> A *spool* is a buffer that holds jobs until a worker is free.\n"
        "{: .callout}\n",
        "spool",
    ),
    (
        "marker ✅",
        "> ✅ A queue kept on disk is called a [SPQ](https://example.org/spq).\n",
        "SPQ",
    ),
    (
        "marker 💡",
        "> 💡 Two words:\n>\n> * **Spooler** is a process that feeds the spool\n"
        "> * **Drainer** is a process that empties it\n",
        "Drainer",
    ),
]


@pytest.mark.parametrize(("mark", "markdown", "term"), MARKED, ids=[m[0] for m in MARKED])
def test_a_marked_callout_defines_its_term(mark: str, markdown: str, term: str) -> None:
    (candidate,) = _about(markdown, term)
    assert candidate.kept, candidate.reason
    assert ("in-callout", mark) in [(s.name, s.detail) for s in candidate.signals]
    # No marker reaches the card.
    assert isinstance(candidate.item, Definition)
    for marker in ("[!NOTE]", "{:", ".callout", "✅", "💡", ">"):
        assert marker not in candidate.item.body


PLAIN = [
    ("unmarked", "> A *spool* is a buffer that holds jobs until a worker is free.\n"),
    (
        "attribution",
        "> ✅ A *spool* is a buffer that holds jobs until a worker is free.\n> — A. Broker\n",
    ),
    (
        "quotation marks",
        '> ✅ "A *spool* is a buffer that holds jobs until a worker is free."\n',
    ),
    (
        "other class",
        "> ## Spools\n>\n> A *spool* is a buffer that holds jobs until a worker is free.\n"
        "{: .challenge}\n",
    ),
]


@pytest.mark.parametrize(("kind", "markdown"), PLAIN, ids=[p[0] for p in PLAIN])
def test_a_plain_block_quote_or_a_quotation_defines_nothing(kind: str, markdown: str) -> None:
    assert not any(candidate.kept for candidate in _about(markdown, "spool"))


def test_the_lessons_text_wins_over_a_callout_that_restates_its_term() -> None:
    markdown = (
        "> ✅ **Spool** is a buffer that holds jobs.\n\n"
        "## Buffers\n\n- **Spool** is the queue a printer reads its jobs from\n"
    )
    callout, text = _about(markdown, "Spool")
    assert text.kept
    assert not callout.kept
    assert "defined-elsewhere" in [s.name for s in callout.signals]


def test_a_workbench_callout_is_read_as_prose_even_with_no_blank_line_inside() -> None:
    markdown = "::: callout\nA *spool* is a buffer that holds jobs until a worker is free.\n:::\n"
    (candidate,) = _about(markdown, "spool")
    assert candidate.kept, candidate.reason
    assert isinstance(candidate.item, Definition)
    assert ":::" not in candidate.item.body


def test_a_callouts_title_may_name_the_term_its_text_describes() -> None:
    markdown = (
        "> ## Kessler's Rule\n>\n> The busiest queue in a broker drains about half as fast as"
        " the next one.\n{: .callout}\n\nMost brokers follow Kessler's Rule closely.\n"
    )
    (candidate,) = _about(markdown, "Kessler's Rule")
    assert candidate.kept, candidate.reason
    assert "in-callout" in [s.name for s in candidate.signals]
