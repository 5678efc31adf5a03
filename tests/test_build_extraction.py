"""A build extracts without the candidates only `list --why` reads (`extract_lesson`'s
`dropped`): its items, their identities and its warnings must be those of the whole extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.config import ExtractConfig
from deckgen.extract import Extraction, extract_lesson
from deckgen.lesson import parse_lesson

from .conftest import CORPUS

REPO = Path(__file__).resolve().parent.parent
BENCHMARKS = REPO / "benchmarks"
# The junior set's lessons sit in the audit pool, named by their annotations: only those files
# are read there.
JUNIOR = sorted(
    BENCHMARKS / "audit" / "lessons" / annotation.relative_to(path).with_suffix("")
    for path in [BENCHMARKS / "junior" / "annotations"]
    for annotation in path.rglob("*.md.yaml")
)
FOLDERS = [
    CORPUS,
    REPO / "lessons",
    *(BENCHMARKS / name / "lessons" for name in ("blind", "tune4", "tune5", "tune6")),
    *(BENCHMARKS / name / "lessons" for name in ("blind4", "blind5")),
]


def _extract(
    text: str, dropped: bool, skip: dict[str, tuple[str, ...]] | None = None
) -> Extraction:
    lesson = parse_lesson(text, Path("l.md"), "l")
    return extract_lesson(lesson, ExtractConfig(), skip, dropped)


def _same_decisions(text: str, skip: dict[str, tuple[str, ...]] | None = None) -> Extraction:
    """The build's extraction of `text`, checked against the whole one."""
    every, build = _extract(text, True, skip), _extract(text, False, skip)
    assert build.items == every.items
    assert [str(w) for w in build.warnings] == [str(w) for w in every.warnings]
    assert [c for c in build.candidates if c.kept] == [c for c in every.candidates if c.kept]
    return build


def test_a_build_leaves_out_what_a_question_section_drops() -> None:
    text = "# L\n\n## Quiz\n\n- **Docker**: a tool to run containers\n"
    every = _extract(text, True).candidates
    assert [c.reason for c in every if c.kind == "definition"] == ["excluded-section"]
    assert [c for c in _same_decisions(text).candidates if c.kind == "definition"] == []


def test_a_skip_that_matches_only_a_dropped_candidate_warns_in_no_build() -> None:
    text = "# L\n\n## Quiz\n\n- **Docker**: a tool to run containers\n"
    build = _same_decisions(text, {"l.md": ("Docker",)})
    assert not build.warnings


def test_a_skip_comment_above_a_dropped_candidate_warns_in_no_build() -> None:
    text = "# L\n\n## Tasks\n\n<!-- deckgen: skip -->\n- **Docker**: a tool to run containers\n"
    assert not _same_decisions(text).warnings


def test_a_term_marked_in_a_dropped_section_is_no_first_mention_later() -> None:
    later = (
        "## Scheduler\n\nKubernetes has many parts, and this section walks through each of them"
        " slowly, one at a time, with examples and diagrams for every single part of the whole"
        " system.\n\nThe control plane runs a **scheduler** that places pods on nodes.\n"
    )
    assert _same_decisions(f"# L\n\n{later}").items  # its first marked mention: a card
    quiz = "## Quiz\n\nWhat does the **scheduler** do when a node fails, in a sentence.\n\n"
    assert not _same_decisions(f"# L\n\n{quiz}{later}").items


def test_an_acronym_expanded_in_a_quotation_is_expanded_there_first() -> None:
    later = "Training runs on a Graphics Processing Unit (GPU) in the cloud.\n"
    assert _same_decisions(f"# L\n\n## Hardware\n\n{later}").items
    quoted = (
        "> ## Challenge\n>\n> Is a Graphics Processing Unit (GPU) worth it?\n{: .challenge}\n\n"
    )
    assert not _same_decisions(f"# L\n\n## Hardware\n\n{quoted}{later}").items


@pytest.mark.parametrize(
    "text",
    [
        # `in_summary`: a summary's bold sentence that classifies its term.
        "# L\n\n## Summary\n\n- **Pods** are groups of containers that share a network.\n",
        # `listed_tool`: a resource list's bold tool, said what it is.
        "# L\n\n## Resources\n\n- **Prometheus**: Time-series metrics database\n",
        # `expanded_aside`: an acronym expanded among objectives, and nowhere else.
        "# L\n\n## Learning Objectives\n\n- Implement Automatic Mixed Precision (AMP)\n",
    ],
)
def test_what_a_section_without_definitions_keeps_a_build_keeps(text: str) -> None:
    assert _same_decisions(text).items


@pytest.mark.slow
@pytest.mark.parametrize("folder", FOLDERS, ids=lambda path: str(path.relative_to(REPO)))
def test_a_builds_items_and_warnings_are_the_whole_extractions(folder: Path) -> None:
    paths = sorted(folder.rglob("*.md"))
    assert paths
    for path in paths:
        _same_decisions(path.read_text(encoding="utf-8-sig"))


@pytest.mark.slow
def test_on_the_junior_set_too() -> None:
    assert len(JUNIOR) == 36
    for path in JUNIOR:
        _same_decisions(path.read_text(encoding="utf-8-sig"))
