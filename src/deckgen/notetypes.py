"""The four Anki note types: fields, card templates and CSS, with ids fixed by their names.

Fields are published once and kept: Anki treats a note type whose fields or templates changed
under the same id as a different note type and refuses to update its notes. So every type has
the fields later features need (the source reference, an Extra field) from the start.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckgen import ids

CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px; line-height: 1.45; color: #1f2328; background: #ffffff;
  text-align: left; max-width: 40em; margin: 0 auto; padding: 12px 16px;
  overflow-wrap: anywhere;
}
.kind { font-size: 12px; letter-spacing: .08em; text-transform: uppercase; color: #8250df; }
.prompt { font-size: 1.15em; font-weight: 600; margin: .35em 0; }
.context { font-size: .8em; color: #59636e; }
.answer { margin-top: .6em; }
.answer ul, .answer ol { padding-left: 1.3em; margin: .3em 0; }
.extra { margin-top: .8em; font-size: .9em; color: #3d444d; }
.source { margin-top: 1.2em; font-size: 12px; color: #818b98; }
.label { font-weight: 600; }
.band { font-size: 1.3em; font-weight: 700; }
.excerpt { border-left: 3px solid #d1d9e0; margin: .5em 0; padding: .1em .8em; color: #3d444d; }
.removed { margin-top: .8em; padding: .4em .6em; border-radius: 4px;
  background: #fff1e5; color: #9a3412; font-size: .85em; }
dl.cells { margin: .3em 0; }
dl.cells dt { font-weight: 600; margin-top: .4em; }
dl.cells dd { margin-left: 0; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em;
  background: #eff2f5; border-radius: 4px; padding: .05em .3em; }
pre code { display: block; padding: .6em; overflow-x: auto; }
a { color: #0969da; }
hr#answer { border: 0; border-top: 1px solid #d1d9e0; margin: .8em 0; }
@media (max-width: 480px) { .card { font-size: 18px; padding: 8px 10px; } }
.nightMode .card, .night_mode .card, .card.nightMode, .card.night_mode {
  color: #e6edf3; background: #0d1117; }
.nightMode .kind, .night_mode .kind { color: #bc8cff; }
.nightMode .context, .night_mode .context, .nightMode .source, .night_mode .source {
  color: #9198a1; }
.nightMode .extra, .night_mode .extra, .nightMode .excerpt, .night_mode .excerpt {
  color: #c9d1d9; border-color: #3d444d; }
.nightMode code, .night_mode code { background: #262c36; }
.nightMode a, .night_mode a { color: #4493f8; }
.nightMode .removed, .night_mode .removed { background: #3d1d0a; color: #ffb77c; }
.nightMode hr#answer, .night_mode hr#answer { border-top-color: #3d444d; }
"""

_TAIL = """
{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}
<div class="source">{{Source}}</div>"""


@dataclass(frozen=True)
class Template:
    name: str
    front: str
    back: str


@dataclass(frozen=True)
class NoteType:
    name: str
    fields: tuple[str, ...]
    templates: tuple[Template, ...]
    # The fields that say what the note is about (its identity key); `diff` labels notes by
    # them, and treats the rest as the back when it looks for renames.
    key_fields: tuple[str, ...] = ()
    css: str = CSS

    @property
    def id(self) -> int:
        return ids.model_id(self.name)

    def field_index(self, field: str) -> int:
        return self.fields.index(field)


DEFINITION = NoteType(
    name="deckgen Definition",
    fields=("Term", "Definition", "Context", "Source", "Extra"),
    key_fields=("Term",),
    templates=(
        Template(
            "Term → Definition",
            front=(
                '<div class="kind">Definition</div>\n'
                '<div class="prompt">{{Term}} — what is it?</div>\n'
                '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}'
            ),
            back='{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Definition}}</div>'
            + _TAIL,
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
            front=(
                '<div class="kind">Comparison</div>\n'
                '<div class="prompt">{{KeyHeader}}: {{Key}} → {{AnswerHeader}}?</div>\n'
                '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}'
            ),
            back='{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>' + _TAIL,
        ),
        # Only "A vs B" tables fill Reverse; Anki creates no card whose front renders empty.
        Template(
            "Reverse",
            front=(
                '{{#Reverse}}<div class="kind">Comparison</div>\n'
                '<div class="prompt">{{AnswerHeader}}: {{Answer}} → {{KeyHeader}}?</div>\n'
                '{{#Context}}<div class="context">{{Context}}</div>{{/Context}}{{/Reverse}}'
            ),
            back='{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Key}}</div>' + _TAIL,
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
            front=(
                '<div class="kind">Career</div>\n'
                '<div class="prompt">Salary band: {{Role}}{{#Level}} ({{Level}}){{/Level}}</div>'
            ),
            back=(
                '{{FrontSide}}\n<hr id="answer">\n<div class="answer band">{{Band}}</div>\n'
                '{{#Focus}}<div class="extra"><span class="label">Focus:</span> {{Focus}}</div>'
                "{{/Focus}}\n"
                '{{#Skills}}<div class="extra"><span class="label">Skills:</span> {{Skills}}</div>'
                "{{/Skills}}" + _TAIL
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
            front=('<div class="kind">Self-check</div>\n<div class="prompt">{{Question}}</div>'),
            back=(
                '{{FrontSide}}\n<hr id="answer">\n'
                '{{#Answer}}<div class="answer">{{Answer}}</div>{{/Answer}}\n'
                '{{^Answer}}<div class="answer">Review <span class="label">{{AnswerSection}}'
                "</span></div>\n"
                '{{#Excerpt}}<blockquote class="excerpt">{{Excerpt}}</blockquote>{{/Excerpt}}'
                "{{/Answer}}" + _TAIL
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
