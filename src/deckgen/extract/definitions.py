"""Definitions: every place shaped like one becomes a candidate; the evidence decides.

Shapes (docs/extraction.md shows each): a bold lead in a bullet or paragraph (`**X**: y`,
`**X** - y`, `**X** is ...`, `**X** = y`, `**X** (expansion) ...`, `**X** measures ...`), a
bold term above a list, `1. **X**:` with the explanation in the next paragraph, a heading
whose first paragraph defines it (or describes it without naming it: `heading-description`), a
heading that names a thing and glosses it (`### DVC: Data Version Control`), a
`**Definition:**` line under a heading, `` `cmd` - text ``
in a bullet. What the content says (a link, a figure, a step, a repeated field label) is judged
in `definition_signals`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING

from deckgen import shortcuts
from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.extract import carpentries
from deckgen.extract.callouts import (
    IN_CALLOUT,
    MARKER,
    NOTE,
    callout_mark,
    kramdown_classes,
    without_markers,
)
from deckgen.extract.common import (
    CODE_BLOCKS,
    LIST_CLOSE,
    LIST_MARKER,
    LIST_OPEN,
    BoldLead,
    PerSection,
    block_source,
    bold_lead,
    is_question_scope,
    is_skipped,
    matches_any,
    singular,
    source_ref,
    undecorated,
    within,
    within_each,
    without_edge_marks,
)
from deckgen.extract.definition_signals import (
    BACK_REFERENCE,
    CODE_LEAD,
    ENUMERATION,
    LABEL_SENTENCE,
    MIN_LIST,
    ONLY_CODE,
    PLACEHOLDER,
    SIBLINGS_DEFINE,
    VALUE_LEAD,
    VETO,
    Found,
    LessonFacts,
    among_template_fields,
    beside_figures,
    is_field_label,
    is_listed_value,
    is_name,
    is_reference_number,
    judge,
    list_roles,
    lists_catalogue,
    vetoed,
    written_as_names,
)
from deckgen.extract.evidence import Candidate, Signal, drop
from deckgen.extract.html_lists import (
    definition_list_shapes,
    holds_mdn_lists,
    html_list_shapes,
    mdn_definition_list_shapes,
)
from deckgen.extract.prose import (
    ACRONYM_SECTIONS,
    CODE_SUBJECT,
    COMMAND_ASIDE,
    GLOSSED_NAME,
    HEADING_DESCRIPTION,
    HEADING_GLOSS,
    PROSE,
    TERM_EMPHASISED_SIGNAL,
    ProseFinder,
    expanded_aside,
    in_summary,
    is_topic_title,
    once_per_term,
    said_in_section,
    sentences,
    summarises,
)
from deckgen.extract.resources import TOOL_SECTION, described, link_entry, listed_tool
from deckgen.extract.table_signals import EXTENSION, FILE_PATH
from deckgen.identity import normalize_key
from deckgen.items import Definition, SourceRef
from deckgen.lesson import Lesson, Section, inline_children, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token

_WORDS = defaults()  # the word classes below: see defaults.yaml for what each is for


# `**MLOps** (Machine Learning Operations) is the set of ...`
_DEFINING_VERB = re.compile(
    rf"^\s*(?:\([^)]*\)\s*)?,?\s*(?:{alternatives(_WORDS.defining_verbs)})\b", re.I
)
# `*So, why learn Python?*`, `**Why use a cache?**`: one line, emphasised whole, a question.
_EMPHASISED_QUESTION = re.compile(r"^([*_]{1,2})(?![*_\s])[^\n*_]+\?\1$")
_SEPARATOR = re.compile(r"^\s*(?::|\s[-–—]|[-–—]\s)\s*")
# `- **Drift**. This means ...`, `- **Drift**, i.e. a slow change ...`: after a full stop the
# next sentence points back at the term (a demonstrative), after a comma a gloss marker or a
# relative pronoun names what it is. A bare `**X**, <words>` is a note (`**No commitment**,
# start/stop anytime`) and `**X**. <sentence>` a topic label, so the pointer is required.
_BACK_REFERENCE = re.compile(r"^(?:\.\s+(?=(?:This|These|By this)\b)|,\s+(?=(?:i\.e\.|which)\s))")
# `**F1** = 2PR / (P + R)`
_FORMULA = re.compile(r"^\s*=\s*(?=\S)")
# `**Recall** measures how many ...`: a verb in the third person after the term.
_ANY_VERB = re.compile(r"^\s+(?P<verb>[a-z]{2,}[^\Wsu]s)\b")
# Words ending in -s that are no verb: `**X** across ...`, `**X** towards ...`.
_NOT_VERBS = frozenset({"this", "towards", "besides", "afterwards", "always", "perhaps", "unless"})
_MAX_TERM_WORDS = 8
_RANKINGS = frozenset(_WORDS.ranking_words)
_DEFINITION_LABELS = _WORDS.definition_labels


def _third_person(verb: str) -> str:
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")


# Verbs of takeaways and symptoms (`PyTorch abstracts CUDA`): their third-person form, and the
# base form of those that are never nouns (`Warps execute together`). Only the first list gets
# `-ies` after a consonant and `y`: `vary` has always been matched as `varys`, and `varies`
# would change which bold phrases are terms.
_FINITE_VERBS = (
    frozenset(_third_person(verb) for verb in _WORDS.clause_verbs)
    | frozenset(
        verb[:-1] + "ies"
        for verb in _WORDS.clause_verbs
        if verb.endswith("y") and verb[-2] not in "aeiou"
    )
    | frozenset(_third_person(verb) for verb in _WORDS.clause_verbs_any_form)
    | frozenset(_WORDS.clause_verbs_any_form)
    | frozenset(_WORDS.statement_verbs)
)
_CLAIM_WORDS = frozenset(_WORDS.claim_words)
_RELATIVIZERS = frozenset(_WORDS.relativizers)
# `Profile first, optimize second`, `Heavy approval = ignored`, `Training ≠ Inference`.
_CLAIM_MARKS = re.compile(r"[,;=≠→⇒]|->")
_PARENTHESES = re.compile(r"\([^()]*\)")
_WORD = re.compile(r"[^\W\d_]+")
_UNITS = frozenset(_WORDS.units)
_POINTERS = frozenset(_WORDS.pointers)
_PLACE_WORDS = frozenset(_WORDS.place_words)
_CLAUSE_OPENERS = frozenset(_WORDS.clause_openers)
# `- **GCS** (Cloud Storage): Object storage`: an aside between the term and its separator.
_ASIDE = re.compile(r"^\s*\([^()]*\)")
_TRAILING_ASIDE = re.compile(r"\s*\([^()]*\)$")
_INSTRUCTION_VERBS = frozenset(_WORDS.instruction_verbs)
_STEP_OR_RANKING = _INSTRUCTION_VERBS | _RANKINGS  # built once: _term_veto runs per bold term
_CONDITIONS = frozenset(_WORDS.condition_words)
_COUNTS = frozenset(_WORDS.count_words)
# `-A, -B, -C`, `--force`, `rows=5`, `cost=0.00..35.50`: options and settings, one or a list.
_OPTION_TOKEN = r"(?:-{1,2}[^\W_][\w-]*|[^\W\d][\w.-]*=[^\s,]+)"
_OPTION_TOKENS = re.compile(rf"^{_OPTION_TOKEN}(?:\s*,\s*{_OPTION_TOKEN})*$")
# `DESIGN.md`, `train.py`: a file name, not a command or a setting.
_FILE_NAME = re.compile(r"^[\w./-]+\.(?:md|txt|pdf|py|ipynb|sh|csv)$", re.I)
# A reference list maps an entry to what it means: `` `docker ps` - list running containers ``.
# The entry is code, or several code spans naming one thing (`` `useradd`/`adduser` ``,
# `` `eth0`, `eth1` ``, `` `$VAR` or `${VAR}` ``), or a value written plainly: a port, an
# address, a prefix (`22`, `127.0.0.1`, `/8`: a digit first, no spaces, no colon: `9:00` is
# a time; no currency, `$120k` is a salary).
_LEAD_CODES = r"`[^`\n]+`(?:\s*(?:/|,|\bor\b)\s*`[^`\n]+`)*"
_LEAD_VALUE = r"/?\d[\w./+-]*"
# An aside may stand before the separator (`` `r` (read): can view ``), and `=` parts a
# value from what it means (`` `7` = rwx ``, `/24 = 255.255.255.0`). In a command list, spaces
# alone may part an option from its meaning (`` `-r`  recursive ``). After a plain value, a
# colon needs a space after it (`9:00` is a time) and a dash before a figure makes a range
# (`90 - 100: excellent`), not a meaning.
_MAPPING_LEAD = re.compile(
    rf"^(?:(?P<code>{_LEAD_CODES})|(?P<value>{_LEAD_VALUE}))(?P<aside>\s*\([^()\n]*\))?"
    r"(?(code)(?:\s*(?::|\s=(?!=)|\s[-–—])|(?<=`)(?:[ \t]{2,}|\t))"
    r"|(?::(?=\s)|\s+=(?!=)|\s+[-–—](?!\s*\d)))\s*(?P<body>\S.*)$",
    re.S,
)
_CODE_VERB = re.compile(r"^(?P<term>`[^`\n]+`)\s+(?P<verb>[a-z]{2,}[^\Wsu]s)\b")


def extract(lesson: Lesson, config: ExtractConfig, dropped: bool = True) -> Iterator[Candidate]:
    """Every definition candidate; a term defined in several places keeps one (`prose`).
    Without the `dropped` ones for their section, when no one reads them (`_finds`)."""
    found = _candidates(lesson, config, dropped)
    return said_in_section(lesson, once_per_lesson(once_per_term(found)))


RESTATED = "restated"


def once_per_lesson(candidates: Iterable[Candidate]) -> Iterator[Candidate]:
    """Drop the kept definitions of a section that restates terms kept earlier in other
    sections of the lesson, when it restates at least `_RECAP` of them: the section is a recap
    (`**API Server** = Kernel` and `**Scheduler** = process scheduler` under `### Mental Model`
    after both were defined under `### Core Concepts`, commands listed again under `### Commands
    Mastered`), and GUIDE.md records a term defined several times at its first definition.
    Signal `restated` (veto, detail: the line kept). One term alone met again elsewhere may be
    another sense of the word (`**Docker**: a company` after the tool): it stays, its note's
    identity qualified by its section; so does the same label under two parents of one
    section (`r` under **For files:** and under **For directories:**)."""
    listed = list(candidates)
    first: dict[str, Candidate] = {}
    for candidate in sorted(listed, key=lambda each: each.source.line):
        if candidate.kept and isinstance(candidate.item, Definition):
            first.setdefault(normalize_key(candidate.item.key), candidate)
    restated: dict[int, Candidate] = {}  # by id of the candidate: the earlier one it restates
    for candidate in listed:
        if candidate.kept and isinstance(candidate.item, Definition):
            earlier = first[normalize_key(candidate.item.key)]
            if earlier.source.section != candidate.source.section:
                restated[id(candidate)] = earlier
    per_section = Counter(
        candidate.source.section for candidate in listed if id(candidate) in restated
    )
    for candidate in listed:
        earlier = restated.get(id(candidate))
        if earlier is None or per_section[candidate.source.section] < _RECAP:
            yield candidate
            continue
        line = earlier.source.line
        yield drop(
            candidate.kind,
            candidate.source,
            candidate.text,
            candidate.shape,
            f"defined at line {line}",
            *candidate.signals,
            Signal(RESTATED, VETO, f"line {line}"),
        )


_RECAP = 2


# What the shape finders look for in a section (`_finds`): every shape; a bold lead's and an
# acronym's; an acronym's; or none, the prose finder only recording the terms marked there.
_EVERY, _BOLD, _ACRONYMS, _NONE = "every", "bold", "acronyms", "none"


def _finds(excluded: str, section: Section | None, quoted: bool, dropped: bool) -> str:
    """What to look for in `section`, or in a quotation there (`quoted`). A section that holds
    no definitions (`excluded`) drops what is found there, but for what a summary
    (`in_summary`), a resource list (`listed_tool`) or an acronym's expansion
    (`expanded_aside`) keeps; a quotation drops all it holds, and its acronyms' expansions
    count as the lesson's first all the same. A build, which reads no `dropped` candidate,
    looks there only for what it may keep or must record: on the corpus, half the paragraphs
    and of the finder's time lie in such sections. `list --why` shows every candidate, so it
    looks for every shape everywhere."""
    if dropped or not (excluded or quoted):
        return _EVERY
    if excluded and not summarises(section, excluded):
        if excluded == TOOL_SECTION:
            return _BOLD
        return _ACRONYMS if excluded in ACRONYM_SECTIONS else _NONE
    return _ACRONYMS if quoted else _EVERY


def _candidates(lesson: Lesson, config: ExtractConfig, dropped: bool) -> Iterator[Candidate]:
    tokens = lesson.tokens
    walk = _Walk(lesson, config)
    prose = ProseFinder(lesson, walk.facts)
    # Per open block quote, what marks it as a callout or a note ("" for a quotation or an
    # exercise's quote: `callouts`).
    quotes: list[str] = []
    kramdown: dict[int, str] | None = None
    kinds = ["paragraph_open", "blockquote_open", "blockquote_close", "heading_open", "html_block"]
    kinds += ["dl_open", *(["bullet_list_open"] if holds_mdn_lists(lesson) else [])]
    for index in lesson.positions(*kinds):
        token = tokens[index]
        if token.type == "blockquote_open":
            if kramdown is None:  # read on the lesson's first quote: most lessons have none
                kramdown = kramdown_classes(lesson)
            quotes.append(callout_mark(lesson, index, kramdown))
            continue
        if token.type == "blockquote_close":
            quotes.pop()
            continue
        section = lesson.section_at(index)
        excluded = walk.excluded(section)
        quoted = bool(quotes) and not quotes[-1]
        finds = _finds(excluded, section, quoted, dropped)
        if token.type != "paragraph_open" and finds != _EVERY:
            continue  # headings and glossaries: none of their shapes is kept here
        if token.type == "heading_open":
            found = [] if quoted else list(_from_heading(lesson, index))
        elif token.type == "html_block":
            # `<dl><dt>Epoch</dt><dd>One pass ...</dd>`: a glossary written in HTML, read as text.
            found = list(html_list_shapes(lesson, index))
        elif token.type == "dl_open":
            # `absolute path` then `:   A path that ...`: a glossary in Markdown's own syntax.
            found = list(definition_list_shapes(lesson, index))
        elif token.type == "bullet_list_open":
            # `- header` over `  - : The strip across the top ...`: MDN's definition list.
            found = list(mdn_definition_list_shapes(lesson, index))
        else:
            # A prose sentence that ends its paragraph on a colon announces what follows, as
            # a bold lead's does: the list joins its card, or the sentence ends there.
            callout = bool(quotes and quotes[-1])
            acronyms = finds != _NONE
            shapes = prose.shapes(index, callout, every=finds == _EVERY, acronyms=acronyms)
            sentences = (_with_following_list(lesson, index, each) for each in shapes)
            found = [*(walk.shapes(index) if finds in (_EVERY, _BOLD) else ()), *sentences]
            if finds == _EVERY and quotes and quotes[-1].startswith(MARKER):
                found.extend(_marker_label(lesson, index))
        if not found:
            continue
        for each in found:
            if isinstance(each, Candidate):
                yield each
            elif quoted:
                # A quotation is someone else's words, and a challenge or a solution the
                # questions' (`callouts`); a callout or the author's note may define a term.
                yield vetoed(each, "in-block-quote")
            elif quotes[-1:] == [NOTE] and _titles_note(lesson, index, each):
                yield vetoed(each, TITLES_NOTE)
            elif in_heredoc(lesson, each.source.line):
                # The file an exercise writes (`cat > README.md << 'EOF'`), spilled out of a
                # fence closed early: its headings and labels are that file's, not the lesson's.
                yield vetoed(each, "in-here-document")
            elif excluded:
                summary = (
                    in_summary(each, section, excluded)
                    or listed_tool(each, excluded)
                    or expanded_aside(each, excluded)
                )
                if summary is None:
                    yield vetoed(each, "excluded-section", excluded)
                else:
                    yield _decide(summary, section, walk)
            else:
                if quotes:
                    each = replace(each, facts=(*each.facts, Signal(IN_CALLOUT, 0, quotes[-1])))
                yield _decide(each, section, walk)


# `> 🎓 Inertia: what K-Means minimises, ...`: a callout's marker emoji, then a plain label and
# a colon (a bold one is a `bold-lead`): the author's note on a term, as a bold lead is.
MARKER_LABEL = "marker-label"
_MARKER_LABEL = re.compile(r"^\s*(?P<term>[^\s:*_\[][^:\n]*?)\s*:\s+(?P<body>\S[\s\S]*)$")
_MARKER_LABEL_WORDS = 3


def _marker_label(lesson: Lesson, index: int) -> Iterator[Found]:
    """The label after the marker emoji that opens a callout (paragraph at token `index`, the
    callout's first): three words at most, no sentence (`🎥 Click the image above for a
    video: ...` is a caption)."""
    if lesson.tokens[index - 1].type != "blockquote_open":
        return
    content = without_markers(lesson.tokens[index + 1].content, callout=True)
    label = _MARKER_LABEL.match(content)
    if label is None:
        return
    term = label.group("term")
    words = term.split()
    if len(words) > _MARKER_LABEL_WORDS or any(word[-1:] in ".,;!?" for word in words):
        return
    line = (lesson.tokens[index].map or [0])[0] + 1
    source = source_ref(lesson, line, lesson.section_at(index))
    yield Found(MARKER_LABEL, source, term, plain_text(term), label.group("body").strip(), True)


# `> **Interesting fact**: ...`, `> **Note:** ...`: the label opening an unmarked note names
# the kind of aside it is, as an alert's `[!NOTE]` does, not a term.
TITLES_NOTE = "titles-note"
_NOTE_LABELS = ("bold-lead", "label-above-list")


def _titles_note(lesson: Lesson, index: int, found: Found) -> bool:
    """`found` is the bold label on the first line of the note's first paragraph (token
    `index`)."""
    opening = lesson.tokens[index - 1].type == "blockquote_open"
    first_line = (lesson.tokens[index].map or [0])[0] + 1
    return opening and found.shape in _NOTE_LABELS and found.source.line == first_line


def in_heredoc(lesson: Lesson, line: int) -> bool:
    """The line lies inside a closed here-document."""
    return any(start < line < end for start, end in lesson.heredoc_spans)


def _decide(found: Found, section: Section | None, walk: _Walk) -> Candidate:
    veto = _term_veto(found, walk.config) or _body_veto(found)
    if veto is not None:
        entry = described(found, veto[0])  # a tool entry whose text says what it is
        if entry is None or (_term_veto(entry, walk.config) or _body_veto(entry)) is not None:
            return vetoed(found, *veto)
        found = entry
    return judge(walk.with_list(found), section, walk.facts)


class _Walk:
    """What finding shapes in one lesson needs more than once: the config's section verdicts,
    the lists made of steps, each list item's parent, and the lesson-wide facts."""

    def __init__(self, lesson: Lesson, config: ExtractConfig) -> None:
        self.lesson, self.config = lesson, config
        self.steps = _Steps(lesson)
        self.facts = LessonFacts(lesson, config, self.excluded)
        self.in_glossary = PerSection(lambda section: within(section, config.glossary_headings))
        # Most lessons have no glossary: then only bold paragraphs need their section found.
        self.has_glossary = any(within_each(lesson.sections, config.glossary_headings))
        self._excluded: dict[int, str] = {}
        self._aspect_lists: dict[int, bool] = {}  # by a list's first item
        # by a list's first item: its roles, and whether it may be a catalogue's copy
        self._list_roles: dict[int, tuple[tuple[Signal, ...], bool]] = {}
        self._named_lists: dict[int, bool] = {}  # by a list's first item
        # by a list's first item
        self._list_generic: dict[int, tuple[dict[int, bool | None], int, int]] = {}
        self._list_leads: dict[int, tuple[BoldLead | None, ...]] = {}  # by a list's first item
        self._captions: dict[int, list[str]] | None = None  # by section, built on first use

    def excluded(self, section: Section | None) -> str:
        """Which kind of section holds no definitions around `section`, or ""."""
        if section is None:
            return ""
        key = id(section)
        if key not in self._excluded:
            config = self.config
            self._excluded[key] = (
                "skipped section"
                if is_skipped(section, config) or _within_annotated(section, config.skip_sections)
                else "question section"
                if is_question_scope(section, config)
                else "instruction section"
                if within(section, config.instruction_sections)
                or _within_annotated(section, config.instruction_sections)
                or _within_joined(section, config.instruction_sections)
                or _within_tick_list(section)
                else ""
            )
        return self._excluded[key]

    def shapes(self, index: int) -> Iterator[Found | Candidate]:
        tokens = self.lesson.tokens
        content = tokens[index + 1].content
        in_item = tokens[index - 1].type == "list_item_open"
        bold = "**" in content or "__" in content
        # `- 22: SSH`: a value and its meaning, an entry when its siblings are (`_from_code`).
        code = in_item and (content.startswith("`") or _MAPPING_LEAD.match(content) is not None)
        link = in_item and content.startswith("[")
        if in_item and not (bold or code or link) and content.endswith("`)"):
            # `- Checking repository status (`git status`)`: an outline's command.
            yield from _command_aside(self.lesson, index, self.lesson.section_at(index))
            return
        if in_item and not (bold or code or link) and (gloss := self._glossed_name(index)):
            # `- GitKraken (graphical Git client)` among items all so written: a list of
            # names, each said what it is in its parenthesis.
            yield _glossed_item(self.lesson, index, self.lesson.section_at(index), *gloss)
            return
        if not (bold or code or link or (in_item and self.has_glossary)):
            return
        section = self.lesson.section_at(index)
        if in_item:
            glossary = self.has_glossary and self.in_glossary(section)
            if bold or code or link or glossary:
                yield from _from_bullet(self, index, section, glossary)
        else:
            yield from _from_paragraph(self, index, section)
        if bold:
            yield from _later_subjects(self, index, section)

    def _glossed_name(self, index: int) -> tuple[str, str] | None:
        """The name and the gloss of the list item whose paragraph opens at token `index`,
        when every item of its list (two or more) is one such name and gloss (`_glossed`)."""
        tokens = self.lesson.tokens
        items = self.steps.items_of(index - 1)
        if len(items) < MIN_GLOSSED:
            return None
        found = None
        names: set[str] = set()
        for item in items:
            # One paragraph and nothing else in the item: no nested list, no second paragraph.
            if tokens[item + 1].type != "paragraph_open" or tokens[item + 4].type != (
                "list_item_close"
            ):
                return None
            parts = _glossed(tokens[item + 2].content)
            # `1. Monitoring (predefined metric)` / `2. Observability (arbitrary query)` / `3.
            # Monitoring (known threshold)`: a name given twice sorts cases into kinds (an
            # answer key), it lists no things.
            if parts is None or parts[0].lower() in names:
                return None
            names.add(parts[0].lower())
            if item == index - 1:
                found = parts
        return found

    def captions(self, section: Section) -> list[str]:
        """The terms of the bold labels with a gloss that stand alone above code in
        `section` (`_caption`)."""
        if self._captions is None:
            self._captions = {}
            tokens = self.lesson.tokens
            for index, token in enumerate(tokens[:-3]):
                if token.type != "paragraph_open" or tokens[index + 3].type not in CODE_BLOCKS:
                    continue
                caption = _caption(tokens[index + 1].content)
                if caption is not None and tokens[index - 1].type != "list_item_open":
                    key = id(self.lesson.section_at(index))
                    self._captions.setdefault(key, []).append(caption[1])
        return self._captions.get(id(section), [])

    def with_list(self, found: Found) -> Found:
        """`found` with what the list of the item it opens says of it, which only its judgement
        reads (`signals_of`): asked of a candidate about to be judged, not of the many a
        section or a veto drops first, whose evidence prints without it."""
        item = found.list_item
        if item < 0:
            return found
        return replace(
            found,
            aspect_list=self.in_aspect_list(item) or found.aspect_list,
            lead_in=self.lead_in(item),
            question_above=self.question_above(item),
            among_names=self.among_names(item),
            among_generic=self.among_generic(item),
        )

    def in_aspect_list(self, item: int) -> bool:
        """The item's list completes a prose sentence (`Image size directly impacts:`) and none
        of its bold items names a thing, or, in a list of at least `_MIXED_ASPECTS` items, fewer
        than half do: its generic items are aspects of the sentence's subject (`- **Hybrid
        cloud**: ...` beside `- **Azure ML**: ...`). A list after an instruction (`Pick one:`)
        holds options, not aspects."""
        first = self.lead_ins.get(item)
        if first is None:
            return False
        if first not in self._aspect_lists:
            tokens = self.lesson.tokens
            leads = [bold_lead(tokens[each + 2].content) for each in self.steps.items_of(first)]
            names = sum(
                lead is not None and is_name(lead.term, lead.term_text.rstrip(" :"), self.facts)
                for lead in leads
            )
            opening = _WORD.findall(tokens[first - 3].content)[:1]
            instructs = bool(opening) and opening[0].lower() in _INSTRUCTION_VERBS
            mixed = len(leads) >= _MIXED_ASPECTS and names * 2 < len(leads) and not instructs
            self._aspect_lists[first] = names == 0 or mixed
        return self._aspect_lists[first]

    def list_signals(self, item: int, found: Found) -> tuple[Signal, ...]:
        """What the item's list as a whole says: its bodies mostly advise or instruct, or its
        labels are mostly phrases (`list_roles`), or it is one copy of a repeated catalogue
        (`among_template_fields`); a command (code) is described by what to do with it."""
        first = self.steps.items_of(item)[:1]
        if not first or "`" in found.term:
            return ()
        leads = self._leads(item)
        if first[0] not in self._list_roles:
            labelled = [lead for lead in leads if lead is not None]
            roles = list_roles(labelled, self.facts)
            self._list_roles[first[0]] = roles, lists_catalogue(labelled, self.facts)
        roles, catalogue = self._list_roles[first[0]]
        if not catalogue:
            return roles
        position = self.steps.items_of(item).index(item)
        template = among_template_fields(list(leads), position, self.facts)
        return roles + ((template,) if template else ())

    def among_names(self, item: int) -> bool:
        """Every item of the item's list opens with a bold name (`written_as_names`)."""
        items = self.steps.items_of(item)
        if not items:
            return False
        if items[0] not in self._named_lists:
            leads = self._leads(item)
            self._named_lists[items[0]] = None not in leads and written_as_names(
                [lead for lead in leads if lead]
            )
        return self._named_lists[items[0]]

    def among_generic(self, item: int) -> bool:
        """The item's list holds at least `MIN_LIST` bold leads, and more than half of the
        other ones are no names (`is_name`): a list of aspects or qualities, not of things."""
        flags, leads, generic = self._generic_leads(item)
        if item not in flags:
            return False
        own = flags[item]
        others = leads - (own is not None)
        return others + 1 >= MIN_LIST and (generic - bool(own)) * 2 > others

    def _generic_leads(self, item: int) -> tuple[dict[int, bool | None], int, int]:
        """Each item of the item's list: whether its bold lead is no name (None: no bold
        lead); and how many leads and generic leads the list holds. Judged once per list,
        since every item of the list asks about the others."""
        items = self.steps.items_of(item)
        if not items:
            return {}, 0, 0
        if items[0] not in self._list_generic:
            flags = {
                each: None
                if lead is None
                else not is_name(lead.term, lead.term_text.rstrip(" :"), self.facts)
                for each, lead in zip(items, self._leads(item), strict=True)
            }
            leads = sum(flag is not None for flag in flags.values())
            self._list_generic[items[0]] = (flags, leads, sum(map(bool, flags.values())))
        return self._list_generic[items[0]]

    def in_listing(self, item: int) -> bool:
        """The item's list is a project's layout or API: two or more of its bold labels, and
        three in four of them, are file names, paths or HTTP endpoints (`listing_entry`)."""
        terms = [lead.term_text.rstrip(" :") for lead in self._leads(item) if lead]
        entries = sum(listing_entry(term) for term in terms)
        return entries >= 2 and entries >= _MOSTLY_ENTRIES * len(terms)

    def _leads(self, item: int) -> tuple[BoldLead | None, ...]:
        """The bold lead opening each item of the item's list (None for an item without one),
        read once per list: every bullet of the list asks."""
        items = self.steps.items_of(item)
        if not items:
            return ()
        if items[0] not in self._list_leads:
            contents = (self.lesson.tokens[each + 2].content for each in items)
            self._list_leads[items[0]] = tuple(bold_lead(content) for content in contents)
        return self._list_leads[items[0]]

    def defining_sibling(self, item: int) -> str:
        """The term of another item of the item's list whose bold lead is followed by a
        defining verb (`**Sparse flow** is ...`), or ""."""
        items = self.steps.items_of(item)
        for each, lead in zip(items, self._leads(item), strict=True):
            if each != item and lead is not None and _DEFINING_VERB.match(lead.rest):
                return lead.term_text
        return ""

    def label_sentences(self, item: int) -> int:
        """How many items of the item's list, this one among them, are topic labels closed by a
        full stop with a sentence after (`**Denigration**. To unfairly ...`, and
        `**Training**. This part ...`); 0 when this item is no such label, or when one of them
        opens with an instruction verb: `**Collect data**. Keep in mind ...` makes the list a
        procedure, whose other labels (`**Train the model**.`) are steps too."""
        items = self.steps.items_of(item)
        labels = {
            each: (_WORD.findall(lead.term_text) or [""])[0].lower()
            for each, lead in zip(items, self._leads(item), strict=True)
            if lead is not None and _LABEL_THEN_SENTENCE.match(lead.rest)
        }
        if item not in labels or not _INSTRUCTION_VERBS.isdisjoint(labels.values()):
            return 0
        return len(labels)

    def question_above(self, item: int) -> str:
        """The question standing as the heading of the item's list, or "": a paragraph right
        above a top-level list, emphasised as a whole and ending in `?` (`*So, why learn
        Python?*`). Such a line does a heading's work without being one."""
        tokens = self.lesson.tokens
        items = self.steps.items_of(item)
        first = items[0] - 1 if items else 0  # the list's opening token
        if first < 3 or tokens[first].level or tokens[first - 1].type != "paragraph_close":
            return ""
        text = tokens[first - 2].content.strip()
        return text.strip("*_ ") if _EMPHASISED_QUESTION.match(text) else ""

    def lead_in(self, item: int) -> str:
        """The sentence ending in a colon right above the item's list, or ""."""
        first = self.lead_ins.get(item)
        return "" if first is None else self.lesson.tokens[first - 3].content

    @cached_property
    def lead_ins(self) -> dict[int, int]:
        """list_item_open -> the first item of its list, for top-level lists right after a
        paragraph that is a sentence ending in a colon."""
        tokens = self.lesson.tokens
        found: dict[int, int] = {}
        for position in self.lesson.positions(*LIST_OPEN):
            if (
                tokens[position].level
                or position < 3
                or tokens[position - 1].type != "paragraph_close"
            ):
                continue
            text = tokens[position - 2].content.strip()
            if not text.endswith(":") or bold_lead(text) is not None or len(text.split()) < 4:
                continue
            items = self.steps.items_of(position + 1)
            found.update(dict.fromkeys(items, position + 1))
        return found

    @cached_property
    def parents(self) -> dict[int, str]:
        """list_item_open -> the label it is nested under: its parent item's bold term (or
        short first line), or the `**Label:**` paragraph right above its list."""
        tokens = self.lesson.tokens
        parents: dict[int, str] = {}
        lists: list[str] = []  # each open list's label
        items: list[int] = []  # open list items
        kinds = (*LIST_OPEN, *LIST_CLOSE, "list_item_open", "list_item_close")
        for position in self.lesson.positions(*kinds):
            kind = tokens[position].type
            if kind in LIST_OPEN:
                lists.append(
                    _label_of(tokens, items[-1] + 1)
                    if items
                    else _label_above(tokens, position) or self._field_above(position)
                )
            elif kind in LIST_CLOSE:
                if lists:
                    lists.pop()
            elif kind == "list_item_open":
                if lists and lists[-1]:
                    parents[position] = lists[-1]
                items.append(position)
            elif items:
                items.pop()
        return parents

    def _field_above(self, list_open: int) -> str:
        """`Examples:` alone and plain in the paragraph right above a list: a field label
        (`is_field_label`) heads the list as `**Examples:**` does. Other plain lines ending in
        a colon (`Breaking this down:`) introduce the list without naming a field of it."""
        tokens = self.lesson.tokens
        if list_open < 3 or tokens[list_open - 1].type != "paragraph_close":
            return ""
        text = tokens[list_open - 2].content.strip()
        label = text.removesuffix(":")
        if label == text or "\n" in text or bold_lead(text) is not None:
            return ""
        return label if is_field_label(label, self.config) else ""


# `## Bonus Challenges (+10 points each)`, `### Summary (5 min)`: a score, a duration or an aside
# in parentheses annotates a heading; the heading is still `Bonus Challenges`.
_ANNOTATION = re.compile(r"\s*\([^()]*\)\s*$")


def _within_annotated(section: Section, names: tuple[str, ...]) -> bool:
    """`within`, for headings that end with an annotation in parentheses."""
    return any(
        matches_any(_ANNOTATION.sub("", title), names)
        for title in section.path
        if title.endswith(")")
    )


def _label_above(tokens: list[Token], list_open: int) -> str:
    """`**Leadership:**` alone in the paragraph right above a list."""
    if list_open < 3 or tokens[list_open - 1].type != "paragraph_close":
        return ""
    content = tokens[list_open - 2].content
    lead = bold_lead(content) if "\n" not in content else None
    # `**Label:**` or `**Label**:`: the colon outside the bold is the same label's.
    if lead is None or lead.rest.strip() not in ("", ":"):
        return ""
    return ENUMERATION.sub("", lead.term_text.rstrip(" :"))


# `## Assessment and Evaluation`, `## Deliverables & Submission`: headings joined in one.
_JOINED = re.compile(r"\s+(?:and|&)\s+", re.I)


_SUMMARIES = frozenset(normalize_key(name) for name in _WORDS.summary_headings)


def _within_joined(section: Section, names: tuple[str, ...]) -> bool:
    """`within`, for a heading that joins two with `and` or `&`, one of them a name. Not a
    summary's name: `## Summary and Key Takeaways` often restates the lesson's terms (with
    their definitions), which a summary alone (`in_summary`) judges."""
    return any(
        matches_any(part, names) and normalize_key(part) not in _SUMMARIES
        for title in section.path
        if _JOINED.search(title)
        for part in _JOINED.split(_ANNOTATION.sub("", title))
    )


_TICK_LIST_WORDS = frozenset(_WORDS.tick_list_words)


def _within_tick_list(section: Section) -> bool:
    """A heading of the section's path ends with a word of `tick_list_words` (its annotation
    aside): `## Best Practices Checklist` lists things to check, not terms."""
    return any(
        words[-1].lower() in _TICK_LIST_WORDS
        for title in section.path
        if (words := _WORD.findall(_ANNOTATION.sub("", title)))
    )


_MAX_PARENT_WORDS = 6
# Generic items among names are aspects only in a list this long: in three, two may be chance.
_MIXED_ASPECTS = 4


def _label_of(tokens: list[Token], paragraph: int) -> str:
    """The label of the list item whose first paragraph opens at `paragraph`: its bold term, or
    its whole first line when that is short (`- Leadership` above a nested list)."""
    if paragraph >= len(tokens) or tokens[paragraph].type != "paragraph_open":
        return ""
    first = tokens[paragraph + 1].content.partition("\n")[0]
    lead = bold_lead(first)
    text = lead.term_text if lead else plain_text(first)
    text = ENUMERATION.sub("", text.strip().rstrip(" :"))
    return text if 0 < len(text.split()) <= _MAX_PARENT_WORDS else ""


def _from_heading(lesson: Lesson, index: int) -> Iterator[Found]:
    """`### Kubernetes` whose first paragraph reads `Kubernetes is an open-source ...`."""
    tokens = lesson.tokens
    opening = tokens[index]
    after = index + 3  # heading_open, inline, heading_close
    if opening.tag == "h1" or after + 1 >= len(tokens):
        return
    term_text = undecorated(plain_text(tokens[index + 1].content))
    if not term_text:
        return
    glossed = _heading_gloss(lesson, index, term_text)
    if glossed is not None:
        yield _with_description(lesson, after, glossed)
        return
    if tokens[after].type != "paragraph_open":
        return
    section = lesson.section_at(index)
    path = section.path[:-1] if section else ()
    line = opening.map[0] + 1 if opening.map else 1
    source = SourceRef(str(lesson.path), line, path)
    paragraph = carpentries.unmarked(tokens[after + 1].content).strip()
    if not paragraph:
        # `## Basalt` right over `::::: testimonial`: a div's colon line is no explanation.
        marker = tokens[after + 1].content.strip()
        facts = (Signal(DIV_LINE_ONLY, VETO, marker.split("\n", 1)[0]),)
        yield Found(HEADING_DESCRIPTION, source, term_text, term_text, marker, False, facts=facts)
        return
    if paragraph.startswith(("**", "__")):
        return  # `**CUDA Cores** are ...`: the bold lead makes the candidate
    text = plain_text(paragraph)
    lowered, wanted = text.lower(), term_text.lower()
    for article in ("", "a ", "an ", "the "):
        if lowered.startswith(article + wanted):
            rest = text[len(article) + len(wanted) :]
            break
    else:
        found = _heading_described(lesson, section, source, term_text, paragraph)
        if found is not None:
            yield _with_following_list(lesson, after, found)
        return
    if not _DEFINING_VERB.match(rest):
        return
    found = Found("heading-defining-paragraph", source, term_text, term_text, paragraph, True, True)
    yield _with_following_list(lesson, after, found)


# `### DVC: Data Version Control`: a name, a colon, and a few words that say what it is. A
# label titles sections as often (`### Practical Example: ...`): only a name is kept.
_GLOSS_PRIOR = Signal("heading-gloss-prior", -1)
_NAME_GLOSS = re.compile(r"^(?P<name>[^:]+?):\s+(?P<gloss>[^:]+?)\s*$")
_MAX_NAME_WORDS = 3
_MAX_GLOSS_WORDS = 6


def _heading_gloss(lesson: Lesson, index: int, title: str) -> Found | None:
    """`### Git Bisect: Binary Search for Bugs`: a heading that names a thing before its colon
    and says what it is after it. Only the shape: the judgement (`term-is-name`) keeps a name
    and drops a label (`### Quiz: Docker Concepts`). Not a name with a number (`Task 2: ...`,
    `FR1: ...`) or small words (`CMD and ENTRYPOINT`, `Metrics vs Logs`), nor a gloss that
    frames the section (`Overview`, `Basics`: `heading_frame_words`); nor a name its sibling
    headings repeat (`Pre-Commit Hook: Linting` beside `Pre-Commit Hook: Secrets Detection`:
    examples of one thing, each titled by what it shows)."""
    shaped = _NAME_GLOSS.match(title)
    if shaped is None:
        return None
    name, gloss = shaped.group("name").strip(), shaped.group("gloss").strip()
    words = name.split()
    if len(words) > _MAX_NAME_WORDS or _SERIAL.search(name) or _gerund_opening(name):
        return None  # `Task 2`, `FR1`, `Incident A`; `Implementing DDP: ...` is a how-to
    # A word in capitals is a name, whatever it spells (`FROM: Choose Your Base Image`).
    lowered = {singular(word).lower().rstrip(".") for word in words if not word.isupper()}
    if lowered & (_NO_SUBJECT | _VERSUS_WORDS | _CONCEPT_WORDS) or PLACEHOLDER.match(name):
        return None  # `CMD and ENTRYPOINT`, `Core ML Concept: ...`, `TODO: ...`
    opening = _WORD.findall(gloss)[:1]
    if not opening or opening[0].lower() in _NO_SUBJECT | _CONDITIONS:
        return None  # `Metrics: When to Use What` says when, not what
    if len(gloss.split()) > _MAX_GLOSS_WORDS or gloss.endswith("?") or _GLOSS_FRAME.search(gloss):
        return None
    section = lesson.section_at(index)
    if section is None or _named_by_siblings(lesson, section, name):
        return None
    line = lesson.tokens[index].map[0] + 1 if lesson.tokens[index].map else 1
    source = SourceRef(str(lesson.path), line, section.path[:-1])
    return Found(HEADING_GLOSS, source, name, plain_text(name), gloss, False, facts=(_GLOSS_PRIOR,))


def _with_description(lesson: Lesson, after: int, found: Found) -> Found:
    """The heading's first paragraph, when it is prose, goes on with the gloss (`RUN: Execute
    Commands` / `` `RUN` executes commands during image build``); a bold lead there
    (`**Scenario**: ...`) is a candidate of its own."""
    tokens = lesson.tokens
    if tokens[after].type != "paragraph_open":
        return found
    paragraph = carpentries.unmarked(tokens[after + 1].content).strip()
    if not paragraph or paragraph.startswith(("**", "__")):
        return found
    return _with_following_list(lesson, after, replace(found, body=f"{found.body}. {paragraph}"))


_VERSUS_WORDS = frozenset(_WORDS.versus_words)
# A digit or a lone capital letter numbers a series: `Task 2`, `FR1`, `Incident A`.
_SERIAL = re.compile(r"\d|\b[A-Z]\b")
_GLOSS_FRAME = re.compile(rf"\b(?:{alternatives(_WORDS.heading_frame_words)})\b", re.I)


def _named_by_siblings(lesson: Lesson, section: Section, name: str) -> bool:
    """Another heading beside this one (same level, same parent) opens with the same name and
    a colon."""
    prefix = f"{name.lower()}:"
    return any(
        other is not section
        and other.level == section.level
        and other.path[:-1] == section.path[:-1]
        and undecorated(plain_text(other.title)).lower().startswith(prefix)
        for other in lesson.sections
    )


# A heading whose first paragraph is only a line of the Carpentries format's markup (a
# Workbench div's colons, `::::: instructor`): no candidate, whatever the heading.
DIV_LINE_ONLY = "body-is-div-line"


_MAX_DESCRIPTION_WORDS = 25
# `### Data Parallelism` without the term in its paragraph: a loose shape, kept on evidence
# (the heading is one of several kinds of one thing, or a name the lesson uses again).
WITHOUT_TERM = -2
SIBLING_KINDS = 3
ACTIVITY = -3  # outweighs `sibling-kinds`: kinds of doing something are still tasks
MARKS_TERM = 3  # as `sibling-kinds`: the author's own mark says the heading names a thing
OVER_SECTIONS = -3  # outweighs `sibling-kinds`: a group of kinds is no kind itself


def _heading_described(
    lesson: Lesson, section: Section | None, source: SourceRef, term_text: str, paragraph: str
) -> Found | None:
    """`### Data Parallelism` / `Split data across devices, replicate model:`: a heading whose
    short first paragraph says what it is without naming it. The shape alone says little (`###
    Installation` / `Install with pip:`), so it starts below the threshold
    (`heading-without-term`); sibling headings that share its last word (`### Model
    Parallelism`) make it one of several kinds of one thing (`sibling-kinds`). A paragraph that
    opens with a word of the heading is about that word (`### Docker Networking` / `Docker
    provides ...`): the prose shapes' candidate."""
    if section is None:
        return None
    term = ENUMERATION.sub("", term_text).strip()
    text = plain_text(paragraph).strip()
    written = _WORD.findall(text)
    if len(written) > _MAX_DESCRIPTION_WORDS:
        return None  # a long paragraph (below): known before each of its words is made singular
    words = [singular(word).lower() for word in written]
    heading_words = {singular(word).lower() for word in _WORD.findall(term)}
    if not words or not heading_words or words[0] in _NO_SUBJECT:
        return None  # `For Windows, use ...`, `All ... can`
    heading_words -= _ARTICLES  # `### The Shebang` / `The first line tells ...`: no subject
    if words[0].endswith("ing"):
        return None  # `Understanding the hierarchy is critical`: about learning it
    if len(words) > _MAX_DESCRIPTION_WORDS or text.endswith("?") or _names_file(paragraph):
        return None  # a long or asking paragraph; `Create `src/x.py`:` is a task
    if heading_words & _CONCEPT_WORDS or is_topic_title(term):
        return None  # `### Concept`, `## Introduction to GCP`, `## Virtual Machines for ML`
    sibling = _sibling_kind(lesson, section, term)
    parent = "" if sibling else _parent_kind(section, term)
    marked = _marked_term(paragraph, term)
    subject = _subject_words(marked)
    if marked and _subject_words(text)[: len(subject)] == subject:
        return None  # `A **Linux distribution** packages ...`: the prose shapes' subject
    if (
        words[0] in heading_words
        and not marked
        and not (
            (sibling or parent)
            and words[0] in _head_words(term) - _first_word(term)
            and not term.split()[0].lower().endswith("ing")
        )
    ):
        # About a word of the heading (`### Docker Networking` / `Docker provides ...`), but
        # one kind of several may open with the noun it qualifies (`### Composite Index` /
        # `Index on multiple columns.`); `### Pushing Tags` / `Tags aren't pushed ...` is a
        # task about that noun.
        return None
    facts = [Signal("heading-without-term", WITHOUT_TERM)]
    if marked:
        # `### The GNU Project (1983)` / `Richard Stallman launched the **GNU Project** ...`: the
        # author marks the heading's subject where the paragraph says what it is. The card's
        # term is the one marked: the heading's date and article are the section's.
        facts.append(Signal("paragraph-marks-term", MARKS_TERM, marked))
        term = marked
    activity = _gerund_opening(term)
    if activity:
        # `### Reordering Commits` / `Simply reorder lines:`: a heading that opens with a
        # gerund names something to do, the section a how-to, whatever its siblings are.
        facts.append(Signal("heading-is-activity", ACTIVITY, activity))
    if sibling:
        facts.append(Signal("sibling-kinds", SIBLING_KINDS, sibling))
    elif parent:
        facts.append(Signal("kind-of-parent", SIBLING_KINDS, parent))
    child = _subsection(lesson, section)
    if child:
        # `## Special Permissions` / `Linux has three special permissions.` over `### Setuid`:
        # a heading with sections of its own titles a topic, its paragraph introduces them.
        facts.append(Signal("heading-over-sections", OVER_SECTIONS, child))
    return Found(
        HEADING_DESCRIPTION, source, term, term, paragraph.strip(), False, facts=tuple(facts)
    )


_ARTICLES = frozenset({"a", "an", "the"})
_NO_SUBJECT = (frozenset(_WORDS.stopwords) | frozenset(_WORDS.sentence_openers)) - _ARTICLES
_CONCEPT_WORDS = frozenset(_WORDS.concept_heading_words)
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


# A gerund's stem: `Reordering` (`reorder`), `Pushing` (`push`); not `String`, `Spring`, `Ring`.
_MIN_GERUND_STEM = 4
_ACRONYM = re.compile(r"[A-Z]{2}")


def _gerund_opening(title: str) -> str:
    """The title's first word when it is a gerund and more words follow (`Understanding
    Shells`, `Publishing Ports`), else "". A gerund after a noun (`Load Balancing`) names a
    practice, and one in a title with an acronym (`Streaming Multiprocessors (SMs)`) a thing."""
    words = _WORD.findall(_PARENTHESES.sub("", title))
    first = words[0] if words else ""
    if len(words) < 2 or _ACRONYM.search(title) or not first.lower().endswith("ing"):
        return ""
    return first if len(first) - 3 >= _MIN_GERUND_STEM else ""


# `**GNU Project**`, `*Linux kernel*`: a span the author marks in bold or italics.
_MARKED = re.compile(r"(\*\*|__|\*|_)(?P<marked>[^*_\n]{1,60}?)\1")


def _marked_term(paragraph: str, heading: str) -> str:
    """The span of the paragraph marked in bold or italics that names the heading's subject:
    the heading without an article or the aside that closes it (a date, `(1983)`, or another
    name, `(Azure AD)`), in the singular or the plural (`## Message Brokers` / `... a central
    **message broker** ...`); or ""."""
    wanted = {_subject_words(heading), _subject_words(_TRAILING_ASIDE.sub("", heading))} - {()}
    for match in _MARKED.finditer(paragraph):
        marked = plain_text(match.group("marked")).strip()
        if _subject_words(marked) in wanted:
            return marked
    return ""


def _subject_words(title: str) -> tuple[str, ...]:
    """The words a heading or a marked span names its subject by: singular, lower-case,
    without a leading article (`The GNU Projects` and `GNU project` name one subject)."""
    words = [singular(word).lower() for word in _WORD.findall(title)]
    return tuple(words[1:] if words[:1] and words[0] in _ARTICLES else words)


def _names_file(paragraph: str) -> bool:
    """A code span holding a path or a file name (`src/app.py`, `tests/`)."""
    return any("/" in span or _FILE_NAME.search(span) for span in _CODE_SPAN.findall(paragraph))


def _head_words(title: str) -> set[str]:
    """The last word of the title, and of its aside in parentheses (`General Purpose
    (D-series)`: `purpose`, `series`)."""
    heads = set()
    for part in (_PARENTHESES.sub("", title), *_ASIDES.findall(title)):
        words = _WORD.findall(part)
        if words:
            heads.add(singular(words[-1]).lower())
    return heads


_ASIDES = re.compile(r"\(([^()]*)\)")


def _first_word(title: str) -> set[str]:
    """The title's first word, singular and lower-case (none for an empty title)."""
    words = _WORD.findall(title)
    return {singular(words[0]).lower()} if words else set()


def _parent_kind(section: Section, term: str) -> str:
    """The parent heading, when it names the noun the term's last word is, and the term
    qualifies it (`## Git Workflows` / `### Feature Branch Workflow`, `## Subqueries` / `###
    Correlated Subquery`): the heading is one kind of what its parent is about; or ""."""
    words = _WORD.findall(_PARENTHESES.sub("", term))
    if len(section.path) < 2 or len(words) < 2:
        return ""
    parent = undecorated(plain_text(section.path[-2]))
    nouns = {form for word in _WORD.findall(parent) for form in _noun_forms(word)}
    return parent if _noun_forms(words[-1]) & nouns else ""


def _noun_forms(word: str) -> set[str]:
    """`Workflows`: `workflows`, `workflow`; `Indexes` also `index` (`singular` keeps the `e`
    of `indexe`, as it must for `databases`)."""
    lowered = word.lower()
    forms = {lowered, singular(word).lower()}
    if lowered.endswith("es"):
        forms.add(lowered[:-2])
    return forms


def _subsection(lesson: Lesson, section: Section) -> str:
    """The title of the first heading inside the section (a deeper one before its end), or ""."""
    end = section.end_token if section.end_token >= 0 else len(lesson.tokens)
    following = lesson.next_section(section)
    if following is not None and following.start_token < end:
        return undecorated(plain_text(following.title))  # starting inside, it is deeper
    return ""


def _sibling_kind(lesson: Lesson, section: Section, term: str) -> str:
    """A sibling heading (same level, same parent) whose last word, or its aside's, is the
    term's (`Model Parallelism` for `Data Parallelism`, `Ring AllReduce` for `AllReduce`, `GPU
    VMs (NC-series)` for `General Purpose (D-series)`), or ""."""
    heads = _head_words(term)
    if not heads:
        return ""
    for other in lesson.siblings(section):
        title = ENUMERATION.sub("", undecorated(plain_text(other.title)))
        if _head_words(title) & heads and title.lower() != term.lower():
            return title
    return ""


def _from_paragraph(
    walk: _Walk, index: int, section: Section | None
) -> Iterator[Found | Candidate]:
    """`**X** is ...`, `**X:** y` lines joined in one paragraph, or `**X**` above a list.

    A line that does not open with a bold term continues the definition above it: a
    hard-wrapped explanation is one definition, not cut at its first line break."""
    lesson = walk.lesson
    tokens = lesson.tokens
    content = tokens[index + 1].content
    first_line = tokens[index].map[0] if tokens[index].map else 0
    after = index + 3  # paragraph_open, inline, paragraph_close
    following_list = after < len(tokens) and tokens[after].type in LIST_OPEN
    groups = _groups(content.split("\n"))
    ranking = len(groups) > 1 and any(_is_ranking(lines[0]) for _, lines in groups)
    alone_above_list = following_list and len(groups) == 1
    alone_above_code = (
        after < len(tokens) and tokens[after].type in CODE_BLOCKS and len(groups) == 1
    )
    leads = [bold_lead(lines[0]) for _, lines in groups] if len(groups) > 1 else []
    # `✅ **Test incrementally**: ...` / `✅ **Quote patterns**: ...` lines in one paragraph,
    # mostly steps: the lines are advice to follow, as in a list of steps (`among-steps`).
    advice = _mostly_step_labels(
        [lead.term_text.lower().split() for lead in leads if lead is not None]
    )
    for position, (offset, lines) in enumerate(groups):
        line_number = first_line + offset + 1
        found = _from_lead(
            walk, lines, line_number, section, False, followed_by_list=alone_above_list
        )
        lone = found is None or (isinstance(found, Found) and not found.body)
        if lone and len(groups) == 1 and len(lines) == 1 and following_list:
            found = _titled_list(lesson, lines[0], line_number, section, tokens[after]) or found
            titled = isinstance(found, Found) and found.shape == "bold-title-list"
            if titled and _tagline(lesson, index, section):
                found = vetoed(found, "heading-tagline", plain_text(section.title))
        if lone and alone_above_code and len(lines) == 1:
            found = _captioned_code(walk, lines[0], line_number, section) or found
        if found is None:
            continue
        if isinstance(found, Found):
            if ranking:
                # `**Most Common**: IaaS` / `**Growing**: Managed ML`: a ranking, line by line
                found = vetoed(found, "ranking")
            elif advice:
                found = vetoed(found, "among-steps")
            else:
                found = _with_following_list(lesson, index, found)
            record = beside_figures(leads, position) if leads else None
            if record is not None:
                found = replace(found, facts=(*found.facts, record))
        yield found


LATER_SENTENCE = "later-sentence"


def _later_subjects(walk: _Walk, index: int, section: Section | None) -> Iterator[Found]:
    """`... (OAV) triplets. **Working memory** contains the set of ...`: a sentence inside a
    block that opens with a bold term is about that term, as a line that opens so is: the
    same sentence shapes (`bold-term-sentence`, `bold-term-verb-sentence`, ...) and the same
    evidence, the sentence alone as the body. A sentence at a line's start is the line
    shapes' already; a separator (`**X**: ...`) inside prose labels no sentence."""
    content = walk.lesson.tokens[index + 1].content
    first_line = walk.lesson.tokens[index].map[0] if walk.lesson.tokens[index].map else 0
    for offset, sentence in sentences(content):
        if not offset or content[offset - 1] == "\n" or not sentence.startswith(("**", "__")):
            continue
        if sentence.rstrip().endswith("?"):
            continue  # a question defines nothing
        line = first_line + content.count("\n", 0, offset) + 1
        found = _from_lead(walk, [sentence.replace("\n", " ")], line, section, False)
        if isinstance(found, Found) and found.sentence:
            shape = Signal(LATER_SENTENCE, 0, found.shape)
            yield replace(found, facts=(*found.facts, shape))


CAPTION = "bold-gloss-above-code"
# A bold label above code mostly captions the code (`**Configure SSH** (on your local
# machine):`): the shape needs evidence that the label names one kind of a thing.
CAPTIONS_CODE = -2
# `### 6.1 Variable Assignment` numbers a lecture's section; `### Task 2.3: ...`, a step.
_SECTION_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)*[.)]?\s+")
_HAS_DIGIT = re.compile(r"\d")
_MIN_GLOSS_WORDS = 2


def _caption(content: str) -> tuple[str, str, str] | None:
    """`**Lightweight tag** (simple pointer):`, `**1. Query Variable (fixed list):**`: a bold
    term and its gloss in parentheses, nothing else but a colon; (term, term_text, gloss)."""
    lead = bold_lead(content)
    if lead is None:
        return None
    term, term_text = _term(lead)
    rest = lead.rest.strip()
    after = _ASIDE.match(rest)
    inner = _TRAILING_ASIDE.search(term)
    if after and rest[after.end() :].strip() in ("", ":"):
        gloss = after.group().strip()
    elif rest in ("", ":") and inner and inner.start():
        gloss, term = inner.group().strip(), term[: inner.start()]
        term_text = plain_text(term)
    else:
        return None
    if not _glosses(gloss) or len(_WORD.findall(gloss)) < _MIN_GLOSS_WORDS:
        # `(with function keyword)` qualifies; `(0-255)` is a range; one word names an example
        # or judges (`**Tight Coupling** (Monolith)`, `**Stateful Server** (Bad)`).
        return None
    return term, term_text, gloss[1:-1].strip()


def _captioned_code(
    walk: _Walk, content: str, line: int, section: Section | None
) -> Found | Candidate | None:
    """`**Lightweight tag** (simple pointer):` alone above a code block: the parenthesis says
    what the term is and the code shows it. Most such labels only caption their code, so the
    shape starts below the threshold (`captions-code`) and is kept when the label is one of
    several kinds of one thing: a sibling label above code in the section shares its last
    word (`**Annotated tag** (full object)`: `sibling-kinds`), or the section's heading names
    the noun the label's last word is (`### Variable Assignment` / `**Basic assignment**`:
    `kind-of-section`). A numbered heading (`### Task 2.3: Create Route Tables`) names a step,
    whose labels caption its commands."""
    caption = _caption(content)
    if caption is None or section is None:
        return None
    term, term_text, gloss = caption
    words = _WORD.findall(term_text)
    title = _SECTION_NUMBER.sub("", undecorated(plain_text(section.title)))
    kind = None
    if len(words) > 1 and not _HAS_DIGIT.search(title) and not _gerund_opening(term_text):
        # `**Using torchrun** (recommended):` names something to do, not a kind of thing.
        heads = _noun_forms(words[-1])
        sibling = next(
            (
                other
                for other in walk.captions(section)
                if other.lower() != term_text.lower()
                and _noun_forms(_WORD.findall(other)[-1]) & heads
            ),
            "",
        )
        in_title = {form for head in _head_words(title) for form in _noun_forms(head)}
        if sibling:
            kind = Signal("sibling-kinds", SIBLING_KINDS, sibling)
        elif heads & in_title:
            kind = Signal("kind-of-section", SIBLING_KINDS, title)
    source = source_ref(walk.lesson, line, section)
    found = Found(CAPTION, source, term, term_text, gloss, False)
    if kind is None:
        # Nothing says the label names a thing: a name or a term the lesson repeats is still
        # only the code's caption (`**Public Route Table** (routes to the gateway):`).
        return vetoed(found, "captions-code")
    return replace(found, facts=(Signal("captions-code", CAPTIONS_CODE), kind))


def _groups(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Lines in runs, each opened by a line with a bold lead; (offset of its first line, lines).
    Lines before the first bold lead open a run of their own."""
    groups: list[tuple[int, list[str]]] = []
    for offset, line in enumerate(lines):
        if not groups or (("**" in line or "__" in line) and bold_lead(line) is not None):
            groups.append((offset, [line]))
        else:
            groups[-1][1].append(line)
    return groups


def _is_ranking(line: str) -> bool:
    lead = bold_lead(line)
    words = lead.term_text.lower().split() if lead else []
    return len(words) > 1 and words[0] in _RANKINGS


def _from_bullet(
    walk: _Walk, index: int, section: Section | None, glossary: bool
) -> Iterator[Found | Candidate]:
    """A list item whose first paragraph opens with a bold term (in a glossary, any term) or a
    command in backticks; nested blocks join the body."""
    lesson = walk.lesson
    tokens = lesson.tokens
    paragraph, item = tokens[index], tokens[index - 1]
    content = tokens[index + 1].content
    line = paragraph.map[0] + 1 if paragraph.map else 1
    first_line, _, continuation = content.partition("\n")
    found = _from_lead(walk, [first_line], line, section, allow_dash=True)
    if found is None and (
        walk.defining_sibling(index - 1) or walk.label_sentences(index - 1) >= MIN_LIST
    ):
        # `- **Safety**. Models can make mistakes ...` beside `- **Fairness** is ...`: a label
        # closed by a full stop is a topic's name, but among terms each said what it is, the
        # sentences after it are its explanation (`siblings-define`); so they are in a list of
        # such labels, each explained the same way (`label-sentence-list`).
        found = _from_lead(walk, [first_line], line, section, True, label_sentence=True)
    if found is None and glossary:
        found = _from_lead(walk, [first_line], line, section, True, _plain_lead)
    if found is None and index - 1 in walk.steps.commands:
        found = _from_code(lesson, content, line, section)
        continuation = ""
    if found is None and content.startswith("["):
        found = link_entry(content, source_ref(lesson, line, section))
        continuation = ""
    nested_start = index + 3
    if found is None and not continuation and tokens[nested_start].type in LIST_OPEN:
        # `1. **Blue-Green Deployment**` with a nested list: the list is the explanation.
        found = _titled_list(lesson, first_line, line, section, tokens[nested_start])
        if isinstance(found, Found) and index - 1 in walk.steps:
            found = vetoed(found, "among-steps")
        if found is not None:
            yield _with_parent(found, walk.parents.get(index - 1, ""))
        return
    if not isinstance(found, Found):
        if found is not None:
            yield found
        return
    body = found.body
    if continuation:
        body = f"{body}\n{continuation}".strip()
    if item.map and paragraph.map and paragraph.map[1] < item.map[1]:
        nested = block_source(lesson, paragraph.map[1], item.map[1])
        body = f"{body}\n\n{nested}".strip() if nested else body
    if body.endswith(":"):
        # `- **Edge cache**: Stores responses near users:` with nothing nested: what the colon
        # announced is not the item's, so the sentence ends there (`_with_following_list`).
        body = body[:-1].rstrip() + "."
    shape = found.shape
    if not body:
        # `1. **Term**:` alone, the explanation in the paragraph after the list.
        body = _paragraph_after_lone_item(tokens, index)
        shape = "bold-lead-next-paragraph" if body else shape
    # One copy of the item's Found (a frozen dataclass is costly to copy, and a lesson has
    # thousands of bold items); what else its list says of it waits for its judgement
    # (`_Walk.with_list`).
    found = replace(
        found,
        body=body,
        shape=shape,
        parent=walk.parents.get(index - 1, "") or found.parent,
        list_item=index - 1,
        facts=found.facts + walk.list_signals(index - 1, found),  # asks only its term
    )
    if shape in (VERB_SENTENCE, LABEL_SENTENCE) and (sibling := walk.defining_sibling(index - 1)):
        # `- **Dense flow** computes ...` beside `- **Sparse flow** is based on ...`: a verb
        # in -s alone is a loose shape, but a sibling that says what its term is makes the
        # list one of terms, and this item says what its term does (or, after a full stop,
        # what it is about).
        found = replace(
            found, facts=(*found.facts, Signal(SIBLINGS_DEFINE_NAME, SIBLINGS_DEFINE, sibling))
        )
    elif shape == LABEL_SENTENCE and (labels := walk.label_sentences(index - 1)) >= MIN_LIST:
        # `- **Denigration**. To unfairly criticize ...` among three or more such labels: the
        # author names a set of things and explains each in sentences of its own.
        count = f"{labels} of {len(walk.steps.items_of(index - 1))}"
        found = replace(found, facts=(*found.facts, Signal(LABEL_LIST, SIBLINGS_DEFINE, count)))
    paired = len(walk.steps.items_of(index - 1)) < MIN_LIST
    if paired and any(fact.name == SUBJECT_VERB for fact in found.facts):
        # `- **Data Scientists** design models` / `- **Engineers** build systems`: two items
        # contrast who does what; a list of subjects that says what each does takes a pattern
        # (MIN_LIST items), as `- **Recall** measures ...`, a verb in -s, needs none.
        yield vetoed(found, SHORT_LIST, "a pair contrasts, it defines nothing")
        return
    if listing_entry(found.term_text) and walk.in_listing(index - 1):
        # `- **`production.yaml`**: prod settings` beside `- **`GET /metrics`**: ...`: what a
        # project holds or serves, to build or hand in; each entry's card would ask a file's job.
        yield vetoed(found, "term-is-file", "a listing of files or endpoints")
        return
    yield vetoed(found, "among-steps") if index - 1 in walk.steps else found


# `Checking repository status (`git status`)`: a phrase, then one or more code spans in
# parentheses closing the item.
_COMMAND_ASIDE = re.compile(
    r"^(?P<phrase>[A-Za-z][^`*_\[\]()\n]*?)\s+\((?P<codes>`[^`\n]+`(?:,\s*`[^`\n]+`)*)\)$"
)


def _command_aside(lesson: Lesson, index: int, section: Section | None) -> Iterator[Found]:
    """`- Checking repository status (`git status`)`, `- Switching branches (`git checkout`,
    `git switch`)`: an outline's item, the command in parentheses after the phrase that says
    what it does. Only a phrase that opens with a gerund says so (`- Git reference manual
    (`man git`)` names a document, `- DVC setup (`dvc init`)` a topic); each command is a
    candidate, its body the phrase, yielding to any other definition of the command
    (`once_per_term`)."""
    match = _COMMAND_ASIDE.match(lesson.tokens[index + 1].content)
    if match is None or not _gerund_opening(match.group("phrase")):
        return
    paragraph = lesson.tokens[index]
    line = paragraph.map[0] + 1 if paragraph.map else 1
    source = source_ref(lesson, line, section)
    for code in _CODE_SPAN.findall(match.group("codes")):
        term = f"`{code}`"
        yield Found(COMMAND_ASIDE, source, term, code.strip(), match.group("phrase"), False)


# `GitKraken (graphical Git client)`: a short name, then what it is in the parenthesis that
# closes the item.
_GLOSSED = re.compile(r"^(?P<name>[A-Za-z`][^()*_:\[\]\n]{0,60}?)\s+\((?P<gloss>[^()\n]+)\)\.?$")
# At most four words name a thing (`Learn Git Branching`); more make a phrase or a sentence.
_GLOSSED_NAME_WORDS = 4
# A gloss of one word judges or qualifies (`(good)`, `(optional)`, `(AWS-only)`): it says
# nothing of what the thing is.
_GLOSS_WORDS = 2
# Two items: `- Classification (output is a category)` / `- Regression (output is a number)`.
MIN_GLOSSED = 2


def _glossed(content: str) -> tuple[str, str] | None:
    """(name, gloss) of `Name (what it is)`, or None. Not when either holds a digit (`Exercise
    01 (Container Operations)`, `Python (5 questions)`: a course's parts and counts), the gloss
    lists things (`(PagedAttention, speculative decoding)`: examples) or is only code (an
    outline's command, `command-aside-bullet`), or the name opens with a gerund (`Adding
    remotes (...)`: a task)."""
    match = _GLOSSED.match(content.strip())
    if match is None:
        return None
    name, gloss = match.group("name").strip(), match.group("gloss").strip()
    if re.search(r"\d", name + gloss) or "," in gloss or len(name.split()) > _GLOSSED_NAME_WORDS:
        return None
    if len(gloss.split()) < _GLOSS_WORDS or not _CODE_SPAN.sub("", gloss).strip():
        return None
    return None if _gerund_opening(name) else (name, gloss)


def _glossed_item(
    lesson: Lesson, index: int, section: Section | None, name: str, gloss: str
) -> Found:
    """The candidate of a `glossed-name-list` item: the name, its gloss the body."""
    paragraph = lesson.tokens[index]
    line = paragraph.map[0] + 1 if paragraph.map else 1
    return Found(
        GLOSSED_NAME, source_ref(lesson, line, section), name, plain_text(name), gloss, True
    )


# `GET /metrics`, `POST /v1/predict`: an HTTP method and a path name one endpoint of an API.
_ENDPOINT = re.compile(r"^(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+/\S*$")
# Three in four labels: a `Dockerfile` or `Makefile` beside `app.py` is one more file.
_MOSTLY_ENTRIES = 0.75
_ENDS_WITH_EXTENSION = re.compile(rf"{EXTENSION}$")


def listing_entry(term: str) -> bool:
    """A project's file or folder (`FILE_PATH`, with an extension or a closing slash: an image
    such as `pytorch/pytorch` is a thing to pull and name) or an HTTP endpoint."""
    if FILE_PATH.match(term):
        return term.endswith("/") or _ENDS_WITH_EXTENSION.search(term) is not None
    return _ENDPOINT.match(term) is not None


def _with_parent(found: Found | Candidate, parent: str) -> Found | Candidate:
    return replace(found, parent=parent) if isinstance(found, Found) and parent else found


def _paragraph_after_lone_item(tokens: list[Token], index: int) -> str:
    """The paragraph right after a list of one item (paragraph at `index`), or ""."""
    close = index + 3  # paragraph_open, inline, paragraph_close, list_item_close
    if close + 2 >= len(tokens) or tokens[close].type != "list_item_close":
        return ""
    if tokens[close + 1].type not in LIST_CLOSE or tokens[index - 2].type not in LIST_OPEN:
        return ""
    after = close + 2
    if tokens[after].type != "paragraph_open" or tokens[after].level != tokens[index - 2].level:
        return ""
    return tokens[after + 1].content.strip()


def _from_code(lesson: Lesson, content: str, line: int, section: Section | None) -> Found | None:
    """`` - `kubectl get pods` - list the pods `` in a command list, `- 22: SSH` in a list of
    values."""
    match = _MAPPING_LEAD.match(content)
    source = source_ref(lesson, line, section)
    if match is None:
        # `` `+++` indicates the new version ``: no separator, but a verb says what it does,
        # as `**Recall** measures ...` does; the whole sentence is the card.
        verb = _CODE_VERB.match(content)
        if verb is None or verb.group("verb") in _NOT_VERBS:
            return None
        term = verb.group("term")
        text = term.strip("`").strip()
        return Found("code-verb-sentence", source, term, text, content.strip(), False, True)
    term = match.group("code") or match.group("value")
    # `` `eth0`, `eth1` ``: the key is the entry as read, each code span without its marks.
    text = "".join(part.strip() if odd % 2 else part for odd, part in enumerate(term.split("`")))
    shape = CODE_LEAD if match.group("code") else VALUE_LEAD
    aside = (match.group("aside") or "").strip()
    term_markdown = f"{term} {aside}" if aside else term
    return Found(shape, source, term_markdown, text.strip(), match.group("body").strip(), True)


class _Steps:
    """The `list_item_open`s of lists whose bold items are mostly steps (`**Audit dashboards**`),
    so that `**Cleanup**` among them is a step too.

    Each list is judged once, and only when one of its items would make a card: judging it
    again for every item made a list of n bold items cost n² (a 50,000-item glossary took
    minutes), and judging every list up front cost a bold-term search of every list item.
    """

    def __init__(self, lesson: Lesson) -> None:
        self._lesson = lesson
        self._tokens = lesson.tokens
        self._verdicts: dict[int, bool] = {}  # by a list's first item

    @cached_property
    def _lists(self) -> dict[int, list[int]]:
        """list_item_open -> every item of its list; found when a list item first makes a card
        (a lesson with none needs no look at its lists)."""
        lists: dict[int, list[int]] = {}
        open_lists: list[list[int]] = []
        for position in self._lesson.positions(*LIST_OPEN, *LIST_CLOSE, "list_item_open"):
            kind = self._tokens[position].type
            if kind in LIST_OPEN:
                open_lists.append([])
            elif kind == "list_item_open":
                if open_lists:
                    open_lists[-1].append(position)  # the innermost open list holds it
            elif open_lists:
                items = open_lists.pop()
                lists.update(dict.fromkeys(items, items))
        return lists

    @cached_property
    def commands(self) -> frozenset[int]:
        """The items of lists that mostly open with code or with a value and its meaning: a
        command, cheat-sheet or reference list (`- 22: SSH` beside `- 443: HTTPS`). One value
        alone makes no list of values."""
        tokens = self._tokens
        found: set[int] = set()
        for items in {id(items): items for items in self._lists.values()}.values():
            openings = [tokens[item + 2].content for item in items]
            code = sum(text.startswith("`") for text in openings)
            values = sum(
                not text.startswith("`") and _MAPPING_LEAD.match(text) is not None
                for text in openings
            )
            if (code + values) * 2 > len(items) and (code or values > 1):
                found.update(items)
        return frozenset(found)

    def items_of(self, item: int) -> list[int]:
        """Every item of the list holding `item`."""
        return self._lists.get(item, [])

    def __contains__(self, item: int) -> bool:
        items = self._lists.get(item)
        if items is None:
            return False
        if items[0] not in self._verdicts:
            self._verdicts[items[0]] = self._mostly_steps(items)
        return self._verdicts[items[0]]

    def _mostly_steps(self, items: list[int]) -> bool:
        tokens = self._tokens
        terms = []
        for position in items:
            lead = bold_lead(tokens[position + 2].content) if position + 2 < len(tokens) else None
            if lead is not None:
                terms.append(lead.term_text.lower().split())
        # `1. **Navigate**: ...` / `2. **Select**: ...`: in a numbered list a lone verb is a
        # step too; in a bullet list it may name a stage (`- **Deploy**: ...`).
        return _mostly_step_labels(terms, ordered=tokens[items[0]].markup in (".", ")"))


def _mostly_step_labels(terms: list[list[str]], ordered: bool = False) -> bool:
    """More than half the labels (each as its lower-case words) open with an imperative verb
    and have more words (in a numbered list, a lone verb too)."""
    steps = sum(
        1
        for words in terms
        if words and words[0] in _INSTRUCTION_VERBS and (len(words) > 1 or ordered)
    )
    return steps * 2 > len(terms)


# In a glossary, `- Term: explanation` needs no bold: the term runs up to the separator.
_PLAIN_TERM = re.compile(r"^(?P<term>[^:*_\[\]]+?)(?=\s*:\s|\s+[-–—]\s)")


def _plain_lead(content: str) -> BoldLead | None:
    match = _PLAIN_TERM.match(content)
    if match is None:
        return None
    term = match.group("term").strip()
    return BoldLead(term=term, term_text=plain_text(term), rest=content[match.end() :])


def _tagline(lesson: Lesson, index: int, section: Section | None) -> bool:
    """The paragraph at `index` (a bold title alone above a list) opens its section right
    under the heading and no other bold title follows in the section: `### Postman` / `**Free
    tier**` / `- API testing ...`. The bold line is the heading's tagline, and the list
    describes the heading's subject; a section that goes on with more titles
    (`**Containers**` after `**Virtual Machines**`) lists things of its own."""
    tokens = lesson.tokens
    if section is None or tokens[index - 1].type != "heading_close":
        return False
    end = section.end_token if section.end_token != -1 else len(tokens)
    for position in range(index + 3, end):
        token = tokens[position]
        if token.type == "paragraph_open" and token.level == 0:
            content = tokens[position + 1].content
            lead = bold_lead(content) if "\n" not in content else None
            if lead is not None and not lead.rest.strip():
                return False
    return True


def _titled_list(
    lesson: Lesson,
    content: str,
    line: int,
    section: Section | None,
    listing: Token,
) -> Found | Candidate | None:
    """A bold term alone on its line, then a list. `**Label:**` (with a colon) often only
    introduces: that shape is loose, kept only on evidence that the label names a thing."""
    lead = bold_lead(content)
    if lead is None or lead.rest.strip() or not listing.map:
        return None
    colon = lead.term_text.endswith(":")
    term, term_text = _term(lead)
    body = block_source(lesson, listing.map[0], listing.map[1])
    source = source_ref(lesson, line, section)
    shape = "label-above-list" if colon else "bold-title-list"
    found = Found(shape, source, term, term_text, body, not colon)
    first = LIST_MARKER.sub("", body.partition("\n")[0])
    lead = bold_lead(first)
    if lead is not None and _body(lead, first, allow_dash=True) is not None:
        # `**Key Concepts:**` above `- **VPC**: ...`: a heading for terms, each its own card.
        return vetoed(found, "list-holds-definitions")
    return found


def _from_lead(
    walk: _Walk,
    lines: list[str],
    line: int,
    section: Section | None,
    allow_dash: bool,
    lead_of: Callable[[str], BoldLead | None] = bold_lead,
    followed_by_list: bool = False,
    label_sentence: bool = False,
) -> Found | None:
    """A bold lead on the first of `lines` (the rest continue it): the term and its body.
    With `label_sentence`, a label closed by a full stop (`**X**. Sentence ...`) has the
    sentences after it for a body."""
    lead = lead_of(lines[0])
    if lead is None:
        return None
    found = _body(lead, "\n".join(lines), allow_dash)
    label = _LABEL_THEN_SENTENCE.match(lead.rest) if label_sentence else None
    if found is None and label is not None:
        found = lead.rest[label.end() :].strip(), "", LABEL_SENTENCE, False
    aside_only = _ASIDE.fullmatch(lead.rest.strip())
    if found is None and aside_only and followed_by_list and not lines[1:]:
        # `**Lens** (The Kubernetes IDE)` alone above a list, no colon: as with one, the
        # parenthesis says what the term is and the list goes on with it.
        found = "", aside_only.group().strip(), "bold-lead", True
    if found is None:
        return None
    body, aside, shape, explained = found
    term, term_text = _term(lead)
    alone = followed_by_list and not body and not lines[1:]
    inner = _TRAILING_ASIDE.search(term) if alone and lead.rest.strip() == ":" else None
    if inner and inner.start() and not aside and _glosses(inner.group()):
        # `**Bash (Bourne Again Shell)**:` alone above a list: the gloss inside the bold is
        # the one `**Hot Data** (accessed frequently):` writes after it. With the colon inside
        # (`**GPU-Based (Training):**`) the whole is a label above its list.
        term, aside = term[: inner.start()], inner.group().strip()
        term_text = plain_text(term)
    if not body and aside and not lines[1:] and followed_by_list:
        body, aside, shape = _gloss(aside), "", "bold-lead-gloss"
    sentence = shape.endswith("sentence")  # a sentence body already holds every line
    if lines[1:] and not sentence:
        body = "\n".join([body, *lines[1:]]).strip()
    source = source_ref(walk.lesson, line, section)
    if matches_any(term_text, _DEFINITION_LABELS) and section is not None:
        # `**Definition:** ...` under `### High Availability`: the heading is the term.
        term_text = undecorated(section.title)
        return Found(
            "definition-label",
            replace(source, section=section.path[:-1]),
            term_text,
            term_text,
            body,
            True,
        )
    facts: tuple[Signal, ...] = ()
    verb = _subject_verb(lead.term_text, lead.rest) if shape == VERB_SENTENCE else None
    if verb is not None and (verb[1] or not _ANY_VERB.match(f" {verb[0]}")):
        # Beyond `**X** measures ...`: a plural's verb, or a verb after an adverb or a phrase.
        facts = (Signal(SUBJECT_VERB, 0, ": ".join(filter(None, reversed(verb)))),)
    if shape == "bold-term-sentence" and term_text[:1] not in '"“' and _only_link(term):
        # `**[dlib](http://...)** is a C++ library ...`: a defining verb says what the linked
        # thing is, as `[Helm](...) is the package manager ...` does in prose; a link that
        # only points somewhere (`**[Docs](...)**: ...`) stays a resource (`term-is-resource`).
        term = term_text  # the card names the thing, the body keeps the link
        facts += (Signal(LINK_NAMES_TERM, 0),)
    term_markdown = f"{term} {aside}" if aside else term
    return Found(shape, source, term_markdown, term_text, body, explained, sentence, facts=facts)


LINK_NAMES_TERM = "link-names-term"
SUBJECT_VERB = "subject-verb"
SHORT_LIST = "subject-verb-in-short-list"
SIBLINGS_DEFINE_NAME = "siblings-define"
LABEL_LIST = "label-sentence-list"
# `**Safety**. Models can ...`: a full stop closes the label, a sentence follows.
_LABEL_THEN_SENTENCE = re.compile(r"^\.\s+(?=[A-Z])")
VERB_SENTENCE = "bold-term-verb-sentence"


def _glosses(aside: str) -> bool:
    """A parenthesis inside the bold says what the term is (`(Bourne Again Shell)`), unless it
    opens with a small word, a condition or a negation: `**Alert (with urgency)**:`,
    `**Monitor (don't alert)**:` qualify a label."""
    first = aside.strip("() ").split(" ", 1)[0].lower()
    return bool(first) and first not in _NO_SUBJECT | _CONDITIONS and not first.endswith("n't")


def _gloss(aside: str) -> str:
    """`**Hot Data** (accessed frequently):` alone above a list: the parenthesis says what the
    term is, and the colon announces the list that goes on with it (`_with_following_list`).
    The body, ending in `:`, or ""."""
    gloss = aside[1:-1].strip()
    return f"{gloss}:" if _WORD.search(gloss) else ""


def _term(lead: BoldLead) -> tuple[str, str]:
    """The term as Markdown and as plain text, without a list number, a trailing colon or a
    mark at either end (`**Burst queue ✅**`)."""
    term_text = without_edge_marks(ENUMERATION.sub("", lead.term_text.rstrip(" :")))
    term = without_edge_marks(ENUMERATION.sub("", lead.term.rstrip().removesuffix(":").rstrip()))
    return term, term_text


def _body(lead: BoldLead, content: str, allow_dash: bool) -> tuple[str, str, str, bool] | None:
    """(explanation, aside before it, shape, whether the shape separates the two), or None
    when nothing after the term reads as an explanation."""
    if lead.term_text.endswith(":"):
        return lead.rest.strip(), "", "bold-lead", True
    rest, aside = lead.rest, ""
    parenthesis = _ASIDE.match(rest)
    if parenthesis and _SEPARATOR.match(rest[parenthesis.end() :]):
        rest, aside = rest[parenthesis.end() :], parenthesis.group().strip()
    separator = _SEPARATOR.match(rest)
    if separator and (allow_dash or rest.lstrip().startswith(":")):
        return rest[separator.end() :].strip(), aside, "bold-lead", True
    # Keep the whole sentence: "MLOps (Machine Learning Operations) is ..." reads best whole.
    if _DEFINING_VERB.match(lead.rest):
        return content.strip(), "", "bold-term-sentence", True
    back = _BACK_REFERENCE.match(lead.rest)
    if back:
        return lead.rest[back.end() :].strip(), "", BACK_REFERENCE, True
    formula = _FORMULA.match(lead.rest)
    if formula:
        return lead.rest[formula.end() :].strip(), "", "bold-term-formula", True
    if parenthesis and _OPENS_WITH_WORD.match(rest[parenthesis.end() :]):
        # `**RAG** (retrieval-augmented generation) grounds answers ...`; not a second aside
        # or a figure: `**Cloud Engineer** (networks) ($95k-$140k)` is a salary line.
        return content.strip(), "", "bold-term-aside-sentence", True
    if _subject_verb(lead.term_text, lead.rest) is not None:
        return content.strip(), "", VERB_SENTENCE, False
    return None


_NEXT_WORDS = re.compile(r"[a-z][\w'’-]*|\S+")
# `**Low-level APIs** in both frameworks allow ...`: a short phrase that says where or of what,
# between the term and its verb.
# Not `for` or `with`: `**ETL pipelines** for data movement` is a label and its purpose, no
# sentence.
_PREPOSITIONS = frozenset(
    {"in", "on", "of", "across", "within", "inside", "from", "under", "between"}
    | {"around", "about", "over", "through", "at"}
)
# No verb: `**Containers** but ...`, `**Volumes** for ...`, `**Tools** such as ...`.
_SMALL_WORDS = (
    frozenset(_WORDS.stopwords)
    | frozenset(_WORDS.sentence_openers)
    | _CONDITIONS
    | _RANKINGS
    | _NOT_VERBS
    | _PREPOSITIONS
)


_CONJUNCTIONS = frozenset({"and", "or", "nor", "but"})


def _subject_verb(term: str, rest: str) -> tuple[str, str] | None:
    """(the verb, what stands between the term and it: "", an adverb or a phrase) when the
    bold term is the subject of the sentence it opens, else None. The verb agrees with the
    term: in -s (`**Recall** measures ...`), or, after a plural term, any word that is no small
    word (`**Attention layers** provide ...`). An adverb in -ly (`**Recall** typically measures
    ...`), or a phrase of at most three words that opens with a preposition (`**APIs** in both
    frameworks allow ...`), may stand between the two; it is no part of the sentence's claim."""
    words = _NEXT_WORDS.findall(rest.split(".", 1)[0]) if rest[:1].isspace() else []
    if not words:
        return None
    plural = term.endswith("s") and not term.endswith("ss")
    if words[0].endswith("ly") and words[0] not in _SMALL_WORDS:
        places = [1, 0]  # the word after the adverb, or the adverb a verb: `**Backups** apply`
    elif words[0] in _PREPOSITIONS:
        places = [2, 3, 4]
    else:
        places = [0]
    for at in places:
        if at >= len(words):
            continue
        word = words[at]
        if not (word[:1].isalpha() and word.islower()) or "'" in word or "’" in word:
            # A figure, a name or a mark (`**APIs** in AWS`), or a contraction: `**Engineers**
            # don't need ...` says what they are not.
            return None
        third_person = _ANY_VERB.match(f" {word}") is not None and word not in _NOT_VERBS
        # A plural's verb has no -s; a participle is no verb of its own (`**Labs** using ...`).
        base = plural and word not in _SMALL_WORDS and not word.endswith(("s", "ing", "ed"))
        # At the term, a plural's verb may still be in -s (`**Metrics** shows`, a sentence
        # written loosely); after a phrase, only the verb that agrees ends it.
        # After a phrase, a verb goes on with what it does (`allow you to ...`); a noun ends the
        # phrase or joins another (`**Pipelines** in data movement and ...`).
        after = words[at + 1] if at + 1 < len(words) else ""
        goes_on = not at or (after[:1].isalnum() and after not in _CONJUNCTIONS)
        if ((third_person and (not at or not plural)) or base) and goes_on:
            return word, " ".join(words[:at])
    return None


_OPENS_WITH_WORD = re.compile(r"\s*[^\W\d_]")


def _after_article(found: Found, first: str) -> bool:
    """`A test oracle is ...`: a sentence that writes an article right before the term makes it
    a noun phrase, so its first word is no imperative (`Test the build` is). A ranking word
    stays one after an article (`The best practice is ...`)."""
    if found.shape != PROSE or first in _RANKINGS:
        return False
    article = re.compile(rf"\b(?:an?|the)\s+{re.escape(found.term_text)}\b", re.I)
    return article.search(plain_text(found.body)) is not None


def _term_veto(found: Found, config: ExtractConfig) -> tuple[str, str] | None:
    """Why the term names no concept, or None."""
    term = found.term_text
    if not term:
        return "no-term", ""
    # A command or symbol in code is no English: `$?` asks nothing, `set -e` and
    # `for x in y; do ... done` are commands, not a step or a condition. Options and settings
    # are code in bold too: `**-A, -B, -C**`, `**rows=5**` list or set, they claim nothing.
    code = bool(ONLY_CODE.match(found.term) or _OPTION_TOKENS.match(term))
    if term.endswith("?") and not code:
        return "term-is-question", ""
    if len(term.split()) > _MAX_TERM_WORDS:
        return "term-too-long", f"{len(term.split())} words"
    # In code, `%`, `<` and `>` are symbols to learn (`%h` in a format string, a conflict
    # marker `<<<<<<< HEAD`, a redirection `2>&1`), not a share or a bound of a score.
    symbols = not code and any(sign in term for sign in "%<>")
    score = term[0].isdigit() and not (is_reference_number(term) or is_listed_value(found))
    if score or symbols:
        return "term-is-score", ""  # `**27-30 correct (90-100%)**`, `**2 points:**`
    if _is_resource(found.term, term):
        return "term-is-resource", ""
    code_shape = found.shape.startswith("code-") or any(f.name == CODE_SUBJECT for f in found.facts)
    # A sentence that links a file (`the module [`board.py`](https://...), which holds ...`)
    # points to code to read, as a code lead naming a file does.
    linked = any(f.name == TERM_EMPHASISED_SIGNAL and f.detail == "link" for f in found.facts)
    if (code_shape or linked) and _FILE_NAME.search(term):
        return "term-is-file", ""  # `` `DESIGN.md` - architecture ``: a file to hand in or read
    words = [] if code else term.lower().split()
    if len(words) > 1 and words[0] in _STEP_OR_RANKING and not _after_article(found, words[0]):
        return ("term-is-ranking" if words[0] in _RANKINGS else "term-is-step"), words[0]
    if len(words) > 1 and words[0] in _COUNTS:
        # `**Three merge strategies**: fast-forward, ...`, `**Two Notations**`: a headline
        # counting what the body lists, as `**3 merge strategies**` is a score's.
        return "term-is-count", words[0]
    # `Below is an example of a document.`: the sentence points to what follows, its subject
    # comes after the verb. `Since Svelte is a compiler, ...`: a subordinate clause comes
    # first, and its verb defines nothing. Either way the first word names nothing.
    opener = words[0] if words else ""
    lead_in = opener in _PLACE_WORDS or (len(words) > 1 and opener in _CLAUSE_OPENERS)
    if found.shape == PROSE and lead_in:
        return "term-is-lead-in", opener
    if len(words) > 1 and words[0] in _CONDITIONS:
        return "term-is-condition", words[0]  # `**Before Containers**: ...`: one side of a story
    if not code and _is_statement(term) and not is_reference_number(term):
        # `` `--retries=3` ``: an `=` in code sets an option, it states no claim.
        return "term-is-statement", ""  # `**ML lifecycle is continuous**`: a takeaway
    label, colon, _ = term.partition(":")
    if matches_any(term, config.metadata_labels) or (
        colon and matches_any(label, config.metadata_labels)
    ):
        return "metadata-label", label  # `Duration`, or `Issue: "no torch"`
    return None


def _body_veto(found: Found) -> tuple[str, str] | None:
    """Why the body explains nothing, or None."""
    body = found.body
    if not body:
        return "no-explanation", ""
    if _points_elsewhere(body):
        return "body-points-elsewhere", ""
    # `/24 = 255.255.255.0`: a value's meaning may be another value (a mask, a mode's bits).
    if not found.sentence and not _says_something(body) and not is_listed_value(found):
        return "body-says-nothing", ""
    return None


def _is_resource(term: str, term_text: str) -> bool:
    """`**[AWS Podcast](https://...)**`, `**"Docker Deep Dive" by Nigel Poulton**`: a link or a
    quoted title points to something to read or watch; it names no concept to learn."""
    return term_text[:1] in '"“' or _only_link(term)


def _only_link(markdown: str) -> bool:
    """The whole text is one link."""
    text = markdown.strip()
    plain = shortcuts.only_link(text)
    return _parsed_only_link(text) if plain is None else plain


def _parsed_only_link(text: str) -> bool:
    children = inline_children(text)
    if not children or children[0].type != "link_open" or children[-1].type != "link_close":
        return False
    # One link from the first token to the last: `[a](x) and [b](y)` is two links, not one.
    return sum(child.type == "link_open" for child in children) == 1


# `https://...`, `Link: https://...`, `Website: https://...`
_URL_FIRST = re.compile(r"^(?:[\w ]{1,20}:\s*)?(?:https?://|www\.)", re.I)


# `[pytorch.org/docs](https://...). The framework ...`: a link shown as its address.
_ADDRESS_LINK = re.compile(r"^\[[\w-]+(?:\.[\w-]+)+(?:/\S*)?\]\(")


def _points_elsewhere(body: str) -> bool:
    """A body that opens with a link (`- [Course Link](...)`, `Link: https://...`) describes a
    resource to visit, whatever its title says."""
    first = LIST_MARKER.sub("", body.lstrip().partition("\n")[0])
    return (
        _only_link(first)
        or bool(_URL_FIRST.match(plain_text(first)))
        or bool(_ADDRESS_LINK.match(first))
    )


def _says_something(body: str) -> bool:
    """`**Total**: 37-46 hours`, `**Excellence**: 90%+`, `**Alerting**: Lesson 06`: a figure or a
    pointer is not an explanation, not even with a remark in parentheses
    (`**Time to finish**: 7 hours (including the exercise)`)."""
    words = _WORD.findall(_PARENTHESES.sub("", plain_text(body)).lower())
    return any(word not in _UNITS and word not in _POINTERS for word in words)


def _is_statement(term: str) -> bool:
    """A bold clause (`Not all tasks benefit from GPUs`, `Scale matters`, `Always use eval mode`)
    states a point to remember; the card front "X — what is it?" only fits a name. Asides in
    parentheses (`Free tier (Always Free)`) do not count."""
    bare = _PARENTHESES.sub("", term) if "(" in term else term
    if _CLAIM_MARKS.search(bare):
        return True
    words = bare.split()
    lowered = bare.lower().split()  # lower case moves no white space: the same words
    if lowered[:1] and lowered[0] in _CLAIM_WORDS:
        return True  # `Always check errors`, `Never log secrets`
    if len(words) > 1 and lowered[0] in _FINITE_VERBS:
        return True  # `Supports multiple strategies`: a feature claim with its subject left out
    if _is_title(words):
        return False  # `Container Registries Overview`: a name in title case, not a sentence
    for word in lowered[1:]:
        if word in _RELATIVIZERS:
            return False
        if word in _FINITE_VERBS or word in _CLAIM_WORDS:
            return True
    return False


def _is_title(words: list[str]) -> bool:
    """Every long word capitalised: `Works Everywhere`, `Kubernetes Patterns`."""
    long_words = [word for word in words if len(word) > 3 and word[0].isalpha()]
    return len(long_words) > 1 and all(word[0].isupper() for word in long_words)


def _with_following_list(lesson: Lesson, index: int, found: Found) -> Found:
    """`**X** is ... to:` followed by a list: the list is part of the definition. Followed by
    anything else (a code block, a diagram), the card cannot show what the colon announces:
    the sentence ends there (`**CMD** specifies the default command.`)."""
    body = found.body.rstrip()
    if not body.endswith(":"):
        return found
    tokens = lesson.tokens
    after = index + 3  # paragraph_open, inline, paragraph_close
    if after < len(tokens) and tokens[after].type in LIST_OPEN:
        listing = tokens[after]
        if listing.map:
            items = block_source(lesson, listing.map[0], listing.map[1])
            lead = found.body
            if found.shape == "bold-lead-gloss":
                lead = _gloss_sentence(body[:-1].rstrip())
            return replace(found, body=f"{lead}\n\n{items}")
    return replace(found, body=body[:-1].rstrip() + ".")


def _gloss_sentence(gloss: str) -> str:
    """`**Hot Data** (accessed frequently):` above a list: the gloss says what the term is and
    the list goes on about the term. Left as `accessed frequently:`, the back would open on a
    fragment that reads as the list's label (`default:` over what iptables mode does), so it
    is written as a sentence of its own: `Accessed frequently.` A first word in lower-case
    letters only is a common word, and takes a capital; `kubectl-style`, `iOS` keep theirs."""
    first = gloss.split(" ", 1)[0]
    if first.isalpha() and first.islower():
        gloss = gloss[0].upper() + gloss[1:]
    return gloss if gloss.endswith((".", "!", "?")) else f"{gloss}."
