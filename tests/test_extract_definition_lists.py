"""Definitions written as a Markdown definition list (`Term` then `:   explanation`): the
pandoc, kramdown and MkDocs forms on made-up glossaries, the card's back, a build through the
CLI, and the prose that only looks like one."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from pathlib import Path

import pytest

from deckgen.lesson import parse_lesson
from deckgen.render import block_html, inline_html
from tests.test_extract_html_lists import _body, _definitions, _kept

PANDOC = """# Workshop

## Glossary

sprocket
:   A toothed wheel that drives a chain.

idler wheel
:   A wheel that only guides the chain,
    and never drives it.
:   In a printer, the roller that presses paper on the feed.

derailleur

:   A mechanism that moves the chain from one sprocket to another.
"""


def test_pandoc_form_makes_a_card_per_term_and_its_first_description() -> None:
    kept = _kept(PANDOC)
    assert set(kept) == {"sprocket", "idler wheel", "derailleur"}
    sprocket = kept["sprocket"]
    assert sprocket.shape == "definition-list"
    assert sprocket.source.line == 5  # the term's line
    assert sprocket.source.section == ("Glossary",)
    assert "explained" in {signal.name for signal in sprocket.signals}
    assert _body(sprocket) == "A toothed wheel that drives a chain."
    # A wrapped description keeps all its lines; a second description is another sense.
    assert _body(kept["idler wheel"]) == "A wheel that only guides the chain,\nand never drives it."
    assert kept["idler wheel"].source.line == 8
    # A blank line may part a term from its description.
    assert _body(kept["derailleur"]).startswith("A mechanism that moves the chain")
    assert kept["derailleur"].source.line == 13


KRAMDOWN = """---
title: Reference
---

## Glossary

{:auto_ids}
sprocket
: A toothed wheel that drives a chain.

idler wheel
: A wheel that only guides the chain.
"""


def test_kramdown_form_under_an_attribute_line_keeps_its_first_term() -> None:
    candidates = _definitions(KRAMDOWN)
    kept = {c.text: c for c in candidates if c.kept}
    assert set(kept) == {"sprocket", "idler wheel"}
    assert kept["sprocket"].source.line == 8
    assert _body(kept["sprocket"]) == "A toothed wheel that drives a chain."
    # The attribute line is markup: on no card, and no candidate of its own.
    for candidate in candidates:
        assert "{:" not in candidate.text
        if candidate.kept:
            assert "{:" not in _body(candidate) and "auto_ids" not in _body(candidate)


def test_an_anchor_line_above_each_term_shows_on_no_card() -> None:
    lesson = (
        '## Glossary\n\n<a id="sprocket"/>\nsprocket\n:   A toothed wheel.\n\n'
        "<a name='idler'></a>\nidler\n:   A wheel that only guides the chain.\n"
    )
    kept = _kept(lesson)
    assert set(kept) == {"sprocket", "idler"}
    assert kept["sprocket"].source.line == 4
    assert _body(kept["idler"]) == "A wheel that only guides the chain."


def test_an_attribute_line_after_a_description_shows_on_no_card() -> None:
    lesson = "## Glossary\n\n{: .glossary}\nsprocket\n: A toothed wheel.\n{: .term}\n"
    body = _body(_kept(lesson)["sprocket"])
    assert body == "A toothed wheel."


MKDOCS = """# Parts

## Terms

`sprocket`
:   A toothed wheel that drives a chain.

    It turns with the pedals, and its teeth
    set the gear.

chain ring
:   The front sprocket.
"""


def test_mkdocs_form_keeps_indented_paragraphs_as_paragraphs() -> None:
    kept = _kept(MKDOCS)
    assert set(kept) == {"sprocket", "chain ring"}
    sprocket = kept["sprocket"]
    assert sprocket.item is not None and sprocket.item.term == "`sprocket`"
    body = _body(sprocket)
    assert body == (
        "A toothed wheel that drives a chain.\n\nIt turns with the pedals, and its teeth\n"
        "set the gear."
    )
    rendered = block_html(body)
    assert "<pre>" not in rendered  # the indentation continued the description: no code
    assert rendered.count("<p>") == 2


def test_the_back_keeps_inline_markup_and_escapes_raw_html() -> None:
    lesson = (
        "## Glossary\n\n**sprocket** wheel\n"
        ":   A *toothed* wheel on a `shaft`, of $n$ teeth; see [the manual](javascript:alert(1))"
        " or [parts](https://example.org/parts) <b>now</b><script>alert(2)</script>\n"
    )
    candidate = _kept(lesson)["sprocket wheel"]
    assert candidate.item is not None
    assert inline_html(candidate.item.term) == "<strong>sprocket</strong> wheel"
    rendered = block_html(_body(candidate))
    assert "<em>toothed</em>" in rendered and "<code>shaft</code>" in rendered
    assert r"\(n\)" in rendered  # math, as the other backs show it
    assert 'href="javascript' not in rendered and "the manual" in rendered  # never a link
    assert '<a href="https://example.org/parts">parts</a>' in rendered
    assert "<script>" not in rendered and "&lt;script&gt;" in rendered
    assert "<b>" not in rendered and "&lt;b&gt;" in rendered


@pytest.mark.parametrize(
    "markdown",
    [
        # A `:` line under a paragraph of two lines continues it: a term is one line.
        "## Notes\n\nThe chain wears out\nafter a few thousand miles\n: replace it then.\n",
        # No space after the colon: no description marker (`:30` is a time).
        "## Notes\n\nTiming\n:30 minutes per sprocket.\n",
        # A list item's next line, not indented, continues the item.
        "## Notes\n\n- **Sprocket**: a toothed wheel\n: it drives the chain\n",
        # An attribute line above a paragraph: jq5c's case, no list.
        "## Notes\n\n{: .callout}\nOil the chain weekly.\n",
        # An anchor above a paragraph: an HTML block, as CommonMark reads it.
        '## Notes\n\n<a id="oil"/>\nOil the chain weekly.\n',
    ],
)
def test_prose_with_a_colon_led_line_stays_prose(markdown: str) -> None:
    lesson = parse_lesson(markdown, Path("lesson.md"), "lesson")
    assert "dl_open" not in {token.type for token in lesson.tokens}
    assert not [c for c in _definitions(markdown) if c.shape == "definition-list"]


def test_a_build_through_the_cli_holds_the_glossarys_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run
) -> None:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "glossary.md").write_text(PANDOC, encoding="utf-8")
    (tmp_path / "deckgen.yaml").write_text("lessons: lessons\ndecks: decks\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0, result.output
    assert "3 definitions" in result.stdout
    with zipfile.ZipFile(io.BytesIO(Path("decks/glossary.apkg").read_bytes())) as archive:
        data = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    fields = [row[0] for row in connection.execute("SELECT flds FROM notes")]
    connection.close()
    joined = "\n".join(fields)
    assert "sprocket" in joined and "A toothed wheel that drives a chain." in joined
    assert "idler wheel" in joined and "never drives it" in joined
    assert "In a printer" not in joined  # the second sense is no card's
    assert "derailleur" in joined


MDN = """# Gears

## Parts of a bicycle

- chainring
  - : The toothed ring on the crank that drives the chain.
- cassette:
  - : The stack of rear cogs the chain runs over.

    Riders swap it for a wider range on hilly routes.
- pedals
  - a nested list that is no description
- spokes
  - : Thin rods from hub to rim.
    - nested in the description, no term of its own
"""


def test_mdn_form_makes_a_card_per_term_and_its_description() -> None:
    """MDN writes a definition list as `- term` over `  - : description` (its build makes a
    `<dl>`); CommonMark reads two nested bullet lists, so no term was found."""
    kept = _kept(MDN)
    assert set(kept) == {"chainring", "cassette", "spokes"}
    chainring = kept["chainring"]
    assert chainring.shape == "mdn-definition-list"
    assert chainring.source.line == 5  # the term's line
    assert "explained" in {signal.name for signal in chainring.signals}
    assert _body(chainring) == "The toothed ring on the crank that drives the chain."
    # The trailing colon is no part of the term; the description's paragraphs are the back.
    assert _body(kept["cassette"]) == (
        "The stack of rear cogs the chain runs over.\n\n"
        "Riders swap it for a wider range on hilly routes."
    )
    assert _body(kept["spokes"]).startswith("Thin rods from hub to rim.")
