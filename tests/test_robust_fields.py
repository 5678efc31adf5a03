"""Untrusted lesson text through the real CLI and the real Anki engine: no markup gets in, the
formatting authors mean still renders, and referenced images travel inside the deck."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser
from pathlib import Path

from deckgen.apkg import read_apkg

from .conftest import import_apkg

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    '<iframe src="https://evil.example"></iframe>',
    "<style>*{display:none}</style>",
    '<a href="https://ok.example" onclick="alert(3)">x</a>',
    "<svg onload=alert(4)>",
    "[js](javascript:alert(5))",
    "[jsmixed]( JaVaScRiPt:alert(6))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)",
    "<javascript:alert(8)>",
    "![pic](javascript:alert(9))",
)
EVIL = " ".join(PAYLOADS)

# Every place lesson text reaches a field: title and headings (breadcrumb, context, salary
# role/level), definition term/body/nested list, table headers and cells (2- and 3-column),
# salary focus/skills, question text and the excerpt of the section that answers it.
HOSTILE_LESSON = f"""# Lesson 09: Hostile <script>alert(0)</script>

## Glossary <img src=x onerror=alert(10)>

- **Term & "Co":** body {EVIL} with **bold**, *italic*, `code` and [a link](https://example.com/docs)
  - nested {EVIL}

**Widget** is a thing that {EVIL}

## Tools vs Toys {EVIL}

| Tool {EVIL} | Toy {EVIL} |
|---|---|
| Hammer {EVIL} | Rattle {EVIL} |

| Name | Kind {EVIL} | Use |
|---|---|---|
| Saw {EVIL} | cutting {EVIL} | wood {EVIL} |

## Careers

### Entry Level: Engineer <script>alert(11)</script>

**Salary:** $100k-$150k USD
**Focus:** Pipelines {EVIL}
**Skills:** Python {EVIL}

## Hostile answers

The hostile section explains hostile answers {EVIL}

## Self-Check Questions

1. What are hostile answers <script>q()</script>?
"""

ALLOWED_TAGS = {"strong", "em", "code", "a", "ul", "ol", "li", "p", "dl", "dt", "dd", "br", "img"}


class _Markup(HTMLParser):
    """Every element and attribute in a field, as the browser inside Anki would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Markup()
    parser.feed(html)
    parser.close()
    return parser.elements


def _all_fields(collection) -> list[str]:
    return [
        value for nid in collection.find_notes("") for value in collection.get_note(nid).values()
    ]


def test_no_field_carries_markup_from_the_lesson(project: Path, run, anki_collection) -> None:
    lesson = project / "lessons" / "09-hostile.md"
    lesson.write_text(HOSTILE_LESSON, encoding="utf-8")
    result = run("build", "lessons/09-hostile.md")
    assert result.exit_code == 0, result.output
    assert "2 definitions, 2 comparisons, 1 salary band, 1 question" in result.stdout

    collection = anki_collection()
    import_apkg(collection, project / "decks" / "09-hostile.apkg")
    kinds = {collection.get_note(n).note_type()["name"] for n in collection.find_notes("")}
    assert kinds == {
        "deckgen Definition",
        "deckgen Comparison",
        "deckgen Salary Band",
        "deckgen Self-Check",
    }
    fields = _all_fields(collection)
    for value in fields:
        for tag, attrs in _elements(value):
            assert tag in ALLOWED_TAGS, (tag, value)
            assert tag != "img", value  # no image is packed here, so none may show
            assert all(not name.startswith("on") and name != "style" for name in attrs), value
            if tag == "a":
                assert set(attrs) == {"href"} and attrs["href"].startswith("https://"), value
        assert "<script" not in value.lower(), value

    # What the learner sees: the payloads as text, and the author's formatting as formatting.
    term = collection.get_note(collection.find_notes('"Term:Term*"')[0])
    # Terms with < or > are not concepts (extractors skip them); entities and & stay text.
    assert term["Term"] == "Term &amp; &quot;Co&quot;"

    definition = term["Definition"]
    assert "&lt;img src=x onerror=alert(2)&gt;" in definition
    assert "<strong>bold</strong>, <em>italic</em>, <code>code</code>" in definition
    assert '<a href="https://example.com/docs">a link</a>' in definition
    assert "<ul>\n<li>nested " in definition
    # The anchors of unsafe links are gone; their text stays.
    assert "[js](javascript:alert(5))" in definition and "data:text/html" in definition
    assert "Lesson 09 › Glossary &lt;img src=x onerror=alert(10)&gt;" in term["Source"]

    band = collection.get_note(collection.find_notes('"note:deckgen Salary Band"')[0])
    assert band["Role"] == "Engineer &lt;script&gt;alert(11)&lt;/script&gt;"
    assert band["Focus"].startswith("Pipelines &lt;script&gt;")

    question = collection.get_note(collection.find_notes('"note:deckgen Self-Check"')[0])
    assert question["Question"] == "What are hostile answers &lt;script&gt;q()&lt;/script&gt;?"
    assert question["AnswerSection"] == "Hostile answers"
    assert "explains hostile answers &lt;script&gt;alert(1)&lt;/script&gt;" in question["Excerpt"]

    names = {d.name for d in collection.decks.all_names_and_ids()}
    assert "AI Infrastructure Engineer::Lesson 09: Hostile <script>alert(0)</script>" in names

    # Anki's own renderer (templates + fields) produces no script from the lesson either.
    for card_id in collection.find_cards(""):
        card = collection.get_card(card_id)
        for side in (card.question(), card.answer()):
            assert "<script>alert" not in side and "onerror=" not in side.replace(
                "onerror=alert(2)&gt;", ""
            ).replace("onerror=alert(10)&gt;", "")


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"diagram-one"
OTHER_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"diagram-two"


def _lesson_with_image(folder: Path, title: str, image: bytes, extra: str = "") -> Path:
    (folder / "images").mkdir(parents=True)
    (folder / "images" / "x.png").write_bytes(image)
    lesson = folder / "lesson.md"
    lesson.write_text(
        f"# {title}\n\n## Shapes\n\n"
        f"- **Pipeline:** the flow, as drawn: ![diagram](images/x.png)\n{extra}",
        encoding="utf-8",
    )
    return lesson


def test_images_are_packed_by_content_and_reach_the_collection(
    project: Path, run, anki_collection
) -> None:
    lessons = project / "lessons"
    _lesson_with_image(lessons / "mod-a", "Lesson A", PNG)
    # Same relative name, different picture: must not overwrite A's in the collection.
    _lesson_with_image(lessons / "mod-b", "Lesson B", OTHER_PNG)
    result = run("build", "lessons/mod-a", "lessons/mod-b")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    # check regenerates the decks with their media, so an unchanged course is not stale.
    assert run("check", "lessons/mod-a", "lessons/mod-b").exit_code == 0

    collection = anki_collection()
    for module in ("mod-a", "mod-b"):
        import_apkg(collection, project / "decks" / module / "lesson.apkg")
    media_dir = Path(collection.media.dir())
    for image, lesson_deck in ((PNG, "Lesson A"), (OTHER_PNG, "Lesson B")):
        name = hashlib.sha256(image).hexdigest()[:32] + ".png"
        assert (media_dir / name).read_bytes() == image
        note_id = collection.find_notes(f'"deck:*::{lesson_deck}"')[0]
        definition = collection.get_note(note_id)["Definition"]
        assert definition == f'the flow, as drawn: <img src="{name}" alt="diagram" />'
    # Anki agrees every referenced file is present and none is unused.
    check = collection.media.check()
    assert not check.missing and not check.unused

    # A redrawn picture is a changed deck: check sees the media, not just the fields.
    (lessons / "mod-a" / "images" / "x.png").write_bytes(PNG + b"redrawn")
    assert run("check", "lessons/mod-a").exit_code == 1


def test_images_that_are_not_packed_get_a_warning_with_file_and_line(project: Path, run) -> None:
    outside = project / "outside.png"
    outside.write_bytes(PNG)
    (project / "lessons" / "notes.txt").write_text("not a picture")
    (project / "lessons" / "link.png").symlink_to(outside)
    refs = (
        "![escape](../../outside.png)",
        "![link](../link.png)",
        "![abs](/etc/passwd)",
        "![url](https://example.com/x.png)",
        "![missing](images/none.png)",
        "![text](../notes.txt)",
    )
    extra = "".join(f"- **Ref{i}:** see {ref}\n" for i, ref in enumerate(refs))
    _lesson_with_image(project / "lessons" / "mod", "Lesson M", PNG, extra)
    result = run("build", "lessons/mod")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "lessons/mod/lesson.md:6: warning: image '../../outside.png' is outside the lessons "
        "directory, not packed",
        # A symlink inside the lessons directory is judged by where it leads.
        "lessons/mod/lesson.md:7: warning: image '../link.png' is outside the lessons "
        "directory, not packed",
        "lessons/mod/lesson.md:8: warning: image '/etc/passwd' is an absolute path, not packed",
        "lessons/mod/lesson.md:9: warning: image 'https://example.com/x.png' is a URL, not "
        "packed (cards must work offline)",
        "lessons/mod/lesson.md:10: warning: image 'images/none.png' not found",
        "lessons/mod/lesson.md:11: warning: image '../notes.txt' is not an image file, not packed",
    ]
    deck = read_apkg(project / "decks" / "mod" / "lesson.apkg")
    definitions = {note.fields[0]: note.fields[1] for note in deck.notes.values()}
    assert definitions["Ref0"] == "see escape"  # the alt text stands in for the image
    assert definitions["Ref3"] == "see url"
    assert len(deck.media) == 1  # only images/x.png, the one legitimate reference


def test_a_changed_or_added_image_reaches_the_deck_though_the_lesson_did_not_change(
    project: Path, run
) -> None:
    lesson = _lesson_with_image(
        project / "lessons" / "mod", "Lesson M", PNG, "- **Late:** ![l](images/late.png)\n"
    )
    deck_path = project / "decks" / "mod" / "lesson.apkg"
    assert run("build", "lessons/mod").exit_code == 0
    assert len(read_apkg(deck_path).media) == 1
    before = lesson.read_bytes()

    # Neither edit touches the lesson, whose plan the build cache keeps.
    (lesson.parent / "images" / "x.png").write_bytes(OTHER_PNG)
    (lesson.parent / "images" / "late.png").write_bytes(PNG)
    result = run("build", "lessons/mod")
    assert result.exit_code == 0, result.output
    assert lesson.read_bytes() == before
    names = {hashlib.sha256(data).hexdigest()[:32] + ".png" for data in (PNG, OTHER_PNG)}
    assert set(read_apkg(deck_path).media) == names
