"""Definitions written as an HTML list (`deckgen.extract.html_lists`): each shape on a made-up
lesson, and the card showing the list's text, never its markup."""

from __future__ import annotations

from pathlib import Path

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.extract.evidence import Candidate
from deckgen.items import Definition
from deckgen.lesson import parse_lesson
from deckgen.render import block_html, inline_html


def _definitions(markdown: str) -> list[Candidate]:
    lesson = parse_lesson(markdown, Path("lesson.md"), "lesson")
    extraction = extract_lesson(lesson, ExtractConfig())
    return [c for c in extraction.candidates if c.kind == "definition"]


def _kept(markdown: str) -> dict[str, Candidate]:
    return {c.text: c for c in _definitions(markdown) if c.kept}


def _body(candidate: Candidate) -> str:
    assert isinstance(candidate.item, Definition)
    return candidate.item.body


def test_a_definition_list_makes_a_card_per_term_and_description() -> None:
    lesson = (
        "# L\n\n## Words\n\n<dl>\n<dt>Sprocket</dt>\n<dd>A toothed wheel that drives a chain.</dd>"
        "\n<dt>Idler</dt>\n  <dd>A wheel that only guides the chain.</dd>\n<dt>Lonely</dt>\n</dl>\n"
    )
    kept = _kept(lesson)
    assert set(kept) == {"Sprocket", "Idler"}  # a `<dt>` without its `<dd>` explains nothing
    sprocket = kept["Sprocket"]
    assert sprocket.shape == "html-definition-list"
    assert sprocket.source.line == 6
    assert "explained" in {s.name for s in sprocket.signals}
    assert _body(sprocket) == "A toothed wheel that drives a chain."
    assert kept["Idler"].source.line == 8


def test_an_html_list_item_opening_with_bold_and_a_separator_is_a_bold_lead() -> None:
    lesson = (
        "# L\n\n## Parts\n\n<ul>\n  <li><b>Sprocket</b> - a toothed wheel that drives a chain</li>"
        "\n  <li><strong>Idler:</strong> a wheel that only guides the chain</li>\n"
        "  <li><b>Careful</b> with the chain when it runs.</li>\n"
        "  <li>Oil the <b>chain</b>: weekly.</li>\n"
        "  <li>**Cog**: a tooth of a sprocket</li>\n</ul>\n"
    )
    kept = _kept(lesson)
    assert set(kept) == {"Sprocket", "Idler", "Cog"}  # `**` is text inside an HTML block
    assert _body(kept["Cog"]) == "a tooth of a sprocket"
    assert kept["Sprocket"].shape == "html-bold-lead"
    assert _body(kept["Sprocket"]) == "a toothed wheel that drives a chain"
    assert _body(kept["Idler"]) == "a wheel that only guides the chain"
    assert not [c for c in _definitions(lesson) if c.text in ("Careful", "chain")]


def test_the_card_shows_the_lists_text_never_its_markup() -> None:
    lesson = (
        "# L\n\n## Words\n\n<dl>\n<dt>Sprocket &amp; <i>chain</i></dt>\n"
        "<dd>Drives &lt;script&gt;alert(1)&lt;/script&gt; a *chain* "
        '<a href="javascript:alert(1)" onclick="x()">link</a><script>alert(2)</script>'
        "</dd>\n</dl>\n"
    )
    candidate = _kept(lesson)["Sprocket & chain"]
    body = _body(candidate)
    assert "<" not in block_html(body).replace("<p>", "").replace("</p>", "").replace("&lt;", "")
    assert "alert(2)" not in body  # a script's content is no text of the list
    assert "href" not in body and "onclick" not in body
    rendered = block_html(body)
    assert "&lt;script&gt;" in rendered and "<em>" not in rendered  # `*chain*` is text
    assert "&amp;" in inline_html(candidate.item.term)
