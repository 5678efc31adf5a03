"""Items -> Anki notes: fields as safe HTML, tags, and the stable GUID.

Lesson text is untrusted: Anki runs card HTML and JavaScript. Fields are rendered by a Markdown
parser with raw HTML disabled, so `<script>` in a lesson arrives as text; only http(s) and
mailto links keep their anchor, and an image is shown only when it is packed with the deck.
Anki's own directives (`[sound:…]`, `[latex]…`) arrive as text too (`neutralized`), and math
arrives as MathJax (deckgen.texmath). docs/security.md lists each threat and its test.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from deckgen import identity, shortcuts
from deckgen.items import (
    ComparisonRow,
    Definition,
    Item,
    SalaryBand,
    SelfCheckQuestion,
    SourceRef,
)
from deckgen.lesson import text_of
from deckgen.media import LessonMedia
from deckgen.notetypes import NOTE_TYPES, NoteType

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

    from deckgen.apkg import StoredNote

_SAFE_LINK = re.compile(r"^(?:https?:|mailto:)", re.I)


def _vet_targets(state: StateCore) -> None:
    """Links keep their anchor only for http(s)/mailto; images only when packed with the deck.

    Runs after inline parsing, on every render, so no field can bypass it. The parser's own
    validateLink (no javascript:, vbscript:, file:, data:) stays on underneath as a second wall.
    """
    from markdown_it.token import Token

    media: LessonMedia | None = state.env.get("media")
    line: int = state.env.get("line", 0)
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        vetted: list[Token] = []
        dropped_anchor = False
        for child in block.children:
            if child.type == "link_open" and not _SAFE_LINK.match(str(child.attrGet("href"))):
                dropped_anchor = True  # links do not nest: the next link_close is its own
            elif child.type == "link_close" and dropped_anchor:
                dropped_anchor = False
            elif child.type == "image":
                name = media.pack(str(child.attrGet("src")), line) if media else None
                if name is None:
                    alt = Token("text", "", 0)
                    alt.content = text_of(child.children or [])
                    vetted.append(alt)
                else:
                    child.attrSet("src", name)
                    vetted.append(child)
            else:
                vetted.append(child)
        block.children = vetted


def field_syntax() -> MarkdownIt:
    """A new parser of the Markdown a card field holds: CommonMark without raw HTML, with
    tables and math. Built on first use, so that loading cached notes does not import
    markdown-it."""
    from markdown_it import MarkdownIt

    from deckgen.texmath import math_plugin

    parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    parser.use(math_plugin)
    return parser


@cache
def _field_parser() -> MarkdownIt:
    parser = field_syntax()
    parser.core.ruler.push("deckgen_vet_targets", _vet_targets)
    return parser


# What Anki reads out of a field's HTML before it shows a card (rslib: card_rendering/parser.rs,
# latex.rs): `[sound:f]` plays the file f, `[anki:tts]…[/anki:tts]` speaks, and `[latex]…`,
# `[$]…` and `[$$]…` (in any case) become LaTeX images. Anki matches the raw HTML, so the
# bracket written as `&#91;` shows the same but no longer opens anything. Applied to the HTML,
# not the Markdown, because the parser itself turns `\[` and `&#91;` into a bare `[`.
_ANKI_DIRECTIVE = re.compile(r"\[(?=sound:|/?anki:|/?latex\]|/?\$\$?\])", re.I)


def neutralized(field: str) -> str:
    """A field's HTML with no Anki directive left in it; its visible text is unchanged."""
    return _ANKI_DIRECTIVE.sub("&#91;", field) if "[" in field else field


RETIRED_TAG = "deckgen::removed"
RETIRED_NOTICE = (
    '<div class="removed">Removed from the course: this note is no longer in the lesson. '
    "Find every such note with <code>tag:deckgen::removed</code> and delete it when you "
    "like.</div>"
)


@dataclass(frozen=True)
class Note:
    """One Anki note, ready to package: every field is HTML safe to show in a card."""

    guid: str
    notetype: NoteType
    fields: tuple[str, ...]
    tags: tuple[str, ...]
    source: SourceRef | None  # None for a retired note kept from an earlier build

    def field(self, name: str) -> str:
        return self.fields[self.notetype.field_index(name)]

    @property
    def sort_field(self) -> str:
        return self.fields[0]


@dataclass(frozen=True)
class FieldContext:
    """What rendering one item's fields needs beyond its Markdown: where images come from."""

    media: LessonMedia | None = None
    line: int = 0  # the item's line, for warnings about its images

    def env(self) -> dict[str, object]:
        return {"media": self.media, "line": self.line}


_NO_MEDIA = FieldContext()


def inline_html(markdown: str, context: FieldContext = _NO_MEDIA) -> str:
    """One line of lesson Markdown (bold, code, links) as HTML, raw HTML escaped."""
    text = markdown.strip()
    plain = shortcuts.inline_html(text)
    if plain is not None:
        return plain
    return _field_parser().renderInline(text, context.env()).strip()


def block_html(markdown: str, context: FieldContext = _NO_MEDIA) -> str:
    """Lesson Markdown that may hold lists or paragraphs; a lone paragraph loses its <p>."""
    text = markdown.strip()
    plain = shortcuts.block_html(text)
    if plain is not None:
        return plain
    rendered = _field_parser().render(text, context.env()).strip()
    if rendered.startswith("<p>") and rendered.endswith("</p>") and rendered.count("<p>") == 1:
        return rendered[3:-4]
    return rendered


def text_html(text: str) -> str:
    return html.escape(text, quote=False)


@lru_cache(maxsize=1024)  # every note of one kind in a lesson has the same tags
def tags_for(lesson_slug: str, kind: str) -> tuple[str, ...]:
    """`deckgen::lesson::<slug>` (folders become tag levels), `deckgen::kind::<kind>`."""
    parts = [re.sub(r"\s+", "_", part) for part in lesson_slug.split("/")]
    tags = [f"deckgen::lesson::{'::'.join(parts)}", f"deckgen::kind::{kind}"]
    if len(parts) > 1:
        tags.append(f"deckgen::module::{'::'.join(parts[:-1])}")
    return tuple(sorted(tags))


def breadcrumb(lesson_label: str, section: tuple[str, ...]) -> str:
    return text_html(" › ".join((lesson_label, *section)))


def render_item(
    keyed: identity.KeyedItem,
    course_id: str,
    lesson_slug: str,
    lesson_label: str,
    media: LessonMedia | None = None,
    identity_slug: str | None = None,
) -> Note:
    """`media` collects the images the fields show; without it, images show their alt text.
    `identity_slug` is the slug the GUID hashes when the lesson moved (`Moves.origin`); tags
    follow where the lesson is now."""
    item = keyed.item
    notetype = NOTE_TYPES[item.kind]
    values = _FIELD_RENDERERS[type(item)](item, FieldContext(media, item.source.line))
    values["Source"] = breadcrumb(lesson_label, item.source.section)
    values.setdefault("Extra", "")
    return Note(
        guid=identity.note_guid(course_id, identity_slug or lesson_slug, item.kind, keyed.identity),
        notetype=notetype,
        fields=tuple(neutralized(values[name]) for name in notetype.fields),
        tags=tags_for(lesson_slug, item.kind),
        source=item.source,
    )


def retired_note(stored: StoredNote) -> Note | None:
    """A note whose item left the lesson, kept with a notice on its back and a tag.

    Idempotent: a note already retired comes back unchanged, so its `mod` and the deck's
    bytes stay put in later builds. None when its note type is no longer one of deckgen's
    (the note could not be written back faithfully).
    """
    notetype = next((t for t in NOTE_TYPES.values() if t.id == stored.notetype_id), None)
    if notetype is None or len(notetype.fields) != len(stored.fields):
        return None
    # Written by an earlier deckgen, or by anyone: `decks/` is untrusted too.
    fields = [neutralized(field) for field in stored.fields]
    if RETIRED_TAG not in stored.tags:
        extra = notetype.field_index("Extra")
        fields[extra] = "".join((fields[extra], RETIRED_NOTICE))
    return Note(
        guid=stored.guid,
        notetype=notetype,
        fields=tuple(fields),
        tags=tuple(sorted({*stored.tags, RETIRED_TAG})),
        source=None,
    )


# `## 🌐 2.1 Dashboard Taxonomy (45 min)`: an outline number, a duration or score and emoji
# place a section in its lesson; on a card, away from the outline, only its name says anything.
_OUTLINE_NUMBER = re.compile(r"^(?:\d+(?:\.\d+)+\.?|\d+[.)])\s+(?=\S)")
_TIME_OR_SCORE = re.compile(
    r"\s*\([^()\d]*\d[^()]*\b(?:min|mins|minutes?|hours?|hrs?|points?|pts)\b[^()]*\)$", re.I
)


def _symbol(char: str) -> bool:
    """An emoji or pictograph, or what joins and varies them (`\u200d`, `\ufe0f`)."""
    return unicodedata.category(char) == "So" or char in "\u200d\ufe0f"


@lru_cache(maxsize=4096)  # a lesson's items share a few sections, rendered again on each load
def _section_name(title: str) -> str:
    """A section's title as a card's context shows it, without what only places it."""
    name = "".join(char for char in title if not _symbol(char)).strip()
    name = _TIME_OR_SCORE.sub("", _OUTLINE_NUMBER.sub("", name))
    return " ".join(name.split()) or title


def _context(item: Item) -> str:
    return text_html(_section_name(item.source.section[-1])) if item.source.section else ""


def _definition_fields(item: Definition, context: FieldContext) -> dict[str, str]:
    return {
        "Term": inline_html(item.term, context),
        "Definition": block_html(item.body, context),
        "Context": _context(item) if not item.parent else _parent_context(item),
    }


def _parent_context(item: Definition) -> str:
    """`Leadership Skills › Leadership`: the section, then the label the term is nested under."""
    sections = [_section_name(title) for title in item.source.section[-1:]]
    return text_html(" › ".join((*sections, item.parent)))


# A table cell can break a line only with `<br>`; outside code it is a line break on the card
# too (Markdown's own hard break), not escaped text.
_CELL_BREAK = re.compile(r"(`+).*?\1|\s*<br\s*/?>\s*", re.I)
_EDGE_BREAKS = re.compile(r"^(?:\\\n)+|(?:\\\n)+$")


def _cell_markdown(markdown: str) -> str:
    broken = _CELL_BREAK.sub(lambda found: found[0] if found[1] else "\\\n", markdown.strip())
    return _EDGE_BREAKS.sub("", broken)


def _comparison_fields(item: ComparisonRow, context: FieldContext) -> dict[str, str]:
    def cell_html(markdown: str) -> str:
        return inline_html(_cell_markdown(markdown), context)

    if len(item.cells) == 2:
        answer_header, answer = cell_html(item.headers[1]), cell_html(item.cells[1])
    else:
        answer_header = ", ".join(cell_html(header) for header in item.headers[1:])
        answer = (
            '<dl class="cells">'
            + "".join(
                f"<dt>{cell_html(header)}</dt><dd>{cell_html(cell)}</dd>"
                for header, cell in zip(item.headers[1:], item.cells[1:], strict=False)
                if _cell_markdown(cell)
            )
            + "</dl>"
        )
    return {
        # `|  | AWS | GCP |`: a blank corner; the section names what the rows are.
        "KeyHeader": cell_html(item.headers[0]) or text_html(" ".join(item.source.section[-1:])),
        "Key": cell_html(item.cells[0]),
        "AnswerHeader": answer_header,
        "Answer": answer,
        "Context": _comparison_context(item),
        "Reverse": "y" if item.two_sided else "",
    }


_HEADING_WORD = re.compile(r"[^\W_]+")
# `Key Benefits` over `| Benefit |`: one word more than the header at most restates it.
_RESTATING_EXTRA = 1


def _heading_words(text: str) -> list[str]:
    return [word.lower().rstrip("s") for word in _HEADING_WORD.findall(text)]


def _comparison_context(item: ComparisonRow) -> str:
    """`ONNX › Key Benefits`: a two-column table (`| Benefit | Description |`) under a section
    whose title only restates its first header names an aspect, not whose it is; the section
    above it names the subject, as a definition's context names its parent."""
    section = item.source.section
    if len(section) > 1 and len(item.cells) == 2:
        header = set(_heading_words(item.header_texts[0]))
        title = _heading_words(section[-1])
        extra = [word for word in title if word not in header]
        if header & set(title) and len(extra) <= _RESTATING_EXTRA:
            return text_html(" › ".join(_section_name(name) for name in section[-2:]))
    return _context(item)


def format_band(item: SalaryBand) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(item.currency, "")

    def money(value: int) -> str:
        return f"{symbol}{value:,}" if symbol else f"{value:,}"

    if item.max is None:
        text = f"{money(item.min)}+"
    else:
        text = f"{money(item.min)} – {money(item.max)}{'+' if item.open_ended else ''}"
    return f"{text} {item.currency}"


def _salary_fields(item: SalaryBand, context: FieldContext) -> dict[str, str]:
    return {
        "Role": text_html(item.role),
        "Level": text_html(item.level),
        "Band": text_html(format_band(item)),
        "Min": str(item.min),
        "Max": "" if item.max is None else str(item.max),
        "Currency": text_html(item.currency),
        "Focus": inline_html(item.focus, context),
        "Skills": inline_html(item.skills, context),
    }


def _question_fields(item: SelfCheckQuestion, context: FieldContext) -> dict[str, str]:
    return {
        # A multiple-choice question holds its options as a list below a blank line.
        "Question": (block_html if "\n\n" in item.question else inline_html)(
            item.question, context
        ),
        "Answer": block_html(item.answer, context) if item.answer else "",
        "AnswerSection": text_html(" › ".join(item.answer_section or ())),
        "Excerpt": text_html(item.excerpt),
    }


_FIELD_RENDERERS = {
    Definition: _definition_fields,
    ComparisonRow: _comparison_fields,
    SalaryBand: _salary_fields,
    SelfCheckQuestion: _question_fields,
}
