"""Block quotes that hold the author's own words (a callout, a note), told from quotations.

A block quote in Markdown is both the author's aside and a quotation of someone else's words.
Our curriculum quotes (`> **Note:** ...`, a scenario, a saying), and other courses write their
notes and asides in block quotes, definitions among them. Some formats mark a callout as one,
on the block itself:
    > [!NOTE]                     a GitHub alert
    > An *epoch* is ...
    > ✅ A *shard* is ...          a marker emoji opening the block
    > ## Title                    a kramdown callout (the Carpentries' older syntax), named by
    > A *rule* is ...             the attribute list under it
    {: .callout}
An unmarked block quote is the author's note too, unless it is a quotation: signed (`> —
Ada Lovelace` on a line of its own, `> "..." -- Grace Hopper` after the closing quotation
mark, a `<cite>`), or in quotation marks from its first word to its last. A quote the kramdown
syntax names by another class (a `challenge`, a `solution`: the questions read those) stays
one. A definition shape inside a quotation or such an exercise is dropped (`in-block-quote`);
inside a callout or a note, it is read as in the lesson's text. (A Workbench `::: callout`
div is no block quote: its text is read as Markdown, its colon lines are no part of a
sentence, even with no blank line between them and the text.)
"""

from __future__ import annotations

import re

from deckgen.extract import carpentries
from deckgen.extract.admonition_questions import ANSWER_KINDS, QUESTION_KINDS
from deckgen.extract.answers import close_of
from deckgen.extract.common import LEADING_MARK
from deckgen.lesson import Lesson

# A shape inside a block quote its format marks as a callout, or inside an unmarked one that
# is no quotation (detail: the mark, or `note`), read as if in the lesson's text; the term's
# definition in the text, if any, is the one kept.
IN_CALLOUT = "in-callout"
NOTE = "note"
MARKER = "marker "  # `marker ✅`: the detail of a callout a leading emoji marks
ADMONITION = "admonition "  # `admonition note`: a MkDocs admonition's (`deckgen.admonitions`)
# `[!NOTE]`, `[!TIP]`: GitHub's alert syntax, the first line of its block quote.
_ALERT = re.compile(r"^\s*\[!([A-Za-z]+)\]\s*$")
# `— Ada Lovelace`, `-- Grace Hopper, 1982`: who said the quoted words.
_ATTRIBUTION = re.compile(r"^\s*(?:[—―–]|--?)\s*[^\W\d_]")
# `"... anything" -- [Ronald Coase](...)`: the quoted words, then who said them.
_SIGNED = re.compile(r"[\"\u201d\u00bb]\s*(?:[—―–]|--?)\s*\[?[^\W\d_]")
_OPENING_QUOTES = '"\u201c\u00ab'
_CLOSING_QUOTES = '"\u201d\u00bb'


def kramdown_classes(lesson: Lesson) -> dict[int, str]:
    """The class of each of the lesson's kramdown quotes (`callout`, `challenge`, `solution`),
    by the quote's first line (0-based)."""
    return {block.start: block.kind for block in carpentries.blocks(lesson.lines) if block.depth}


def callout_mark(lesson: Lesson, index: int, kramdown: dict[int, str]) -> str:
    """What marks the block quote opened at token `index` as a callout (`alert NOTE`, `marker
    ✅`, `callout`: its first line's class in `kramdown_classes`, `admonition tip`: a MkDocs
    admonition's type), `note` for an unmarked one, or "" for a quotation or a quote of another
    kramdown class (a challenge, a solution) or a question's or answer's admonition."""
    tokens = lesson.tokens
    close = close_of(tokens, index)
    texts = [
        tokens[each].content for each in range(index + 1, close) if tokens[each].type == "inline"
    ]
    if not texts or _is_quotation(texts):
        return ""
    opened = tokens[index].map[0] if tokens[index].map else None
    admonition = next((each for each in lesson.admonitions if each.line == opened), None)
    if admonition is not None:
        # A question's or its answer's admonition is an exercise's, as a kramdown challenge is.
        exercise = admonition.kind in QUESTION_KINDS or admonition.kind in ANSWER_KINDS
        return "" if exercise else f"{ADMONITION}{admonition.kind}"
    first_line = texts[0].split("\n", 1)[0]
    alert = _ALERT.match(first_line)
    if alert is not None:
        return f"alert {alert.group(1).upper()}"
    mark = LEADING_MARK.match(first_line)
    if mark is not None:
        return f"{MARKER}{mark.group().strip()}"
    kind = kramdown.get(tokens[index].map[0]) if tokens[index].map else None
    if kind is None:
        return NOTE
    return "callout" if kind == "callout" else ""


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
    """Someone's words: signed on a line of their own or after the closing quotation mark, in
    a `<cite>`, or in quotation marks from the first word to the last."""
    lines = [line for text in texts for line in text.split("\n")]
    if any(_ATTRIBUTION.match(line) for line in lines[1:]) or _SIGNED.search(lines[-1]):
        return True
    whole = "\n".join(texts).strip()
    if "<cite" in whole.lower():
        return True
    whole = whole[_end_of_mark(whole) :]  # `✅ "..."`: a marker before the quotation
    return whole[:1] in _OPENING_QUOTES and whole[-1:] in _CLOSING_QUOTES


def _end_of_mark(text: str) -> int:
    mark = LEADING_MARK.match(text)
    return mark.end() if mark else 0
