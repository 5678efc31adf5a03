"""Property tests over generated lesson Markdown: extraction and rendering hold up on anything."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from deckgen.config import ExtractConfig
from deckgen.diagnostics import ContentError
from deckgen.extract import extract_lesson
from deckgen.identity import normalize_key
from deckgen.items import Definition
from deckgen.layout import read_lesson
from deckgen.lesson import one_line, parse_lesson
from deckgen.reader import Reader
from deckgen.render import render_item

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

PATH = Path("lessons/fuzz.md")
CONFIG = ExtractConfig()

# A small vocabulary makes repeated terms (identity collisions) common; the rest is anything.
WORDS = st.sampled_from(
    [
        *("MLOps", "Docker", "GPU", "Kubernetes", "vs", "Level", "Salary", "What", "is", "<b>"),
        # Characters that end a line for some readers but not for markdown-it, or vice versa.
        *("\u2028", "\x0c", "\x85", "\r", "\r\n", "\x1c"),
    ]
)
UNICODE = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)
HTML = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//x>",
        "<img src=x onerror=alert(1)>",
        "<iframe src=x>",
        "<style>*{}</style>",
        "<details><summary>x</summary>",
        "[l](javascript:alert(1))",
        "![i](data:image/png;base64,AA)",
        "<scr<script>ipt>",
        "&lt;script&gt;",
    ]
)
PHRASE = st.lists(st.one_of(WORDS, UNICODE, HTML), min_size=1, max_size=5).map(" ".join)

heading = st.builds(lambda level, text: f"{'#' * level} {text}", st.integers(1, 4), PHRASE)
bold_bullet = st.builds(
    lambda mark, term, sep, body: f"{mark} **{term}{sep}** {body}",
    st.sampled_from(["-", "*", "1.", "  -"]),
    PHRASE,
    st.sampled_from([":", "", " -"]),
    PHRASE,
)
defining = st.builds(lambda term, body: f"**{term}** is {body}", PHRASE, PHRASE)
salary = st.builds(
    lambda level, role, band: f"### {level}: {role}\n\n**Salary:** {band}\n**Focus:** {role}",
    WORDS,
    PHRASE,
    st.sampled_from(["$100k-$150k USD", "€80,000+", "$5", "USD 120k to 90k", "¥1m"]),
)


@st.composite
def table(draw: st.DrawFn) -> str:
    columns = draw(st.integers(1, 4))
    rows = draw(st.lists(st.lists(PHRASE, min_size=columns, max_size=columns), max_size=4))
    header = draw(st.lists(PHRASE, min_size=columns, max_size=columns))

    def line(cells: list[str]) -> str:
        return "| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |"

    return "\n".join([line(header), "|" + "---|" * columns, *(line(row) for row in rows)])


questions = st.builds(
    lambda items: "## Self-Check Questions\n\n" + "\n".join(f"1. {q}?" for q in items),
    st.lists(PHRASE, min_size=1, max_size=4),
)
fence = st.builds(lambda body: f"```\n{body}\n```", PHRASE)
unclosed_fence = st.builds(lambda body: f"~~~python\n{body}", PHRASE)
BLOCK = st.one_of(
    heading, bold_bullet, defining, salary, table(), questions, fence, unclosed_fence, PHRASE, HTML
)
LESSON = st.lists(BLOCK, max_size=14).map(lambda blocks: "\n\n".join(blocks) + "\n")

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# Headings of the sections a build searches less (`extract_lesson`'s `dropped`): skipped,
# question, instruction and summary sections, and the blocks their rescues keep (acronyms,
# a quotation's, a summary's defining bullet, a tool list's bold lead).
SECTION_HEADING = st.builds(
    lambda level, name: f"{'#' * level} {name}",
    st.integers(2, 3),
    st.sampled_from(
        [
            *("Resources", "Further Reading", "Self-Check Questions", "Instructions"),
            *("Key Takeaways", "Summary", "Tools", "Overview"),
        ]
    ),
)
acronym = st.sampled_from(
    ["A Graphics Processing Unit (GPU) runs the work.", "Use **Docker** daily.", "- **Docker**"]
)
quotation = st.builds(lambda body: f"> Graphics Processing Unit (GPU) {body}", PHRASE)
SECTIONED_LESSON = st.lists(
    st.one_of(SECTION_HEADING, acronym, quotation, bold_bullet, defining, heading, PHRASE),
    max_size=14,
).map(lambda blocks: "\n\n".join(blocks) + "\n")


@FUZZ
@given(SECTIONED_LESSON)
def test_a_build_extracts_what_the_whole_extraction_keeps(text: str) -> None:
    """A build skips candidates only `list --why` shows; what it keeps, and warns, is the same."""
    lesson = parse_lesson(text, PATH, "fuzz")
    every = extract_lesson(lesson, CONFIG, dropped=True)
    build = extract_lesson(parse_lesson(text, PATH, "fuzz"), CONFIG, dropped=False)
    assert build.items == every.items
    assert [str(w) for w in build.warnings] == [str(w) for w in every.warnings]


@FUZZ
@given(LESSON)
# Found by the fuzzer: a control separator inside a heading's term.
@example("## MLOps MLOps MLOps \x1c MLOps\n\nA body line here.\n")
def test_extraction_and_rendering_hold_on_any_lesson(text: str) -> None:
    lesson = parse_lesson(text, PATH, "fuzz")
    extraction = extract_lesson(lesson, CONFIG)
    line_count = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1
    guids: set[str] = set()
    for keyed in extraction.items:
        item = keyed.item
        assert item.key.strip() and keyed.identity.strip()
        assert 1 <= item.source.line <= line_count
        if isinstance(item, Definition):
            # The line an item names is the line its term is written on. A term reads as one
            # line (`one_line`): a run of white space in it, a control separator such as \x1c
            # among them (`str.isspace`), is one space on the card.
            assert one_line(item.term) in one_line(lesson.lines[item.source.line - 1]), item
        note = render_item(keyed, "course", "fuzz", lesson.label)
        assert note.guid not in guids
        guids.add(note.guid)
        for value in note.fields:
            assert "<script" not in value.lower()
            assert not re.search(r"<[a-z]+[^>]*\son\w+=", value, re.I)


@FUZZ
@given(LESSON)
def test_colliding_identities_are_disambiguated_with_a_warning_naming_both_lines(
    text: str,
) -> None:
    lesson = parse_lesson(text, PATH, "fuzz")
    extraction = extract_lesson(lesson, CONFIG)
    kept = {(k.item.kind, k.identity) for k in extraction.items}
    assert len(kept) == len(extraction.items)  # identities unique within a kind
    first: dict[tuple[str, str], int] = {}
    found = sorted((k.item for k in extraction.items), key=lambda item: item.source.line)
    for item in found:
        key = (item.kind, normalize_key(item.key))
        if key not in first:
            first[key] = item.source.line
            continue
        # A later item with a taken key: a warning at its line names the first one's line.
        assert any(
            w.line == item.source.line and f"line {first[key]}" in w.message
            for w in extraction.warnings
        ), (item, extraction.warnings)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_are_a_lesson_or_one_content_error(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.mktemp("bytes") / "lesson.md"
    path.write_bytes(data)
    try:
        read_lesson(path, "lesson", Reader())
    except ContentError as error:
        assert "\n" not in str(error)
        assert str(error).startswith(str(path))
