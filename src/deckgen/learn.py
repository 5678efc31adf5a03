"""Challenge blocks of the Learn platform's curriculum Markdown (Galvanize's Learn), found on a
lesson's lines.

Learn marks each quiz question as a block of marker headings, its metadata a bullet list under
the opening marker:

    ### !challenge

    * type: multiple-choice
    * id: 5a65ebc5-...
    * title: Adding records

    ##### !question
    What does `INSERT` do?
    ##### !end-question

    ##### !options
    * Adds a row
    * Removes a row
    ##### !end-options

    ##### !answer
    * Adds a row
    ##### !end-answer

    ### !end-challenge

CommonMark reads the markers as headings (sections) and the metadata and option lists as
lists, so the blocks are found here, before the lesson is parsed: `deckgen.lesson` blanks their
lines (each line keeps its number), and the question finder (`deckgen.extract.learn_challenges`)
reads each block's parts. The heading level of a marker varies between courses (`###` to
`#####`), and an `!end-...` marker is often left out before the next marker.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# `### !challenge`, `##### !end-question`, `####!options`: a marker heading and its name.
_MARKER = re.compile(r"^ {0,3}#{1,6}[ \t]*!([A-Za-z][\w-]*)[ \t]*#*[ \t]*$")
# `* type: multiple-choice`: a metadata bullet under the opening marker.
_FIELD = re.compile(r"^\s*[*+-][ \t]+([A-Za-z][\w-]*)[ \t]*:[ \t]*(.*?)\s*$")
# Any heading: where a challenge whose `!end-challenge` is left out ends, at the latest.
_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_OPEN = "challenge"
_CLOSE = "end-challenge"
_END = "end-"
# The marker's name opens every block of the format: a cheap test first.
MARK = "!challenge"


@dataclass(frozen=True)
class Part:
    """A part of a challenge (`!question`, `!answer`, ...): the first line of its body that is
    not blank (0-based) and its source, dedented, without the markers around it."""

    line: int
    text: str


@dataclass(frozen=True)
class Challenge:
    """A challenge block over lines `start` to `end` (0-based, end excluded: its markers
    included), its metadata (`type`, `title`, ... lower-case names) and its parts by name."""

    start: int
    end: int
    fields: Mapping[str, str]
    parts: Mapping[str, Part]

    @property
    def type(self) -> str:
        return self.fields.get("type", "").strip().lower()

    @property
    def line(self) -> int:
        """The line (0-based) its card stands on: its question's first, else its opening marker."""
        question = self.parts.get("question")
        return question.line if question is not None else self.start


def challenges(lines: list[str], outside: Iterable[int]) -> list[Challenge]:
    """Every challenge block of the lesson's `lines`, from its marker headings among the lines
    `outside` (those outside code fences: a lesson may show the format in a code block)."""
    numbers = list(outside)
    markers = [
        (number, match.group(1).lower())
        for number in numbers
        if "!" in lines[number] and (match := _MARKER.match(lines[number]))
    ]
    headings = [number for number in numbers if _HEADING.match(lines[number])]
    found: list[Challenge] = []
    opened: int | None = None
    inside: list[tuple[int, str]] = []
    for number, name in [*markers, (len(lines), _OPEN)]:
        if opened is not None and name == _CLOSE:
            found.append(_challenge(lines, opened, number, number + 1, inside))
            opened = None
        elif opened is not None and name == _OPEN:
            end = _open_end(inside, headings, number)
            found.append(_challenge(lines, opened, end, end, inside))
        if name == _OPEN and number < len(lines):
            opened, inside = number, []
        elif opened is not None and name != _CLOSE:
            inside.append((number, name))
    return found


def _open_end(inside: list[tuple[int, str]], headings: list[int], limit: int) -> int:
    """Where a challenge whose `!end-challenge` is left out ends: after its last `!end-...`
    marker; when its last part is left open too, at the next heading that is no marker (the
    lesson going on), else at the next challenge or the end of the file (`limit`)."""
    if not inside:
        return limit
    last, name = inside[-1]
    if name.startswith(_END):
        return last + 1
    markers = {number for number, _ in inside}
    return next((n for n in headings if last < n < limit and n not in markers), limit)


def _challenge(
    lines: list[str], start: int, body_end: int, end: int, inside: list[tuple[int, str]]
) -> Challenge:
    """The challenge opened on line `start`, its parts ending by `body_end` at the latest (its
    `!end-challenge` line), the block by `end`."""
    markers = [(number, name) for number, name in inside if number < body_end]
    first_part = next((number for number, name in markers if not name.startswith(_END)), body_end)
    fields: dict[str, str] = {}
    for line in lines[start + 1 : first_part]:
        field = _FIELD.match(line)
        if field is not None:
            fields.setdefault(field.group(1).lower(), field.group(2))
    parts: dict[str, Part] = {}
    for position, (number, name) in enumerate(markers):
        if name.startswith(_END):
            continue
        # A part runs to the next marker: its own `!end-...`, or the next part's opening when
        # the author left that out.
        close = next((n for n, _ in markers[position + 1 :]), body_end)
        body = textwrap.dedent("\n".join(lines[number + 1 : close])).strip("\n")
        first = next((n for n in range(number + 1, close) if lines[n].strip()), number + 1)
        parts.setdefault(name, Part(first, body))
    return Challenge(start, end, fields, parts)
