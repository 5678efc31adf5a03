"""Definitions: `**Term** is ...` paragraphs and `- **Term**: explanation` bullets."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from deckgen import shortcuts
from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.extract.common import (
    BoldLead,
    PerSection,
    block_source,
    bold_lead,
    is_question_scope,
    is_skipped,
    matches_any,
    source_ref,
    within,
    within_each,
)
from deckgen.extract.evidence import Candidate, keep
from deckgen.items import Definition
from deckgen.lesson import Lesson, Section, inline_children, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token

_WORDS = defaults()  # the word classes below: see defaults.yaml for what each is for


# `**MLOps** (Machine Learning Operations) is the set of ...`
_DEFINING_VERB = re.compile(
    rf"^\s*(?:\([^)]*\)\s*)?,?\s*(?:{alternatives(_WORDS.defining_verbs)})\b", re.I
)
_SEPARATOR = re.compile(r"^\s*(?::|\s[-–—]|[-–—]\s)\s*")
# `**Step 3:**`, `**Project 01:**`: numbered labels organise a lesson; they are not concepts.
_NUMBERED_LABEL = re.compile(r"^[\w-]+\s+#?\d+[a-z]?(?:\.\d+)*$", re.I)
_MAX_TERM_WORDS = 8
_LIST_OPEN = ("bullet_list_open", "ordered_list_open")
_LIST_CLOSE = ("bullet_list_close", "ordered_list_close")
_RANKINGS = frozenset(_WORDS.ranking_words)


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
# `**1. Psychological Safety**`: the number orders a list; it is not part of the term.
_ENUMERATION = re.compile(r"^\s*\d+[.)]\s+")
# `- **GCS** (Cloud Storage): Object storage`: an aside between the term and its separator.
_ASIDE = re.compile(r"^\s*\([^()]*\)")
_INSTRUCTION_VERBS = frozenset(_WORDS.instruction_verbs)
_STEP_OR_RANKING = _INSTRUCTION_VERBS | _RANKINGS  # built once: _is_concept runs per bold term


def extract(lesson: Lesson, config: ExtractConfig) -> Iterator[Candidate]:
    tokens = lesson.tokens
    steps = _Steps(lesson)
    in_glossary = PerSection(lambda section: within(section, config.glossary_headings))
    excluded = PerSection(
        lambda section: (
            is_skipped(section, config)
            or is_question_scope(section, config)
            or within(section, config.instruction_sections)
        )
    )
    # Most lessons have no glossary: then only bold paragraphs need their section found.
    has_glossary = any(within_each(lesson.sections, config.glossary_headings))
    quote_depth = 0
    for index in lesson.positions("paragraph_open", "blockquote_open", "blockquote_close"):
        token = tokens[index]
        if token.type != "paragraph_open":
            # Block quotes hold notes and asides (`> **Note:** ...`), not the lesson's terms.
            quote_depth += 1 if token.type == "blockquote_open" else -1
            continue
        if quote_depth:
            continue
        inline = tokens[index + 1]
        in_item = tokens[index - 1].type == "list_item_open"
        bold = "**" in inline.content or "__" in inline.content
        if not bold and not (in_item and has_glossary):
            continue
        section = lesson.section_at(index)
        glossary = in_item and in_glossary(section)
        if not (bold or glossary) or excluded(section):
            continue
        if in_item:
            for definition in _from_bullet(lesson, config, index, section, steps, glossary):
                yield keep(definition, "bold-lead-bullet")
        else:
            for definition in _from_paragraph(lesson, config, index, section):
                yield keep(definition, "bold-lead-paragraph")


def _from_paragraph(
    lesson: Lesson, config: ExtractConfig, index: int, section: Section | None
) -> Iterator[Definition]:
    """`**X** is ...`, `**X:** y` lines joined in one paragraph, or `**X**` above a list."""
    tokens = lesson.tokens
    content = tokens[index + 1].content
    first_line = tokens[index].map[0] if tokens[index].map else 0
    after = index + 3  # paragraph_open, inline, paragraph_close
    following_list = after < len(tokens) and tokens[after].type in _LIST_OPEN
    lines = content.split("\n")
    if len(lines) > 1 and any(_is_ranking(line) for line in lines):
        return  # `**Most Common**: IaaS` / `**Growing**: Managed ML`: a ranking, line by line
    for offset, line in enumerate(lines):
        line_number = first_line + offset + 1
        definition = _from_line(lesson, config, line, line_number, section, allow_dash=False)
        if definition is not None and definition.body:
            yield _with_following_list(lesson, index, definition)
        elif "\n" not in content and following_list:
            titled = _titled_list(lesson, config, line, line_number, section, tokens[after])
            if titled is not None:
                yield titled


def _is_ranking(line: str) -> bool:
    lead = bold_lead(line)
    words = lead.term_text.lower().split() if lead else []
    return len(words) > 1 and words[0] in _RANKINGS


def _from_bullet(
    lesson: Lesson,
    config: ExtractConfig,
    index: int,
    section: Section | None,
    steps: _Steps,
    glossary: bool = False,
) -> Iterator[Definition]:
    """A list item whose first paragraph opens with a bold term (in a glossary, any term);
    nested blocks join the body."""
    tokens = lesson.tokens
    paragraph, item = tokens[index], tokens[index - 1]
    content = tokens[index + 1].content
    line = paragraph.map[0] + 1 if paragraph.map else 1
    first_line, _, continuation = content.partition("\n")
    definition = _from_line(lesson, config, first_line, line, section, allow_dash=True)
    if definition is None and glossary:
        definition = _from_line(lesson, config, first_line, line, section, True, _plain_lead)
    nested_start = index + 3
    if definition is None and not continuation and tokens[nested_start].type in _LIST_OPEN:
        # `1. **Blue-Green Deployment**` with a nested list: the list is the explanation.
        titled = _titled_list(lesson, config, first_line, line, section, tokens[nested_start])
        if titled is not None and index - 1 not in steps:
            yield titled
        return
    if definition is None:
        return
    body = definition.body
    if continuation:
        body = f"{body}\n{continuation}".strip()
    if item.map and paragraph.map and paragraph.map[1] < item.map[1]:
        nested = block_source(lesson, paragraph.map[1], item.map[1])
        body = f"{body}\n\n{nested}".strip() if nested else body
    if body and not _points_elsewhere(body) and index - 1 not in steps:
        yield Definition(definition.source, definition.term, body, definition.term_text)


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
        for position in self._lesson.positions(*_LIST_OPEN, *_LIST_CLOSE, "list_item_open"):
            kind = self._tokens[position].type
            if kind in _LIST_OPEN:
                open_lists.append([])
            elif kind == "list_item_open":
                if open_lists:
                    open_lists[-1].append(position)  # the innermost open list holds it
            elif open_lists:
                items = open_lists.pop()
                lists.update(dict.fromkeys(items, items))
        return lists

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
        steps = sum(1 for words in terms if len(words) > 1 and words[0] in _INSTRUCTION_VERBS)
        return steps * 2 > len(terms)


# In a glossary, `- Term: explanation` needs no bold: the term runs up to the separator.
_PLAIN_TERM = re.compile(r"^(?P<term>[^:*_\[\]]+?)(?=\s*:\s|\s+[-–—]\s)")


def _plain_lead(content: str) -> BoldLead | None:
    match = _PLAIN_TERM.match(content)
    if match is None:
        return None
    term = match.group("term").strip()
    return BoldLead(term=term, term_text=plain_text(term), rest=content[match.end() :])


def _titled_list(
    lesson: Lesson,
    config: ExtractConfig,
    content: str,
    line: int,
    section: Section | None,
    listing: Token,
) -> Definition | None:
    """A bold term alone on its line, then a list. `**Label:**` (with a colon) only introduces."""
    lead = bold_lead(content)
    if lead is None or lead.rest.strip() or lead.term_text.endswith(":"):
        return None
    term = _term(lead, config)
    if term is None or not listing.map:
        return None
    body = block_source(lesson, listing.map[0], listing.map[1])
    if _points_elsewhere(body):
        return None
    return Definition(source_ref(lesson, line, section), term[0], body, term[1])


def _from_line(
    lesson: Lesson,
    config: ExtractConfig,
    content: str,
    line: int,
    section: Section | None,
    allow_dash: bool,
    lead_of: Callable[[str], BoldLead | None] = bold_lead,
) -> Definition | None:
    lead = lead_of(content)
    if lead is None:
        return None
    # No separator or defining verb is the usual verdict, and quicker to reach than the term's.
    found = _body(lead, content, allow_dash)
    if found is None:
        return None
    term = _term(lead, config)
    if term is None:
        return None
    body, aside = found
    if body and not _says_something(body):
        return None
    term_markdown = f"{term[0]} {aside}" if aside else term[0]
    return Definition(source_ref(lesson, line, section), term_markdown, body, term[1])


def _term(lead: BoldLead, config: ExtractConfig) -> tuple[str, str] | None:
    """The term as Markdown and as plain text, or None when it names no concept."""
    term_text = _ENUMERATION.sub("", lead.term_text.rstrip(" :"))
    if not _is_concept(term_text, config) or _is_resource(lead.term, term_text):
        return None
    term = _ENUMERATION.sub("", lead.term.rstrip().removesuffix(":").rstrip())
    return term, term_text


def _body(lead: BoldLead, content: str, allow_dash: bool) -> tuple[str, str] | None:
    """The explanation after the term and any aside before it, or None for no definition."""
    if lead.term_text.endswith(":"):
        return lead.rest.strip(), ""
    rest, aside = lead.rest, ""
    parenthesis = _ASIDE.match(rest)
    if parenthesis and _SEPARATOR.match(rest[parenthesis.end() :]):
        rest, aside = rest[parenthesis.end() :], parenthesis.group().strip()
    separator = _SEPARATOR.match(rest)
    if separator and (allow_dash or rest.lstrip().startswith(":")):
        return rest[separator.end() :].strip(), aside
    if _DEFINING_VERB.match(lead.rest):
        # Keep the whole sentence: "MLOps (Machine Learning Operations) is ..." reads best whole.
        return content.strip(), ""
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


_LIST_MARKER = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
# `https://...`, `Link: https://...`, `Website: https://...`
_URL_FIRST = re.compile(r"^(?:[\w ]{1,20}:\s*)?(?:https?://|www\.)", re.I)


def _points_elsewhere(body: str) -> bool:
    """A body that opens with a link (`- [Course Link](...)`, `Link: https://...`) describes a
    resource to visit, whatever its title says."""
    first = _LIST_MARKER.sub("", body.lstrip().partition("\n")[0])
    return _only_link(first) or bool(_URL_FIRST.match(plain_text(first)))


def _says_something(body: str) -> bool:
    """`**Total**: 37-46 hours`, `**Excellence**: 90%+`, `**Alerting**: Lesson 06`: a figure or a
    pointer is not an explanation, not even with a remark in parentheses
    (`**Time to finish**: 7 hours (including the exercise)`)."""
    words = _WORD.findall(_PARENTHESES.sub("", plain_text(body)).lower())
    return any(word not in _UNITS and word not in _POINTERS for word in words)


def _is_concept(term: str, config: ExtractConfig) -> bool:
    if not term or term.endswith("?") or len(term.split()) > _MAX_TERM_WORDS:
        return False
    if term[0].isdigit() or "%" in term or "<" in term or ">" in term:
        return False  # `**27-30 correct (90-100%)**`, `**2 points:**`: scores, not concepts
    words = term.lower().split()
    if len(words) > 1 and words[0] in _STEP_OR_RANKING:
        return False  # a step to do (`Build a portfolio`) or a ranking (`Most common`)
    if _is_statement(term):
        return False  # `**ML lifecycle is continuous**`: a takeaway, not a term
    label, colon, _ = term.partition(":")
    if matches_any(term, config.metadata_labels) or (
        colon and matches_any(label, config.metadata_labels)
    ):
        return False  # `Duration`, or a label with its value in the bold: `Issue: "no torch"`
    return not _NUMBERED_LABEL.match(term)


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


def _with_following_list(lesson: Lesson, index: int, definition: Definition) -> Definition:
    """`**X** is ... to:` followed by a list: the list is part of the definition."""
    if not definition.body.rstrip().endswith(":"):
        return definition
    tokens = lesson.tokens
    after = index + 3  # paragraph_open, inline, paragraph_close
    if after < len(tokens) and tokens[after].type in _LIST_OPEN:
        listing = tokens[after]
        if listing.map:
            items = block_source(lesson, listing.map[0], listing.map[1])
            body = f"{definition.body}\n\n{items}"
            return Definition(definition.source, definition.term, body, definition.term_text)
    return definition
