"""Definitions written as a definition list: raw HTML inside a Markdown lesson, or Markdown's.

Some authors write a glossary as raw HTML, which CommonMark passes through as an HTML block:
a definition list (`<dl><dt>Epoch</dt><dd>One full pass over ...</dd></dl>`) or a list whose
items open with a bold term (`<li><b>Recall</b> - the share of ...</li>`). `html_list_shapes`
reads such a block as text, never as markup: the term and the explanation are the text of
their elements, entities decoded and tags dropped, so the card shows words, never the lesson's
HTML (lesson text is untrusted; render.py also renders cards with raw HTML disabled).

- `html-definition-list`: a `<dt>` and the `<dd>` right after it.
- `html-bold-lead`: an `<li>` that opens with `<b>` or `<strong>` (or with `**`: Markdown is
  not read inside an HTML block) and goes on after a colon or a dash (inside the bold or after
  it), as `- **Recall** - the share ...` would in Markdown.

- `definition-list`: the Markdown form (pandoc, PHP Markdown Extra, kramdown, MkDocs'
  `def_list`), read by markdown-it's deflist plugin (`deckgen.lesson`): a term on a line of
  its own and the first description under it, `:   A toothed wheel ...`. A term's later
  descriptions are other senses or notes, as a `<dd>` after the first is: the card keeps the
  first. The term and the description stay Markdown, as any bold lead's do.
- `mdn-definition-list`: MDN's own form, which its build turns into a `<dl>`: a list item
  `- term` whose nested list opens with `- : description`. CommonMark reads two nested bullet
  lists; the item is read as the term and that first description, as a `definition-list`'s.

Each separates a term from its explanation, so each is judged as the bold shapes are, and
`_entry` makes the candidate of all four.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from deckgen.extract.common import LineStart, source_ref
from deckgen.extract.definition_signals import Found
from deckgen.items import SourceRef
from deckgen.lesson import Lesson, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token

HTML_DEFINITION_LIST = "html-definition-list"
HTML_BOLD_LEAD = "html-bold-lead"
DEFINITION_LIST = "definition-list"
MDN_DEFINITION_LIST = "mdn-definition-list"

_ENTRY_TAGS = frozenset({"dt", "dd", "li"})
_BOLD_TAGS = frozenset({"b", "strong"})
# Tags that end an entry's text as a new entry would: a nested list belongs to no entry above.
_BLOCK_TAGS = frozenset({"dl", "ul", "ol", "p", "div", "table", "details", "summary"})
_SKIPPED_TAGS = frozenset({"script", "style", "code", "pre"})
# `Recall: the share ...`, `Recall - the share ...`: the separator after a bold lead.
_SEPARATOR = re.compile(r"^\s*(?::|[-–—](?=\s))\s*")
_TRAILING_SEPARATOR = re.compile(r"\s*:\s*$")


class _Entry:
    """One `<dt>`, `<dd>` or `<li>`: its text, and the text of a bold span that opens it."""

    def __init__(self, tag: str, line: int) -> None:
        self.tag, self.line = tag, line
        self.parts: list[str] = []
        self.bold: str | None = None  # the opening bold span's text, once closed
        self._bold_parts: list[str] | None = None

    @property
    def text(self) -> str:
        return _clean("".join(self.parts))


class _Reader(HTMLParser):
    """The entries of one HTML block, in order, as text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.entries: list[_Entry] = []
        self._open: _Entry | None = None
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping += 1
        elif tag in _ENTRY_TAGS:
            self._open = _Entry(tag, self.getpos()[0])
            self.entries.append(self._open)
        elif tag in _BLOCK_TAGS:
            self._open = None
        elif tag in _BOLD_TAGS and (entry := self._open) is not None and not entry.text:
            # Only a bold span that opens the entry names its term.
            entry.bold, entry._bold_parts = None, []

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_TAGS:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _ENTRY_TAGS or tag in _BLOCK_TAGS:
            self._open = None
        elif tag in _BOLD_TAGS and self._open is not None and self._open._bold_parts is not None:
            self._open.bold = _clean("".join(self._open._bold_parts))
            self._open._bold_parts = None

    def handle_data(self, data: str) -> None:
        entry = self._open
        if entry is None or self._skipping:
            return
        if entry._bold_parts is not None:
            entry._bold_parts.append(data)
        entry.parts.append(data)


def _clean(text: str) -> str:
    return " ".join(text.split())


def html_list_shapes(lesson: Lesson, index: int) -> Iterator[Found]:
    """The definitions of the HTML block at token `index`: `<dt>`/`<dd>` pairs and `<li>`
    items that open with a bold term and a separator."""
    token = lesson.tokens[index]
    content = token.content
    if "<d" not in content.lower() and "<li" not in content.lower():
        return  # most HTML blocks are comments, images or `<details>`: no list
    reader = _Reader()
    reader.feed(content)
    reader.close()
    first_line = token.map[0] if token.map else 0
    section = lesson.section_at(index)
    entries = reader.entries
    for position, entry in enumerate(entries):
        source = source_ref(lesson, first_line + entry.line, section)
        if entry.tag == "dt":
            following = entries[position + 1] if position + 1 < len(entries) else None
            if following is None or following.tag != "dd":
                continue
            term, body = entry.text, following.text
            shape = HTML_DEFINITION_LIST
        elif entry.tag == "li" and (bold := entry.bold or _markdown_bold(entry.text)):
            term, body = _bold_lead(bold, _MARKDOWN_BOLD.sub(r"\1", entry.text, count=1))
            shape = HTML_BOLD_LEAD
        else:
            continue
        if found := _entry(shape, source, _markdown_text(term), term, _markdown_text(body)):
            yield found


def _entry(shape: str, source: SourceRef, term: str, term_text: str, body: str) -> Found | None:
    """A list's term and its explanation (Markdown) as a candidate; None when either is empty."""
    if not (term_text and body):
        return None
    return Found(shape, source, term, term_text, body, True)


def definition_list_shapes(lesson: Lesson, index: int) -> Iterator[Found]:
    """The definitions of the Markdown definition list whose `dl_open` token is at `index`:
    each term with its first description. A list nested in a description is a list of its
    own, read at its own `dl_open`."""
    tokens = lesson.tokens
    level = tokens[index].level + 1
    section = lesson.section_at(index)
    term: Token | None = None  # the term's inline token, until its first description
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.level < level:
            return  # the list's `dl_close`
        if token.level > level or token.map is None:
            continue
        if token.type == "dt_open":
            term = tokens[position + 1]
        elif token.type == "dd_open" and term is not None and term.map is not None:
            line = term.map[0]
            body = _description(lesson, line + 1, token.map[1])
            source = source_ref(lesson, line + 1, section)
            if found := _entry(
                DEFINITION_LIST, source, term.content, plain_text(term.content), body
            ):
                yield found
            term = None


# `  - : The strip across the top ...`: a nested item opening with `: `, MDN's description.
# Searched for at each line's start only (`LineStart`), the indent taken whole.
_MDN_DESCRIPTION = LineStart(r"(?>[ \t]*)[-*+][ \t]+:[ \t]")


def holds_mdn_lists(lesson: Lesson) -> bool:
    """Whether any line could describe a term in MDN's form: one search of the text, so that a
    lesson without one (almost every lesson) never has its bullet lists walked for entries."""
    return _MDN_DESCRIPTION.search(lesson.text)


def mdn_definition_list_shapes(lesson: Lesson, index: int) -> Iterator[Found]:
    """The definitions of the bullet list whose `bullet_list_open` token is at `index`, written
    as MDN writes a definition list: each item whose text (the term) is followed by a nested
    list whose first item opens with `: ` (the description). Other items are no entry; a list
    nested deeper is read at its own `bullet_list_open`."""
    tokens = lesson.tokens
    level = tokens[index].level + 1  # the list's own items
    section = lesson.section_at(index)
    term: Token | None = None  # the current item's text, until its nested list opens
    for position in range(index + 1, len(tokens)):
        token = tokens[position]
        if token.level < level:
            return  # the list's `bullet_list_close`
        if token.type == "list_item_open" and token.level == level:
            term = None
        elif token.type == "inline" and token.level == level + 2 and term is None:
            term = token
        elif token.type == "bullet_list_open" and token.level == level + 1:
            described = term
            term = None  # only the nested list right after the term describes it
            inner = tokens[position + 3] if position + 3 < len(tokens) else None
            if (
                described is None
                or described.map is None
                or token.map is None
                or inner is None
                or inner.type != "inline"
                or not inner.content.startswith(": ")
            ):
                continue
            first_item = tokens[position + 1]
            assert first_item.map is not None  # a list item always has its lines
            body = _description(lesson, first_item.map[0], first_item.map[1])
            term_text = _TRAILING_SEPARATOR.sub("", described.content)
            source = source_ref(lesson, described.map[0] + 1, section)
            if found := _entry(MDN_DEFINITION_LIST, source, term_text, plain_text(term_text), body):
                yield found


# `:   ` or `~ ` opening a description (`- : ` in MDN's form): the marker, and the white space
# up to its text.
_DESCRIPTION_MARKER = re.compile(r"^[ \t]*(?:[-*+][ \t]+)?[:~][ \t]+")


def _description(lesson: Lesson, start: int, end: int) -> str:
    """The Markdown of a description over lines [start, end) (0-based; a blank line may stand
    between its term and its marker), without the marker and without the indentation that
    continues it (`    Second paragraph.`, MkDocs' form): its blocks as they would stand
    alone. A lazy line, not indented, stays as it is."""
    lines = lesson.lines[start:end]
    if lines and not lines[0].strip():
        lines = lines[1:]
    marker = _DESCRIPTION_MARKER.match(lines[0]) if lines else None
    if marker is None:
        return ""
    width = len(marker.group().expandtabs(4))
    body = [lines[0][marker.end() :]]
    for line in lines[1:]:
        indent = len(line) - len(line.lstrip(" "))
        body.append(line[min(indent, width) :])
    return "\n".join(body).strip()


# `<li>**Recall** - ...</li>`: Markdown is not read inside an HTML block, so its bold is text.
_MARKDOWN_BOLD = re.compile(r"^\*\*([^*]+)\*\*")


def _markdown_bold(text: str) -> str:
    bold = _MARKDOWN_BOLD.match(text)
    return _clean(bold.group(1)) if bold else ""


def _bold_lead(bold: str, text: str) -> tuple[str, str]:
    """(term, explanation) of an item opening with `bold`; no explanation without a separator
    (`<li><b>Note</b> this ...</li>` stresses a word)."""
    if _TRAILING_SEPARATOR.search(bold):
        return _TRAILING_SEPARATOR.sub("", bold), text[len(bold) :].strip()
    rest = text[len(bold) :]
    separator = _SEPARATOR.match(rest)
    if separator is None:
        return bold, ""
    return bold, rest[separator.end() :].strip()


# Characters Markdown would read as markup: the text of an HTML element is shown as written.
_MARKDOWN_MARKUP = re.compile(r"([\\`*_\[\]<>#|~])")


def _markdown_text(text: str) -> str:
    return _MARKDOWN_MARKUP.sub(r"\\\1", text)
