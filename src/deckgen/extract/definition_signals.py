"""The evidence for and against a definition candidate, and the decision: a score.

`definitions.py` finds the places shaped like a definition (a `Found`); `judge` names the
signals each shows, adds their weights, and keeps the candidate when the sum reaches
`THRESHOLD`. docs/extraction.md lists every signal with its weight, why, and an example.

Weights are chosen so that:
- a *veto* (`VETO`) drops whatever else is true: the shape is a definition's, the content is
  not (a link, a figure, a step, a section of tasks);
- a clean, explained term is kept on its shape alone (`explained`, +2);
- one soft signal against (-3: a repeated label, an aspect of a benefit list, the settings of a
  step) drops it unless the term is a name (+2) or sits in a glossary (+3); an instruction
  for a body (-1) only tips the balance;
- a loose shape (a bold term and any verb, 0; a label above a list, -2) needs evidence for it
  to be kept.
Structural signals (repetition, numbers, the section, the term's use in the lesson) carry the
decision; word lists only recognise English (`is a`, an imperative verb).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.extract import carpentries
from deckgen.extract.common import (
    LIST_CLOSE,
    LIST_OPEN,
    BoldLead,
    bold_lead,
    matches_any,
    singular,
    within,
    without_edge_marks,
)
from deckgen.extract.evidence import Candidate, Signal, drop, keep
from deckgen.extract.wordindex import WORD, WordIndex
from deckgen.identity import normalize_key
from deckgen.items import Definition, SourceRef
from deckgen.lesson import Lesson, Section, plain_text

_WORDS = defaults()

THRESHOLD = 1  # keep a candidate whose weights add up to at least this
VETO = -10  # outweighs every signal for a candidate together

# Shape priors: how much the way it is written says "this is a definition".
EXPLAINED = 2  # `**X**: y`, `**X** is ...`, `**X** = ...`, a heading and its defining paragraph
LOOSE = 0  # `**X** measures ...`: evidence must come from elsewhere
INTRODUCING = -2  # `**Label:**` above a list mostly introduces: kept on a name the lesson uses
# Evidence for.
IN_GLOSSARY = 3
TERM_IS_NAME = 2
BODY_DEFINES = 2
BODY_IS_NOUN_PHRASE = 1
TERM_RECURS = 1
# `- **Dense flow** computes ...` beside `- **Sparse flow** is based on ...`: a sibling written
# as a definition makes the list a list of terms, each said what it does.
SIBLINGS_DEFINE = 1
# Evidence against.
LABEL_REPEATS = -3
LABEL_IN_TEMPLATE = -6  # in `_TEMPLATE_PLACES` places or more
_TEMPLATE_PLACES = 4
AMONG_NUMBERED = -3
USE_CASE_LABEL = -4  # outweighs a name: a use case is not defined by being named
ASPECT_LABEL = -3
# Outweighs a described name (`explained` and `term-is-name`), not one the lesson also uses in
# its prose (`term-recurs`): a benefit named like a thing is rarely mentioned again.
AMONG_ASPECTS = -4
BODY_IS_INSTRUCTION = -1
ABOUT_OTHER_NAME = -2  # as `heading-without-term`: what another thing does is no description
ADDRESSES_READER = -2  # as `heading-without-term`: a walkthrough's voice is no description
BODY_IS_FIGURES = -6
BODY_IS_MEASURE = -3  # a name, measured, stays: a product's figure may be its point
BODY_IS_PRICE_TAG = -6
BESIDE_FIGURES = -4
AMONG_MEASURES = -4  # as `beside-figures`, in a list: a spec's fields, named or not
PARENT_IS_STEP = -3
UNDER_STEP_HEADING = -3
TIMED_SECTION = -5  # outweighs a name and the shape: a timetabled unit covers things, not terms
LABEL_HAS_NUMBER = -6
TITLE_SHAPED = -6
LIST_INSTRUCTS = -3
PHRASE_LABELS = -2
PARENT_IS_FIELD = -4
BODY_IS_RECORD = -6
SIBLING_IS_ADMIN = -4
BODY_LISTS_TASKS = -3
BODY_IS_CODE = -6
AMONG_TEMPLATE_FIELDS = -3  # as `label-repeats`: the list is a copy of a repeated template
# `**Examples:**` above bold names: the field lists those names (`once_per_term` yields such an
# item to any other definition of its term).
FIELD_LISTS_NAMES = "field-lists-names"
# `**Azure**: Azure ML, AKS` under `### Cloud Platforms` lists what a named platform offers:
# weak alone, it drops a generic label (`**Tools**: Jupyter, VS Code`).
BODY_LISTS_NAMES = -2
# `**Fluentd**: the Fluentd`: a back that only repeats the front teaches nothing, named or not
# (as `body-is-code`: no word says what the term is).
BODY_RESTATES_TERM = -6
# `- [Qubit Katas](https://...) - Puzzles to solve online`: a reading list's page, not a thing
# to learn. Outweighs the shape and a name (`explained`, `term-is-name`), not a title the
# lesson also uses in its prose (`term-recurs`).
LINK_NAMES_PAGE = -4


# `` - `docker ps` - list running containers ``, `- 22: SSH`: an entry of a reference list.
CODE_LEAD = "code-lead-bullet"
VALUE_LEAD = "value-lead-bullet"
# `- **Drift**. This means ...`: the term, closed by a full stop, is a sentence of its own.
BACK_REFERENCE = "bold-lead-back-reference"
LABEL_SENTENCE = "bold-label-sentence"  # `**Safety**. Models can ...` beside a definition


@dataclass(frozen=True)
class Found:
    """A place shaped like a definition, before any judgement."""

    shape: str
    source: SourceRef
    term: str  # Markdown, as the card shows it
    term_text: str  # plain text: the key
    body: str  # Markdown
    explained: bool  # the shape itself separates a term from its explanation
    sentence: bool = False  # the body is the whole sentence, term included
    parent: str = ""  # the label or bullet it is nested under
    # Its list completes a sentence (`... directly impact:`) and no item of it names a thing.
    aspect_list: bool = False
    lead_in: str = ""  # the sentence ending in a colon right above its list
    # An emphasised question right above its list (`*Why learn Python?*`), standing as a heading.
    question_above: str = ""
    # Every item of its list is a bold lead written as a name (`- **Heroku**: ...`).
    among_names: bool = False
    # Its list holds at least `MIN_LIST` bold leads and most of the others are no names.
    among_generic: bool = False
    facts: tuple[Signal, ...] = ()  # what the shape finder already knew (block quote, ...)
    # The list item it opens (its token), whose list gives `aspect_list`, `lead_in`,
    # `question_above`, `among_names` and `among_generic` when it is judged; -1: none.
    list_item: int = -1


@dataclass
class LessonFacts:
    """What the whole lesson says about a term: counted once per lesson, on first use."""

    lesson: Lesson
    config: ExtractConfig
    # The kind of section that holds no definitions around a section, or "".
    excluded: Callable[[Section | None], str]

    @cached_property
    def labels(self) -> Counter[str]:
        """In how many places each bold label opens a line of a paragraph or bullet, outside the
        sections that hold no definitions (a takeaway restating a term is no repeat). A place
        is a paragraph or a whole list: a term given twice in one list is a duplicate, not a
        field label repeated across items."""
        return self._label_census[0]

    @cached_property
    def label_uses(self) -> Counter[str]:
        """How often each bold label opens a line, anywhere: those uses of a word are not the
        lesson using it in its prose (`term-recurs`)."""
        return self._label_census[1]

    @cached_property
    def _label_census(self) -> tuple[Counter[str], Counter[str]]:
        places: dict[str, set[int]] = {}
        uses: Counter[str] = Counter()
        tokens = self.lesson.tokens
        lists: list[int] = []
        kinds = (*LIST_OPEN, *LIST_CLOSE)
        for index in self.lesson.positions("paragraph_open", *kinds):
            kind = tokens[index].type
            if kind.endswith("list_open"):
                lists.append(index)
                continue
            if kind.endswith("list_close"):
                if lists:
                    lists.pop()
                continue
            content = tokens[index + 1].content
            if "**" not in content and "__" not in content:
                continue  # no bold lead (most paragraphs): its section need not be judged
            in_item = tokens[index - 1].type == "list_item_open"
            place = lists[-1] if in_item and lists else index
            counted = not self.excluded(self.lesson.section_at(index))
            for line in content.split("\n"):
                lead = bold_lead(line) if "**" in line or "__" in line else None
                if lead is not None:
                    label = label_key(lead.term_text)
                    uses[label] += 1
                    if counted:
                        places.setdefault(label, set()).add(place)
        return Counter({label: len(found) for label, found in places.items()}), uses

    @cached_property
    def numbered_labels(self) -> Counter[int]:
        """How many bold labels opening a paragraph or list item hold a standalone number
        (`**Months 1-2:**`, `- **Week 3**:`), by section (its first token)."""
        counts: Counter[int] = Counter()
        tokens = self.lesson.tokens
        for index in self.lesson.positions("paragraph_open"):
            content = tokens[index + 1].content
            lead = bold_lead(content.partition("\n")[0]) if "**" in content else None
            if lead is None or not _has_standalone_number(label_key(lead.term_text)):
                continue
            section = self.lesson.section_at(index)
            counts[section.start_token if section else -1] += 1
        return counts

    @cached_property
    def _words(self) -> WordIndex:
        return WordIndex(self.lesson.lines)

    # A lesson asks about the same few terms many times (each of its shapes, each signal):
    # the answers, by term, once counted.
    @cached_property
    def _recurs(self) -> dict[str, bool]:
        return {}

    @cached_property
    def _used_as_name(self) -> dict[str, bool]:
        return {}

    @cached_property
    def name_signals(self) -> dict[str, Signal | None]:
        """`term-is-name` of a term written without code, or None (`_name_signal`)."""
        return {}

    def recurs(self, term: str) -> bool:
        """The term is used beyond its bold labels (its own included)."""
        known = self._recurs.get(term)
        if known is None:
            words = [word.lower() for word in WORD.findall(term)][:3]
            labels = max(self.label_uses[label_key(term)], 1)
            known = self._recurs[term] = bool(words) and self._words.count(words) > labels
        return known

    def names_often(self, run: str) -> bool:
        """The words, capitalised as written, are a name the lesson uses: an acronym or capitals
        inside a word (`FastAPI`), the lesson's own subject (words of its title: `Docker
        Compose` in `Lecture 03: Docker Compose`), or written so in the middle of two of its
        sentences or more (once may be a sentence's start after a full stop)."""
        words = WORD.findall(run)[:3]
        if not words or any(_CAPITALS.search(word) for word in words):
            return bool(words)
        title = {word.lower() for word in WORD.findall(self.lesson.title)}
        if {word.lower() for word in words} <= title:
            return True
        return self._words.count_as_name(words) >= 2

    def used_as_name(self, term: str) -> bool:
        known = self._used_as_name.get(term)
        if known is None:
            words = WORD.findall(term)[:3]
            known = self._used_as_name[term] = (
                bool(words) and words[0][:1].isupper() and self._words.count_as_name(words) >= 1
            )
        return known


# `**1. Psychological Safety**`, `**b) Route Controller**`, `**(c) Cold Data**`: the number or
# letter orders a list; it is not part of the term, and `**1. Cause:**` and `**Cause**` are the
# same label. A capital letter with a full stop is left alone: `**J. Doe**` is an initial.
ENUMERATION = re.compile(r"^\s*(?:\(?(?:\d+|[a-z])\)|\d+\.|[a-z]\.|[A-Z]\))\s+")


def label_key(term_text: str) -> str:
    return normalize_key(ENUMERATION.sub("", term_text.rstrip(" :")))


# --- signals ---------------------------------------------------------------------------------

_DEFINES = re.compile(
    rf"^\s*(?:\([^)]*\)\s*)?,?\s*(?:{'|'.join(map(re.escape, _WORDS.defining_verbs))})\s+"
    r"(?:a|an|the|one|any|how|what|when|where|used|responsible|made)\b",
    re.I,
)
_ARTICLE = re.compile(r"^(?:a|an|the)\s", re.I)
_INSTRUCTIONS = frozenset(_WORDS.instruction_verbs)
_ASPECT_WORDS = frozenset(_WORDS.aspect_heading_words)
_ASPECT_LABEL_WORDS = _ASPECT_WORDS | frozenset(_WORDS.aspect_label_words)
_TRAIT_WORDS = frozenset(_WORDS.trait_heading_words)
_USE_WORDS = frozenset(_WORDS.use_case_heading_words)
_CONDITION_WORDS = frozenset(_WORDS.condition_words)
_READER_WORDS = frozenset(_WORDS.reader_pronouns)
_CONCEPT_WORDS = frozenset(_WORDS.concept_heading_words)
PLACEHOLDER = re.compile(
    r"^\W*(?:todo|tbd|tba|fixme|xxx|coming soon|placeholder|\.\.\.|…)\W*$", re.I
)
# `[Link to forum]`, `[Your name]`: a template's blank left unfilled.
_BLANK = re.compile(r"^\s*\[[^\[\]()]+\]\s*$")
# A number standing alone (`Week 3`, `Days 1-2`, `(5 points)`), not one inside a name (`S3`).
_STANDALONE_NUMBER = re.compile(r"(?:^|[\s(#])\d+(?:\.\d+)*(?:\s*[-–—]\s*\d+)?(?=$|[\s):,.])")
_INNER_COLON = re.compile(r":\s+\S")
# `DVC`, `GPUs`, `CloudWatch`, `MLflow`; not `Cloud-Native` (two capitalised words).
_CAPITALS = re.compile(r"[A-Z]{2}|[a-z][A-Z]")
_LETTER_DIGIT = re.compile(r"[A-Za-z]\d|\d[A-Za-z]")
_PARENTHESES = re.compile(r"\([^()]*\)")


_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s")


# `22`, `404 Not Found`, `200 OK`, `755`: a port, a status code, permission bits; not a year
# (`2024`), a range (`27-30`) or a count with its unit (`10 points`).
_REFERENCE_NUMBER = re.compile(r"^(?!(?:19|20)\d\d\b)\d{2,4}(?:\s+[A-Z][\w-]*)*$")


def is_reference_number(term: str) -> bool:
    """The term is an entry of a reference list that a number names (a port, an HTTP status, a
    mode): no score, no step number."""
    return _REFERENCE_NUMBER.match(term) is not None


# `22`, `127.0.0.1`, `27017`, `/24`, `` `7` ``: a port, an address, a prefix, a mode; not a year.
_LISTED_VALUE = re.compile(r"^(?!(?:19|20)\d\d$)/?\d[\d./]*$")


def is_listed_value(found: Found) -> bool:
    """The entry of a reference list (`- 22: SSH`, `` - `7` = rwx ``) is a value: the item the
    list maps to its meaning, not a score or a step's number. A lone digit written plainly
    (`- 5: Expert`, `- 1: Install`) ranks or counts; in code it is a literal (a mode)."""
    if found.shape not in (CODE_LEAD, VALUE_LEAD) or not _LISTED_VALUE.match(found.term_text):
        return False
    return found.shape == CODE_LEAD or len(found.term_text) > 1


def _has_standalone_number(term: str) -> bool:
    """`Week 3`, `Days 1-2`; not a version right after a name in capitals (`DALL-E 3`)."""
    for match in _STANDALONE_NUMBER.finditer(term):
        before = term[: match.start() + 1].split()[-1:] if match.start() else []
        if not (before and _CAPITALS.search(before[0])):
            return True
    return False


_PRICE_TAGS = frozenset(_WORDS.price_tags)
# What may follow a price tag without describing the resource: an aside (`FREE (successor to
# X)`, `FREE — successor to X`), or what comes with it (`FREE with mentorship`).
_AFTER_TAG = re.compile(r"\s*(?:$|[(:;—–]|-\s|with\b)", re.I)


def _is_price_tag(body: str) -> bool:
    """`FREE`, `Paid`, `FREE — successor to X`: the body's first line only says what a resource
    costs. `Free, open-source alternative to X` goes on to say what it is."""
    first = plain_text(body.lstrip().partition("\n")[0])
    words = WORD.findall(first[:20])
    if not words or words[0].lower() not in _PRICE_TAGS:
        return False
    return _AFTER_TAG.match(first[first.find(words[0]) + len(words[0]) :]) is not None


def _mostly_figures(body: str) -> bool:
    """`1x V100 GPU, 8 vCPUs, 61 GB RAM (~$3/hour)`, `~70% PyTorch, ~30% TensorFlow`: a spec
    sheet or a statistic, not an explanation (at least 40% of the words hold a digit)."""
    words = plain_text(body.partition("\n")[0]).split()
    figures = sum(any(character.isdigit() for character in word) for word in words)
    return bool(words) and figures * 5 >= len(words) * 2


# `Step 2: `, `Task 1.1 - `: a heading's number, after a word that names the series (a lecture
# numbers its sections bare: `6.1 Design for Failure` states a principle, no step).
_STEP_NUMBER = re.compile(r"^\s*[A-Za-z]+\s+\d+(?:\.\d+)*[a-z]?\s*[:.)—–-]?\s+")


def _step_heading(section: Section | None) -> str:
    """The item's own heading when it is a numbered step: a series word and its number, then an
    imperative verb (`Step 2: Verify the relay`, `Task 3 - Fix the Upstream`); else "". A
    numbered heading that names a thing (`Step 9 - Success metrics`) lists what it names."""
    if section is None:
        return ""
    title = plain_text(section.title)
    number = _STEP_NUMBER.match(title)
    if number is None:
        return ""
    return title if _first_word(title[number.end() :]) in _INSTRUCTIONS else ""


# `(120 min)`, `[~2 hours]`, `(10 points)` closing a heading: the time or the marks the course
# gives that part of itself. One-letter units other than hours (`(7 m)`, `(70 k)`) say too little.
_TIMED = re.compile(
    r"[(\[]\s*~?\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?\s*(?P<unit>[a-z]+)\.?\s*[)\]]\s*$", re.I
)
_TIME_UNITS = frozenset(unit for unit in _WORDS.units if len(unit) > 1 or unit == "h")


def _timed_heading(section: Section | None) -> str:
    """The item's own heading when it ends with a duration or marks in parentheses (`Lecture 2:
    Branching and Merging (120 min)`): a unit of the course's timetable; else ""."""
    if section is None:
        return ""
    title = plain_text(section.title).strip()
    timed = _TIMED.search(title)
    return title if timed is not None and timed.group("unit").lower() in _TIME_UNITS else ""


# `1,000 requests per second`, `< 200 ms`, `~512 MB`: a number (after a comparison sign, if
# any) opening a short line; or a threshold inside it, `p99 < 200 ms`, `GPU memory > 90%`.
_MEASURE = re.compile(r"^[<>≤≥~≈]?\s*\d")
_THRESHOLD = re.compile(r"(?:^|\s)(?:[<>≤≥]=?|=<|>=)\s*~?\$?\d")
_MEASURE_WORDS = 6
# `(755 directories)`, `(10+ Gbps)`: an aside that opens with a figure, a value set, not a
# year (`(2015)` cites a source) nor an estimate (`(~50MB)` measures the thing described).
_FIGURE_ASIDE = re.compile(r"\(\s*[<>≤≥]?\s*(?!(?:19|20)\d\d\b)\d")


def _gives_figure(body: str) -> bool:
    """The body's first line is a short figure with its unit (`7 days`, `10 MB/s per tenant`)
    or a threshold (`Utilization > 95%`): a value the exercise reads or aims at. A formula in
    code (`` `1 - SLO` ``) says how a term is computed: an explanation."""
    line = body.lstrip().partition("\n")[0]
    first = plain_text(line)
    return (
        not line.startswith("`")
        and len(first.split()) <= _MEASURE_WORDS
        and (_MEASURE.match(first) is not None or _THRESHOLD.search(first) is not None)
    )


def _is_measure(term: str, body: str) -> bool:
    """A short generic label (a metric's name, two words at most) whose body's first line is a
    figure with its unit or a threshold: a reading or a target of an exercise's scenario, not
    what it is."""
    return len(term.split()) <= 2 and _gives_figure(body)


# `` `apt`, `dpkg` ``, `` `a` or `b` ``: code spans, and only separators between them.
ONLY_CODE = re.compile(r"^\s*(?:`[^`\n]+`\s*(?:[,;/]\s*|(?:or|and)\s+)?)+$")


def _only_code(body: str) -> bool:
    """The body (one line) is only code: a command to run or a value to set, no words that
    say what the term is."""
    return "\n" not in body.strip() and ONLY_CODE.match(_SEPARATOR_LEAD.sub("", body)) is not None


def _more_than_a_word(term: str) -> bool:
    """`CI/CD Integration`, `Powerful query language (PromQL)`: words around a name, or more
    than one word, an aside in parentheses aside."""
    return len(_PARENTHESES.sub("", term).split()) > 1


def _heading_words(section: Section | None) -> set[str]:
    return set(WORD.findall(section.title.lower())) if section else set()


def is_name(term_markdown: str, term_text: str, facts: LessonFacts) -> bool:
    """The term is a name: code, an acronym or capitals inside a word, letters and digits, or
    capitalised in the middle of the lesson's sentences."""
    return _name_signal(term_markdown, term_text, facts) is not None


def _name_signal(term_markdown: str, term: str, facts: LessonFacts) -> Signal | None:
    if "`" in term_markdown:
        return Signal("term-is-name", TERM_IS_NAME, "code")
    # Each list asks about every one of its labels, for each item and each of its list
    # signals: the answer, by term, once found.
    names = facts.name_signals
    if term not in names:
        names[term] = _words_name_signal(term, facts)
    return names[term]


def _words_name_signal(term: str, facts: LessonFacts) -> Signal | None:
    for word in term.split():
        if _CAPITALS.search(word):
            return Signal("term-is-name", TERM_IS_NAME, f"capitals: {word}")
        if _LETTER_DIGIT.search(word):
            return Signal("term-is-name", TERM_IS_NAME, f"letters and digits: {word}")
    if facts.used_as_name(term):
        return Signal("term-is-name", TERM_IS_NAME, "capitalised mid-sentence in the lesson")
    return None


# A list this long shows a pattern; two items may be chance.
MIN_LIST = 3
_SENTENCE_END = re.compile(r"(?<=[.;!?])\s+|\n+")
# `... this object. It holds ...`: not `i.e. the`, `etc. and`, nor `e.g. Redis` (no word before).
_NEW_SENTENCE = re.compile(r"(?<=[A-Za-z0-9)\]][A-Za-z0-9)\]][.!?])\s+(?=[A-Z])")
_ADVICE_OPENERS = _INSTRUCTIONS | frozenset(_WORDS.claim_words)
# `- [ ] Setup guide`, or `- Audit trail: [ ]` with the box last.
_CHECKBOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s|.*\[[ xX]\]\s*$)")


def list_roles(leads: list[BoldLead], facts: LessonFacts) -> tuple[Signal, ...]:
    """Evidence from the item's whole list of bold-lead items, when it is at least `MIN_LIST`
    long and mostly not names: most bodies instruct or advise (a procedure, a list of pitfalls
    or requirements: `list-instructs`), or most labels are phrases of three or more words in
    sentence case (situations, not names: `phrase-labels`)."""
    if len(leads) < MIN_LIST:
        return ()
    admin = next((lead for lead in leads if _is_blank(lead)), None)
    if admin is not None:
        # `- **Office Hours**: Thursdays` beside `- **Forum**: [Link]`: contacts and course
        # facts, like their sibling, not terms.
        return (Signal("sibling-is-admin", SIBLING_IS_ADMIN, admin.term_text.rstrip(" :")),)
    if _mostly_names(leads, facts):
        return ()
    signals: list[Signal] = []
    figures = [lead for lead in leads if _gives_figure(_SEPARATOR_LEAD.sub("", lead.rest))]
    asides = [lead for lead in leads if _FIGURE_ASIDE.search(plain_text(lead.rest))]
    if figures and len(figures) * 2 >= len(leads):
        # `**Retention**: 7 days` / `**RTO**: 4 hours` beside `**Compaction**: automatic`: half
        # the labels or more are given a value, so the list is a spec of the exercise's own
        # system (its settings, targets, budget), and its other labels are fields too.
        signals.append(Signal("among-measures", AMONG_MEASURES, figures[0].term_text.rstrip(" :")))
    elif asides and len(asides) * 2 >= len(leads):
        # `**Dataset Security**: Read-only for most users (755)` beside `**Log Files**: ...
        # (644)`, `**Storage**: Dataset access (10+ Gbps)`: a figure set in an aside of half
        # the bodies or more is the value each label is given, a spec's settings as above.
        detail = asides[0].term_text.rstrip(" :")
        signals.append(Signal("values-in-asides", AMONG_MEASURES, detail))
    advising = sum(_advises(lead.rest) for lead in leads)
    if advising * 2 > len(leads):
        signals.append(Signal("list-instructs", LIST_INSTRUCTS, f"{advising} of {len(leads)}"))
    phrases = sum(_is_phrase(lead.term_text.rstrip(" :")) for lead in leads)
    if phrases * 2 > len(leads):
        signals.append(Signal("phrase-labels", PHRASE_LABELS, f"{phrases} of {len(leads)}"))
    return tuple(signals)


def _mostly_names(leads: list[BoldLead], facts: LessonFacts) -> bool:
    """Half the labels or more are names. `One NAT for the whole VPC` holds a name but is a
    phrase: it does not make a list of names."""
    names = sum(
        not _is_phrase(lead.term_text.rstrip(" :"))
        and is_name(lead.term, lead.term_text.rstrip(" :"), facts)
        for lead in leads
    )
    return names * 2 >= len(leads)


def lists_catalogue(labelled: list[BoldLead], facts: LessonFacts) -> bool:
    """The bold leads of a list (`labelled`) could be a catalogue's entries: at least
    `MIN_LIST`, mostly no names, whose bodies mostly only list names (`body-lists-names`). Not
    a list of names (a summary restating the lesson's components), nor one whose bodies
    describe (`**On-Demand**: pay per hour` under each provider's `**Pricing Model:**`: the
    same things described again). Judged once per list: it holds for every item alike."""
    if len(labelled) < MIN_LIST or _mostly_names(labelled, facts):
        return False
    listing = sum(
        _lists_names(lead.term_text, _SEPARATOR_LEAD.sub("", lead.rest)) for lead in labelled
    )
    return listing * 2 >= len(labelled)


def among_template_fields(
    leads: list[BoldLead | None], position: int, facts: LessonFacts
) -> Signal | None:
    """`- **Security**: IAM, KMS` beside `- **Compute**: EC2, Lambda` and `- **Storage**: S3,
    EBS`, whose labels the lesson uses again in other places (each provider's `**Core
    Services:**`): in a list whose leads could be a catalogue's (`lists_catalogue`, which the
    caller has found), most of the other labels repeat elsewhere (as `label-repeats` counts
    them). The list is one copy of a catalogue repeated across sibling sections, its labels
    the catalogue's categories, so the label that appears only in this copy is a category
    too."""
    others = [lead for index, lead in enumerate(leads) if lead is not None and index != position]
    repeated = [lead for lead in others if facts.labels[label_key(lead.term_text)] > 1]
    if len(repeated) * 2 <= len(others):
        return None
    detail = f"{len(repeated)} of {len(others)} others, {repeated[0].term_text.rstrip(' :')}"
    return Signal("among-template-fields", AMONG_TEMPLATE_FIELDS, detail)


def written_as_names(leads: list[BoldLead]) -> bool:
    """Two or more bold leads, each a name written in prose: every word capitalised
    (`Google Compute Engine`, `VMware vSphere`) or one word alone (a tool's name in lower case:
    `tldr`, `explainshell.com`), not code (an example value, `nginx:latest`)."""
    terms = [_PARENTHESES.sub("", lead.term_text.rstrip(" :")).split() for lead in leads]
    return (
        len(terms) >= 2
        and all(
            len(words) == 1 or (words and all(any(c.isupper() for c in word) for word in words))
            for words in terms
        )
        and not any("`" in lead.term for lead in leads)
    )


def beside_figures(leads: list[BoldLead | None], position: int) -> Signal | None:
    """`**Hands-on Lab:** Exercise 03` between `**Reading Time:** 70 minutes` and
    `**Prerequisites:** ...`: in a paragraph of at least `MIN_LIST` label lines, another line
    gives only figures (a duration, a date, a version). The paragraph is a lesson's header or
    footer, a record of facts, and its labels are its fields, not terms."""
    labelled = [lead for lead in leads if lead is not None]
    if len(labelled) < MIN_LIST:
        return None
    for index, lead in enumerate(leads):
        if index != position and lead is not None:
            value = _SEPARATOR_LEAD.sub("", lead.rest)
            if value.strip() and _mostly_figures(value):
                return Signal("beside-figures", BESIDE_FIGURES, lead.term_text.rstrip(" :"))
    # `**Service**: payments-api` / `**Environment**: production` / `**Owner**: platform team`:
    # values of one word (an identifier, a setting) in half the lines or more make a scenario's
    # record; a term's explanation takes a phrase.
    single = [
        lead
        for lead in labelled
        if len(plain_text(_SEPARATOR_LEAD.sub("", lead.rest)).split()) == 1
    ]
    if len(single) * 2 >= len(labelled):
        return Signal("among-values", BESIDE_FIGURES, single[0].term_text.rstrip(" :"))
    return None


def _is_blank(lead: BoldLead) -> bool:
    """A template's blank or a placeholder for a body (`**Forum**: [Link]`, `**Chat**: TBD`). A
    metadata label among the siblings says less: `**Summary**` is also a Prometheus metric
    type beside `**Counter**` and `**Gauge**`."""
    body = _SEPARATOR_LEAD.sub("", lead.rest).strip()
    return bool(_BLANK.match(body) or PLACEHOLDER.match(plain_text(body)))


def _sentence_count(body: str) -> int:
    """The sentences of the body's first line: a full stop after a word, then a capital."""
    return 1 + len(_NEW_SENTENCE.findall(plain_text(body.strip().partition("\n")[0])))


def _item_sentences(found: Found) -> int:
    """The sentences of an item: its body's, and the term's own when a full stop closes it
    (`- **Drift**. This means ...`, `- **Safety**. Models can ...`; after `, i.e.` the body goes
    on with the term's sentence)."""
    closed = found.shape in (BACK_REFERENCE, LABEL_SENTENCE) and found.body[:1].isupper()
    return _sentence_count(found.body) + closed


def _advises(rest: str) -> bool:
    """A sentence of the body opens with an instruction (`Use delta for gauges.`) or a claim
    word (`Always wait on a health endpoint`)."""
    text = _SEPARATOR_LEAD.sub("", plain_text(rest))
    for sentence in _SENTENCE_END.split(text):
        words = WORD.findall(sentence[:40])
        if words and words[0].lower() in _ADVICE_OPENERS:
            return True
    return False


_SEPARATOR_LEAD = re.compile(r"^\s*(?::|[-–—])?\s*")


def _is_phrase(term: str) -> bool:
    """`Mocking the model at the wrong layer`: three or more words, one after the first in lower
    case: a situation described in sentence case, not a name."""
    words = term.split()
    return len(words) >= 3 and any(word[:1].islower() for word in words[1:] if len(word) > 3)


def _is_checklist(body: str) -> bool:
    """`- [ ] Setup instructions`: a list of boxes to tick, a rubric or a to-do list."""
    lines = [line for line in body.splitlines() if line.strip()]
    boxes = sum(bool(_CHECKBOX.match(line)) for line in lines)
    return boxes * 2 > len(lines)


# `- Topics: observability`, `- **Threshold**: < 0.90`: a field and its value.
_FIELD_LINE = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])\s+(?:\*\*)?[^\s:*`][^:*`]{0,25}?(?:\*\*)?:(?:\*\*)?\s+\S"
)


def _is_record(body: str) -> bool:
    """A body that is a list of `Field: value` lines (`- Topics: ...` / `- Videos: ...`): a
    catalogue entry or a spec, which says what the thing has, not what it is."""
    lines = [line for line in body.splitlines() if line.strip()]
    if not lines or not _LIST_ITEM.match(lines[0]):
        return False
    fields = sum(bool(_FIELD_LINE.match(line)) for line in lines)
    return fields >= 2 and fields * 2 > len(lines)


_LIST_SEPARATOR = re.compile(r",|\band\b")


def _lists_names(term: str, body: str) -> bool:
    """A first line that is only names, comma-separated (`SageMaker, EKS, EC2 GPU instances`,
    `Jupyter, VS Code, PyCharm`): the members or examples of the term, not what it is. An
    acronym spelled out by them (`**ELK**: Elasticsearch, Logstash, Kibana`) is defined."""
    first = _PARENTHESES.sub("", plain_text(body.partition("\n")[0])).strip().rstrip(".")
    if "," not in first or _LIST_ITEM.match(first):
        return False
    parts = [part.strip() for part in _LIST_SEPARATOR.split(first) if part.strip()]
    if len(parts) < 2 or not all(_names_one(part) for part in parts):
        return False
    initials = "".join(part[0] for part in parts).upper()
    acronym = term.split()[0] if term.split() else ""
    return not (acronym.isupper() and acronym == initials)


def _names_one(part: str) -> bool:
    """One to three words opening with a capital, code or a word with capitals or digits."""
    words = part.split()
    first = words[0] if words else ""
    return 0 < len(words) <= 3 and (
        first[:1].isupper() or bool(_CAPITALS.search(first) or _LETTER_DIGIT.search(first))
    )


_TOP_ITEM = re.compile(r"^(?:[-*+]|\d+[.)])\s+")


def _lists_tasks(body: str) -> bool:
    """A body that is a list (three items or more) of which at least three in four open with
    an imperative verb: `- Build an exporter` / `- Add options`: a project or advice, not what
    the thing is. A list describing how something works mixes in other openings."""
    lines = body.splitlines()
    if not lines or not _LIST_ITEM.match(lines[0]):
        return False
    items = [line for line in lines if _TOP_ITEM.match(line)]  # nested items are details
    tasks = sum(_first_word(_TOP_ITEM.sub("", line)) in _INSTRUCTIONS for line in items)
    return len(items) >= MIN_LIST and tasks * 4 >= len(items) * 3


def _first_word(body: str) -> str:
    words = WORD.findall(plain_text(body.lstrip().partition("\n")[0])[:80])
    return words[0].lower() if words else ""


# `Docker Compose automatically creates`, `FastAPI generates`: the capitalised words opening a
# paragraph, then its verb in -s (an adverb in -ly before it): the subject of the sentence.
_OPENING_NAME = re.compile(
    r"^(?P<name>[A-Z][\w.+-]*(?:\s+[A-Z][\w.+-]*){0,2}?)(?:['’]s)?\s+(?:[a-z]+ly\s+)?"
    r"(?P<verb>[a-z]+s)\b"
)


def _about_other_name(found: Found, facts: LessonFacts) -> str:
    """The name a heading's description opens with, when it is no word of the heading (its
    aside included) and neither is the word in -s after it (a plural noun of the subject, not
    its verb), or "": `FastAPI generates an OpenAPI schema` under `### OpenAPI Schema`.
    Not when the paragraph marks the heading's subject (`Richard Stallman launched the **GNU
    Project**`): the mark says what the paragraph is about."""
    if found.shape != "heading-description" or any(
        fact.name == "paragraph-marks-term" for fact in found.facts
    ):
        return ""
    opening = _OPENING_NAME.match(plain_text(found.body.lstrip()))
    if opening is None:
        return ""
    subject = opening.group("name")
    first = subject.split()[0].lower()
    if first in _STOPWORDS or first in _INSTRUCTIONS:
        return ""  # `The simplest workflow ...`, `Test each case ...`: no name opens it
    named = {singular(w).lower() for w in WORD.findall(plain_text(found.term))}
    said = {singular(w).lower() for w in WORD.findall(subject)} | {singular(opening["verb"])}
    if said & named:
        return ""  # `Docker images are built from layers` under `### Image Layers`: a plural
    return subject if facts.names_often(subject) else ""


# `Let's walk through ...`, `Lets first create ...` (as MDN spells it), `Let us ...`: the
# author's invitation opens the paragraph.
_INVITATION = re.compile(r"^let(?:['’]?s|\s+us)\b", re.I)
# `Instead of merging, you can rebase`, `... lets you pin versions`: what the thing lets the
# reader do describes it, so `you` there is no address.
_CAPABILITY = re.compile(
    rf"\b(?:{alternatives(_WORDS.prose_action_verbs)})\b|\byou\s+(?:can|could|may|might)\b", re.I
)


def _description_voice(found: Found) -> str:
    """The word by which a heading's short description speaks to the reader (`you`, `your`:
    `reader_pronouns`, not in what the thing lets them do) or opens with the author's `Let's`,
    or "": a walkthrough's lead-in (`Suppose you maintain ...`) or a step (`Locate the
    downloaded file (it will often go to your Downloads folder)`), not a description. On the
    eight readable sets, five kept heading descriptions speak so, none of them annotated, on
    three publishers' courses (`### Rebase` / `Instead of merging, you can rebase ...`, what
    the thing lets the reader do, is annotated and stays)."""
    if found.shape != "heading-description":
        return ""
    return reader_voice(plain_text(found.body).strip())


def reader_voice(text: str) -> str:
    """The word by which the text speaks to the reader (`reader_pronouns`, not in what a thing
    lets them do), or the author's `Let's` that opens it, or ""."""
    if invitation := _INVITATION.match(text):
        return invitation.group(0)
    said = _CAPABILITY.sub(" ", text)
    return next((word for word in WORD.findall(said) if word.lower() in _READER_WORDS), "")


def _caption_says_what_it_does(found: Found) -> bool:
    """A heading's short description is a caption, written as what the thing does
    (`### Data Parallelism` / `Split data across devices`), unless the verb acts on the
    heading's own thing (`### Cloud CDN` / `Enable Cloud CDN for ...`: a task). Measured on
    the tune sets, `body-is-instruction` dropped three annotated such captions for one
    unannotated."""
    if found.shape != "heading-description":
        return False
    named = {w.lower() for w in WORD.findall(plain_text(found.term))}
    acted_on = WORD.findall(plain_text(found.body.partition("\n")[0]))[1:]
    return not any(w.lower() in named for w in acted_on)


def signals_of(found: Found, section: Section | None, facts: LessonFacts) -> list[Signal]:
    """Every signal the candidate shows, shape prior first."""
    config = facts.config
    signals = list(found.facts)
    term = found.term_text
    if found.explained:
        signals.append(Signal("explained", EXPLAINED, found.shape))
    elif found.shape == "label-above-list":
        signals.append(Signal("introducing-label", INTRODUCING, found.shape))
    else:
        signals.append(Signal("loose-shape", LOOSE, found.shape))
    # Against: structure first.
    # A reference list's entry is a literal (`` `mtu 1500` ``, `127.0.0.1`): its figures are
    # part of what it names, not a number that organises the lesson.
    literal = found.shape in (CODE_LEAD, VALUE_LEAD)
    if _has_standalone_number(term) and not is_reference_number(term) and not literal:
        signals.append(Signal("label-has-number", LABEL_HAS_NUMBER, term))
    if _INNER_COLON.search(term):
        signals.append(Signal("title-shaped", TITLE_SHAPED, "a colon inside the label"))
    field = bool(found.parent) and is_field_label(found.parent, config)
    # `**Examples:**` above `- **Heroku**: managed app hosting` and `- **Slack**: ...`: a field
    # whose items are all names, each described, lists the things it names (a benefit or a
    # use-case field lists aspects, judged by `aspect-label`).
    lists_names = (
        field
        and found.among_names
        and not _parent_words(found.parent) & (_ASPECT_WORDS | _USE_WORDS)
    )
    repeats = facts.labels[label_key(term)]
    if repeats > 1 and not lists_names:
        # A term is defined once, maybe restated once or twice; a label in more places is a
        # template's field (`**Package Manager**:` under each distribution), whatever it
        # names, unless each place defines it anew (`: the smallest unit ...`). A name such a
        # field lists again in a parallel section (`- **On-Demand**: ...` under each
        # provider's `**Pricing Model:**`) is the same thing described twice, no field.
        template = repeats >= _TEMPLATE_PLACES and not _ARTICLE.match(plain_text(found.body))
        weight = LABEL_IN_TEMPLATE if template else LABEL_REPEATS
        signals.append(Signal("label-repeats", weight, f"in {repeats} places"))
    name = _name_signal(found.term, term, facts)
    serial = facts.numbered_labels[section.start_token if section else -1]
    if serial >= 2 and not _has_standalone_number(term) and name is None:
        # `**Beyond:** Specialization` after `**Months 1-2:**` and `**Months 3-4:**`: the last
        # stage of a schedule, not a term.
        signals.append(Signal("among-numbered-labels", AMONG_NUMBERED, f"{serial} in the section"))
    # `## Why X Matters` / `### Business Impact`: the parent heading says what the list is.
    # `*So, why learn Python?*` right above the list is its heading, emphasised instead.
    headings = _heading_words(section) | _parent_heading_words(section)
    aspect_words = ((headings | _parent_words(found.question_above)) & _ASPECT_WORDS) | (
        _parent_words(found.parent) & _ASPECT_LABEL_WORDS
    )
    # A label defined by a noun phrase (`**Concept drift**: the relationship ... changes`), or
    # by a sentence naming it (`**Latency**: Latency is the time ...`), is a named concept, not
    # an aspect.
    defined = not found.sentence and (
        bool(_ARTICLE.match(plain_text(found.body.lstrip()))) or _names_itself(term, found.body)
    )
    # Longer labels are aspects too when written as a phrase (`Integration with the cloud`);
    # `Infrastructure as Code`, in title case, may name a practice.
    generic = name is None and not defined and (len(term.split()) <= 2 or _is_phrase(term))
    uses = (_heading_words(section) | _parent_heading_words(section)) & _USE_WORDS
    command = "`" in found.term
    situation = "" if command else _situation(section, found.parent)
    if uses and not command:
        # `**LLM Training**: training large language models` under `### Common Use Cases`: where
        # something is used, named or not (a command in backticks is described there).
        signals.append(Signal("use-case-label", USE_CASE_LABEL, f"under '{sorted(uses)[0]}'"))
    elif aspect_words and generic:
        signals.append(Signal("aspect-label", ASPECT_LABEL, f"under '{sorted(aspect_words)[0]}'"))
    elif aspect_words and found.among_generic and not defined and _more_than_a_word(term):
        # `6. **CI/CD Integration**: native integration with ...` after `**Speed**` and
        # `**Branching**` under `### Why Git Won`: one more benefit of the section's subject,
        # named or long, since its siblings are aspects, not things. A name alone (`**TTL**`)
        # is a thing the section names, not an aspect of it.
        signals.append(Signal("among-aspects", AMONG_ASPECTS, f"under '{sorted(aspect_words)[0]}'"))
    elif situation:
        # `**Event-Driven**: ...` under `**When Serverless Works:**`, `**Git LFS**: ...` under
        # `### For AI/ML Projects`: the situations something suits, named or not.
        signals.append(Signal("use-case-label", USE_CASE_LABEL, f"under '{situation}'"))
    elif found.aspect_list and name is None and (sentences := _item_sentences(found)) > 1:
        # `- **Problem memory**: holds the current case. It changes as ...`: an item of two
        # sentences or more is its own explanation, not the end of the lead-in's sentence; the
        # aspects such a list holds are fragments (`- **Accuracy**: is it up to date?`).
        signals.append(Signal("item-stands-alone", 0, f"{sentences} sentences"))
    elif found.aspect_list and name is None:
        signals.append(Signal("aspect-label", ASPECT_LABEL, "generic items completing a sentence"))
    elif name is None and _addresses_reader(found.lead_in):
        # `This module prepares you for:` above `- **Capacity Planning**: predict needs`: what
        # the course does for the reader (goals, uses, needs), not terms.
        signals.append(Signal("lead-in-addresses-reader", ASPECT_LABEL, found.lead_in.strip()))
    elif generic and not found.parent and (trait := _heading_words(section) & _TRAIT_WORDS):
        # `**Collaboration**: work with data scientists` under `### Soft Skills`.
        signals.append(Signal("trait-label", ASPECT_LABEL, f"under '{sorted(trait)[0]}'"))
    if field:
        if lists_names:
            signals.append(Signal(FIELD_LISTS_NAMES, 0, found.parent))
        else:
            # `**Sample Answer:**` above the list: its items are that field's content, not
            # terms.
            signals.append(Signal("parent-is-field", PARENT_IS_FIELD, found.parent))
    elif found.shape in _LABEL_SHAPES and (example := _example_heading(section)):
        # `### Example Panel: Inference Latency` above `- **Thresholds:** > 85% ...`: the
        # example's settings, not terms.
        signals.append(Signal("parent-is-field", PARENT_IS_FIELD, example))
    parent_verb = found.parent.split()[0].lower() if found.parent else ""
    if parent_verb in _INSTRUCTIONS:
        # `3. **Configure**:` above `- **Name**: Prometheus`: settings of a step, not terms.
        signals.append(Signal("parent-is-step", PARENT_IS_STEP, found.parent))
    elif found.shape in _LABEL_SHAPES and name is None and (step := _step_heading(section)):
        # `## Step 2: Inspect the relay` above `**Observation**: the log shows timeouts`: the
        # step's fields (what to look for, what was seen, what to do), not terms.
        signals.append(Signal("under-step-heading", UNDER_STEP_HEADING, step))
    if found.shape in _LABEL_SHAPES and not defined and (timed := _timed_heading(section)):
        # `### Lecture 2: Branching (120 min)` above `- **Merge conflicts**: why they happen`,
        # `### Step 4 - Three services (60 min)` above `**Frontend** (`app.py`): ...`: a unit of
        # the course's timetable lists what it covers or builds; the lesson defines those. A
        # label defined by a noun phrase (`**Beacon**: a ping sent on a timer`) is a term in a
        # timed lecture all the same.
        signals.append(Signal("timed-section", TIMED_SECTION, timed))
    # A list for a body describes how something works, step by step; only prose instructs.
    prose = not found.sentence and not _LIST_ITEM.match(found.body)
    first = _first_word(found.body) if prose else ""
    if first in _INSTRUCTIONS and not _caption_says_what_it_does(found):
        signals.append(Signal("body-is-instruction", BODY_IS_INSTRUCTION, first))
    if other := _about_other_name(found, facts):
        # `### Default Networking` / `Docker Compose automatically creates a network:`: the
        # paragraph says what another thing does, the heading names a feature of it.
        signals.append(Signal("paragraph-about-other-name", ABOUT_OTHER_NAME, other))
    if voice := _description_voice(found):
        # `### The Fetch API` / `Let's walk through a couple of examples ...`, `### Git` /
        # `Clone the repo (if you haven't already) with:`: the paragraph leads the reader into
        # a walkthrough or a step; it does not say what the heading names.
        signals.append(Signal("description-addresses-reader", ADDRESSES_READER, voice))
    # `/24 = 255.255.255.0`, `` `7` = rwx (4+2+1) ``: a value's meaning may be figures.
    if _mostly_figures(found.body) and not is_listed_value(found):
        signals.append(Signal("body-is-figures", BODY_IS_FIGURES))
    elif found.shape in _LABEL_SHAPES and name is None and _is_measure(term, found.body):
        # `**Throughput**: 1,000 requests per second`: the value a lab measures or aims at.
        signals.append(Signal("body-is-measure", BODY_IS_MEASURE))
    elif found.shape in _LABEL_SHAPES and _only_code(found.body):
        # `**Stop the shipper**: `systemctl stop vector``: what to type, not what it is.
        signals.append(Signal("body-is-code", BODY_IS_CODE))
    elif _is_price_tag(found.body):
        # `[Play with Docker](...) - FREE`: a reading list's entry, priced, not explained.
        signals.append(Signal("body-is-price-tag", BODY_IS_PRICE_TAG))
    elif not found.sentence and _restates(term, found.body):
        signals.append(Signal("body-restates-term", BODY_RESTATES_TERM))
    if PLACEHOLDER.match(plain_text(found.body)) or _BLANK.match(found.body):
        signals.append(Signal("placeholder", VETO))
    if _is_record(found.body):
        signals.append(Signal("body-is-record", BODY_IS_RECORD))
    elif _lists_tasks(found.body):
        signals.append(Signal("body-lists-tasks", BODY_LISTS_TASKS))
    if prose and _lists_names(term, found.body):
        signals.append(Signal("body-lists-names", BODY_LISTS_NAMES))
    if _is_checklist(found.body):
        signals.append(Signal("body-is-checklist", VETO))
    # For.
    if name is not None:
        signals.append(name)
    # A glossary lists terms; a list under `### Key Concepts` whose labels are mostly phrases
    # (`**Rebase rewrites history**`, `**HEAD tracks current branch**`) recaps statements.
    recap = any(signal.name == "phrase-labels" for signal in found.facts)
    if (within(section, config.glossary_headings) or _concept_section(section)) and not recap:
        signals.append(Signal("in-glossary", IN_GLOSSARY))
    if body_defines(found):
        signals.append(Signal("body-defines", BODY_DEFINES))
    elif not found.sentence and _ARTICLE.match(plain_text(found.body.lstrip())):
        signals.append(Signal("body-is-noun-phrase", BODY_IS_NOUN_PHRASE))
    recurs = facts.recurs(term)
    if recurs:
        signals.append(Signal("term-recurs", TERM_RECURS))
    if page := _link_names_page(found, name is not None, recurs):
        signals.append(Signal("link-names-page", LINK_NAMES_PAGE, page))
    return signals


# A title spells out what a document says: five words or more, a small word in lower case
# between two capitalised ones (`Scaling QRDB Clusters with Consistent Hashing`). Shorter
# names keep their small word (`Infrastructure as Code`, `Function as a Service`).
_TITLE_WORDS = 5


def _link_names_page(found: Found, named: bool, recurs: bool) -> str:
    """Why a link-lead entry's link text names a page to visit rather than a thing to learn, or
    "": a document's title, or words the lesson neither writes as a name nor uses anywhere else
    (`Qubit Katas`: the page's own title, the entry points there). An entry named for a
    product's own reference names the product. On the eight readable sets 9 such entries were
    kept (tune and blind), none annotated; every annotated link-lead entry is a name or
    recurs."""
    if found.shape != "link-lead-bullet" or any(f.name == "names-product" for f in found.facts):
        return ""  # `[Meshly Documentation](...)`: the product's own reference names it
    words = found.term_text.split()
    if len(words) >= _TITLE_WORDS and any(
        small in _STOPWORDS and before[:1].isupper() and after[:1].isupper()
        for before, small, after in zip(words, words[1:], words[2:], strict=False)
    ):
        return "a document's title"
    if not named and not recurs:
        return "neither a name nor used in the lesson"
    return ""


_STOPWORDS = frozenset(_WORDS.stopwords)
_POSSESSIVE = re.compile(r"['’]s\b")


# Where an identifier joins its words: `CreateContainer`, `pool_size`, `max-retries`.
_IDENTIFIER_JOINT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|[_-]")


def _restates(term: str, body: str) -> bool:
    """Every word of the body that is no stopword is a word of the term, singular or plural
    (`**Model Registry**: the model registry`, `` **`fluentd`**: Fluentd ``), the term's
    identifiers split into their words (`` `CreateContainer` ``: Create container)."""

    def stems(text: str) -> set[str]:
        words = WORD.findall(_POSSESSIVE.sub("", plain_text(text)).lower())
        return {word.removesuffix("s") for word in words if word not in _STOPWORDS}

    said = stems(body)
    named = stems(term) | stems(_IDENTIFIER_JOINT.sub(" ", plain_text(term)))
    return bool(said) and said <= named


def body_defines(found: Found) -> bool:
    """A whole-sentence body goes on from the term with a defining verb (`is a`, ...)."""
    return found.sentence and _DEFINES.match(_after_term(found)) is not None


def _after_term(found: Found) -> str:
    """What follows the term in a whole-sentence body (`**X** is a ...` -> ` is a ...`)."""
    text = plain_text(found.body)
    position = text.lower().find(found.term_text.lower())
    return text[position + len(found.term_text) :] if position != -1 else text


_EXAMPLE_WORDS = frozenset(_WORDS.example_heading_words)
# The shapes of a label and its value: a heading's prose or a command list is no example's field.
_LABEL_SHAPES = frozenset({"bold-lead", "bold-title-list"})


def _example_heading(section: Section | None) -> str:
    """The item's own heading when it opens with `Example` (its number aside): `Example Panel:
    Inference Latency`, `Example SLOs`; else ""."""
    words = (
        [w for w in WORD.findall(section.title.lower()) if not w[0].isdigit()] if section else []
    )
    return section.title if section and words and words[0] in _EXAMPLE_WORDS else ""


def is_field_label(label: str, config: ExtractConfig) -> bool:
    """A metadata label, alone or last in a short label (`Sample Answer`, `Expected Output`)."""
    words = label.split()
    return matches_any(label, config.metadata_labels) or (
        1 < len(words) <= 3 and matches_any(words[-1], config.metadata_labels)
    )


def _situation(section: Section | None, parent: str) -> str:
    """The item's own heading or its parent label when it opens with a word of condition or
    purpose and has more words (`When Serverless Works`, `For ML Projects`, `After Module 2`),
    else ""."""
    for title in (section.title if section else "", parent):
        words = [word for word in WORD.findall(title.lower()) if not word[0].isdigit()]
        if len(words) > 1 and words[0] in _CONDITION_WORDS:
            return title
    return ""


def _addresses_reader(sentence: str) -> bool:
    """The sentence speaks to the reader (`you`, `your`)."""
    return not _READER_WORDS.isdisjoint(word.lower() for word in WORD.findall(sentence))


def _parent_heading_words(section: Section | None) -> set[str]:
    if section is None or len(section.path) < 2:
        return set()
    return set(WORD.findall(section.path[-2].lower()))


def _names_itself(term: str, body: str) -> bool:
    """The body opens with the term and a defining verb and article: `Latency is the time`."""
    text = plain_text(body.lstrip())
    if not text.lower().startswith(term.lower()):
        return False
    return bool(_DEFINES.match(text[len(term) :]))


def _parent_words(parent: str) -> set[str]:
    return set(WORD.findall(parent.lower()))


def _concept_section(section: Section | None) -> bool:
    return section is not None and any(
        WORD.findall(title.lower()) and set(WORD.findall(title.lower())) & _CONCEPT_WORDS
        for title in section.path
    )


def judge(found: Found, section: Section | None, facts: LessonFacts) -> Candidate:
    """Keep or drop: the signals' weights added up, against `THRESHOLD`."""
    signals = tuple(signals_of(found, section, facts))
    score = sum(signal.weight for signal in signals)
    if score >= THRESHOLD:
        body = without_edge_marks(carpentries.unmarked(found.body))
        item = Definition(found.source, found.term, body, found.term_text, found.parent)
        return keep(item, found.shape, *signals, reason=f"score {score}")
    against = min(signals, key=lambda signal: signal.weight)
    return drop(
        "definition",
        found.source,
        found.term_text,
        found.shape,
        f"score {score}: {against.name}",
        *signals,
    )


def vetoed(found: Found, name: str, detail: str = "") -> Candidate:
    """A candidate whose shape is a definition's but whose content cannot be one."""
    signal = Signal(name, VETO, detail)
    return drop(
        "definition",
        found.source,
        found.term_text,
        found.shape,
        name,
        *found.facts,
        signal,
    )
