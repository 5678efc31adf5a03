"""Per-call work the extractors remember answers as the work done afresh would."""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

from deckgen.config import ExtractConfig
from deckgen.extract.answers import key_line
from deckgen.extract.common import LineStart, _normalized, matches_any, within_each
from deckgen.extract.definition_signals import LessonFacts, _name_signal, _words_name_signal
from deckgen.extract.html_lists import _MDN_DESCRIPTION
from deckgen.extract.prose import _GLOSSES, _subjects
from deckgen.extract.question_parts import OPTION_LINE, holds_option_line
from deckgen.extract.quizzes import MAY_ANSWER, may_answer
from deckgen.identity import normalize_key
from deckgen.lesson import one_line, parse_lesson

from .conftest import CORPUS


def test_normalized_names_are_each_names_key() -> None:
    names = ("Key Takeaways", "Summary", "  Glossary ")
    assert _normalized(names) == frozenset(normalize_key(name) for name in names)
    assert _normalized(names) is _normalized(names)  # asked again, not built again
    assert matches_any("## 🧠 2. Summary", names)
    assert not matches_any("Summary of results", names)


def test_within_each_after_a_cached_lookup() -> None:
    lesson = parse_lesson("# T\n\n## Summary\n\n### Part\n\n## Other\n", Path("t.md"), "t")
    names = ("Summary",)
    _normalized(names)
    assert within_each(lesson.sections, names) == [True, True, False]


def test_a_headings_subjects_are_the_same_asked_twice() -> None:
    first = _subjects("5. Dashboard Variables and Templating")
    assert "variable" in first and "dashboard variable" in first and "templating" in first
    assert _subjects("5. Dashboard Variables and Templating") == first
    assert _subjects("Step 7 - Watch mode") == frozenset()


def test_a_terms_name_signal_is_the_same_asked_twice() -> None:
    text = "# T\n\nWe run Docker here and use Helm too.\n\n- **Docker**: a tool\n- **k8s**: x\n"
    lesson = parse_lesson(text, Path("t.md"), "t")

    def facts_afresh() -> LessonFacts:
        return LessonFacts(lesson, ExtractConfig(), lambda section: "")

    facts = facts_afresh()
    for term in ("Docker", "k8s", "Pods", "cloud storage"):
        first = _name_signal(f"**{term}**", term, facts)
        assert _name_signal(f"**{term}**", term, facts) is first
        assert first == _words_name_signal(term, facts_afresh())
    assert _name_signal("Docker", "Docker", facts) is not None
    assert _name_signal("Pods", "Pods", facts) is None
    assert _name_signal("`Pods`", "Pods", facts) is not None  # code is a name, memo or not


def test_a_key_line_without_a_digit_holds_no_entry() -> None:
    assert key_line("Answers: b, c, a", least=1) == {}
    assert key_line("**Answers:** 1-b, 2-c, 3-a", least=2) == {"1": "b", "2": "c", "3": "a"}
    # An entity's digit counts: plain text reads `&#49;` as `1`.
    assert key_line("&#49;-b, &#50;-c", least=2) == {"1": "b", "2": "c"}


# Texts that the whole-lesson searches below must answer as their anchored patterns do: the
# corpus, and random mixtures of what those patterns look for (line starts, indents, labels,
# `answer` in and out of words, the long s that `re.I` reads as an `s`).
_PIECES = (
    *("\n", " ", "\t", "  ", "\r", "\u2028", "\f", "**", "__", "A", "a", "b", "(", ")", "."),
    *(":", "-", "*", "+", "[", "]", "[x]", "→", "=>", "=", "answer", "ANSWER", "anſwer"),
    *("_answer", "xanswer", "éanswer", "correct", "Correct option", "right\nanswer", "ans"),
    *("Solution", "word", "é", "1", "- ", ": ", "A) ", "b. ", "(c) ", "**B.** ", "- [ ] D) "),
    "  - : ",
)


def _texts() -> list[str]:
    generator = random.Random(20261206)
    texts = [path.read_text(encoding="utf-8-sig") for path in sorted(CORPUS.rglob("*.md"))]
    for _ in range(20000):
        texts.append("".join(generator.choices(_PIECES, k=generator.randint(0, 12))))
    return texts


def test_whole_lesson_searches_answer_as_their_anchored_patterns() -> None:
    may = re.compile(MAY_ANSWER, re.I | re.M)
    mdn = re.compile(r"^[ \t]*[-*+][ \t]+:[ \t]", re.M)
    for text in _texts():
        assert may_answer(text) == (may.search(text) is not None), repr(text)
        assert holds_option_line(text) == (OPTION_LINE.search(text) is not None), repr(text)
        assert _MDN_DESCRIPTION.search(text) == (mdn.search(text) is not None), repr(text)


def test_a_line_start_search_is_its_anchored_pattern() -> None:
    body = r"\s*(?:[-*]\s+)?x\b"
    search = LineStart(body)
    for text in _texts():
        assert search.search(text) == (search.anchored.search(text) is not None), repr(text)


def test_one_line_is_white_space_runs_made_one_space() -> None:
    spaces = re.compile(r"\s+")
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    # Each character that `\s` matches, and only those, parts words.
    assert one_line(every) == spaces.sub(" ", every).strip()
    generator = random.Random(7)
    pieces = [" ", "\n", "\t", "\xa0", "\u2028", "\x1c", "\u3000", "\u200b", "a", "é", "**"]
    for _ in range(20000):
        text = "".join(generator.choices(pieces, k=generator.randint(0, 10)))
        assert one_line(text) == spaces.sub(" ", text).strip(), repr(text)


# Mixtures of what the gloss patterns look for: marked and linked terms, their articles, commas,
# dashes and parentheses, relative words; and glosses whole, in and out of those.
_GLOSS_PIECES = (
    *(" ", ", ", ",", "ab", "A ", "The ", "a ", "an ", "the ", "is ", "are ", "and ", "."),
    *("**x y**", "*x*", "_x_", "__x__", "**", "[x](u)", "[x][r]", "**[x](u)**", " (", ")"),
    *("which ", "which is why ", "whose ", "i.e. ", "i.e., ", " - ", " \u2013 ", " \u2014 "),
    *("-", "\n", "é", "word ", "ab (**x**)", "ab, the *x*, word", "ab, a [x](u), an ab"),
    *("ab **x**, which ", "ab _x_, i.e., ", "ab [x](u) \u2014 the word", "A ab is [x](u)."),
)


def test_a_gloss_holds_one_of_its_marks() -> None:
    """`ProseFinder._glossed` runs a gloss pattern only over a sentence holding one of the
    pattern's marks: every match holds one."""
    generator = random.Random(20261207)
    texts = [path.read_text(encoding="utf-8-sig") for path in sorted(CORPUS.rglob("*.md"))]
    for _ in range(40000):
        texts.append("".join(generator.choices(_GLOSS_PIECES, k=generator.randint(1, 14))))
    for how, marks, pattern in _GLOSSES:
        found = 0
        for text in texts:
            for match in pattern.finditer(text):
                assert any(mark in match.group() for mark in marks), (how, match.group())
                found += 1
        assert found > 20, how  # the mixtures make each pattern match
