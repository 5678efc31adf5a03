"""Per-call work the extractors remember answers as the work done afresh would."""

from __future__ import annotations

from pathlib import Path

from deckgen.extract.answers import key_line
from deckgen.extract.common import _normalized, matches_any, within_each
from deckgen.extract.prose import _subjects
from deckgen.identity import normalize_key
from deckgen.lesson import parse_lesson


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


def test_a_key_line_without_a_digit_holds_no_entry() -> None:
    assert key_line("Answers: b, c, a", least=1) == {}
    assert key_line("**Answers:** 1-b, 2-c, 3-a", least=2) == {"1": "b", "2": "c", "3": "a"}
    # An entity's digit counts: plain text reads `&#49;` as `1`.
    assert key_line("&#49;-b, &#50;-c", least=2) == {"1": "b", "2": "c"}
