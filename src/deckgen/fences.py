"""Code fences on a lesson's lines, as CommonMark reads them: for the readers that rewrite or
scan a lesson line by line before (or beside) the parser (`deckgen.lesson`'s page view and
here-documents, MkDocs admonitions, a question admonition's body)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

# A fence line, as CommonMark allows it: up to three spaces, then a run of three or more
# backticks or tildes.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


def is_closing(line: str, run: str) -> bool:
    """Whether `line` closes a fence opened with `run`, as CommonMark reads it."""
    fence = FENCE.match(line)
    return bool(
        fence
        and fence.group(1)[0] == run[0]
        and len(fence.group(1)) >= len(run)
        and not line[fence.end() :].strip()
    )


def lines_outside_fences(lines: Sequence[str]) -> Iterator[int]:
    """The numbers of the lines of `lines` that are no code fence and lie outside one."""
    fence = None
    for number, line in enumerate(lines):
        if fence is not None:
            if is_closing(line, fence):
                fence = None
            continue
        opening = FENCE.match(line)
        if opening is not None:
            fence = opening.group(1)
        else:
            yield number
