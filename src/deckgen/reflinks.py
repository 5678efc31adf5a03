"""Reference-style links (`[GNU Make][gnu-make]`, `[Anaconda][]`, `[Anaconda]`) in an item's
Markdown, resolved with the link reference definitions of its lesson.

A card field is rendered from its item's Markdown alone, where a definition at the page's end
is not: each reference is resolved once, at extraction, into what renders the same without it.
An inline field's reference becomes an inline link (`[GNU Make](<http://...>)`); a block field
(paragraphs, lists, code) gets the definitions it uses put above it, which render nothing.
Either way the field parser then renders the link as it renders any inline link, vetting its
target (`render._vet_targets`), and the cached item is already resolved. Keys are read before
(`term_text`, `question_text`...): an item's identity does not depend on a definition.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING

from deckgen.items import ComparisonRow, Definition, Item, SalaryBand, SelfCheckQuestion
from deckgen.render import field_syntax

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.parser_inline import RuleFuncInlineType
    from markdown_it.rules_inline import StateInline

# markdown-it's `env["references"]`: normalized label -> {"href": ..., "title": ...}.
References = Mapping[str, Mapping[str, str]]


@dataclasses.dataclass(frozen=True)
class _Span:
    """One reference link or image, as positions in the parsed source."""

    start: int  # at `[` (or `!` of an image)
    end: int  # after its closing `]`
    label_start: int  # its text, between the first brackets
    label_end: int
    href: str
    title: str
    image: bool
    label: str  # the normalized label of the definition it uses


def _recording(rule: RuleFuncInlineType, image: bool) -> RuleFuncInlineType:
    """markdown-it's `link` (or `image`) rule, noting in `env["spans"]` each reference it reads.

    A reference ends at `]`, an inline link at `)`: that tells which form the rule took."""
    from markdown_it.common.utils import normalizeReference

    opening = 2 if image else 1

    def recorded(state: StateInline, silent: bool) -> bool:
        start = state.pos
        if not rule(state, silent):
            return False
        if silent or state.src[state.pos - 1] != "]":
            return True
        label_start = start + opening
        label_end = state.md.helpers.parseLinkLabel(state, start + opening - 1, not image)
        kind = "image" if image else "link_open"  # an image may stand in a link's text
        opened = next(token for token in reversed(state.tokens) if token.type == kind)
        target = opened.attrGet("src" if image else "href")
        second = state.src[label_end + 2 : state.pos - 1] if state.pos > label_end + 1 else ""
        label = second or state.src[label_start:label_end]
        state.env["spans"].append(
            _Span(
                start,
                state.pos,
                label_start,
                label_end,
                str(target or ""),
                str(opened.attrGet("title") or ""),
                image,
                normalizeReference(label),
            )
        )
        return True

    return recorded


@cache
def _parser() -> MarkdownIt:
    """The field parser's syntax (`render.field_syntax`), recording the references it reads."""
    parser = field_syntax()
    ruler = parser.inline.ruler
    rules = dict(zip(ruler.get_active_rules(), ruler.getRules(""), strict=True))
    ruler.at("link", _recording(rules["link"], image=False))
    ruler.at("image", _recording(rules["image"], image=True))
    return parser


def _env(references: References) -> dict[str, object]:
    return {"references": dict(references), "spans": []}


def _spans(markdown: str, references: References, block: bool) -> list[_Span]:
    env = _env(references)
    if block:
        _parser().parse(markdown, env)
    else:
        _parser().parseInline(markdown, env)
    spans: list[_Span] = env["spans"]  # type: ignore[assignment]
    return spans


def _html(markdown: str, references: References, block: bool) -> str:
    if block:
        return _parser().render(markdown, _env(references))
    return _parser().renderInline(markdown, _env(references))


# What a destination in `<...>` and a title in `"..."` must escape to read back as written.
_DESTINATION_SYNTAX = re.compile(r"[\\&<>]")
_TITLE_SYNTAX = re.compile(r"[\\&\"]")


_BARE_DESTINATION = re.compile(r"[^\s\\&<>()]+")


def _target(href: str, title: str) -> str:
    if _BARE_DESTINATION.fullmatch(href):
        written = href  # a normalized link: most are, and read best so in `deckgen list`
    else:
        written = "<" + _DESTINATION_SYNTAX.sub(r"\\\g<0>", href) + ">"
    if not title:
        return written
    return written + ' "' + _TITLE_SYNTAX.sub(r"\\\g<0>", title) + '"'


def _inline(markdown: str, spans: list[_Span], start: int, end: int) -> str:
    """markdown[start:end] with each span in it as an inline link (an image in a link's text
    is a span inside a span)."""
    parts: list[str] = []
    position = start
    inner = sorted(spans, key=lambda span: span.start)
    for span in inner:
        if span.start < position or span.end > end:
            continue  # inside a span already written, or outside this range
        parts.append(markdown[position : span.start])
        text = _inline(markdown, spans, span.label_start, span.label_end)
        bang = "!" if span.image else ""
        parts.append(f"{bang}[{text}]({_target(span.href, span.title)})")
        position = span.end
    parts.append(markdown[position:end])
    return "".join(parts)


def resolve_inline(markdown: str, references: References) -> str:
    """Inline Markdown (a term, a cell) with its reference links written as inline links.

    Kept only when it renders as the original does with the definitions (else the original:
    its references stay text, as they were)."""
    if not references or "]" not in markdown:
        return markdown
    text = markdown.strip()  # as render.inline_html reads it
    spans = _spans(text, references, block=False)
    if not spans:
        return markdown
    written = _inline(text, spans, 0, len(text))
    same = _html(written, {}, block=False) == _html(text, references, block=False)
    return written if same else markdown


def resolve_block(markdown: str, references: References) -> str:
    """Block Markdown (an explanation, an answer) with its reference links written as inline
    links, when that renders as the original does with the definitions: a paragraph's text,
    read inline, is its source. Else (a reference in a list item's second line, say, or one
    that looks like a link inside code) the definitions its references use above it, in the
    order of their first use, which render nothing."""
    if not references or "]" not in markdown:
        return markdown
    text = markdown.strip()  # as render.block_html reads it
    labels = dict.fromkeys(span.label for span in _spans(text, references, block=True))
    if not labels:
        return markdown
    expected = _html(text, references, block=True)
    written = _inline(text, _spans(text, references, block=False), 0, len(text))
    if _html(written, {}, block=True) == expected:
        return written
    definitions = "".join(
        f"[{label}]: {_target(references[label]['href'], references[label]['title'])}\n"
        for label in labels
    )
    prefixed = f"{definitions}\n{text}"
    return prefixed if _html(prefixed, {}, block=True) == expected else markdown


# A reference link as plain text shows it (`lesson.plain_text` keeps what links nothing without
# its definition): `[GNU Make][gnu-make]`, `[Anaconda][]`, `[PyPI]`.
_PLAIN_REFERENCE = re.compile(r"\[([^\[\]]+)\](?:\[([^\[\]]*)\]|(?!\())")


def resolve_text(text: str, references: References) -> str:
    """Plain text (a question's excerpt of its answering section) with each reference link
    read as its link text, as the page shows it."""
    if not references or "]" not in text:
        return text
    from markdown_it.common.utils import normalizeReference

    def shown(found: re.Match[str]) -> str:
        label = normalizeReference(found[2] or found[1])
        return found[1] if label in references else found[0]

    return _PLAIN_REFERENCE.sub(shown, text)


def resolve(item: Item, references: References) -> Item:
    """`item` with its Markdown fields resolved; the item itself when nothing changes."""
    if not references:
        return item
    changes: dict[str, object] = {}
    if isinstance(item, Definition):
        changes = {
            "term": resolve_inline(item.term, references),
            "body": resolve_block(item.body, references),
        }
    elif isinstance(item, ComparisonRow):
        changes = {
            "headers": tuple(resolve_inline(header, references) for header in item.headers),
            "cells": tuple(resolve_inline(cell, references) for cell in item.cells),
        }
    elif isinstance(item, SalaryBand):
        changes = {
            "focus": resolve_inline(item.focus, references),
            "skills": resolve_inline(item.skills, references),
        }
    elif isinstance(item, SelfCheckQuestion):
        # render._question_fields: a question holding a blank line is rendered as blocks.
        question = resolve_block if "\n\n" in item.question else resolve_inline
        changes = {
            "question": question(item.question, references),
            "answer": resolve_block(item.answer, references) if item.answer else item.answer,
            "excerpt": resolve_text(item.excerpt, references),
        }
    if all(getattr(item, name) == value for name, value in changes.items()):
        return item
    return dataclasses.replace(item, **changes)
