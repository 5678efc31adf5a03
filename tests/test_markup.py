"""What lesson text becomes inside card fields: Anki's own directives arrive as text, math as
MathJax, and a key with invisible characters is reported. docs/security.md points here."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from deckgen import shortcuts
from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.identity import KeyedItem
from deckgen.items import ComparisonRow, Definition, SalaryBand, SelfCheckQuestion, SourceRef
from deckgen.render import block_html, inline_html, render_item, retired_note

from .conftest import import_apkg
from .helpers import items_of, lesson_of

# What Anki itself looks for in a field (rslib: card_rendering/parser.rs for `[sound:` and
# `[anki:`, latex.rs for the LaTeX forms, matched case-insensitively there).
ANKI_DIRECTIVE = re.compile(r"\[sound:|\[/?anki:|(?i:\[/?latex\])|\[/?\$\$?\]")
DIRECTIVES = (
    "[sound:../../etc/passwd]",
    "[anki:tts lang=en_US]hello[/anki:tts]",
    "[latex]\\int x[/latex]",
    "[LaTeX]y[/LaTeX]",
    "[$]x^2[/$]",
    "[$$]y[/$$]",
    "[anki:play:q:0]",
)
EVERY_DIRECTIVE = " ".join(DIRECTIVES)
SOURCE = SourceRef("lesson.md", 3, ("Part " + EVERY_DIRECTIVE,))

# One item of each kind with the directives in every text it has.
ITEMS = (
    Definition(SOURCE, "Term " + EVERY_DIRECTIVE, "Body " + EVERY_DIRECTIVE, "Term"),
    ComparisonRow(
        SOURCE,
        headers=("Key " + EVERY_DIRECTIVE, "A " + EVERY_DIRECTIVE, "B " + EVERY_DIRECTIVE),
        cells=("Row " + EVERY_DIRECTIVE, "a " + EVERY_DIRECTIVE, "b " + EVERY_DIRECTIVE),
        header_texts=("Key", "A", "B"),
        key_text="Row",
        two_sided=False,
    ),
    ComparisonRow(
        SOURCE,
        headers=("Key " + EVERY_DIRECTIVE, "A " + EVERY_DIRECTIVE),
        cells=("Row " + EVERY_DIRECTIVE, "a " + EVERY_DIRECTIVE),
        header_texts=("Key", "A"),
        key_text="Row",
        two_sided=True,
    ),
    SalaryBand(
        SOURCE,
        level="Level " + EVERY_DIRECTIVE,
        role="Role " + EVERY_DIRECTIVE,
        min=1,
        max=2,
        currency="USD",
        open_ended=False,
        band_text="$1-$2",
        focus="Focus " + EVERY_DIRECTIVE,
        skills="Skills " + EVERY_DIRECTIVE,
    ),
    SelfCheckQuestion(
        SOURCE, "Question " + EVERY_DIRECTIVE, "Question", "Answer " + EVERY_DIRECTIVE
    ),
    SelfCheckQuestion(
        SOURCE,
        "Asked " + EVERY_DIRECTIVE,
        "Asked",
        answer_section=("Section " + EVERY_DIRECTIVE,),
        excerpt="Excerpt " + EVERY_DIRECTIVE,
    ),
)
# Fields that hold no lesson text.
NOT_TEXT = {"Band", "Min", "Max", "Currency", "Reverse", "Extra"}


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: f"{item.kind}")
def test_no_field_holds_an_anki_directive_and_each_still_reads_as_written(item) -> None:
    note = render_item(KeyedItem(item, item.key), "course", "lesson", "Lesson 01 " + DIRECTIVES[0])
    for name, value in zip(note.notetype.fields, note.fields, strict=True):
        assert not ANKI_DIRECTIVE.search(value), (name, value)
        if name not in NOT_TEXT and value:
            assert all(directive in html.unescape(value) for directive in DIRECTIVES), (name, value)


def test_directives_hidden_by_markdown_escapes_and_entities_are_neutralised_too() -> None:
    # The parser itself turns `\[` and `&#91;` into a bare bracket.
    for written in ("\\[sound:x.mp3]", "&#91;sound:x.mp3]", "&#x5B;latex]y&#x5B;/latex]"):
        item = Definition(SOURCE, "Term", written, "Term")
        definition = render_item(KeyedItem(item, "term"), "c", "l", "L").field("Definition")
        assert not ANKI_DIRECTIVE.search(definition) and "&#91;" in definition, definition


def test_a_retired_note_from_an_older_deck_loses_its_directives() -> None:
    from deckgen.apkg import StoredNote

    fresh = render_item(KeyedItem(ITEMS[0], "term"), "c", "l", "L")
    stored = StoredNote(
        guid=fresh.guid,
        notetype_id=fresh.notetype.id,
        fields=tuple(html.unescape(value) for value in fresh.fields),
        tags=fresh.tags,
        mod=1,
    )
    retired = retired_note(stored)
    assert retired is not None
    assert not any(ANKI_DIRECTIVE.search(value) for value in retired.fields)
    again = StoredNote(
        guid=stored.guid,
        notetype_id=stored.notetype_id,
        fields=retired.fields,
        tags=retired.tags,
        mod=2,
    )
    assert retired_note(again) == retired  # idempotent: its mod stays put in later builds


# --- Math ----------------------------------------------------------------------------------

MATH = [
    ("$x_1^2$", "\\(x_1^2\\)"),
    ("\\(x_1^2\\)", "\\(x_1^2\\)"),
    ("the norm $\\|x\\|_2$ here", "the norm \\(\\|x\\|_2\\) here"),
    ("$a_i$ and $b_i$ but _this_", "\\(a_i\\) and \\(b_i\\) but <em>this</em>"),
    ("$\\hat{y}_i$ and $y_i$", "\\(\\hat{y}_i\\) and \\(y_i\\)"),
    ("\\(\\hat{y}_i\\) and \\(y_i\\)", "\\(\\hat{y}_i\\) and \\(y_i\\)"),
    ("if $x < y$ & $a>b$", "if \\(x &lt; y\\) &amp; \\(a&gt;b\\)"),
    ("$$E = mc^2$$ inline", "\\[E = mc^2\\] inline"),
    ("so \\[\\sum_i x_i\\] holds", "so \\[\\sum_i x_i\\] holds"),
    ("\\(a \\\\) b\\)", "\\(a \\\\) b\\)"),  # `\\` is TeX's line break, not a closer
    ("**bold $x_1$**", "<strong>bold \\(x_1\\)</strong>"),
    ("`$x_1$` is code", "<code>$x_1$</code> is code"),
]
# Prices and other dollars: pandoc's rule leaves them as they are.
TEXT = [
    ("$107k-$230k", "$107k-$230k"),
    ("$120,000 - $180,000", "$120,000 - $180,000"),
    ("costs $5 and $10", "costs $5 and $10"),
    (
        "**ML Engineer** (platform) ($130k-$200k)",
        "<strong>ML Engineer</strong> (platform) ($130k-$200k)",
    ),
    ("$100k+ ($120k/year)", "$100k+ ($120k/year)"),
    ("$ x$ and $x $", "$ x$ and $x $"),
    ("Hot | $$ | Instant", "Hot | $$ | Instant"),
    ("\\$x$ is escaped", "$x$ is escaped"),
    ("\\(unclosed", "(unclosed"),
    ("\\[sound:x.mp3]", "[sound:x.mp3]"),
    ("[$](https://example.com/pricing) tier", '<a href="https://example.com/pricing">$</a> tier'),
]


@pytest.fixture(params=["shortcuts", "stock"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both the fast path and the stock markdown-it path (tests/test_shortcuts_off.py)."""
    monkeypatch.setenv(shortcuts.SWITCH, "1" if request.param == "stock" else "")
    return request.param


@pytest.mark.parametrize(("written", "field"), MATH)
def test_math_arrives_as_mathjax(path: str, written: str, field: str) -> None:
    assert inline_html(written) == field
    assert block_html(written) == field


@pytest.mark.parametrize(("written", "field"), TEXT)
def test_dollars_that_are_not_math_stay_text(path: str, written: str, field: str) -> None:
    assert inline_html(written) == field
    assert block_html(written) == field


def test_a_math_block_is_displayed(path: str) -> None:
    assert block_html("$$\n\\frac{a}{b} < 1\n$$") == "\\[\\frac{a}{b} &lt; 1\\]"
    assert block_html("Then:\n\n$$\nx_1\n$$\n\nDone.") == ("<p>Then:</p>\n\\[x_1\\]\n<p>Done.</p>")
    # A blank line ends an unclosed `$$`: it never swallows the rest of the text.
    assert block_html("$$\nx\n\nmore $y$") == "<p>$$\nx</p>\n<p>more \\(y\\)</p>"


def test_the_field_shortcuts_leave_every_dollar_to_the_parser() -> None:
    for text in ("$x$", "costs $5", "a $ b"):
        assert shortcuts.inline_html(text) is None and shortcuts.block_html(text) is None


def test_a_term_with_math_keeps_the_key_it_always_had() -> None:
    """Keys are read by the lesson parser, which knows no math: adding math to the cards moved
    no GUID. The keys below are what CommonMark makes of the terms."""
    lesson = lesson_of(
        """
        # Lesson

        ## Terms

        - **Norm $\\|x\\|_2$**: the length of a vector
        - **Energy \\(E\\)**: what mass is worth
        """
    )
    keyed = extract_lesson(lesson, ExtractConfig()).items
    assert [(k.identity, k.item.term) for k in keyed] == [
        ("norm $|x|_2$", "Norm $\\|x\\|_2$"),
        ("energy (e)", "Energy \\(E\\)"),
    ]
    terms = [render_item(k, "c", "l", "L").field("Term") for k in keyed]
    assert terms == ["Norm \\(\\|x\\|_2\\)", "Energy \\(E\\)"]


# --- Invisible characters in keys ----------------------------------------------------------

INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u2066"]


@pytest.mark.parametrize("character", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_an_invisible_character_in_a_key_is_reported_with_its_line(character: str) -> None:
    lesson = lesson_of(
        f"""
        # Lesson

        ## Tools

        - **Docker**: runs containers
        - **Dock{character}er**: runs containers too
        """
    )
    extraction = extract_lesson(lesson, ExtractConfig())
    # The GUID rule is unchanged: two keys, two notes; the author is told why.
    assert len({keyed.identity for keyed in extraction.items}) == 2
    [warning] = [w for w in extraction.warnings if "invisible" in w.message]
    assert (str(warning.path), warning.line) == ("lesson.md", 6)
    assert f"U+{ord(character):04X}" in warning.message
    assert f"\\u{ord(character):04x}" in warning.message  # shown, not hidden, in the message
    assert character not in warning.message


def test_joiners_inside_emoji_and_scripts_that_need_them_are_not_reported() -> None:
    lesson = lesson_of(
        """
        # Lesson

        ## Roles

        - **👩\u200d💻 Developer**: writes code
        - **می\u200cخواهم**: a Persian word
        - **Docker**: runs containers
        """
    )
    assert extract_lesson(lesson, ExtractConfig()).warnings == []


@pytest.mark.parametrize("command", ["build", "lint"])
def test_build_and_lint_print_the_invisible_character_warning(
    project: Path, run, command: str
) -> None:
    lesson = project / "lessons" / "02-tools.md"
    lesson.write_text("# Tools\n\n## Tools\n\n- **Kuber\u200bnetes**: runs pods\n", "utf-8")
    result = run(command, "lessons/02-tools.md")
    assert result.exit_code == 0, result.output
    warning = (
        "lessons/02-tools.md:5: warning: definition 'Kuber\\u200bnetes' holds invisible "
        "characters (U+200B): it looks like 'Kubernetes'"
    )
    assert warning in (result.stderr if command == "build" else result.stdout)


# --- In real Anki ----------------------------------------------------------------------------

LESSON = """# Lesson 02: Markup

## Terms

- **Sound**: plays [sound:../../etc/passwd] here
- **Speech**: says [anki:tts lang=en_US]hello[/anki:tts] aloud
- **LaTeX**: draws [latex]\\int x[/latex], [$]x^2[/$], [$$]y[/$$] and [LaTeX]z[/LaTeX]
- **Escaped**: \\[sound:x.mp3] and &#91;latex]w&#91;/latex]
- **Squares**: the norm \\(x_1^2\\) of $a_i$ and $b_i$, paid $107k-$230k
- **Energy**: mass times c squared:

  $$
  E = mc^2 < \\infty
  $$

## Tools

| Tool [sound:t.mp3] | Use |
|---|---|
| Docker [$]x[/$] | runs $a_i$ [anki:tts]t[/anki:tts] |
| Podman | runs [latex]y[/latex] |
"""


@pytest.mark.slow
def test_real_anki_plays_no_sound_makes_no_latex_image_and_typesets_the_math(
    project: Path, run, anki_collection
) -> None:
    (project / "lessons" / "02-markup.md").write_text(LESSON, encoding="utf-8")
    result = run("build", "lessons/02-markup.md")
    assert result.exit_code == 0, result.output
    assert "6 definitions, 2 comparisons" in result.stdout

    collection = anki_collection()
    import_apkg(collection, project / "decks" / "02-markup.apkg")
    backend = collection._backend
    media = Path(collection.media.dir())

    def av_tags(text: str) -> list:
        return list(backend.extract_av_tags(text=text, question_side=True).av_tags)

    def latex(text: str) -> list:
        return list(backend.extract_latex(text=text, svg=False, expand_clozes=False).latex)

    seen = []
    for note_id in collection.find_notes(""):
        note = collection.get_note(note_id)
        for value in note.values():
            assert av_tags(value) == [] and latex(value) == [], value
            assert collection.media.files_in_str(note.mid, value) == [], value
            seen.append(html.unescape(value))
        for card in note.cards():
            assert card.question_av_tags() == [] and card.answer_av_tags() == []
            for side in (card.question(), card.answer()):
                assert "[sound:" not in side and "[anki:" not in side and "class=latex" not in side
    assert not list(media.glob("latex-*"))
    # The learner reads the directives as written, and this check would have caught them:
    # t.mp3 (both rows), x.mp3, the passwd path and the tts with a language (Anki drops one
    # without); the seven LaTeX forms.
    shown = "\n".join(seen)
    assert len(av_tags(shown)) == 5 and len(latex(shown)) == 7

    squares = collection.get_note(collection.find_notes('"Term:Squares"')[0])
    assert squares["Definition"] == (
        "the norm \\(x_1^2\\) of \\(a_i\\) and \\(b_i\\), paid $107k-$230k"
    )
    energy = collection.get_note(collection.find_notes('"Term:Energy"')[0])
    assert energy["Definition"] == "<p>mass times c squared:</p>\n\\[E = mc^2 &lt; \\infty\\]"
    card = energy.cards()[0]
    assert "\\[E = mc^2 &lt; \\infty\\]" in card.answer()


def test_a_link_whose_target_opens_with_a_template_tag_shows_its_text_only(path: str) -> None:
    """Jekyll lessons (the Carpentries') link terms to their glossary through `{{ page.root }}`.
    Its spaces stop CommonMark from reading a link, so cards showed `[term]({{ page.root }}...)`."""
    (definition,) = items_of(
        """
        # Variables

        A **variable** is a name for a value ([glossary]({{ page.root }}/reference#variable),
        [setup]({% link setup.md %})).
        """,
        Definition,
    )
    answer = render_item(KeyedItem(definition, "variable"), "c", "l", "L").field("Definition")
    assert "variable</strong> is a name for a value (glossary,\nsetup)." in answer
    assert "{" not in answer and "](" not in answer


def test_a_docs_site_macro_reads_as_the_text_its_page_shows() -> None:
    """MDN (and docs sites with macro systems) write links as `{{name("target", "shown")}}`:
    cards showed the call. A quoted first argument shows (the second when given, reference
    macros as code); navigation, sidebars and embeds show nothing; code keeps its macros."""
    text = """
        # Boxes

        {{BoxSidebar}}

        The {{Element("crate")}} element holds one {{Glossary("parcel", "parcels")}} shipment.

        A {{boxxref("Lid.prototype.seal()", "seal()")}} call closes the lid of any open box.

        ```
        {{Element("crate")}}
        ```

        {{PreviousMenuNext("Boxes/Intro", "Boxes/Stacking")}}
        """
    lesson = lesson_of(text)
    lines = lesson.text.split("\n")
    assert lines[2] == ""
    assert lines[4] == "The crate element holds one parcels shipment."
    assert lines[6] == "A `seal()` call closes the lid of any open box."
    assert lines[9] == '{{Element("crate")}}'
    assert lines[12] == ""
    assert "{{" not in " ".join(str(item) for item in items_of(text, Definition))


def test_a_template_placeholder_in_a_sentence_stays_as_written() -> None:
    """A lesson on a template language writes its placeholders in prose (`{{title}}`): they are
    the lesson's text, not a docs site's furniture, so only a call standing alone on its line
    with no quoted argument reads as nothing."""
    text = """
        # Templates

        {{Sidebar}}

        A **placeholder** is an expression such as {{title}} that the engine fills in.

        A **helper call** such as {{upper(name)}} runs a function on the value first.
        """
    lines = lesson_of(text).text.split("\n")
    assert lines[2] == ""
    assert (
        lines[4] == "A **placeholder** is an expression such as {{title}} that the engine fills in."
    )
    assert (
        lines[6] == "A **helper call** such as {{upper(name)}} runs a function on the value first."
    )


def test_a_line_break_tag_above_a_heading_does_not_swallow_the_section() -> None:
    """`<br />` alone after a blank line opens a CommonMark HTML block that runs to the next
    blank line: the heading and paragraph written right under it were raw HTML, so their
    definition made no card (the author's own site shows them)."""
    text = """
        # Tools

        Some setup first.

        <br />
        ## What is a kettle?
        A **kettle** is a pot that boils water for tea.

        Two paragraphs<br>
        stay one.

        <HR>
        A **teapot** is a vessel in which tea steeps before serving.
        """
    lesson = lesson_of(text)
    lines = lesson.text.split("\n")
    assert lines[4] == "" and lines[11] == ""
    assert lines[8] == "Two paragraphs<br>"
    assert [section.title for section in lesson.sections] == ["What is a kettle?"]
    terms = sorted(str(definition.term) for definition in items_of(text, Definition))
    assert terms == ["kettle", "teapot"]


def test_a_line_break_tag_in_a_code_fence_stays() -> None:
    lines = lesson_of("# T\n\n```\n\n<br />\n```\n").text.split("\n")
    assert lines[4] == "<br />"
