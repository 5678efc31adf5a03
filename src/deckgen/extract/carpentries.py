"""Blocks of the Carpentries lesson format: a challenge and the solution its author wrote.

Two syntaxes say the same thing. The older (Jekyll, kramdown) one quotes the block and names
its class on the line after it, a solution quoted once more inside its challenge:

    > ## Title
    > ...
    > > ## Solution
    > > ...
    > {: .solution}
    {: .challenge}

The current (Workbench) one fences it in a Pandoc div, a solution a div inside the challenge's:

    :::::::: challenge
    ## Title
    ...
    :::: solution
    ...
    ::::
    ::::::::

markdown-it reads neither as a block of its own (a quote and its paragraphs, or paragraphs of
colons), so the blocks are found here on the lines, and their markers (`{: .challenge}`, the
colon lines, the quote marks) kept out of what a card shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `:::::: challenge`, `::: {.solution}`: a div opening, and its class.
_DIV_OPEN = re.compile(r"^\s*:{3,}\s*\{?\s*\.?([A-Za-z][\w-]*)\s*\}?\s*$")
_DIV_CLOSE = re.compile(r"^\s*:{3,}\s*$")
# `{: .challenge}`: kramdown's attribute list naming the class of the block above it.
ATTRIBUTE_LIST = re.compile(r"^\s*\{:\s*\.([\w-]+)[^}]*\}\s*$")
# `{: .output}`, `{:.language-bash #id}`, `{: title="x"}`: any attribute list, a line of markup.
_ANY_ATTRIBUTE_LIST = re.compile(r"^\s*\{:[^}]*\}\s*$")
# `.output` in `{: .output title="out"}`: a class the attribute list names.
_CLASS = re.compile(r"(?<![\w-])\.([\w-]+)")
# `{: .output}`, `{: .error}`, `{: .language-sql}`: the classes kramdown's lessons give a block
# of code or what a program printed (Carpentries: `.output`, `.error`; `.result` elsewhere).
_PRINTED_CLASSES = frozenset({"output", "error", "result"})
_CODE_CLASS_PREFIX = "language-"
# One level of quoting: `>` and the one space after it.
_QUOTE = re.compile(r"^\s{0,3}> ?")


@dataclass(frozen=True)
class Block:
    """A block of class `kind` (`challenge`, `solution`, `callout`) over lines `start` to
    `end` (0-based, end excluded: its content, without the markers that open and close it),
    quoted `depth` times (kramdown; 0 in the Workbench syntax)."""

    kind: str
    start: int
    end: int
    depth: int


def blocks(lines: list[str]) -> list[Block]:
    """Every classed block of the lesson's lines, in either syntax, outer ones first."""
    return sorted([*_divs(lines), *_quoted(lines)], key=lambda block: (block.start, -block.end))


def _divs(lines: list[str]) -> list[Block]:
    found: list[Block] = []
    opened: list[tuple[str, int]] = []
    for number, line in enumerate(lines):
        if not line.lstrip().startswith(":::"):
            continue  # a cheap test first: almost no line is a div's
        opening = _DIV_OPEN.match(line)
        if opening is not None:
            opened.append((opening.group(1).lower(), number + 1))
        elif _DIV_CLOSE.match(line) and opened:
            kind, start = opened.pop()
            found.append(Block(kind, start, number, 0))
    return found


def _quoted(lines: list[str]) -> list[Block]:
    """Blocks closed by `{: .class}`: the run of lines above it quoted one level deeper than
    the attribute list's own line (a solution's list sits inside its challenge's quote)."""
    found: list[Block] = []
    for number, line in enumerate(lines):
        if "{:" not in line:
            continue
        depth = quote_depth(line)
        named = ATTRIBUTE_LIST.match(dequote(line, depth))
        if named is None:
            continue
        start = number
        while start > 0 and quote_depth(lines[start - 1]) > depth:
            start -= 1
        if start < number:
            found.append(Block(named.group(1).lower(), start, number, depth + 1))
    return found


def quote_depth(line: str) -> int:
    depth = 0
    while (quoted := _QUOTE.match(line)) is not None:
        line, depth = line[quoted.end() :], depth + 1
    return depth


def dequote(line: str, depth: int) -> str:
    """The line without its first `depth` levels of quoting."""
    for _ in range(depth):
        quoted = _QUOTE.match(line)
        if quoted is None:
            break
        line = line[quoted.end() :]
    return line


def is_marker(line: str) -> bool:
    """A line that only opens or closes a block (`{: .solution}`, `::::: challenge`,
    `:::::`): never a card's text."""
    return bool(_ANY_ATTRIBUTE_LIST.match(line) or _DIV_OPEN.match(line) or _DIV_CLOSE.match(line))


def unmarked(text: str) -> str:
    """The text without its lines that only open or close a block (`is_marker`): a lazy
    `{: .output}` under a paragraph, a div's colon line with no blank line under it."""
    if "{:" not in text and ":::" not in text:
        return text  # a cheap test first: almost no text holds a marker
    return "\n".join(line for line in text.split("\n") if not is_marker(line))


def attribute_classes(line: str) -> tuple[str, ...] | None:
    """The classes an attribute list names (`{: .output .wide}`: `output`, `wide`), or None for
    a line that is no attribute list."""
    if not _ANY_ATTRIBUTE_LIST.match(line):
        return None
    return tuple(_CLASS.findall(line))


def names_code(classes: tuple[str, ...]) -> str | None:
    """The first class that marks a block as code or a program's output (`output`, `error`,
    `result`, `language-sql`), or None."""
    return next(
        (
            name
            for name in classes
            if name.lower() in _PRINTED_CLASSES or name.lower().startswith(_CODE_CLASS_PREFIX)
        ),
        None,
    )
