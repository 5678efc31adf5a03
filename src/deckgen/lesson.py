"""Markdown lesson -> token stream, section tree and line numbers (markdown-it-py).

Only the block structure is parsed up front. Inline Markdown is parsed on demand, for the few
blocks an extractor looks at, which keeps a build close to the cost of parsing alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.diagnostics import Diagnostic

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_LESSON_LABEL = re.compile(r"^((?:lesson|module|chapter|part|unit|week)\s+[\w.-]+)\s*[:\-–—]", re.I)


@cache
def _parser(block_only: bool) -> MarkdownIt:
    """The parsers are built on first use: a build whose lessons all come from the cache
    never imports markdown-it at all.

    html=True so that `<details>` blocks are recognised as HTML blocks. Nothing rendered from
    these parsers reaches a card: render.py renders with raw HTML disabled.
    """
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": True}).enable("table")
    return parser.disable("inline") if block_only else parser


@dataclass(frozen=True)
class Section:
    """A heading and the lines it governs, up to the next heading of the same or higher level."""

    title: str
    level: int
    line: int
    path: tuple[str, ...]
    start_token: int
    end_token: int = -1


@dataclass
class Lesson:
    """One Markdown file: its text, block tokens and sections."""

    path: Path
    slug: str
    text: str
    tokens: list[Token]
    title: str
    sections: list[Section] = field(default_factory=list)
    # Problems found while reading, reported with the extraction's own warnings.
    warnings: list[Diagnostic] = field(default_factory=list)

    @cached_property
    def lines(self) -> list[str]:
        return self.text.splitlines()

    @property
    def label(self) -> str:
        """Short name for breadcrumbs: "Lesson 01" for "Lesson 01: Introduction to ..."."""
        match = _LESSON_LABEL.match(self.title)
        return match.group(1) if match else self.title

    def source(self, start: int, end: int) -> str:
        """Source text of lines [start, end) as markdown-it `map` counts them (0-based)."""
        return "\n".join(self.lines[start:end])

    def section_at(self, token_index: int) -> Section | None:
        """The innermost section containing a token (sections are in document order)."""
        found = None
        for section in self.sections:
            if section.start_token > token_index:
                break
            if token_index < section.end_token:
                found = section
        return found

    def walk(self) -> Iterator[tuple[int, Token, Section | None]]:
        """Every token with the innermost section that contains it."""
        sections = iter(self.sections)
        pending = next(sections, None)
        stack: list[Section] = []
        for index, token in enumerate(self.tokens):
            while stack and stack[-1].end_token <= index:
                stack.pop()
            while pending is not None and pending.start_token <= index:
                stack.append(pending)
                pending = next(sections, None)
            yield index, token, stack[-1] if stack else None


def inline_children(content: str) -> list[Token]:
    """The inline tokens (strong, text, code_inline, link_open...) of one inline source string."""
    tokens = _parser(block_only=False).parseInline(content)
    children = tokens[0].children or [] if tokens else []
    # Emphasis delimiters leave empty text tokens behind; nobody wants to step over them.
    return [child for child in children if child.type != "text" or child.content]


def plain_text(content: str) -> str:
    """Inline Markdown as the reader sees it: no `**`, no link targets, one line."""
    if not any(mark in content for mark in "*_`[<&\\!\n"):
        return content.strip()
    return text_of(inline_children(content))


def text_of(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(text_of(child.children or []))
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def parse_lesson(text: str, path: Path, slug: str) -> Lesson:
    tokens = _parser(block_only=True).parse(text)
    title = ""
    headings: list[tuple[str, int, int, tuple[str, ...], int]] = []
    ends: list[int] = []
    open_headings: list[int] = []  # indexes into `headings`, innermost last
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        level = int(token.tag[1])
        heading = plain_text(tokens[index + 1].content)
        if not title and level == 1 and not headings:
            title = heading
            continue
        while open_headings and headings[open_headings[-1]][1] >= level:
            ends[open_headings.pop()] = index
        parent_path = headings[open_headings[-1]][3] if open_headings else ()
        line = token.map[0] + 1 if token.map else 1
        headings.append((heading, level, line, (*parent_path, heading), index))
        ends.append(len(tokens))
        open_headings.append(len(headings) - 1)
    sections = [
        Section(*heading, end_token=end) for heading, end in zip(headings, ends, strict=True)
    ]
    return Lesson(
        path=path, slug=slug, text=text, tokens=tokens, title=title or path.stem, sections=sections
    )
