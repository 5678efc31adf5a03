"""Reference-style links (`[GNU Make][gnu-make]`, `[Anaconda][]`, `[PyPI]`) show on cards as the
page shows them: the link text, a link when its definition's target is http(s)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deckgen import reflinks
from deckgen.config import Config
from deckgen.extract import extract_lesson
from deckgen.lesson import decode_lesson
from deckgen.render import _field_parser, block_html, inline_html, render_item

from .conftest import import_apkg

FIXTURE = Path(__file__).parent / "fixtures" / "reflinks" / "build-tools.md"
DEFINITIONS = (
    "[gnu-make]: https://www.gnu.org/software/make/\n"
    '[anaconda]: https://www.anaconda.com/ "Anaconda\'s \\"site\\" & more"\n'
    "[pypi]: https://pypi.org/\n"
    "[logo]: img/logo.png\n"
    "[odd]: <https://example.org/a b(c)?x=1&copy;y>\n"
    "[setup]: ../setup.html\n"
)
REFERENCES = decode_lesson(DEFINITIONS.encode(), Path("defs.md"), "defs").references


def _page(markdown: str, inline: bool) -> str:
    """What the page shows: the field parser, with the page's definitions in reach."""
    env = {"references": dict(REFERENCES), "media": None, "line": 0}
    if inline:
        return _field_parser().renderInline(markdown.strip(), env).strip()
    rendered = _field_parser().render(markdown.strip(), env).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


INLINE_CASES = [
    "see [GNU Make][gnu-make] for the manual",
    "ships with [Anaconda][] and [anaconda] both",
    "from [PyPI], the index",
    "[GNU  make][GNU-Make] (labels match case- and space-blind)",
    "a [**bold** `code` link][pypi] and ![the logo][logo]",
    "[![the logo][logo]][gnu-make] an image in a link",
    "[odd target][odd] with spaces, parentheses and an entity",
    "[a relative page][setup] loses its anchor as an inline one does",
    "[undefined][missing] and [missing] stay as written",
    "[inline](https://example.org) and [ref][pypi] side by side",
    "`[code][pypi]` is code",
    "[Anaconda](not a destination) falls back to the shortcut",
]


BLOCK_CASES = [
    "[GNU Make][gnu-make] is a free\nMake implementation.",
    "First paragraph.\n\nSecond, with [PyPI].",
    "- one [Anaconda][]\n- two [GNU Make][gnu-make]\n  and [PyPI] on a second line",
    "> quoted [PyPI]\n> and [GNU Make][gnu-make]",
    "Run:\n\n```\necho [x][pypi]\n```\n\nthen [PyPI].",
    "    indented [x][pypi] code\n\nand [PyPI].",
    "| a | b |\n|---|---|\n| [PyPI] | [GNU Make][gnu-make] |",
    "[missing] only",
]


@pytest.mark.parametrize(
    ("markdown", "inline"),
    [*((case, True) for case in INLINE_CASES), *((case, False) for case in BLOCK_CASES)],
)
def test_a_field_renders_as_the_page_shows_it(markdown: str, inline: bool) -> None:
    """An inline field (a front, a term) and a block field (a back), each rendered as the
    lesson's page renders the same Markdown with its link definitions."""
    resolve = reflinks.resolve_inline if inline else reflinks.resolve_block
    render = inline_html if inline else block_html
    assert render(resolve(markdown, REFERENCES)) == _page(markdown, inline=inline)


def test_code_is_never_rewritten() -> None:
    markdown = "Run:\n\n```\necho [x][pypi]\n```\n\nthen [PyPI]."
    assert "echo [x][pypi]" in reflinks.resolve_block(markdown, REFERENCES)


def test_text_without_references_is_left_as_it_is() -> None:
    for markdown in ("plain", "[missing] only", "[inline](https://example.org)"):
        assert reflinks.resolve_inline(markdown, REFERENCES) == markdown
        assert reflinks.resolve_block(markdown, REFERENCES) == markdown
    assert reflinks.resolve_inline("[PyPI]", {}) == "[PyPI]"


def _lesson_items(text: str) -> dict[str, object]:
    lesson = decode_lesson(text.encode(), Path("lessons/build-tools.md"), "build-tools")
    extraction = extract_lesson(lesson, Config().extract)
    return {keyed.item.key: (keyed, lesson) for keyed in extraction.items}


def _fields(text: str) -> dict[str, dict[str, str]]:
    fields = {}
    for key, (keyed, _) in _lesson_items(text).items():
        note = render_item(keyed, "course", "build-tools", "Lesson 01")
        fields[key] = dict(zip(note.notetype.fields, note.fields, strict=True)) | {
            "guid": note.guid
        }
    return fields


def test_a_lessons_definitions_reach_its_cards_before_and_after_their_use() -> None:
    fields = _fields(FIXTURE.read_text(encoding="utf-8"))
    gnu = '<a href="https://www.gnu.org/software/make/">GNU Make</a>'
    assert fields["Make"]["Definition"] == f"a build tool; see {gnu} for the manual."
    assert fields["Conda"]["Definition"] == (
        "the package manager that ships with "
        '<a href="https://www.anaconda.com/" title="Anaconda\'s site">Anaconda</a>.'
    )
    assert fields["Pip"]["Definition"].startswith('installs packages from <a href="https://pypi')
    assert fields["Tool = Make"]["Answer"] == f"written in C, see {gnu}"
    question = fields["Where does [Anaconda] install its packages?"]["Question"]
    assert question.startswith('Where does <a href="https://www.anaconda.com/"')
    # As CommonMark reads them: no definition, no link; a target that is no web page, text.
    assert fields["Ninja"]["Definition"] == "a small build system, unlike [CMake][missing-label]."
    assert fields["Trap"]["Definition"] == "a link to [our runner][evil] that must stay inert."
    assert fields["Relative"]["Definition"] == "see the setup page for details."


def test_keys_and_guids_do_not_depend_on_the_definitions() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    without = "\n".join(line for line in text.split("\n") if "]: " not in line)
    assert "[gnu-make]:" not in without
    with_definitions, without_definitions = _fields(text), _fields(without)
    assert with_definitions.keys() == without_definitions.keys()
    for key, fields in with_definitions.items():
        assert fields["guid"] == without_definitions[key]["guid"], key


def test_items_stay_as_written_where_the_lesson_defines_nothing() -> None:
    text = FIXTURE.read_text(encoding="utf-8")
    without = "\n".join(line for line in text.split("\n") if "]: " not in line)
    for keyed, lesson in _lesson_items(without).values():
        assert not lesson.references
        assert reflinks.resolve(keyed.item, lesson.references) is keyed.item


@pytest.mark.slow
def test_reference_links_through_the_cli_and_real_anki(project: Path, run, anki_collection) -> None:
    shutil.copy(FIXTURE, project / "lessons" / "02-build-tools.md")
    first = run("build")
    assert first.exit_code == 0, first.output
    deck = project / "decks" / "02-build-tools.apkg"
    built = deck.read_bytes()
    # Built again from the cache: the same deck, and check finds nothing stale.
    assert run("build").exit_code == 0
    assert deck.read_bytes() == built
    assert run("check").exit_code == 0

    collection = anki_collection()
    log = import_apkg(collection, deck).log
    assert log.new and not log.duplicate and not log.conflicting
    make = collection.get_note(collection.find_notes('"Term:Make"')[0])
    assert make["Definition"] == (
        'a build tool; see <a href="https://www.gnu.org/software/make/">GNU Make</a> for the '
        "manual."
    )
    ninja = collection.get_note(collection.find_notes('"Term:Ninja"')[0])
    assert ninja["Definition"] == "a small build system, unlike [CMake][missing-label]."
    for note_id in collection.find_notes(""):
        for value in collection.get_note(note_id).values():
            assert "javascript:" not in value.lower()
            assert "][gnu-make]" not in value and "[Anaconda][]" not in value


def test_an_excerpt_shows_a_reference_as_its_text() -> None:
    excerpt = "See [GNU Make][gnu-make], [Anaconda][] and [PyPI]; not [missing] or [x][nope]."
    assert reflinks.resolve_text(excerpt, REFERENCES) == (
        "See GNU Make, Anaconda and PyPI; not [missing] or [x][nope]."
    )
