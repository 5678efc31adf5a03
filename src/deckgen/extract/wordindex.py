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
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence

# A word: letters and digits, with `+ # . -` inside (`C++`, `node.js`, `k8s-native`).
WORD = re.compile(r"[^\W_](?:[\w+#.\-]*[^\W_])?")


class WordIndex:
    """The words of some lines, as written, and where each lower-cased word stands. A run of
    words never spans two lines."""

    def __init__(self, lines: Sequence[str]) -> None:
        self._lines = lines
        self._words: list[str] = []
        self._line_starts = array("I")
        self._where: dict[str, array[int]] = {}
        # first word -> the word after it -> where the pair starts; built for a first word when
        # first asked, so that many terms opening with one word ("Step 1", "Step 2", ...) cost
        # one pass over that word's places, not one pass each.
        self._pairs: dict[str, dict[str, array[int]]] = {}
        for line in lines:
            self._line_starts.append(len(self._words))
            for word in WORD.findall(line):
                key = word.lower()
                positions = self._where.get(key)
                if positions is None:
                    positions = self._where[key] = array("I")
                positions.append(len(self._words))
                self._words.append(word)

    def count(self, run: Sequence[str]) -> int:
        """How often the words `run` (lower case) stand in a row on one line."""
        return sum(1 for _ in self._starts(run, str.lower))

    def count_as_name(self, run: Sequence[str]) -> int:
        """How often the words `run`, exactly as written, stand in a row after a lower-case word
        of the same line, outside headings: a capital there is a name's, not a sentence's or a
        list label's (`## Governance and Security` is title case, not a name)."""
        found = 0
        for start in self._starts(run, str):
            line = self._line_of(start)
            if start == self._line_starts[line] or self._lines[line].lstrip().startswith("#"):
                continue
            if self._words[start - 1][:1].islower():
                found += 1
        return found

    def _starts(self, run: Sequence[str], spelling: Callable[[str], str]) -> Iterator[int]:
        """Where `run` begins on one line, each word compared as `spelling` writes the lesson's."""
        if not run:
            return
        first = run[0].lower()
        if len(run) == 1:
            places: Sequence[int] = self._where.get(first, ())
        else:
            places = self._followers(first).get(run[1].lower(), ())
        words, total = self._words, len(self._words)
        for start in places:
            end = start + len(run)
            if end > total or self._line_of(end - 1) != self._line_of(start):
                continue
            if all(spelling(words[start + i]) == run[i] for i in range(len(run))):
                yield start

    def _followers(self, first: str) -> dict[str, array[int]]:
        pairs = self._pairs.get(first)
        if pairs is None:
            pairs = self._pairs[first] = {}
            words, total = self._words, len(self._words)
            for start in self._where.get(first, ()):
                if start + 1 < total:
                    following = words[start + 1].lower()
                    pairs.setdefault(following, array("I")).append(start)
        return pairs

    def _line_of(self, position: int) -> int:
        return bisect_right(self._line_starts, position) - 1
