"""Where each word of a lesson stands, to count how often a short run of words occurs.

The definition signals ask, for each candidate term, how often the lesson uses it (`term-recurs`)
and whether it is used as a name in running text (`term-is-name`). A lesson has tens of
candidate terms but may have millions of words, so counting every run of one to three words up
front costs most of the time and memory; an index of where each word stands answers a question
about one run by looking only at the places its first word occurs.

Positions are packed in `array('I')`: a Python int or tuple per word would cost ten times the
memory on a 10 MB lesson.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence

# A word: letters and digits, with `+ # . -` inside (`C++`, `node.js`, `k8s-native`).
WORD = re.compile(r"[^\W_](?:[\w+#.\-]*[^\W_])?")
# The words of a whole text in one pass, with each line end as a token of its own: a run of
# words that would span two lines meets a "\n" that no word equals. `WORD`'s words in a sixth
# less time: the run of word characters is taken whole, then gives back the marks that end it
# (one look-behind), where `WORD` tries to close the word after each of its characters.
_TOKEN = re.compile(r"\n|[^\W_][\w+#.\-]*(?<![_+#.\-])")
_LINE_END = "\n"


class WordIndex:
    """The words of some lines, as written, and where each lower-cased word stands."""

    def __init__(self, lines: Sequence[str]) -> None:
        self._tokens: list[str] = _TOKEN.findall(_LINE_END.join(lines))
        self._headings = frozenset(
            number for number, line in enumerate(lines) if line.lstrip().startswith("#")
        )
        where: dict[str, array[int]] = {}
        # A bound `get` and a test for None: a third faster than `where[key]` under `try`,
        # on every word of the lesson.
        places_of = where.get
        for position, key in enumerate(map(str.lower, self._tokens)):
            places = places_of(key)
            if places is None:  # a word's first place: rarer than the others
                where[key] = array("I", (position,))
            else:
                places.append(position)
        self._where = where
        # first word -> the word after it -> where the pair starts; built for a first word when
        # first asked, so that many terms opening with one word ("Step 1", "Step 2", ...) cost
        # one pass over that word's places, not one pass each.
        self._pairs: dict[str, dict[str, array[int]]] = {}

    def count(self, run: Sequence[str]) -> int:
        """How often the words `run` (lower case) stand in a row on one line."""
        return sum(1 for _ in self._starts(run, str.lower))

    def count_as_name(self, run: Sequence[str]) -> int:
        """How often the words `run`, exactly as written, stand in a row after a lower-case word
        of the same line, outside headings: a capital there is a name's, not a sentence's or a
        list label's (`## Governance and Security` is title case, not a name)."""
        line_ends = self._where.get(_LINE_END, array("I"))
        found = 0
        for start in self._starts(run, str):
            before = self._tokens[start - 1] if start else _LINE_END
            if before[:1].islower() and bisect_left(line_ends, start) not in self._headings:
                found += 1
        return found

    def _starts(self, run: Sequence[str], spelling: Callable[[str], str]) -> Iterator[int]:
        """Where `run` begins, each word compared as `spelling` writes the lesson's."""
        if not run:
            return
        first = run[0].lower()
        if len(run) == 1:
            places: Sequence[int] = self._where.get(first, ())
        else:
            places = self._followers(first).get(run[1].lower(), ())
        tokens, total = self._tokens, len(self._tokens)
        for start in places:
            if start + len(run) <= total and all(
                spelling(tokens[start + i]) == word for i, word in enumerate(run)
            ):
                yield start

    def _followers(self, first: str) -> dict[str, array[int]]:
        pairs = self._pairs.get(first)
        if pairs is None:
            pairs = self._pairs[first] = {}
            tokens, total = self._tokens, len(self._tokens)
            for start in self._where.get(first, ()):
                if start + 1 < total:
                    pairs.setdefault(tokens[start + 1].lower(), array("I")).append(start)
        return pairs
