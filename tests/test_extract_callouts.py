"""Definitions inside callouts (`deckgen.extract.callouts`): a block quote its format marks as
a callout, or an unmarked one that is the author's note, is read as prose, with `in-callout`; a
quotation or an exercise's quote is not."""

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
    ("note", "> A *spool* is a buffer that holds jobs until a worker is free.\n", "spool"),
    (
        "note",
        "> **Backlog** is the count of jobs that no worker has taken yet.\n",
        "Backlog",
    ),
    (
        "marker 🎓",
        "> 🎓 Backlog: the jobs a queue holds that no worker has taken yet.\n",
        "Backlog",
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


_SAYING = (
    "Every broker needs a buffer. A *spool* is a buffer that holds jobs until a worker is free."
)

PLAIN = [
    ("attribution", f"> ✅ {_SAYING}\n> — A. Broker\n"),
    ("signed after the quotation marks", f'> "{_SAYING}" -- [A. Broker](https://example.org)\n'),
    ("cite", f"> {_SAYING}\n> <cite>A. Broker</cite>\n"),
    ("quotation marks", f'> "{_SAYING}"\n'),
    ("quotation marks after a marker", f'> ✅ "{_SAYING}"\n'),
    (
        "other class",
        "> ## Spools\n>\n> A *spool* is a buffer that holds jobs until a worker is free.\n"
        "{: .challenge}\n",
    ),
]


@pytest.mark.parametrize(("kind", "markdown"), PLAIN, ids=[p[0] for p in PLAIN])
def test_a_quotation_or_an_exercise_defines_nothing(kind: str, markdown: str) -> None:
    candidates = _about(markdown, "spool")
    assert candidates
    assert not any(candidate.kept for candidate in candidates)


def test_the_label_that_opens_a_note_titles_it() -> None:
    (candidate,) = _about("> **Fun fact**: the first spools fed printers.\n", "Fun fact")
    assert not candidate.kept
    assert "titles-note" in [s.name for s in candidate.signals]


@pytest.mark.parametrize(
    "markdown",
    [
        "> 🎥 Click the image above for a video: spools at work\n",
        "> 🎓 Note that spools fill up: drain them.\n",
        "> Backlog: the jobs a queue holds that no worker has taken yet.\n",
    ],
)
def test_only_a_short_label_after_a_marker_is_a_term(markdown: str) -> None:
    lesson = parse_lesson(_INTRO + markdown, Path("lesson.md"), "lesson")
    extraction = extract_lesson(lesson, ExtractConfig())
    assert not [c for c in extraction.candidates if c.shape == "marker-label"]


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
