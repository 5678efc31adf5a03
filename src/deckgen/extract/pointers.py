"""Where a question with no written answer is answered: the lesson's section that shares the
question's rarest words, and an excerpt of that section that can stand as the answer.

Sections are bags of (roughly stemmed) words, weighted by how rare each word is among the
lesson's headings and bodies; the best section by cosine similarity is the answer section. Its
excerpt is its first prose, without boxes to tick, questions, bare labels or bold pseudo-headings;
an excerpt that is empty, repeats the question, shares no word with it, ticks off outcomes or
leads the reader into what follows answers nothing.

The pointer's *confidence* is the share of the question's topic words (its words but the
stopwords and the words that frame the asking, such as "difference between") that the section's
path and excerpt hold, each word weighted by its rarity among the lesson's sections. Below
ANSWER_CONFIDENCE the pointer is more often wrong than right, so it makes no card.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import filterfalse
from typing import TYPE_CHECKING

from deckgen.config import ExtractConfig
from deckgen.defaults import defaults
from deckgen.diagnostics import Diagnostic
from deckgen.extract import carpentries
from deckgen.extract.common import (
    CODE_BLOCKS,
    bold_lead,
    is_question_scope,
    is_skipped,
    matches_any,
    undecorated,
)
from deckgen.extract.definition_signals import reader_voice
from deckgen.extract.evidence import Signal
from deckgen.identity import normalize_key
from deckgen.lesson import Lesson, Section, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.-]*[a-z0-9+#]|[a-z0-9]")
_STOPWORDS = frozenset(defaults().stopwords)
EXCERPT_CHARS = 240
_HEADING_WEIGHT = 3.0
# A question word no section uses still makes the question less like every section.
_UNSEEN_IDF = 1.0
# Matching compares every question with every section: fine for a lesson, quadratic for a
# pathological one (a 50 MB file of repeated lessons). Past this many comparisons the remaining
# questions get no answer section (so no card), with a warning: a build stays linear in size.
MAX_MATCH_COMPARISONS = 200_000
# `[ ] Can I explain ...?`: a box to tick, not a question to answer nor part of an answer.
CHECKBOX = re.compile(r"^\s*\[[ xX]?\]\s")


# Measured on the tune set (benchmarks/audits/pointers-tune-set.md): of the pointers graded
# JUNK, most hold under half of the question's topic weight; of those graded GOOD, most hold more.
ANSWER_CONFIDENCE = 0.5


def unfit_excerpt(excerpt: str, question: str, path: tuple[str, ...]) -> Signal | None:
    """Why this excerpt cannot stand as the answer, or None when it can."""
    if not excerpt.strip():
        return Signal("excerpt-empty", -1)
    if normalize_key(question) in normalize_key(excerpt):
        return Signal("excerpt-repeats-question", -1)
    asked = {word for word in text_words(question) if len(word) > 2}  # not `if`, `do`, `vs`
    if asked.isdisjoint(text_words(f"{' '.join(path)} {excerpt}")):
        # An answer names what it answers about: a card whose section path and excerpt share
        # no word with the question shows a section matched by its other text (code, tables).
        return Signal("excerpt-shares-no-word", -1)
    if len(_TICKS.findall(excerpt)) >= 2:
        # `You will be able to: ✅ Load a model ✅ Run inference`: outcomes to tick off (or
        # ticked), what the learner will do, not what anything is.
        return Signal("excerpt-ticks-off", -1)
    if voice := _lead_in_voice(excerpt):
        # `By the end of this lab, you will be able to: Load ...; Run ...`, `Before writing
        # SQL, let's see what makes a good table: ...`: the lesson leads the reader into what
        # follows (goals, a walkthrough), it says nothing of the topic itself.
        return Signal("excerpt-leads-in", -1, voice)
    if excerpt.endswith(":"):
        # `The lifecycle has these stages:` announces a list or code the card does not show.
        return Signal("excerpt-ends-announcing", -1)
    return None


def repeated_field(excerpt: str) -> str | None:
    """The field label that opens two or more of the excerpt's items (`Problem: ...; Solution:
    ...; Problem: ...`), or None: the same field over and over lists records (problems and
    their fixes, roles and their pay), each the answer to its own question, not to the one
    asked. A lesson's definitions of several terms repeat their fields too (`Examples:` under
    each), but answer a question that names those terms: only a pointer's excerpt is read so."""
    labels = Counter(_FIELD_LABEL.findall(excerpt))
    label, count = labels.most_common(1)[0] if labels else ("", 0)
    return label if count >= 2 else None


# A label of up to three words opening the excerpt or one of its sentences or items.
_FIELD_LABEL = re.compile(r"(?:^|[.;!?]\s)(\w+(?: \w+){0,2}):\s")


def _lead_in_voice(excerpt: str) -> str:
    """The word by which the excerpt's opening, when it announces what follows (its first
    sentence ends in `:`), speaks to the reader (`you`, or `Let's` opening one of its
    clauses: `Before we start, let's ...`), or ""."""
    lead = _LEAD_IN.match(excerpt)
    if lead is None or not _sentence_cased(lead.group(0)):
        return ""
    clauses = (clause.strip() for clause in lead.group(0).split(","))
    return next(filter(None, map(reader_voice, clauses)), "")


def _sentence_cased(text: str) -> bool:
    """Prose, not a diagram's labels read in a row (`You Manage Everything On-Premises
    Applications Data ...`): most of its words after the first are in lower case."""
    words = text.split()[1:]
    return 2 * sum(1 for word in words if word[:1].isupper()) < len(words)


# The excerpt's first sentence, when it ends in `:` (no full stop, `!` or `?` before it).
_LEAD_IN = re.compile(r"[^.!?:]*:(?=\s|$)")


def text_words(text: str) -> list[str]:
    # map and filterfalse step through a section's thousands of words in C.
    return list(map(_stem, filterfalse(_STOPWORDS.__contains__, _WORD.findall(text.lower()))))


# `shared` meets `share` (both `shar`), `distributed` meets `distributing`.
_SUFFIXES = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("e", ""))


@lru_cache(maxsize=1 << 14)  # a lesson's sections use the same few thousand words over again
def _stem(word: str) -> str:
    """Just enough stemming that "challenges" meets "Challenge" and "technologies" "Technology"."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + replacement
    return word


@dataclass
class _Candidate:
    section: Section
    heading: Counter[str]
    body: Counter[str]
    prose: list[str]  # inline Markdown of the section's first paragraphs and list items
    tokens: list[Token]  # the lesson's, to read the section's code when its prose says nothing
    heading_norm: float = 0.0
    body_norm: float = 0.0

    @cached_property
    def excerpt(self) -> str:
        # Only the sections that answer a question need one: plain_text is not free.
        return shorten(_without_announcement(_read(self.prose)))

    @cached_property
    def code(self) -> list[str]:
        """The section's code blocks read as text, one piece each, when its prose says nothing:
        it has none, or it only announces its code (`Map container ports to host ports:`)."""
        if self.excerpt and not self.excerpt.endswith(":"):
            return []
        blocks = _code_reading(self.tokens, self.section.start_token + 3, self.section.end_token)
        return [piece for piece in map(_answer_piece, blocks) if piece]


def _exercise_lines(lesson: Lesson) -> frozenset[int]:
    """The lines (0-based) inside a Carpentries challenge or solution block: a heading there
    titles an exercise or its answer, which answers that challenge's questions only (its own
    solution, `challenge-question`), never another question's pointer."""
    if "{:" not in lesson.text and ":::" not in lesson.text:
        return frozenset()  # neither syntax anywhere: most lessons
    return frozenset(
        line
        for block in carpentries.blocks(lesson.lines)
        if block.kind in ("challenge", "solution")
        for line in range(block.start, block.end)
    )


def _line_of(lesson: Lesson, section: Section) -> int:
    mapped = lesson.tokens[section.start_token].map
    return mapped[0] if mapped else -1


def _read(pieces: list[str]) -> str:
    return join_prose(filter(None, map(_answer_piece, pieces)))


class SectionIndex:
    """Sections of a lesson as bags of words, weighted by how rare each word is in headings."""

    def __init__(self, lesson: Lesson, config: ExtractConfig) -> None:
        self.lesson = lesson
        self.config = config
        self.budget = MAX_MATCH_COMPARISONS
        self.candidates: list[_Candidate] = []
        exercises = _exercise_lines(lesson)
        for section, body in zip(lesson.sections, _body_bags(lesson), strict=True):
            if is_skipped(section, config) or is_question_scope(section, config):
                continue
            if _line_of(lesson, section) in exercises:
                continue  # another challenge's title or solution: no lesson text to point at
            prose = _first_prose(lesson.tokens, section.start_token + 3, section.end_token)
            prose = prose or _diagram_words(
                lesson.tokens, section.start_token + 3, section.end_token
            )
            self.candidates.append(
                _Candidate(section, Counter(text_words(section.title)), body, prose, lesson.tokens)
            )
        count = len(self.candidates) or 1
        # Each candidate's distinct words, in order, counted in C rather than word by word.
        heading_df: Counter[str] = Counter()
        body_df: Counter[str] = Counter()
        for candidate in self.candidates:
            heading_df.update(candidate.heading.keys())
            body_df.update(candidate.body.keys())
        self.heading_idf = {w: math.log(1 + count / n) for w, n in heading_df.items()}
        self.body_idf = {w: math.log(1 + count / n) for w, n in body_df.items()}
        for candidate in self.candidates:
            candidate.heading_norm = _norm(candidate.heading, self.heading_idf)
            candidate.body_norm = _norm(candidate.body, self.body_idf)

    def best_section(self, question: str, exclude: Section, line: int) -> Section | None:
        if self.budget < len(self.candidates):
            if self.budget >= 0:
                self.lesson.warnings.append(
                    Diagnostic(
                        self.lesson.path,
                        line,
                        f"too many questions and sections to match (over "
                        f"{MAX_MATCH_COMPARISONS:,} comparisons); this and later questions "
                        "get no answer section, so no card",
                    )
                )
                self.budget = -1
            return None
        self.budget -= len(self.candidates)
        # Distinct, in the question's order: summing floats in a set's order would change the
        # last bits between processes (string hashing is salted), and with them a tie's winner.
        words = tuple(dict.fromkeys(text_words(question)))
        # The question's vector lengths depend on the idf alone: once per question, not per section.
        heading_norm = _question_norm(words, self.heading_idf)
        body_norm = _question_norm(words, self.body_idf)
        best, best_score = None, 0.0
        for candidate in self.candidates:
            if candidate.section is exclude:
                continue
            score = _HEADING_WEIGHT * _cosine(
                words, candidate.heading, candidate.heading_norm, self.heading_idf, heading_norm
            )
            score += _cosine(words, candidate.body, candidate.body_norm, self.body_idf, body_norm)
            if score > best_score:
                best, best_score = candidate.section, score
        return best

    def named_section(self, question: str, exclude: Section) -> Section | None:
        """The section the question names: every word of its heading (without its number or
        emoji) is in the question, the heading of most words where several are; None when
        the question names none. "What are the three pillars of observability?" names
        `### 5. Observability`, which shares fewer rare words than `The Three Pillars of Cloud
        Architecture`."""
        if self.budget < len(self.candidates):
            return None  # over the matching budget: `best_sections` says so, once
        self.budget -= len(self.candidates)
        asked = set(text_words(question))
        best, most = None, 0
        for candidate in self.candidates:
            heading = set(text_words(undecorated(candidate.section.title)))
            if candidate.section is not exclude and heading <= asked and len(heading) > most:
                best, most = candidate.section, len(heading)
        return best

    def excerpt(self, section: Section) -> str:
        """The section's excerpt: its first prose, else its first code blocks read as text.
        (Choosing the block that shares most words with the question was tried: on the
        tuning corpus it chose worse than the first, the section's own introduction.)"""
        candidate = self._candidate(section)
        return shorten(join_prose(iter(candidate.code))) if candidate.code else candidate.excerpt

    def reads_code(self, section: Section) -> bool:
        """Whether the section's excerpt is read from its code (its prose says nothing)."""
        return bool(self._candidate(section).code)

    def written_file(self, section: Section) -> str:
        """What kind of file the code that the section's excerpt is read from writes: `here-
        document` when its first block's first command opens one (`cat > Dockerfile << 'EOF'`:
        what follows is the file's text, not what the learner types), the block's language
        when it is program code (the learner's script), empty when it is commands or the
        excerpt is prose."""
        if not self.reads_code(section):
            return ""
        block = _first_code(self.lesson.tokens, section.start_token + 3, section.end_token)
        if block is None:
            return ""
        language = _language(block)
        if block.type == "code_block" or language in _COMMAND_LANGUAGES:
            return HERE_DOCUMENT if _writes_file(block.content) else ""
        return language or "program"

    def _candidate(self, section: Section) -> _Candidate:
        return next(c for c in self.candidates if c.section is section)

    def _rarity(self, word: str) -> float:
        """How rare a word is among the sections' bodies; a word only headings use (a body
        holds its subsections' headings, not its own) by its rarity among the headings."""
        if word in self.body_idf:
            return self.body_idf[word]
        return self.heading_idf.get(word, _UNSEEN_IDF)

    def confidence(self, question: str, section: Section) -> tuple[float, list[str]]:
        """The share of the question's topic weight that the section's path and excerpt hold
        (0 to 1), and the topic words they lack, in the question's order. An excerpt read
        from code must hold that weight itself: the heading above a block of commands names
        what the block is about, not what the question asks of it."""
        excerpt = self.excerpt(section)
        if self.reads_code(section):
            return self.coverage(question, excerpt)
        return self.coverage(question, f"{' '.join(section.path)} {excerpt}")

    def coverage(self, question: str, text: str) -> tuple[float, list[str]]:
        """The share of the question's topic weight that the text holds (0 to 1), and the
        topic words it lacks, in the question's order."""
        topic = [w for w in dict.fromkeys(text_words(question)) if len(w) > 2 and w not in _FRAME]
        weights = [self._rarity(word) ** 2 for word in topic]
        total = sum(weights)
        if not total:
            return 0.0, []
        held = set(text_words(text))
        found = sum(weight for word, weight in zip(topic, weights, strict=True) if word in held)
        return found / total, [word for word in topic if word not in held]


def _body_bags(lesson: Lesson) -> list[Counter[str]]:
    """Each section's body (the words of its inline, fence and code tokens, its subsections'
    headings included) as a bag of words, in the order of `lesson.sections`.

    A body holds its subsections' bodies: each section reads only its own tokens, before its
    first subsection, and appends its subsections' words, so that the text is read once and
    not once per enclosing section. The words are counted at the end, in C (adding up bags
    word by word in Python cost more than reading the text); counting the whole body keeps
    each word where it first occurs (the idf sums run in that order).
    """
    tokens, sections = lesson.tokens, lesson.sections
    starts = [section.start_token for section in sections]
    bags: list[Counter[str]] = [Counter() for _ in sections]
    # The words of the bodies not yet taken into their parent's: a body's list is let go
    # once copied, so that only a few are held at a time.
    bodies: dict[int, list[str]] = {}
    for number in reversed(range(len(sections))):  # subsections come after their section
        section = sections[number]
        subsections = range(number + 1, bisect_left(starts, section.end_token, number + 1))
        own_end = sections[subsections[0]].start_token if subsections else section.end_token
        body = text_words(_text_of_blocks(tokens[section.start_token + 3 : own_end]))
        for child in subsections:
            if len(sections[child].path) == len(section.path) + 1:
                body += text_words(tokens[sections[child].start_token + 1].content)
                body += bodies.pop(child)
        bags[number] = Counter(body)
        bodies[number] = body
    return bags


def _text_of_blocks(blocks: list[Token]) -> str:
    return " ".join(t.content for t in blocks if t.type in ("inline", "fence", "code_block"))


def _first_prose(tokens: list[Token], start: int, end: int) -> list[str]:
    """The first paragraphs of the body tokens [start, end) (list items hold paragraphs too),
    enough for an excerpt. Headings and table cells read out of their place make a run-on
    excerpt ("Tools Docker: ... Kubernetes: ..."), so a section of only tables and code has
    none. Read in place: a copy of a top section's body would copy most of the lesson."""
    prose: list[str] = []
    length = 0
    for position in range(start + 1, end):
        token = tokens[position]
        if token.type == "inline" and tokens[position - 1].type == "paragraph_open":
            if BOLD_LINE.match(token.content):
                continue  # `**Troubleshooting: Versions**`: a heading in bold, not prose
            content = token.content
            following = tokens[position + 2] if position + 2 < end else None
            if (
                following is not None
                and following.type in CODE_BLOCKS
                and _states_before_code(content)
            ):
                content = content[:-1] + "."  # the code it announces is not on the card
            prose.append(content)
            length += len(token.content)
            if length > EXCERPT_CHARS:
                break
    return prose


BOLD_LINE = re.compile(r"^\W*(?:\*\*|__)[^*_\n]+(?:\*\*|__)\W*$")


def _answer_piece(markdown: str) -> str | None:
    """A paragraph or item as plain text, when it can stand in an answer: not a box to tick
    (`[ ] ...`), not a question, not a bare label (`Examples:`) that only announces what
    follows."""
    # `{: .python}` after a fence the lesson indents differently is a paragraph of markup.
    piece = plain_text(carpentries.unmarked(markdown))
    if not piece or CHECKBOX.match(piece) or _ASKS.search(piece):
        return None
    if _is_progress_mark(markdown):
        return None
    return None if piece.endswith(":") and len(piece.split()) <= _LABEL_WORDS else piece


# A question, and the hint a quiz gives in a parenthesis after it: `What port range is allowed?
# (Hint: 30000-32767)` asks the learner as much as a bare question does.
_ASKS = re.compile(r"\?\s*(?:\([^()]*\))?\s*$")


def _is_progress_mark(markdown: str) -> bool:
    """`✅ **Checkpoint**: You can build images.`: a ticked mark on an exercise's furniture label
    tells the learner where they are, like a ticked box; it answers nothing."""
    if not _TICK.match(markdown):
        return False
    lead = bold_lead(markdown)
    return lead is not None and matches_any(lead.term_text, _METADATA_LABELS)


# ✅ ✔ ☑ ✓
_TICKS = re.compile(r"[\u2705\u2714\u2611\u2713]")
_TICK = re.compile(rf"^\s*{_TICKS.pattern}")
_METADATA_LABELS = tuple(defaults().metadata_labels)


def _states_before_code(markdown: str) -> bool:
    """`**CMD** sets the default command:` above a code example: a bold term with a statement
    about it says what the term is, whatever the code it announces."""
    lead = bold_lead(markdown) if markdown.endswith(":") else None
    return lead is not None and len(plain_text(lead.rest).split()) >= _STATEMENT_WORDS


# `**CMD** specifies the default command:`: a bold term, then at least a verb and its object.
_STATEMENT_WORDS = 2


# A line ending in `:` with at most this many words announces a list or code; it says nothing.
_LABEL_WORDS = 5


# Box-drawing lines and arrows of a text diagram: what remains are its labels.
_DIAGRAM_LINES = re.compile(r"[\u2190-\u21ff\u2500-\u25ff]+>?|[-=]{2,}>?|(?<!\S)[|+<>](?!\S)")
_BOX_DRAWING = re.compile(r"[\u2500-\u257f]")
# Arrows and box drawing: a block holding them is a diagram, even without a box.
_DRAWING = re.compile(r"[\u2190-\u21ff\u2500-\u25ff]")


def _diagram_words(tokens: list[Token], start: int, end: int) -> list[str]:
    """A section with no prose may hold a text diagram (a fence drawn with box characters):
    its labels, in reading order, stand in for prose. Code says nothing a learner can read."""
    for position in range(start, end):
        token = tokens[position]
        if token.type == "fence" and not token.info.strip() and _BOX_DRAWING.search(token.content):
            return [" ".join(_DIAGRAM_LINES.sub(" ", token.content).split())]
    return []


def _code_reading(tokens: list[Token], start: int, end: int) -> list[str]:
    """A section of only code (and labels such as `**Solution:**`) still says what it
    shows in its comments (`# -d: Detached mode (background)`), and a command block's
    commands are what the learner types (`docker run -d -p 8080:80 nginx`): its blocks
    (the first `_MAX_CODE_BLOCKS`), read line by line, each after the label right above it, stand
    in for prose, one piece each. Program code (Python, YAML, ...) reads out of its place as
    noise: only its comments are read."""
    pieces: list[str] = []
    label = ""
    for position in range(start, end):
        token = tokens[position]
        if token.type == "inline" and tokens[position - 1].type == "paragraph_open":
            label = plain_text(token.content)  # `**Solution:**`, `Map ports to host ports:`
            continue
        if not _readable_code(token):
            continue
        lines = _code_lines(token)
        if lines:
            read = join_prose(iter(lines))
            piece = f"{label} {read}" if label.endswith(":") else read
            pieces.append(f"`` {piece} ``")
        label = ""
        if len(pieces) == _MAX_CODE_BLOCKS:
            break
    return pieces


# A section's blocks read for an excerpt: enough for any lesson's, bounded for a hostile one.
_MAX_CODE_BLOCKS = 20


def _readable_code(token: Token) -> bool:
    """A code block to read; a diagram's labels out of their place read as noise."""
    return token.type in CODE_BLOCKS and not _DRAWING.search(token.content)


def _first_code(tokens: list[Token], start: int, end: int) -> Token | None:
    """The first block that `_code_reading` reads a piece from in the tokens [start, end)."""
    blocks = (tokens[position] for position in range(start, end))
    return next((t for t in blocks if _readable_code(t) and _code_lines(t)), None)


def _language(token: Token) -> str:
    return token.info.strip().split()[0].lower() if token.info.strip() else ""


HERE_DOCUMENT = "here-document"
# `cat > app.py << 'EOF'`, `tee config.yaml <<-END`: the lines up to the terminator are a file
# (`<<<` passes a string, not a file).
_HERE_DOCUMENT = re.compile(r"(?<!<)<<-?\s*['\"]?([A-Za-z_]\w*)")


def _writes_file(commands: str) -> bool:
    """Whether a block of commands is mostly a file it writes: its first here-document holds
    more lines than the commands before it (`cd ~/lab` then `cat > notes.md << 'EOF'` and the
    file's twenty lines: a place to stand, then the file), the first command opening one
    included. Its comments and lines are then the file's, not what the learner types."""
    lines = [line.strip() for line in commands.split("\n")]
    before = 0
    for number, line in enumerate(lines):
        if not line or _COMMENT.match(line):
            continue
        opened = _HERE_DOCUMENT.search(line)
        if opened is None:
            before += 1
            continue
        terminator = opened.group(1)
        body = lines[number + 1 :]
        end = body.index(terminator) if terminator in body else len(body)
        return not before or sum(1 for text in body[:end] if text) > before
    return False


def _code_lines(token: Token) -> list[str]:
    """A code block's comments without their marker, and, in a block of commands, its
    commands: `Run Nginx in background`, `docker run -d nginx`."""
    language = _language(token)
    commands = token.type == "code_block" or language in _COMMAND_LANGUAGES
    lines: list[str] = []
    for line in token.content.split("\n"):
        text = line.strip()
        comment = _COMMENT.match(text)
        if comment:
            text = text[comment.end() :].strip()
        elif not commands or text.startswith("#!"):
            continue
        if text and "``" not in text:
            lines.append(text)
    return lines


# Blocks whose lines are commands to type (a shell, a Dockerfile) or what a command prints.
_COMMAND_LANGUAGES = frozenset(
    ("", "bash", "sh", "shell", "console", "zsh", "powershell", "dockerfile", "text", "plaintext")
)
# `# comment`, `// comment`, `-- comment`: a line the author wrote for the reader.
_COMMENT = re.compile(r"^(?:#+|//|--)(?=\s|$)")


def _norm(bag: Counter[str], idf: dict[str, float]) -> float:
    """A section's vector length: computed once, not once per question."""
    return math.sqrt(sum([(idf[w] * (n if n < 3 else 3)) ** 2 for w, n in bag.items()]))


def _question_norm(words: Sequence[str], idf: dict[str, float]) -> float:
    return math.sqrt(sum(idf.get(w, _UNSEEN_IDF) ** 2 for w in words))


def _cosine(
    words: Sequence[str],
    bag: Counter[str],
    section_norm: float,
    idf: dict[str, float],
    question_norm: float,
) -> float:
    """Cosine of idf-weighted vectors; repeats in a section count up to three times."""
    # A list, not a generator: summed in the same order, without a frame switch per word.
    shared = sum([idf[w] * idf[w] * min(bag[w], 3) for w in words if w in bag])
    if not shared:
        return 0.0
    return shared / (section_norm * question_norm)


_SENTENCE_END = re.compile(r"[.!?](?=\s)")


def _without_announcement(text: str) -> str:
    """`X is Y. It has three parts:` without its last sentence, which announces what the
    excerpt does not show; an excerpt that is only such a sentence stays (and answers nothing)."""
    if not text.endswith(":"):
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text)]
    return text[: ends[-1]] if ends else text


def join_prose(pieces: Iterator[str]) -> str:
    """Paragraphs and list items in reading order; an item without its own full stop ends at a
    semicolon, so that `Docker: containers` and `Kubernetes: orchestration` stay apart."""
    text = ""
    for piece in pieces:
        if text and text[-1] not in ".!?:;":
            text += ";"
        text = f"{text} {piece}" if text else piece
    return text


def shorten(text: str, limit: int = EXCERPT_CHARS) -> str:
    """At most `limit` characters, cut after the last whole sentence that fits, else at a word."""
    if len(text) <= limit:
        return text
    ends = [m.end() for m in _SENTENCE_END.finditer(text, 0, limit + 1)]
    if ends and ends[-1] >= limit // 3:  # a cut this early leaves too little to recognise
        return text[: ends[-1]]
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip(",;:") + " …"


_FRAME = frozenset(text_words(" ".join(defaults().question_frame_words)))
