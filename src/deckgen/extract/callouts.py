"""Block quotes that the lesson's format marks as callouts, told from quotations.

A block quote in Markdown is both the author's aside and a quotation of someone else's words.
Our curriculum quotes (`> **Note:** ...`, a scenario, a saying) and its quotes hold no terms,
so a definition shape inside a block quote is dropped (`in-block-quote`). Other courses put
their definitions in callouts, which their format marks as such, on the block itself:
    > [!NOTE]                     a GitHub alert
    > An *epoch* is ...
    > ✅ A *shard* is ...          a marker emoji opening the block
    > ## Title                    a kramdown callout (the Carpentries' older syntax), named by
    > A *rule* is ...             the attribute list under it
    {: .callout}
A quotation stays one even so: an attribution line (`> — Ada Lovelace`) signs it. (A Workbench
`::: callout` div is no block quote: its text is read as Markdown, its colon lines are no part
of a sentence, even with no blank line between them and the text.)
"""

from __future__ import annotations

import re

from deckgen.extract import carpentries
from deckgen.extract.common import LEADING_MARK
from deckgen.lesson import Lesson

# A shape inside a block quote its format marks as a callout (detail: the mark), read as if
# in the lesson's text; the term's definition in the text, if any, is the one kept.
IN_CALLOUT = "in-callout"
# `[!NOTE]`, `[!TIP]`: GitHub's alert syntax, the first line of its block quote.
_ALERT = re.compile(r"^\s*\[!([A-Za-z]+)\]\s*$")
# `— Ada Lovelace`, `-- Grace Hopper, 1982`: who said the quoted words.
_ATTRIBUTION = re.compile(r"^\s*(?:[—―–]|--?)\s*[^\W\d_]")


def kramdown_callouts(lesson: Lesson) -> frozenset[int]:
    """The first lines (0-based) of the lesson's `{: .callout}` quotes."""
    return frozenset(
        block.start for block in carpentries.blocks(lesson.lines) if block.kind == "callout"
    )


def callout_mark(lesson: Lesson, index: int, kramdown: frozenset[int]) -> str:
    """What marks the block quote opened at token `index` as a callout (`alert NOTE`, `marker
    ✅`, `callout`: its first line is in `kramdown_callouts`), or "" for a plain block quote or
    a quotation."""
    tokens = lesson.tokens
    close = _closing(lesson, index)
    texts = [
        tokens[each].content for each in range(index + 1, close) if tokens[each].type == "inline"
    ]
    if not texts or _is_quotation(texts):
        return ""
    first_line = texts[0].split("\n", 1)[0]
    alert = _ALERT.match(first_line)
    if alert is not None:
        return f"alert {alert.group(1).upper()}"
    mark = LEADING_MARK.match(first_line)
    if mark is not None:
        return f"marker {mark.group().strip()}"
    return "callout" if tokens[index].map and tokens[index].map[0] in kramdown else ""


def without_markers(content: str, callout: bool) -> str:
    """A paragraph's text without the lines that mark a block (an alert line, a lazily
    continued `{: .callout}`, a Workbench div's colons with no blank line to part them from
    it), nor, in a `callout`, the emoji that marks it: blanked to spaces, so that offsets into
    the text keep their line."""
    if "[!" not in content and "{:" not in content and ":::" not in content and not callout:
        return content  # a cheap test first: almost no paragraph holds a marker
    lines = content.split("\n")
    for number, line in enumerate(lines):
        if _ALERT.match(line) or carpentries.is_marker(line):
            lines[number] = " " * len(line)
    mark = LEADING_MARK.match(lines[0]) if callout else None
    if mark is not None:
        lines[0] = " " * mark.end() + lines[0][mark.end() :]
    return "\n".join(lines)


def _is_quotation(texts: list[str]) -> bool:
    """Someone's words, signed on a line of their own. (Words in quotation marks need no test:
    no defining shape opens on a quotation mark.)"""
    lines = [line for text in texts for line in text.split("\n")]
    return any(_ATTRIBUTION.match(line) for line in lines[1:])


def _closing(lesson: Lesson, index: int) -> int:
    depth = 0
    for each in range(index, len(lesson.tokens)):
        kind = lesson.tokens[each].type
        depth += {"blockquote_open": 1, "blockquote_close": -1}.get(kind, 0)
        if depth == 0:
            return each
    return len(lesson.tokens)
