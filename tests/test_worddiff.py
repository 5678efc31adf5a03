"""Word-level field diffs: the changed words marked, in context, wherever they are in a field."""

from __future__ import annotations

from deckgen.notediff import (
    UPDATED,
    DeckDiff,
    Diff,
    FieldChange,
    NoteChange,
    render_markdown,
    render_text,
)
from deckgen.worddiff import WordOp, diff_words, render_plain

LONG = " ".join(f"word{number}" for number in range(1, 61))


def test_a_long_definition_changed_near_its_end_shows_the_changed_words() -> None:
    change = FieldChange("Definition", f"<p>{LONG} ends here.</p>", f"<p>{LONG} ends there.</p>")
    shown = render_plain(change.words)
    # Eight unchanged words of context before the change; the rest of the field is cut.
    assert shown == ("… word54 word55 word56 word57 word58 word59 word60 ends [-here.-]{+there.+}")
    assert "word1 " not in shown


def test_an_insertion_a_deletion_and_a_replacement() -> None:
    assert render_plain(diff_words("a b c", "a b x c")) == "a b {+x+} c"
    assert render_plain(diff_words("a b c", "a c")) == "a [-b-] c"
    assert render_plain(diff_words("a b c", "a y c")) == "a [-b-]{+y+} c"
    assert render_plain(diff_words("", "new text")) == "{+new text+}"
    assert diff_words("a b c", "a y c") == (
        WordOp("equal", "a", "a"),
        WordOp("replace", "b", "y"),
        WordOp("equal", "c", "c"),
    )


def test_unchanged_words_between_two_changes_are_cut_in_the_middle() -> None:
    old = f"first {LONG} last"
    new = f"FIRST {LONG} LAST"
    assert render_plain(diff_words(old, new)) == (
        "[-first-]{+FIRST+} word1 word2 word3 word4 word5 word6 word7 word8 … "
        "word53 word54 word55 word56 word57 word58 word59 word60 [-last-]{+LAST+}"
    )
    # Short runs stay whole.
    assert render_plain(diff_words("a b c d", "A b c D")) == "[-a-]{+A+} b c [-d-]{+D+}"


def test_control_characters_are_escaped_in_text() -> None:
    assert render_plain(diff_words("a \x1b[31mred", "a plain")) == "a [-\\x1b[31mred-]{+plain+}"


def test_a_markup_only_change_is_shown_in_the_html() -> None:
    change = FieldChange("Term", "an <b>image</b>", "an <i>image</i>")
    assert change.markup_only
    assert render_plain(change.words) == "an [-<b>image</b>-]{+<i>image</i>+}"


def _one_change(old: str, new: str) -> Diff:
    note = NoteChange("g", UPDATED, "deckgen Definition", "Term", (FieldChange("D", old, new),))
    return Diff((DeckDiff("a.apkg", ("A",), ("A",), (note,)),))


def test_text_and_markdown_renderings_mark_the_words() -> None:
    result = _one_change("use *stars* and ~tilde~", "use _under_ and ~tilde~ [link](x) &lt;b&gt;")
    assert "      D: use [-*stars*-]{+_under_+} and ~tilde~ {+[link](x) <b>+}\n" in (
        render_text(result)
    )
    markdown = render_markdown(result)
    # Markdown in the words themselves is escaped: only the diff's own marks format.
    assert (
        "  - D: use ~~\\*stars\\*~~ **\\_under\\_** and \\~tilde\\~ **\\[link\\](x) \\<b\\>**\n"
    ) in markdown


def test_a_whitespace_only_change_says_so() -> None:
    result = _one_change("a  b", "a b")
    assert "      D: (only spacing changed)\n" in render_text(result)
