"""`deckgen preview`: every card of some lessons, front and back, on one self-contained HTML page.

Cards are rendered from the same note-type templates and CSS that go into the `.apkg` (see
template.py), and a card exists exactly when the package gives the note that card, so authors
see what learners will see, in day and night mode, without Anki, a server or the network.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from deckgen import template
from deckgen.atomic import atomic_write
from deckgen.builder import LessonDeck, plan_draft
from deckgen.config import Config
from deckgen.diagnostics import ConfigError, DeckgenError, Diagnostic
from deckgen.extract import EXTRACTORS
from deckgen.layout import discover
from deckgen.notetypes import NOTE_TYPES
from deckgen.package import card_ordinals
from deckgen.render import Note

KIND_HEADINGS = {
    "definition": "Definitions",
    "comparison": "Comparisons",
    "salary": "Salary bands",
    "question": "Self-check questions",
}
_KIND_OF_NOTETYPE = {notetype.name: kind for kind, notetype in NOTE_TYPES.items()}


@dataclass(frozen=True)
class PreviewCard:
    """One card as Anki shows it: the note, which template made it, and both sides as HTML."""

    note: Note
    ordinal: int
    front: str
    back: str

    @property
    def kind(self) -> str:
        return _KIND_OF_NOTETYPE[self.note.notetype.name]

    @property
    def template_name(self) -> str:
        return self.note.notetype.templates[self.ordinal].name


@dataclass(frozen=True)
class LessonPreview:
    deck: LessonDeck
    cards: tuple[PreviewCard, ...]
    path: str  # inside the course project when the lesson is; as given otherwise


@dataclass(frozen=True)
class PreviewPage:
    lessons: tuple[LessonPreview, ...]
    output: Path
    written: bool  # False when the file already held exactly this page
    skipped: tuple[Diagnostic, ...] = ()  # what finding the lessons passed over

    @property
    def summary(self) -> str:
        return summary(self.lessons)

    @property
    def warnings(self) -> list[Diagnostic]:
        lessons = self.lessons
        return [*self.skipped, *(warning for lesson in lessons for warning in lesson.deck.warnings)]


def note_cards(note: Note) -> tuple[PreviewCard, ...]:
    """The cards Anki makes from `note`, each side rendered the way Anki renders it."""
    fields = dict(zip(note.notetype.fields, note.fields, strict=True))
    cards = []
    for ordinal in card_ordinals(note):
        card_template = note.notetype.templates[ordinal]
        front = template.render(card_template.front, fields)
        back = template.render(card_template.back, fields, front_side=front)
        cards.append(PreviewCard(note, ordinal, front, back))
    return tuple(cards)


def plan_preview(
    paths: Sequence[Path], config: Config, skipped: list[Diagnostic] | None = None
) -> tuple[LessonPreview, ...]:
    """Read, extract and render the lessons, writing nothing. Like `list`, PATHS may lie
    outside the lessons directory: a preview is for drafts too. What finding the lessons
    passed over is added to `skipped`."""
    lessons = []
    found = discover(paths, config)
    if skipped is not None:
        skipped.extend(found.warnings)
    for path in found.lessons:
        deck = plan_draft(path, config)
        cards = tuple(card for note in deck.notes for card in note_cards(note))
        try:
            shown = path.resolve().relative_to(config.root.resolve()).as_posix()
        except ValueError:
            shown = str(path)
        lessons.append(LessonPreview(deck, cards, shown))
    return tuple(lessons)


def write_preview(paths: Sequence[Path], config: Config, output: Path) -> PreviewPage:
    skipped: list[Diagnostic] = []
    lessons = plan_preview(paths, config, skipped)
    try:
        written = atomic_write(output, preview_html(lessons).encode("utf-8"))
    except DeckgenError as error:  # the page's place is an option: a usage error
        raise ConfigError(output, None, error.diagnostic.message) from None
    return PreviewPage(lessons, output, written, tuple(skipped))


def preview_html(lessons: Sequence[LessonPreview]) -> str:
    """The whole page. Field HTML is already safe (render.py); every other text is escaped."""
    css = "\n".join(dict.fromkeys(notetype.css for notetype in NOTE_TYPES.values()))
    nav = "".join(
        f'<li><a href="#lesson-{number}">{escape(_lesson_title(lesson.deck))}</a> '
        f'<span class="pv-count">{len(lesson.cards)}</span></li>'
        for number, lesson in enumerate(lessons, 1)
    )
    body = "\n".join(_lesson_section(number, lesson) for number, lesson in enumerate(lessons, 1))
    return _PAGE.format(
        card_css=css,
        page_css=_PAGE_CSS,
        script=_SCRIPT,
        summary=escape(summary(lessons)),
        nav=f'<nav class="pv-nav"><ul>{nav}</ul></nav>' if len(lessons) > 1 else "",
        body=body or '<p class="pv-empty">No cards: these lessons hold nothing to study.</p>',
    )


def summary(lessons: Sequence[LessonPreview]) -> str:
    """`110 cards from 1 lesson`."""
    total = sum(len(lesson.cards) for lesson in lessons)
    return f"{_plural(total, 'card')} from {_plural(len(lessons), 'lesson')}"


def _lesson_title(deck: LessonDeck) -> str:
    return deck.deck_name.rsplit("::", 1)[-1]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _lesson_section(number: int, lesson: LessonPreview) -> str:
    groups = []
    for kind in EXTRACTORS:
        cards = [card for card in lesson.cards if card.kind == kind]
        if not cards:
            continue
        groups.append(
            f'<section class="pv-kind" data-group>\n'
            f"<h3>{escape(KIND_HEADINGS[kind])} "
            f'<span class="pv-count" data-total="{len(cards)}">{len(cards)}</span></h3>\n'
            + "\n".join(_card(card) for card in cards)
            + "\n</section>"
        )
    return (
        f'<section class="pv-lesson" id="lesson-{number}" data-group>\n'
        f"<h2>{escape(_lesson_title(lesson.deck))} "
        f'<span class="pv-count" data-total="{len(lesson.cards)}">{len(lesson.cards)}</span></h2>\n'
        f'<p class="pv-path">{escape(lesson.path)}</p>\n' + "\n".join(groups) + "\n</section>"
    )


def _card(card: PreviewCard) -> str:
    where = f"line {card.note.source.line} · " if card.note.source else ""
    card_class = f"card card{card.ordinal + 1}"  # the classes Anki gives the card's <body>
    return (
        '<article class="pv-card">\n'
        f'<p class="pv-meta">{escape(where)}{escape(card.note.notetype.name)} › '
        f"{escape(card.template_name)}</p>\n"
        '<div class="pv-sides">\n'
        f'<div class="pv-side"><p class="pv-label">Front</p>'
        f'<div class="{card_class} pv-front">{card.front}</div></div>\n'
        f'<div class="pv-side"><p class="pv-label">Back</p>'
        f'<div class="{card_class} pv-back">{card.back}</div></div>\n'
        "</div>\n</article>"
    )


# The page's own chrome: `pv-` classes, so it never restyles the cards.
_PAGE_CSS = """\
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef1f4; color: #1f2328;
  font: 15px/1.4 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
.pv-bar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 8px 12px;
  align-items: center; padding: 10px 16px; background: #ffffff;
  border-bottom: 1px solid #d1d9e0; }
.pv-bar h1 { font-size: 17px; margin: 0; }
.pv-status { color: #59636e; }
.pv-tools { display: flex; gap: 8px; margin-left: auto; flex: 1 1 260px;
  justify-content: flex-end; }
.pv-tools input { flex: 1; min-width: 0; max-width: 360px; font: inherit; padding: 6px 10px;
  border: 1px solid #d1d9e0; border-radius: 6px; background: #fff; color: inherit; }
.pv-tools button { font: inherit; padding: 6px 12px; border: 1px solid #d1d9e0; border-radius: 6px;
  background: #f6f8fa; color: inherit; cursor: pointer; white-space: nowrap; }
main { max-width: 1180px; margin: 0 auto; padding: 8px 16px 48px; }
.pv-nav ul { margin: 8px 0; padding-left: 1.2em; columns: 2 320px; }
.pv-lesson > h2 { font-size: 21px; margin: 24px 0 2px; }
.pv-path { margin: 0 0 8px; color: #59636e; font-size: 13px; overflow-wrap: anywhere; }
.pv-kind > h3 { font-size: 15px; text-transform: uppercase; letter-spacing: .06em; color: #59636e;
  margin: 20px 0 8px; }
.pv-count { font-weight: 400; font-size: 13px; color: #59636e; background: #dde3e9;
  border-radius: 10px; padding: 1px 8px; letter-spacing: 0; }
.pv-card { margin: 0 0 16px; }
.pv-lesson, .pv-kind > h3, .pv-card { scroll-margin-top: 96px; }
.pv-meta { margin: 0 0 4px; font-size: 12px; color: #59636e; overflow-wrap: anywhere; }
.pv-sides { display: grid; grid-template-columns: 1fr 1fr; gap: 10px; align-items: start; }
.pv-side { border: 1px solid #d1d9e0; border-radius: 10px; overflow: hidden; background: #fff; }
.pv-label { margin: 0; padding: 3px 10px; font-size: 11px; text-transform: uppercase;
  letter-spacing: .08em; color: #59636e; border-bottom: 1px solid #d1d9e0; }
.pv-side > .card { max-width: none; }
.pv-empty { margin: 48px 0; text-align: center; color: #59636e; }
[hidden] { display: none !important; }
@media (max-width: 720px) {
  .pv-sides { grid-template-columns: 1fr; }
  main { padding: 4px 8px 32px; }
  .pv-bar { padding: 8px; }
}
body.nightMode { background: #010409; color: #e6edf3; }
.nightMode .pv-bar { background: #0d1117; border-color: #3d444d; }
.nightMode .pv-tools input, .nightMode .pv-tools button { background: #151b23;
  border-color: #3d444d; }
.nightMode .pv-side { border-color: #3d444d; background: #0d1117; }
.nightMode .pv-label { border-color: #3d444d; }
.nightMode .pv-status, .nightMode .pv-path, .nightMode .pv-meta, .nightMode .pv-label,
.nightMode .pv-kind > h3, .nightMode .pv-empty { color: #9198a1; }
.nightMode .pv-count { background: #262c36; color: #9198a1; }
.nightMode a { color: #4493f8; }
"""

# Filtering matches every word against a card's text; counts show "shown / total" while filtering.
_SCRIPT = """\
"use strict";
const cards = Array.from(document.querySelectorAll(".pv-card"));
const texts = cards.map((card) => card.textContent.toLowerCase());
const filter = document.getElementById("pv-filter");
const status = document.getElementById("pv-status");
const theme = document.getElementById("pv-theme");
function applyFilter() {
  const words = filter.value.toLowerCase().split(/\\s+/).filter(Boolean);
  let shown = 0;
  cards.forEach((card, index) => {
    card.hidden = !words.every((word) => texts[index].includes(word));
    if (!card.hidden) shown += 1;
  });
  for (const group of document.querySelectorAll("[data-group]")) {
    const count = group.querySelectorAll(".pv-card:not([hidden])").length;
    group.hidden = count === 0;
    const badge = group.querySelector(".pv-count");
    badge.textContent = words.length ? count + " / " + badge.dataset.total : badge.dataset.total;
  }
  status.textContent = words.length
    ? shown + " of " + cards.length + " cards match"
    : status.dataset.summary;
}
filter.addEventListener("input", applyFilter);
theme.addEventListener("click", () => {
  const night = document.body.classList.toggle("nightMode");
  document.body.classList.toggle("night_mode", night);
  theme.setAttribute("aria-pressed", String(night));
  theme.textContent = night ? "Day mode" : "Night mode";
});
"""

_PAGE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; img-src data: http: https:; style-src 'unsafe-inline'; \
script-src 'unsafe-inline'">
<title>deckgen preview</title>
<style>
{card_css}
</style>
<style>
{page_css}</style>
</head>
<body>
<header class="pv-bar">
<h1>deckgen preview</h1>
<span class="pv-status" id="pv-status" data-summary="{summary}">{summary}</span>
<div class="pv-tools">
<input id="pv-filter" type="search" placeholder="Filter cards…" aria-label="Filter cards">
<button id="pv-theme" type="button" aria-pressed="false">Night mode</button>
</div>
</header>
<main>
{nav}
{body}
</main>
<script>
{script}</script>
</body>
</html>
"""
