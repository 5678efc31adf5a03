"""Admonitions of MkDocs (Python-Markdown, the Material theme), found on a lesson's lines.

Course sites built with MkDocs write their notes, tips, definitions and quiz questions as
admonitions, a marker line over a body indented four spaces:

    !!! note "Optional title"
        Body: paragraphs, lists, code, nested admonitions.

    ??? question "What does `git add` do?"
        It stages changes for the next commit.

`!!!` is always open, `???` collapsible (`???+` open at first); the type word may be followed
by CSS classes (`!!! note inline end "Title"`), and the title is optional (`""` hides it).
CommonMark reads the indented body as an indented code block and the marker line as a
paragraph, so none of the body's text would be read. Here, before the lesson is parsed, each
admonition is rewritten line for line (every line keeps its number) as the callout the other
readers know: a block quote whose first line is the title as a heading (`> ###### Title`, as a
kramdown callout titles itself) or, untitled, a GitHub alert line (`> [!NOTE]`), and whose
lines are the body's, dedented. The question finder (`deckgen.extract.admonition_questions`)
reads the admonitions found (`Admonition`) for the questions a `question` one asks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from deckgen.fences import FENCE, is_closing

# `!!! note`, `??? question "What ...?"`, `???+ tip inline end ""`: the marker, the type word,
# any CSS classes after it, and the title in double quotes.
_OPENING = re.compile(
    r"^(?P<indent>[ ]*)(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[A-Za-z][\w-]*)"
    r"(?:[ \t]+[A-Za-z][\w-]*)*[ \t]*(?:\"(?P<title>[^\"]*)\")?[ \t]*$"
)
# Both markers open with one of these: a cheap test first (most lessons hold none).
MARKS = ("!!!", "???")
# A line that opens a block of its own, so never a lazy continuation of a body's paragraph.
_BLOCK_START = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|`{3,}|~{3,}|>|[*+-][ \t]|\d{1,9}[.)][ \t])")
# A list item's first line: an admonition indented under it belongs to the item.
_LIST_ITEM = re.compile(r"^\s*(?:[*+-]|\d{1,9}[.)])[ \t]+\S")
# The level of a title's heading: the deepest, so that it nests under any section it is in.
_TITLE_HEADING = "######"
# `[!NOTE]`: the alert line of an untitled admonition, when its type is a plain word.
_ALERT_KIND = re.compile(r"[A-Za-z]+")
_BODY_INDENT = 4


@dataclass(frozen=True)
class Admonition:
    """An admonition of type `kind` (lower case) titled `title` (None when it has none), its
    marker on line `line` and its body over lines `start` to `end` (0-based, end excluded,
    trailing blank lines left out), quoted `depth` times once rewritten."""

    kind: str
    title: str | None
    line: int
    start: int
    end: int
    depth: int


def rewrite(lines: list[str]) -> tuple[list[str], list[Admonition]]:
    """`lines` with every admonition rewritten as a callout (each line keeps its number), and
    the admonitions, outer ones first."""
    found: list[Admonition] = []
    return _rewrite(lines, 0, 0, found), sorted(found, key=lambda each: each.line)


def _rewrite(lines: list[str], offset: int, depth: int, found: list[Admonition]) -> list[str]:
    """`lines` (the lesson's from line `offset` on, inside `depth` admonitions) rewritten."""
    out = list(lines)
    fence: str | None = None
    number = 0
    while number < len(lines):
        line = lines[number]
        if fence is not None:
            if is_closing(line, fence):
                fence = None
            number += 1
            continue
        opened = FENCE.match(line)
        if opened is not None:
            fence = opened.group(1)
            number += 1
            continue
        opening = _OPENING.match(line) if line.lstrip().startswith(MARKS) else None
        indent = len(opening.group("indent")) if opening else 0
        if opening is None or (indent > 3 and not _in_list_item(lines, number, indent)):
            number += 1
            continue  # no marker, or one shown in an indented code block
        end = _body_end(lines, number, indent)
        if end == number + 1:
            number += 1
            continue  # no body: `??? maybe` in a lesson of another format is text
        title = opening.group("title")
        kind = opening.group("kind").lower()
        body = [_dedented(each, indent) for each in lines[number + 1 : end]]
        start = offset + number
        found.append(Admonition(kind, title, start, start + 1, offset + end, depth + 1))
        body = _rewrite(body, offset + number + 1, depth + 1, found)
        quote = " " * indent + ">"
        out[number] = f"{quote} {_first_line(kind, title)}".rstrip()
        out[number + 1 : end] = [f"{quote} {each}".rstrip() for each in body]
        number = end
    return out


def _first_line(kind: str, title: str | None) -> str:
    """The callout's first line: the title as a heading, or, untitled, the type as an alert."""
    if title is not None and title.strip():
        return f"{_TITLE_HEADING} {title.strip()}"
    return f"[!{kind.upper()}]" if _ALERT_KIND.fullmatch(kind) else ""


def _in_list_item(lines: list[str], number: int, indent: int) -> bool:
    """The marker on line `number`, indented `indent` spaces, stands inside a list item (its
    first line, above it, indented less): else it is an indented code block's text."""
    for above in range(number - 1, -1, -1):
        line = lines[above]
        if not line.strip():
            continue
        own = len(line) - len(line.lstrip())
        if own < indent:
            return _LIST_ITEM.match(line) is not None
    return False


def _body_end(lines: list[str], number: int, indent: int) -> int:
    """Where the body of the admonition opened on line `number` ends (excluded): its lines are
    indented past the marker, blank, or continue a body line's paragraph lazily."""
    end = number + 1
    position = number + 1
    while position < len(lines):
        line = lines[position]
        if not line.strip():
            position += 1
            continue
        own = len(line) - len(line.lstrip())
        continues = end == position and end > number + 1 and lines[end - 1].strip()
        if own >= indent + _BODY_INDENT or (continues and not _BLOCK_START.match(line)):
            end = position = position + 1
            continue
        break
    return end


def _dedented(line: str, indent: int) -> str:
    """A body line without the indent of its admonition's body (a lazy line: without its own)."""
    width = indent + _BODY_INDENT
    if line[:width].strip():
        return line.lstrip()
    return line[width:]
