"""The four Anki note types: fields, card templates and CSS, with ids fixed by their names.

Field and template names are published once and kept: Anki treats a note type whose fields or
template names changed under the same id as a different note type, and refuses to update its
notes. So every type has the fields later features need (the source reference, an Extra field)
from the start. Template wording and CSS may change: a newer note-type mod carries them to
learners (see regenerate.notetype_modification_times).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from deckgen import identity

# One stylesheet for every note type. System fonts only (no download: cards work offline), a
# single column that reads at 360 px, and `.nightMode` (which Anki puts on the card's <body>,
# itself `.card`) for night mode. On the back, the repeated question steps back and the answer
# leads; the source breadcrumb comes last, small and muted.
CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; color: #1f2328; background: #ffffff;
  text-align: left; max-width: 36em; margin: 0 auto; padding: 14px 18px;
  overflow-wrap: break-word; word-break: normal; -webkit-text-size-adjust: 100%;
}
.head { display: flex; flex-wrap: wrap; align-items: baseline; gap: .1em .6em;
  font-size: 13px; line-height: 1.4; color: #59636e; }
.kind { font-weight: 600; letter-spacing: .08em; text-transform: uppercase; color: #8250df; }
.prompt { font-size: 1.2em; font-weight: 650; line-height: 1.3; margin: .3em 0 .1em; }
.prompt .side { font-weight: 500; color: #59636e; }
.prompt .to { color: #8250df; }
.prompt .level { white-space: nowrap; }
.asked .prompt { font-size: 1em; font-weight: 600; color: #59636e; }
.asked .prompt .to, .asked .kind { color: inherit; }
.answer { font-size: 1.05em; }
.answer p { margin: .35em 0; }
.answer ul, .answer ol { padding-left: 1.3em; margin: .3em 0; }
.answer li + li { margin-top: .2em; }
.band { font-size: 1.4em; font-weight: 700; font-variant-numeric: tabular-nums; }
.extra { margin-top: .7em; font-size: .9em; color: #3d444d; }
.label { font-weight: 600; }
.excerpt { border-left: 3px solid #d1d9e0; margin: .6em 0 0; padding: .1em .8em; color: #3d444d;
  font-size: .9em; }
.source { margin-top: 1.4em; font-size: 12px; line-height: 1.4; color: #818b98; }
.removed { margin-top: .8em; padding: .4em .6em; border-radius: 4px;
  background: #fff1e5; color: #9a3412; font-size: .85em; }
dl.cells { margin: .2em 0; }
dl.cells dt { font-size: .8em; font-weight: 600; color: #59636e; margin-top: .5em; }
dl.cells dd { margin-left: 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em;
  background: #eff2f5; border-radius: 4px; padding: .05em .3em; overflow-wrap: anywhere; }
pre { white-space: pre-wrap; }
pre code { display: block; padding: .6em; }
a { color: #0969da; }
hr#answer { border: 0; border-top: 1px solid #d1d9e0; margin: .7em 0; }
@media (max-width: 480px) { .card { font-size: 18px; padding: 10px 12px; } }
.nightMode.card, .night_mode.card, .nightMode .card, .night_mode .card {
  color: #e6edf3; background: #0d1117; }
.nightMode .kind, .night_mode .kind, .nightMode .prompt .to, .night_mode .prompt .to {
  color: #bc8cff; }
.nightMode .head, .night_mode .head, .nightMode .prompt .side, .night_mode .prompt .side,
.nightMode .asked .prompt, .night_mode .asked .prompt, .nightMode dl.cells dt,
.night_mode dl.cells dt { color: #9198a1; }
.nightMode .asked .prompt .to, .night_mode .asked .prompt .to, .nightMode .asked .kind,
.night_mode .asked .kind { color: inherit; }
.nightMode .source, .night_mode .source { color: #7d8590; }
.nightMode .extra, .night_mode .extra, .nightMode .excerpt, .night_mode .excerpt {
  color: #c9d1d9; border-color: #3d444d; }
.nightMode code, .night_mode code { background: #262c36; }
.nightMode a, .night_mode a { color: #4493f8; }
.nightMode .removed, .night_mode .removed { background: #3d1d0a; color: #ffb77c; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #3d444d; }
"""


def _front(kind: str, prompt: str, context: bool = True) -> str:
    """The kind (and section) as a small header line, then the one question."""
    head = f'<span class="kind">{kind}</span>'
    if context:
        head += '{{#Context}}<span class="context">{{Context}}</span>{{/Context}}'
    return f'<div class="head">{head}</div>\n<div class="prompt">{prompt}</div>'


def _back(answer: str) -> str:
    """The question again, toned down, then the answer, extra notes and the source."""
    return (
        '<div class="asked">{{FrontSide}}</div>\n<hr id="answer">\n'
        + answer
        + '\n{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'
        '\n<div class="source">{{Source}}</div>'
    )


@dataclass(frozen=True)
class Template:
    """One card of a note type: Anki's mustache templates for its front and back."""

    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    """Anki's "model": the fields a note has, and the cards made from them."""

    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    # The fields that say what the note is about (its identity key); `diff` labels notes by
    # them, and treats the rest as the back when it looks for renames.
    key_fields: tuple[str, ...] = ()
    css: str = CSS

    # Asked for every note a build packages; the hash behind it never changes.
    @cached_property
    def id(self) -> int:
        return identity.model_id(self.name)

    def field_index(self, field: str) -> int:
        return self.fields.index(field)


DEFINITION = NoteType(
    name="deckgen Definition",
    fields=("Term", "Definition", "Context", "Source", "Extra"),
    key_fields=("Term",),
    templates=(
        Template(
            "Term → Definition",
            front=_front("Definition", "{{Term}} — what is it?"),
            back=_back('<div class="answer">{{Definition}}</div>'),
        ),
    ),
)

COMPARISON = NoteType(
    name="deckgen Comparison",
    fields=("KeyHeader", "Key", "AnswerHeader", "Answer", "Context", "Reverse", "Source", "Extra"),
    key_fields=("KeyHeader", "Key"),
    templates=(
        Template(
            "Forward",
            front=_front(
                "Comparison",
                '<span class="side">{{KeyHeader}}:</span> {{Key}} '
                '<span class="to">→&nbsp;{{AnswerHeader}}?</span>',
            ),
            back=_back('<div class="answer">{{Answer}}</div>'),
        ),
        # Only true "A vs B" tables fill Reverse; Anki makes no card whose front renders empty.
        Template(
            "Reverse",
            front="{{#Reverse}}"
            + _front(
                "Comparison",
                '<span class="side">{{AnswerHeader}}:</span> {{Answer}} '
                '<span class="to">→&nbsp;{{KeyHeader}}?</span>',
            )
            + "{{/Reverse}}",
            back=_back('<div class="answer">{{Key}}</div>'),
        ),
    ),
)

SALARY = NoteType(
    name="deckgen Salary Band",
    fields=(
        "Role",
        "Level",
        "Band",
        "Min",
        "Max",
        "Currency",
        "Focus",
        "Skills",
        "Source",
        "Extra",
    ),
    key_fields=("Role",),
    templates=(
        Template(
            "Role → Band",
            front=_front(
                "Career",
                'Salary band: {{Role}}{{#Level}} <span class="level">({{Level}})</span>{{/Level}}',
                context=False,
            ),
            back=_back(
                '<div class="answer band">{{Band}}</div>\n'
                '{{#Focus}}<div class="extra"><span class="label">Focus:</span> {{Focus}}</div>'
                "{{/Focus}}\n"
                '{{#Skills}}<div class="extra"><span class="label">Skills:</span> {{Skills}}</div>'
                "{{/Skills}}"
            ),
        ),
    ),
)

QUESTION = NoteType(
    name="deckgen Self-Check",
    fields=("Question", "Answer", "AnswerSection", "Excerpt", "Source", "Extra"),
    key_fields=("Question",),
    templates=(
        Template(
            "Question → Answer",
            front=_front("Self-check", "{{Question}}", context=False),
            back=_back(
                '{{#Answer}}<div class="answer">{{Answer}}</div>{{/Answer}}\n'
                '{{^Answer}}<div class="answer">Review <span class="label">{{AnswerSection}}'
                "</span></div>\n"
                '{{#Excerpt}}<blockquote class="excerpt">{{Excerpt}}</blockquote>{{/Excerpt}}'
                "{{/Answer}}"
            ),
        ),
    ),
)

NOTE_TYPES: dict[str, NoteType] = {
    "definition": DEFINITION,
    "comparison": COMPARISON,
    "salary": SALARY,
    "question": QUESTION,
}
