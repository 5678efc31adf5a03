"""The shortcuts that spare the Markdown parser must answer exactly as the parser does."""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from deckgen import shortcuts
from deckgen.config import ExtractConfig
from deckgen.extract.common import (
    PerSection,
    _parsed_bold_lead,
    _plain_bold_lead,
    bold_lead,
    is_question_scope,
    is_skipped,
    within,
    within_each,
)
from deckgen.extract.definitions import _only_link, _parsed_only_link
from deckgen.extract.pointers import _body_bags, text_words
from deckgen.lesson import (
    MAX_NESTING,
    Lesson,
    Section,
    _block_tokens,
    _normalized_lines,
    _parsed_inline_children,
    inline_children,
    lesson_title,
    parse_lesson,
    plain_text,
    text_of,
)
from deckgen.render import block_html, inline_html
from deckgen.shortcuts import (
    _INLINE_SYNTAX,
    _opens_no_block,
    _plain_list_html,
    _plain_paragraphs_html,
    _simple_html,
)
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop


@pytest.fixture(autouse=True)
def _shortcuts_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shortcuts are what these tests compare with the parser, whatever the shell says."""
    monkeypatch.delenv(shortcuts.SWITCH, raising=False)


if TYPE_CHECKING:
    from markdown_it.token import Token

TRICKY_LEADS = [
    "**[Trivy](https://github.com/aquasecurity/trivy)** - Vulnerability scanner",
    "**[GCP Blog](https://cloud.google.com/blog/)**",
    "**[a](https://x)**: b",
    "**[a](https://x)**b",
    "**[a](https://x)**.",
    "**[a](https://x)***",
    "**[a](https://x)*** y",
    "**[a](https://x**y)** z",
    "**[a](https://x*y)** z",
    "**[a](https://x_y)** z",
    "**[a *b*](https://x)** c",
    "**[a **b**](https://x)** c",
    "**[a_b](https://x)** c",
    "**[a &amp; b](https://x)** c",
    "**[a & b](https://x)** c",
    "**[a\tb  c](https://x)** d",
    "**[a](https://x) more** c",
    "**more [a](https://x)** c",
    "**[a](https://x)[b](https://y)** c",
    "**[a](javascript:alert(1))** c",
    "**[a](ftp://x)** c",
    '**[a](https://x "t")** c',
    "**[a](<https://x>)** c",
    "**[a](https://)** c",
    "**[](https://x)** c",
    "**[ a ](https://x)** c",
    "**[a](https://ex ample)** c",
    "**[a](https://x)\n** c",
    "__[a](https://x)__ c",
    "**`POST /v1/predict`** — one row",
    "**`make down` doesn't destroy** — money",
    "**`a**b`** c",
    "**`a` `b`**: c",
    "**` x `**y",
    "**`x`**`y`",
    "**`x`** *y*",
    "**a `b`\nc**: d",
    "**``x``** y",
    "**`x**",
    "**x `y**` z",
    "**Docker:** a container engine",
    "**Docker**: a container engine",
    "**Docker** - engine",
    "**Docker**engine",
    "**Docker:**engine",
    "**Docker:**, then",
    "__Docker__ engine",
    "__Docker__engine",
    "__Docker:__engine",
    "__Docker__: engine",
    "__Docker:__ engine",
    "**Docker** **Compose** both",
    "**a** *b** c*",
    "**Docker***",
    "**Docker*** x",
    "** Docker** x",
    "**Docker **x",
    "**Docker ** x",
    "**x\u00a0**y",
    "**Docker\u00a0** x",
    "**CPU (cores):** 8",
    "**CPU (cores)**: 8",
    "**CPU (cores)**8",
    "**GPU²** fast",
    "**über-fast:** yes",
    "**Q1.** What is it?",
    "**1.5x** speed",
    "**Docker** [link](http://x) `code` <b>",
    "**C#** language",
    "**a\tb**\tc",
    "**a  b** c",
    "**Docker**",
    "**",
    "****",
    "**Docker",
    "**Docker:**—dash",
    "__Docker__—dash",
    "**Docker:**—dash",
    "**Docker)**x",
    "**Docker)** x",
    "**x**_y_",
    "__x__*y*",
    "__init__.py is a module",
    "**Note**\u00a0text",
    "**Explanation:**\nThe answer is B.",
    "**Docker**\nengine",
    "**Docker:**\n\nengine",
    "__Docker__\nengine",
    "__Docker:__\nengine",
    "**Docker** \nengine",
    "**a `b**\nc`",
    "**Docker**\n**Compose** too",
    "**Docker**\n*x*",
    "**Weights & Biases** - tracking",
    "**R&D;** labs",
    "**AT&amp;T** carrier",
    "**Hello!** there",
    "**Hello!**there",
    "**a > b** c",
    "**x~** y",
    "**~x~** y",
    "**Ready?**\nYes",
    "**VPC (Virtual Private Cloud)**: network",
    "**24-26 correct (80-89%)**: Very good",
    "**(a)**.",
    "**a.**,x",
    "**a.**x",
    "**a)**(b)",
    "__a)__:x",
    "__a)__x",
    "__(a)__ b",
    '**"Docker in Action" by Jeff**',
    "**.gitlab-ci.yml:**",
    "**🐳 Docker** engine",
    "**—dash** x",
    "**x—** y",
    "**x)**—y",
    "**\u00a0x** y",
    "**\x1cx** y",
    "**(x)**\u00a0y",
]


def _corpus_lines() -> list[str]:
    lines = []
    for path in sorted(CORPUS.rglob("*.md")):
        for line in path.read_text(encoding="utf-8-sig").splitlines():
            stripped = line.strip().lstrip("-*+> ").strip()
            if "**" in stripped or "__" in stripped:
                lines.append(stripped)
    return lines


@pytest.mark.parametrize("content", TRICKY_LEADS)
def test_bold_lead_agrees_with_the_parser(content: str) -> None:
    assert bold_lead(content) == _parsed_bold_lead(content, 0, content[:2])


def test_plain_bold_lead_agrees_with_the_parser_on_the_corpus() -> None:
    taken = 0
    for content in _corpus_lines():
        for start in range(len(content) - 1):
            marker = content[start : start + 2]
            if marker not in ("**", "__"):
                continue
            fast = _plain_bold_lead(content, start, marker)
            if fast is not None:
                taken += 1
                assert fast == _parsed_bold_lead(content, start, marker), content
    assert taken > 1000  # the shortcut is really exercised


def _corpus_paragraphs() -> list[str]:
    """Inline contents of the corpus, several lines each (list items, quiz explanations)."""
    return [
        token.content
        for path in sorted(CORPUS.rglob("*.md"))
        for token in parse_lesson(path.read_text(encoding="utf-8-sig"), path, "x").tokens
        if token.type == "inline" and ("**" in token.content or "__" in token.content)
    ]


def test_plain_bold_lead_agrees_with_the_parser_on_corpus_paragraphs() -> None:
    taken = 0
    for content in _corpus_paragraphs():
        start = content.find("**") if "**" in content else content.find("__")
        marker = content[start : start + 2]
        fast = _plain_bold_lead(content, start, marker)
        if fast is not None:
            taken += 1
            assert fast == _parsed_bold_lead(content, start, marker), content
    assert taken > 1000


def test_the_shortcut_covers_the_usual_term_and_leaves_the_rest() -> None:
    assert _plain_bold_lead("**Docker:** engine", 0, "**") is not None
    assert _plain_bold_lead("**[Trivy](https://trivy.dev/)** - scanner", 0, "**") is not None
    assert _plain_bold_lead("**[a *b*](https://x)** c", 0, "**") is None
    assert _plain_bold_lead("**Docker**: engine", 0, "**") is not None
    assert _plain_bold_lead("**`docker`**: engine", 0, "**") is not None
    assert _plain_bold_lead("**`a**b`** c", 0, "**") is None  # the first `**` is code
    assert _plain_bold_lead("__`docker`__: engine", 0, "__") is None
    assert _plain_bold_lead("__Docker__engine", 0, "__") is None
    assert bold_lead("__Docker__engine") is None  # intraword underscores never close
    lead = bold_lead("🐳 **Docker:**  a   container")
    assert lead is not None
    assert (lead.term, lead.term_text, lead.rest) == ("Docker:", "Docker:", "  a   container")


TRICKY_FIELDS = [
    'He said "hi" & left',
    "It's 5 > 3 and 2 < 4",
    "a <b> c",
    "a <https://x.y> b",
    "a <x@y.z> b",
    "a <!-- c --> b",
    "a <\u00a0b> c",
    "a<",
    "a > b",
    "Docker - a container engine",
    "Docker: engine, #1 choice, 100% + more = {x} ^ @y | z",
    "1. first",
    "1) first",
    "12.5 GB",
    "2024 was a year",
    "3 cores",
    "A\u00a0B",
    "x\ty",
    "a  b   c",
    "Ünïcödé ✓ 🐳",
    "word -- dash --- more",
    "http://example.com/a?b=c",
    "mailto:x@y.z",
    "a: b",
    "C++ and C# = fun",
    "x = y",
    "Tables | like | this",
    "ends with two spaces",
    "W&B and AT&T",
    "R&D; labs",
    "x & y;z",
    "a &amp; b",
    "x &#169; y",
    "x &#xA9; y",
    "x &copy; y",
    "x &nosuch; y",
    "Done! Next",
    "See ![img](x.png)",
    "a ~~b~~ c",
    "Tilde ~ and bang !",
]


def _rendered(text: str) -> tuple[str, str]:
    from deckgen.render import _field_parser

    parser = _field_parser()
    block = parser.render(text).strip()
    if block.startswith("<p>") and block.endswith("</p>"):
        block = block[3:-4]
    return parser.renderInline(text).strip(), block


@pytest.mark.parametrize("text", TRICKY_FIELDS)
def test_fields_render_as_the_parser_renders_them(text: str) -> None:
    assert (inline_html(text), block_html(text)) == _rendered(text)


def test_the_shortcut_covers_plain_fields() -> None:
    left = [text for text in TRICKY_FIELDS if _plain_paragraphs_html(text) is None]
    # Tags and autolinks, list numbers, what may be an entity (`&D;` may: the parser
    # knows), an image.
    assert left == [
        "a <b> c",
        "a <https://x.y> b",
        "a <x@y.z> b",
        "a <!-- c --> b",
        "1. first",
        "1) first",
        "12.5 GB",
        "R&D; labs",
        "a &amp; b",
        "x &#169; y",
        "x &#xA9; y",
        "x &copy; y",
        "x &nosuch; y",
        "See ![img](x.png)",
    ]
    assert _plain_paragraphs_html('He said "hi"') == "He said &quot;hi&quot;"


def test_plain_fields_of_the_corpus_render_as_the_parser_renders_them() -> None:
    taken = 0
    for line in _corpus_lines() + _corpus_text_lines():
        text = line.strip()
        plain = _plain_paragraphs_html(text)
        if plain is not None:
            taken += 1
            assert (plain, plain) == _rendered(text), text
    assert taken > 1000


def _corpus_text_lines() -> list[str]:
    return [
        line
        for path in sorted(CORPUS.rglob("*.md"))
        for line in path.read_text(encoding="utf-8-sig").splitlines()
    ]


def _corpus_windows(size: int) -> Iterator[str]:
    """Every run of `size` consecutive lines of the corpus, stripped."""
    for path in sorted(CORPUS.rglob("*.md")):
        lines = path.read_text(encoding="utf-8-sig").split("\n")
        for start in range(len(lines)):
            yield "\n".join(lines[start : start + size]).strip()


def _agreements(
    texts: Iterable[str], shortcut: Callable[[str], object], parsed: Callable[[str], object]
) -> int:
    """How many of `texts` the shortcut answers (not None), checking each answer is the
    parser's."""
    taken = 0
    for text in texts:
        fast = shortcut(text)
        if fast is not None:
            taken += 1
            assert fast == parsed(text), repr(text)
    return taken


def test_markup_is_left_to_the_parser() -> None:
    for text in ("a *b*", "_b_", "***b***", "[x](http://y)", "<b>", "a &amp; b", "- item"):
        assert _plain_paragraphs_html(text) is None
        assert _simple_html(text) is None or text == "- item"  # no block inside a line


TRICKY_TITLES = [
    "# Title\n\ntext",
    "intro\n\n# Title",
    "## Section\n\n# Title",
    "#\n\n# Real title",
    "# \n\n## Not a title",
    "Title\n=====\n\ntext",
    "```\n# code\n\n# still code\n```\n\n# After the fence",
    "```\n# code\n\n" + "line\n\n" * 100 + "```\n# After a long fence",
    "- item\n\n  # in a list\n",
    "    # indented code\n\n# Title",
    "<!--\n# comment\n\n-->\n# Title",
    "# a | b\n--- | ---\n\n# Title",
    "para\n" * 70 + "\n# Late title",
    "> # Quoted title",
    "no heading at all\n\n" * 50,
    "# Title\r\n\r\ntext",
    "# **Bold** `title`",
    "# Title\n===\n\ntext",
    "# Title\n---\n\n# Other",
    "# a | b\n|---|---|\n\n# Title",
    "# C# basics\n",
    "# Title #\n",
    "# Title ##  \n",
    "#\tTabbed title",
    "#Title\n\n# Real",
    "# \u00a0Spaced\u2003\n",
    "#  Padded title   \n",
    "# \n\n# After an empty one",
    "# **\n\n# After an empty bold",
    "# `code` only",
    "# Title\0with NUL",
    "# [Link](http://x) title\n",
    "# Title\n    indented code",
]


@pytest.mark.parametrize("text", TRICKY_TITLES)
def test_lesson_title_is_parse_lessons_title(text: str) -> None:
    parsed = parse_lesson(text, Path("x.md"), "x").title
    assert lesson_title(text) == ("" if parsed == "x" else parsed)


def test_a_leading_title_takes_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parser(text: str) -> list[Token]:
        raise AssertionError(f"parsed {text!r}")

    monkeypatch.setattr("deckgen.lesson._block_tokens", no_parser)
    assert lesson_title("# Module 01: Foundations\n\n" + "text\n" * 100) == "Module 01: Foundations"
    assert lesson_title("# **Bold** title  ") == "Bold title"


def test_lesson_title_on_the_corpus() -> None:
    for path in sorted(CORPUS.rglob("*.md")):
        text = path.read_text(encoding="utf-8-sig")
        parsed = parse_lesson(text, path, "x").title
        assert lesson_title(text) == ("" if parsed == path.stem else parsed), path


PLAIN_INLINE = [
    "plain words",
    "  padded  ",
    "tab\tinside",
    "Ünïcödé ✓",
    "a: b - c (d) #e",
    "x",
    "W&B",
    "Q&A more",
    "AT&T & co",
    "a & b; c",
    "Done!",
    "Hey! Listen",
    "~~not struck~~",
    "a ~ b",
]


@pytest.mark.parametrize("content", PLAIN_INLINE)
def test_plain_inline_children_are_the_parsers(content: str) -> None:
    assert not _INLINE_SYNTAX.search(content)  # the shortcut is taken
    assert inline_children(content) == _parsed_inline_children(content)
    assert [child.type for child in inline_children(content)] == ["text"]


@pytest.mark.parametrize("content", ["a &amp; b", "&#169; 2024", "x &#xA9;", "&copy; y", "![i](x)"])
def test_entities_and_images_are_left_to_the_parser(content: str) -> None:
    assert _INLINE_SYNTAX.search(content)
    assert [child.type for child in inline_children(content)] != ["text"] or (
        inline_children(content)[0].content != content
    )


def test_inline_children_on_the_corpus() -> None:
    taken = 0
    for line in _corpus_text_lines():
        if line and not _INLINE_SYNTAX.search(line):
            taken += 1
            assert inline_children(line) == _parsed_inline_children(line), line
    assert taken > 1000
    assert [child.type for child in inline_children("**a** [b](c)")][:2] == ["strong_open", "text"]


def _innermost(lesson: Lesson, index: int) -> Section | None:
    """By definition: of the sections holding the token, the last to open (sections nest)."""
    holding = [s for s in lesson.sections if s.start_token <= index < s.end_token]
    return holding[-1] if holding else None


NESTED_SECTIONS = (
    "# Title\n\nintro\n\n## A\n\n- a\n\n### A1\n\n#### A1a\n\n**x**\n\n## B\n\n| t | u |\n"
    "|---|---|\n| 1 | 2 |\n\n#### B deep\n\n### B1\n\n> quote\n\n# Second top\n\ntext\n\n## C\n"
)
WALKED_TYPES = [
    ("paragraph_open",),
    ("table_open",),
    ("inline",),
    ("table_open", "inline"),
    ("heading_open", "blockquote_open", "blockquote_close"),
    ("no_such_token",),
]


@pytest.mark.parametrize("types", WALKED_TYPES)
def test_walking_some_token_types_finds_each_tokens_section(types: tuple[str, ...]) -> None:
    lesson = parse_lesson(NESTED_SECTIONS, Path("x.md"), "x")
    expected = [
        (index, token, _innermost(lesson, index))
        for index, token in enumerate(lesson.tokens)
        if token.type in types
    ]
    assert list(lesson.walk(*types)) == expected
    assert [(i, t, lesson.section_at(i)) for i, t, _ in expected] == expected
    assert list(lesson.walk()) == [
        (index, token, _innermost(lesson, index)) for index, token in enumerate(lesson.tokens)
    ]


def test_a_verdict_per_section_is_the_verdict_per_token() -> None:
    config = ExtractConfig()
    lessons = [parse_lesson(NESTED_SECTIONS, Path("x.md"), "x")] + [
        parse_lesson(path.read_text(encoding="utf-8-sig"), path, "x")
        for path in sorted(CORPUS.rglob("*.md"))
    ]
    for judge in (
        lambda section: is_skipped(section, config),
        lambda section: is_question_scope(section, config),
        lambda section: section is not None and section.level % 2 == 0,
    ):
        for lesson in lessons:
            remembered = PerSection(judge)
            walked = list(lesson.walk("paragraph_open", "heading_open", "table_open"))
            assert [remembered(section) for _, _, section in walked] == [
                judge(section) for _, _, section in walked
            ]


def test_within_each_section_is_within() -> None:
    config = ExtractConfig()
    lessons = [parse_lesson(NESTED_SECTIONS, Path("x.md"), "x")] + [
        parse_lesson(path.read_text(encoding="utf-8-sig"), path, "x")
        for path in sorted(CORPUS.rglob("*.md"))
    ]
    inside = 0
    for names in (
        config.answer_key_headings,
        config.skip_sections,
        config.question_headings,
        ("A", "B deep"),
        ("Second top",),
    ):
        for lesson in lessons:
            answers = within_each(lesson.sections, names)
            assert answers == [within(section, names) for section in lesson.sections]
            inside += sum(answers)
    assert inside > 100


def test_walking_some_token_types_on_the_corpus() -> None:
    for path in sorted(CORPUS.rglob("*.md")):
        lesson = parse_lesson(path.read_text(encoding="utf-8-sig"), path, "x")
        everything = list(lesson.walk())
        assert [(i, t, lesson.section_at(i)) for i, t, _ in everything] == everything
        for types in WALKED_TYPES:
            assert list(lesson.walk(*types)) == [w for w in everything if w[1].type in types]


TRICKY_BLOCKS = [
    "a\nb",
    "a\n\nb",
    "a\n\n\nb",
    "a\n \nb",
    "a  \nb",
    "a \nb",
    "a\\\nb",
    "a\n b",
    "a\n    b",
    "a\n\n    b",
    "a\n=",
    "a\n===",
    "a\n---",
    "a | b\n--- | ---",
    "a | b\nc | d",
    "a\n1. b",
    "a\n2. b",
    "a\n1) b",
    "a\n\n3) b",
    "a\n- b",
    "a\n* b",
    "a\n> b",
    "a\n# b",
    "a\n#b",
    "a\n<div>",
    "a\n```\nb",
    "B) Object storage\n\nDurable & cheap, 11 nines.",
    "Quote \"x\"\n\nand 'y'\nthen 5 > 3",
    "W&B\n\nAT&T",
    "x &amp; y\n\nz",
    "Tabs\tinside\n\nlines\twith\ttabs",
    "a\u00a0\nb",
    "Ünïcödé\n\n✓ mark",
    "2024 was\n\n10.5 percent",
]


def _block_rendered(text: str) -> str:
    """What block_html makes of the parser's rendering: a lone paragraph loses its <p>."""
    from deckgen.render import _field_parser

    html = _field_parser().render(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        return html[3:-4]
    return html


@pytest.mark.parametrize("text", TRICKY_BLOCKS)
def test_plain_paragraphs_render_as_the_parser_renders_them(text: str) -> None:
    assert block_html(text) == _block_rendered(text)


def test_plain_paragraphs_take_the_shortcut() -> None:
    assert _plain_paragraphs_html("a\nb") == "a\nb"
    assert _plain_paragraphs_html("B) x\n\nIt is 5 > 3.") == "<p>B) x</p>\n<p>It is 5 &gt; 3.</p>"
    for text in ("a\n- b", "a  \nb", "a\n\n\nb", "a\n---", "a\n1. b"):
        assert _plain_paragraphs_html(text) is None


def test_plain_paragraphs_of_the_corpus_render_as_the_parser_renders_them() -> None:
    several_lines = (text for text in _corpus_windows(4) if "\n" in text)
    assert _agreements(several_lines, _plain_paragraphs_html, _block_rendered) > 1000


def _whole_body_bag(lesson: Lesson, section: Section) -> list[tuple[str, int]]:
    """By definition: the words of every inline, fence and code token in the section's body."""
    body = lesson.tokens[section.start_token + 3 : section.end_token]
    text = " ".join(t.content for t in body if t.type in ("inline", "fence", "code_block"))
    return list(Counter(text_words(text)).items())


def test_section_bags_add_up_to_the_whole_body() -> None:
    text = NESTED_SECTIONS + "\n```\ncode words\n```\n\n#### Deep\n\nwords again\n\n## D\n\nend"
    lessons = [parse_lesson(text, Path("x.md"), "x")] + [
        parse_lesson(path.read_text(encoding="utf-8-sig"), path, "x")
        for path in sorted(CORPUS.rglob("*.md"))
    ]
    for lesson in lessons:
        bags = _body_bags(lesson)
        for section, bag in zip(lesson.sections, bags, strict=True):
            # Same counts, and each word where it first occurs (the idf sums run in order).
            assert list(bag.items()) == _whole_body_bag(lesson, section), section.title


TRICKY_BOLD_FIELDS = [
    "**Docker**",
    "**Docker:**",
    "**(cores)**",
    "**Weights & Biases**",
    "**a > b**",
    '**"quoted"**',
    "**It's**",
    "**1. First**",
    "**- x**",
    "**# x**",
    "**> x**",
    "**a  b**",
    "**x\ty**",
    "** a**",
    "**a **",
    "**\u00a0x**",
    "**x\u00a0**",
    "**R&D;**",
    "**a &amp; b**",
    "**a*b**",
    "**`x`**",
    "**x**y**",
    "***x***",
    "****",
    "**",
    "**[x](http://y)**",
]


def test_bold_fields_take_the_shortcut() -> None:
    assert _simple_html("**Weights & Biases**") == "<strong>Weights &amp; Biases</strong>"
    assert _simple_html("**`x`**") == "<strong><code>x</code></strong>"
    for text in ("** a**", "**a*b**", "****", "**R&D;**"):
        assert _simple_html(text) is None


def test_bold_fields_of_the_corpus_render_as_the_parser_renders_them() -> None:
    taken = 0
    for line in _corpus_lines():
        for text in {line, *line.split("|")}:  # table cells too
            text = text.strip()
            bold = _plain_paragraphs_html(text)
            if bold is not None and text.startswith("**"):
                taken += 1
                assert (bold, bold) == (_rendered(text)[0], _block_rendered(text)), text
    assert taken > 200


def _parsed_plain_text(content: str) -> str:
    return text_of(_parsed_inline_children(content))


def _simple_plain_text(content: str) -> str | None:
    """plain_text's answer when it comes from the shortcut, else None."""
    return plain_text(content) if shortcuts.plain_text(content) is not None else None


# Each is read by the shortcut, and must read as the parser reads it.
SIMPLE_INLINE = [
    "two  spaces\tand a tab",
    " padded ",
    "a\u00a0 b",
    "**a**\nb",
    "**a\nb** c",
    "**Docker:** a `docker run` away",
    "the **GPU²** and **über-fast** ones",
    "`a` `b`",
    "` padded `",
    "a` x `b",
    "`  `",
    "` x`",
    "a`b`c",
    "x **`kubectl`** y",
    "**Cons:**",
    "(**a**)",
    "“**quoted**”",
    "`*not bold*` and `[no link]` and `<b>` and `&amp;`",
    "W&B **Weights**",
    "x\u2003**y**",
    "snake_case **x**",
    "batch_size=16, world_size=8",
    "________________",
    "______ %",
    "a __ b",
    "a_b_c_d",
    "é_ü",
    "x_1",
    "**log_model** here",
    "If utilization is <50%, what?",
    "<1 GB",
    "p<0.05 and **x**",
    "a < b",
    "a²_b",
    "[Short Answer] Explain why",
    "[ ] Model loads",
    "Audit trail: [ ]",
    "a [b] c",
    "[x][y] z",
    "[x]: y",
    "[a] (b)",
    "![alt] text",
    "**[b]** and [c]",
    "[a]\n(b)",
]

# Each must be left to the parser (or read as the parser reads it, where it is taken).
PARSER_INLINE = [
    "**a\u00a0**b",
    "a**b**c",
    "**Cons:**, then",
    "**a** *b*",
    "***a***",
    "**a",
    "a**",
    "** a**",
    "**a **",
    "**Cons:**more",
    "a**:b**",
    "`a``b`",
    "``a``",
    "`a",
    "**a** __b__",
    "________%",
    "________s",
    "_a_",
    "a_",
    "_a",
    "a._b",
    "a_.b",
    "`<b>` then <5",
    "[a](b) c [d]",
    "a [b](c)",
    "![i](x)",
    "`](` [x]",
    "a_\u00a0b",
    "a <b> c",
    "<https://x.io>",
    "a <b\nc> d",
    "1 <2 and 3 > 2",
    "<!-- x -->",
    "**[x](y)**",
    "`a\nb`",
    "\\**a**",
    "&amp; **a**",
]


@pytest.mark.parametrize("content", SIMPLE_INLINE)
def test_simple_plain_text_is_the_parsers(content: str) -> None:
    assert _simple_plain_text(content) == _parsed_plain_text(content)


@pytest.mark.parametrize("content", PARSER_INLINE)
def test_doubtful_plain_text_is_left_to_the_parser(content: str) -> None:
    assert _simple_plain_text(content) is None
    assert plain_text(content) == _parsed_plain_text(content)


def _mixtures(pieces: list[str], seed: int) -> Iterator[str]:
    """20,000 texts of one to nine pieces, the same ones each run."""
    rng = random.Random(seed)
    for _ in range(20000):
        yield "".join(rng.choice(pieces) for _ in range(rng.randint(1, 9)))


def test_simple_plain_text_on_random_mixtures() -> None:
    # Runs that change what a `**` can do: spaces of several kinds, punctuation of both
    # alphabets, code spans, longer runs, other syntax.
    pieces = [
        "a",
        "é",
        " ",
        "\t",
        "\u00a0",
        "\u2003",
        ".",
        ":",
        "(",
        "”",
        "-",
        "²",
        "**",
        "*",
        "`",
        "``",
        "`c`",
        "` c `",
        "_",
        "[",
        "\\",
        "&amp;",
        "<b>",
        "!",
        "&",
        "\n",
        "__",
        "<",
        ">",
        "<5",
        "a_b",
        "]",
        "](",
        "[x]",
    ]
    mixtures = _mixtures(pieces, seed=5)
    assert _agreements(mixtures, _simple_plain_text, _parsed_plain_text) > 2000


def test_simple_plain_text_on_the_corpus() -> None:
    assert _agreements(_corpus_text_lines(), _simple_plain_text, _parsed_plain_text) > 1000


# Fields of code spans and bold pairs, over lines and paragraphs, and their near misses.
TRICKY_MARKED_FIELDS = [
    "`a` then **b**",
    "**a\nb**",
    "`x`\n\n**y**: z",
    "a **b**\n**c** d",
    "**x**\n---",
    "**x**\n===",
    "`` ` ``",
    "```\ncode\n```",
    "``x``",
    "`x`\n- item",
    "`x`\n1. item",
    "**a** `<b>` & \"c\" 'd'",
    "1. **a**",
    "**a**  \nb",
    "**a**\\\nb",
    "*a*",
    "** a**\nb",
    "`a\nb`",
    "**a**\n\n\n`b`",
    "**a**\n \nb",
    "a\n    **b**",
    "**a** | **b**\n--- | ---",
    "**a**\n> b",
    "**a**\n# b",
    "`a`**b**`c`",
    "**`a`**`b`",
]


@pytest.mark.parametrize("text", TRICKY_BOLD_FIELDS + TRICKY_MARKED_FIELDS)
def test_bold_and_marked_fields_render_as_the_parser_renders_them(text: str) -> None:
    assert (inline_html(text), block_html(text)) == (_rendered(text)[0], _block_rendered(text))


def test_marked_fields_take_the_shortcut() -> None:
    assert _plain_paragraphs_html("`x`\n\n**y**: z") == (
        "<p><code>x</code></p>\n<p><strong>y</strong>: z</p>"
    )
    assert _plain_paragraphs_html("**a\nb**") == "<strong>a\nb</strong>"
    for text in ("**x**\n---", "```\ncode\n```", "`x`\n- item", "**a**  \nb", "a\n    **b**"):
        assert _plain_paragraphs_html(text) is None


def test_marked_fields_on_random_mixtures() -> None:
    pieces = ["a", "é", " ", "\t", "\u00a0", ".", ":", "(", "”", "'", '"', "-", "1.", "#", ">",
              "|", "=", "**", "*", "`", "``", "`c`", "` c `", "_", "[", "\\", "&", "&amp;",
              "<b>", "\n", "\n\n", "<", "<5", "a_b", "__", "]", "](", "[ ]"]  # fmt: skip
    taken = 0
    for text in _mixtures(pieces, seed=7):
        text = text.strip()
        inline = _simple_html(text) if "\n" not in text else None
        block = _plain_paragraphs_html(text)
        if inline is not None:
            assert inline == _rendered(text)[0], repr(text)
        if block is not None:
            taken += 1
            assert block == _block_rendered(text), repr(text)
    assert taken > 500


def test_lines_that_may_open_a_block_are_told_apart() -> None:
    for line in ("```python", "``", "***", "* x", "** x", "**", "`", "1. x", "2) x", "- x", "# x"):
        assert not _opens_no_block(line), line
    for line in ("x", "`x` y", "**x** y", "**(x)**", "B) x", "2024 x"):
        assert _opens_no_block(line), line


def _token_fields(tokens: list[Token]) -> list[tuple[object, ...]]:
    # All but `children`: block-only parsing leaves them None where text_join made them [].
    return [
        (t.type, t.tag, t.nesting, t.attrs, t.map, t.level, t.content, t.markup, t.info, t.meta)
        for t in tokens
    ]


def _stock_block_tokens(text: str) -> list[Token]:
    """markdown-it with every core rule deckgen's block parser leaves out."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table")
    return parser.disable("inline").parse(text)


@pytest.mark.parametrize(
    "text",
    [
        "a\r\nb\rc\0d\n\0\n```\r\nx\0\r\n```\n",
        "\0",
        "# T\0\r\n\r\n| a | b |\r\n|---|---|\r\n| 1 | \0 |",
        "> q\r> r\r\r- x\r  - y\n",
    ],
)
def test_block_tokens_are_the_stock_parsers(text: str) -> None:
    assert _token_fields(_block_tokens(_normalized_lines(text))) == _token_fields(
        _stock_block_tokens(text)
    )


def test_block_tokens_of_the_corpus_are_the_stock_parsers() -> None:
    for path in sorted(CORPUS.rglob("*.md")):
        text = path.read_text(encoding="utf-8-sig")
        assert _token_fields(_block_tokens(text)) == _token_fields(_stock_block_tokens(text))


def test_block_tokens_of_random_mixtures_are_the_stock_parsers() -> None:
    """Blocks of every kind, at every indent, nested, and each first character a rule needs."""
    pieces = ["a", "é", " ", "  ", "    ", "\t", "\n", "\n\n", "```", "~~~", "> ", ">", "- ",
              "* ", "+ ", "1. ", "2) ", "10.", "# ", "#", "---", "***", "___", "===", "[a]: /u",
              "[a]", "<div>", "</div>", "<!-- c -->", "<a href=x>", "| b |", "|---|", "|",
              "`", "**", "_", "\\", "&amp;"]  # fmt: skip
    for text in _mixtures(pieces, seed=11):
        expected = _token_fields(_stock_block_tokens(text))
        assert _token_fields(_block_tokens(text)) == expected, repr(text)


@pytest.mark.parametrize(
    ("text", "entered"),
    [
        # A letter: table (which logs nothing), then paragraph; setext heading only where a
        # line of `=` or `-` follows.
        ("plain words\n", ["paragraph"]),
        # Nor do the paragraph's later lines, asked whether they end it (its terminators).
        ("three\nplain\nlines\n", ["paragraph"]),
        ("- item\n  more of it\n", ["hr", "list", "paragraph"]),
        ("Setext\n---\n", ["lheading"]),
        ("# Heading\n", ["heading"]),
        ("- item\n", ["hr", "list", "paragraph"]),  # the item's own paragraph last
        ("> quote\n", ["blockquote", "paragraph"]),
    ],
)
def test_a_block_is_offered_only_the_rules_its_first_character_allows(
    text: str, entered: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    """markdown-it logs each block rule it enters (the table rule excepted)."""
    assert _entered(text, caplog) == entered


def _entered(text: str, caplog: pytest.LogCaptureFixture) -> list[str]:
    caplog.clear()
    caplog.set_level(logging.DEBUG, logger="markdown_it")
    _block_tokens(text)
    return [
        record.getMessage().split(":")[0].removeprefix("entering ") for record in caplog.records
    ]


def test_setext_headings_are_looked_for_only_above_an_underline(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert "lheading" not in _entered("a paragraph\nof - three\n= lines\n\n---\n", caplog)
    for underline in ("===", "---", "  -- \t", "="):
        assert "lheading" in _entered(f"a paragraph\nof two\n{underline}\n", caplog)


def test_a_description_is_read_ahead_only_to_the_next_description(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A `:` line ends a paragraph inside a definition list's description: the setext rule is
    handed the paragraph there, which it reads to that line only. Passed over, each
    description of a term with thousands read every line after it."""
    entered = _entered("Term\n: one sense\n: another sense\n: a third sense\n", caplog)
    assert entered.count("lheading") == 3  # at the term, then at each description but the last


TRICKY_LISTS = [
    "- a\n- **b** `c`\n- d & e",
    "- a\n- - b",
    "- a\n-  b",
    "- a\n  - b",
    "- a\n- > b",
    "- a\n- # b",
    "- a\n- 1. b",
    "- a\n- 1",
    "- a\n---",
    "- a\n- ---",
    "- a\n\n- b",
    "- a\n* b",
    "- a\nb",
    "- a  \n- b",
    "- **a**\n- `b`",
    "- a | b\n- --- | ---",
    "- *a*\n- b",
    "1. a\n2. **b** `c`\n3. d",
    "1. a\n1. b",
    "1. a\n9. b\n10. c",
    "1. a\n2) b",
    "1) a\n2) b",
    "2. a\n3. b",
    "01. a\n02. b",
    "1. a\n- b",
    "- a\n1. b",
    "1. a\n2.  b",
    "1. a\n2. 3. b",
    "1. a\n   2. b",
    "1. a\n1234567890. b",
    "1. a\nb",
    "1. a\n\n2. b",
    "1.\ta",
    "1. a  ",
]
TRICKY_BLOCKS_OF_KINDS = [
    "Any three:\n\n1. **Spot** for training\n2. **Right-size** instances",
    "Intro\n\n- a\n- b\n\nOutro",
    "- a\n- b\n\nAfter",
    "1. a\n\n- b",
    "- a\n\n- b",
    "1. a\n\n2. b",
    "- a\n\nb\n\n- c",
    "a\n\n- b\n\nc\n\n1. d",
    "a:\n- b",
    "a\n\n  - b",
    "a\n\n- b\n  c",
    "a\n\n- b\nc",
    "a\n\n\n- b",
    "a\n\n- b\n\n    code",
    "a\n\n1. b\n\n1. c",
]


@pytest.mark.parametrize("text", TRICKY_LISTS)
def test_lists_render_as_the_parser_renders_them(text: str) -> None:
    assert block_html(text) == _block_rendered(text)


@pytest.mark.parametrize("text", TRICKY_BLOCKS_OF_KINDS)
def test_paragraphs_and_lists_render_as_the_parser_renders_them(text: str) -> None:
    assert block_html(text) == _block_rendered(text)


def test_paragraphs_and_lists_take_the_shortcut() -> None:
    assert shortcuts.block_html("Any:\n\n1. **a**\n2. b\n\nDone") == (
        "<p>Any:</p>\n<ol>\n<li><strong>a</strong></li>\n<li>b</li>\n</ol>\n<p>Done</p>"
    )
    for text in ("- a\n\n- b", "1. a\n\n- b", "a\n\n- b\nc", "a\n\n  - b"):
        assert shortcuts.block_html(text) is None


def test_paragraphs_and_lists_on_random_mixtures() -> None:
    pieces = ["a", "é", " ", "\t", ".", ":", "- ", "\n- ", "\n1. ", "\n2. ", "1. ", "\n",
              "\n\n", "\n\n- ", "\n\n1. ", "\n\n  ", "#", ">", "**", "*", "`c`", "2)"]  # fmt: skip
    texts = (text.strip() for text in _mixtures(pieces, seed=5))
    assert _agreements(texts, shortcuts.block_html, _block_rendered) > 300


def test_paragraphs_and_lists_of_the_corpus_render_as_the_parser_renders_them() -> None:
    assert _agreements(_corpus_windows(6), shortcuts.block_html, _block_rendered) > 1000


def test_plain_lists_take_the_shortcut() -> None:
    assert _plain_list_html("- a\n- **b** `c`") == (
        "<ul>\n<li>a</li>\n<li><strong>b</strong> <code>c</code></li>\n</ul>"
    )
    for text in ("- a\n- - b", "- a\n-  b", "- a\n  - b", "- a\n\n- b", "- a\n* b", "- a\nb"):
        assert _plain_list_html(text) is None
    assert _plain_list_html("1. a\n2. `b`") == "<ol>\n<li>a</li>\n<li><code>b</code></li>\n</ol>"
    for text in ("2. a\n3. b", "1. a\n2) b", "1. a\n- b", "1. a\n2.  b", "1. a\nb"):
        assert _plain_list_html(text) is None


def test_lists_on_random_mixtures() -> None:
    pieces = ["a", "é", " ", "\t", ".", ":", "-", "- ", "\n- ", "\n-  ", "\n", "\n\n", "1.", "#",
              ">", "**", "*", "`", "`c`", "_", "[", "&", "<b>", "\n* ", "\n  - "]  # fmt: skip
    lists = (f"- {text}".strip() for text in _mixtures(pieces, seed=3))
    assert _agreements(lists, _plain_list_html, _block_rendered) > 300


def test_plain_lists_of_the_corpus_render_as_the_parser_renders_them() -> None:
    assert _agreements(_corpus_windows(3), _plain_list_html, _block_rendered) > 1000


TRICKY_LINKS = [
    "[Docs](https://docs.docker.com/)",
    "[Docs](https://docs.docker.com/) - the manual",
    "[Docs](https://docs.docker.com/).",
    "[a](http://x) [b](http://y)",
    "[a](http://x)[b](http://y)",
    "[**Docs**](https://x.y/)",
    "[*Docs](https://x.y/)",
    "[a](http://x?a=1&b=2)",
    "[a](http://x/a b)",
    "[a](http://x\x01)",
    "[a](http://x\u00a0y)",
    "[a](javascript:alert(1))",
    "[a](http://x `y`)",
    "[a](<http://x>)",
    '[a](http://x "title")',
    "[ ] Model loads",
    "[x] Done",
    "[ ](http://x)",
    "[]",
    "[a][b]",
    "[a]",
    "[a]: http://x",
    "[a [b]](http://x)",
    "[`a]`](http://x)",
    "[a\\](http://x)",
]


@pytest.mark.parametrize("text", TRICKY_LINKS)
def test_only_link_agrees_with_the_parser(text: str) -> None:
    assert _only_link(text) == _parsed_only_link(text)


def test_only_link_takes_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parser(text: str) -> bool:
        raise AssertionError(f"parsed {text!r}")

    monkeypatch.setattr("deckgen.extract.definitions._parsed_only_link", no_parser)
    assert _only_link("[Docs](https://docs.docker.com/)")
    for text in ("[Docs](https://docs.docker.com/) x", "[ ] Model loads", "[x] Done", "[a]"):
        assert not _only_link(text)


def test_only_link_on_the_corpus() -> None:
    taken = 0
    for line in _corpus_text_lines():
        for text in {line.strip(), line.strip().lstrip("-*+> ")}:
            if text.startswith("["):
                taken += 1
                assert _only_link(text) == _parsed_only_link(text.strip()), text
    assert taken > 1000


def test_paths_a_reader_resolves_are_paths_resolved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckgen.reader import Reader

    (tmp_path / "real" / "mod").mkdir(parents=True)
    (tmp_path / "real" / "mod" / "a.md").write_text("# A")
    (tmp_path / "elsewhere.md").write_text("# E")
    (tmp_path / "real" / "mod" / "linked.md").symlink_to(tmp_path / "elsewhere.md")
    (tmp_path / "real" / "mod" / "dangling.md").symlink_to(tmp_path / "gone.md")
    (tmp_path / "alias").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path)
    paths = [
        Path(text)
        for text in (
            "real/mod/a.md",
            "alias/mod/a.md",
            "alias/mod/linked.md",
            "real/mod/dangling.md",
            "real/mod/missing.md",
            "real/mod/../mod/a.md",
            "alias/..",
            ".",
            "a.md",
        )
    ]
    paths += [tmp_path / path for path in paths]
    reader = Reader()
    assert [reader.resolve(path) for path in paths] == [path.resolve() for path in paths]


# `key_line` passes over a line without a digit or `&` before it makes plain text of it.
def _key_line_in_full(line: str, least: int) -> dict[str, str]:
    from deckgen.extract import answers

    text = plain_text(line)
    entries = list(answers._KEY_ENTRY.finditer(text))
    if len(entries) < least:
        return {}
    residue = "".join(
        text[(entries[n - 1].end() if n else 0) : entry.start()] for n, entry in enumerate(entries)
    )
    if not answers._KEY_RESIDUE.match(residue + text[entries[-1].end() :]):
        return {}
    return {entry.group(1): entry.group(2).strip() for entry in entries}


KEY_LINES = [
    "**Answers:** 1-b, 2-c, 3-a",
    "&#49;-b, &#50;-c",
    "Q&#49;: B, Q2: C",
    "Answers: one-b, two-c",
    "1. b",
    "no digits at all",
    "",
]


@pytest.mark.parametrize("line", KEY_LINES)
def test_key_line_is_the_key_line_in_full(line: str) -> None:
    from deckgen.extract.answers import key_line

    for least in (1, 2):
        assert key_line(line, least) == _key_line_in_full(line, least)


def test_key_line_on_the_corpus() -> None:
    from deckgen.extract.answers import key_line

    lines = _corpus_text_lines()
    assert all(key_line(line, 1) == _key_line_in_full(line, 1) for line in lines)
    assert sum(bool(key_line(line, 2)) for line in lines) > 0
