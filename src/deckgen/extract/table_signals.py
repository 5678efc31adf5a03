"""What a table is for, judged from its shape: a comparison, or a schedule, rubric, tracker,
listing, measurement sheet or printed data sample whose rows make no cards.

Every signal here is structural (what the cells look like, how the first column runs, what the
headers hold), so it holds in a course nobody tuned on. `deckgen.extract.comparisons` asks
`table_verdict` once per table and gives each row the answer.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from deckgen.defaults import defaults
from deckgen.extract.common import NAME_SHAPE, QUESTION_COUNT, matches_any
from deckgen.extract.evidence import Signal
from deckgen.lesson import plain_text

Row = tuple[int, list[str]]  # (1-based line, cells as inline Markdown)


@dataclass(frozen=True)
class Verdict:
    """Why every row of a table is dropped: the reason `--why` shows, and its evidence."""

    reason: str
    signals: tuple[Signal, ...]

    @classmethod
    def of(cls, reason: str, *signals: Signal) -> Verdict:
        return cls(reason, signals)


@dataclass(frozen=True)
class Table:
    """A table's body, as Markdown (links, boxes) and as the plain text a reader sees."""

    headers: tuple[str, ...]  # plain text
    cells: tuple[tuple[str, ...], ...]  # per row, inline Markdown
    texts: tuple[tuple[str, ...], ...]  # per row, plain text
    header_cells: tuple[str, ...] = ()  # inline Markdown, as many as `headers`
    # How the table stands under code ("right under a code block", ...), "" when it does not.
    code_above: str = ""
    # The attribute list under the table naming it code's output (`{: .output}`), or "".
    printed: str = ""
    # How the code block above writes out the table's own Markdown (`_source_shown`), or "".
    shown: str = ""

    def column(self, index: int) -> list[str]:
        return [row[index] for row in self.texts]

    def holds(self, index: int, test: Callable[[str], object], share: float = 1.0) -> bool:
        """Every filled cell of the column passes the test (or this share of them), and one cell
        at least is filled."""
        texts = [text for text in self.column(index) if not _NOTHING.match(text)]
        return bool(texts) and sum(1 for text in texts if test(text)) >= share * len(texts)


def table_verdict(
    headers: Sequence[str],
    body: Sequence[Row],
    *,
    header_cells: Sequence[str] = (),
    code_above: str = "",
    printed: str = "",
    shown: str = "",
) -> Verdict | None:
    """The first shape that makes the table no comparison, or None for a comparison. `headers`
    are the header cells' plain text, `header_cells` their Markdown; `code_above`, how the
    table stands under code ("" when it does not); `printed`, the attribute list under the
    table that names it a program's output (`{: .output}`), or ""; `shown`, how the code
    block above writes out the table's own Markdown, or ""."""
    if not body:
        return None
    if len(headers) < 2:
        return Verdict.of("single-column", Signal("single-column", -1, "nothing compared"))
    # markdown-it gives every row as many cells as the header has.
    cells = tuple(tuple(row) for _, row in body)
    table = Table(
        headers=tuple(headers),
        cells=cells,
        texts=tuple(tuple(plain_text(cell).strip() for cell in row) for row in cells),
        header_cells=tuple(header_cells) or tuple(headers),
        code_above=code_above,
        printed=printed,
        shown=shown,
    )
    for judge in _JUDGES:
        verdict = judge(table)
        if verdict is not None:
            return verdict
    return None


# `________%`, `?`, `TBD`: a blank for the learner to fill in.
_BLANK = re.compile(r"^\s*(?:\S*_{3,}\S*|\?+|tbd|todo|\[ \])?\s*$", re.I)


def _worksheet(table: Table) -> Verdict | None:
    """A column left blank in every row (`| Build time | <10 min | ____ |`) is a form to fill
    in during an exercise; its rows hold targets, not facts to remember."""
    for column in range(1, len(table.headers)):
        if all(_BLANK.match(text) for text in table.column(column)):
            detail = f"'{table.headers[column]}' left blank in every row"
            return Verdict.of("worksheet", Signal("blank-column", -1, detail))
    return None


_ASIDE = re.compile(r"\([^()]*\)")


def header_words(headers: Sequence[str], words: tuple[str, ...]) -> list[int]:
    """The columns headed by one of these words, an aside apart (`Weight (%)`, `Time (hours)`)."""
    return [
        column
        for column, header in enumerate(headers)
        if matches_any(_ASIDE.sub("", header), words)
    ]


# A cell of points, or a share of the grade: `25`, `30%`, `18-20`, `10 pts`, `20 marks`, `/20`,
# `x/100`, `___/20`, `(20%)`, `20 pts (40%)`, `Max 10`.
_POINT_TOKEN = re.compile(
    r"^(?:[<>≤≥~+]?\d+(?:\.\d+)?(?:[-–]\d+(?:\.\d+)?)?%?|[^\W\d]*_*/\d+|pts?\.?|points?|marks?"
    r"|max(?:imum)?|each|bonus|total)$",
    re.I,
)
_RANGE_GAP = re.compile(r"(?<=\d)\s*[-–]\s*(?=\d)")
# Up to four tokens: `20 pts (40%)`; a sentence with a figure in it is no score.
_POINT_TOKENS = 4


def _is_points(text: str) -> bool:
    tokens = _RANGE_GAP.sub("-", re.sub(r"[()*:,]", " ", text)).split()
    return (
        0 < len(tokens) <= _POINT_TOKENS
        and any(_DIGIT.search(token) for token in tokens)
        and all(_POINT_TOKEN.match(token) for token in tokens)
    )


# `A+`, `B`, `C-`: a letter grade of a grading scale.
_LETTER_GRADE = re.compile(r"^[A-F][+-]?$")
# A rubric's grid is headed by grades: `| Criteria | Excellent | Proficient | Developing |`;
# `| Practice | Good | Bad |` pairs examples, and a judging word alone makes no grid.
_GRADES = (*defaults().grade_headers, *defaults().evaluative_words)


def _rubric(table: Table) -> Verdict | None:
    """A header such as `Points`, `Weight` or `Criterion` is a rubric's, or an exam's or a
    self-assessment's, unless the table's shape shows things compared: criteria heading the
    first column only, with the things they compare heading the others (`| Criterion | IaaS |
    PaaS |`), or scores beside named models (a benchmark). A column of points (`25`, `30%`,
    `/20`) or letter grades (`A+`, `B`) names it for what it is; columns headed by grades
    (`Excellent`, `Proficient`) make a rubric's grid whatever the headers say."""
    grades = header_words(table.headers[1:], _GRADES)
    if len(grades) >= 2 and header_words(table.headers[1:], defaults().grade_headers):
        shown = ", ".join(table.headers[1 + column] for column in grades[:2])
        return Verdict.of("rubric", Signal("grade-headers", -1, shown))
    worded = header_words(table.headers, defaults().rubric_headers)
    if not worded or _benchmark(table, worded):
        return None
    header = Signal("rubric-header", -1, table.headers[worded[0]])
    for column in range(len(table.headers)):
        if table.holds(column, _is_points, share=_MOSTLY):
            detail = f"'{table.headers[column]}' holds points: {_first_two(table, column)}"
            return Verdict.of("rubric", header, Signal("points-column", -1, detail))
    for column in worded:
        if table.holds(column, _LETTER_GRADE.match):
            detail = f"'{table.headers[column]}' holds letter grades: {_first_two(table, column)}"
            return Verdict.of("rubric", header, Signal("grade-column", -1, detail))
    # `Score (%)`, `Weight (kg)`: an aside says what a column measures; only the word alone is
    # evidence enough without the shape.
    if not _alone(table, worded, defaults().rubric_headers):
        return None
    if worded == [0] and _compares_named(table):
        return None
    if worded == [0]:
        detail = f"the columns beside '{table.headers[0]}' name no things compared"
    else:
        detail = f"'{table.headers[worded[-1]]}' heads a column of what the rows are judged on"
    return Verdict.of("rubric", header, Signal("no-compared-things", -1, detail))


def _alone(table: Table, columns: list[int], words: tuple[str, ...]) -> list[int]:
    """The columns headed by one of these words with no aside (`Time`, not `Time (ms)`)."""
    return [column for column in columns if matches_any(table.headers[column], words)]


def _first_two(table: Table, column: int) -> str:
    return ", ".join([text for text in table.column(column) if text][:2])


# `Q1`, `Task 2`, `Part-3`: a label and its number, the same label in every row.
_COUNTED_ID = re.compile(r"^(?P<label>[^\W\d_]+)[\s#-]*\d+[a-z]?$", re.I)
# `Total`, `**TOTAL**`: the closing row of a rubric or an exam's points.
_TOTAL = re.compile(r"^total\b", re.I)
# A rubric's points add up to a whole grade.
_WHOLE = 100
_FIGURE = re.compile(r"\d+(?:\.\d+)?")


def _benchmark(table: Table, worded: list[int]) -> bool:
    """Scores beside named models or products (`GPT-4 | 86%`): a benchmark that compares them.
    Not when the rows are criteria (the word heads the first column), questions or tasks counted
    under one label (`Q1`, `Q2`), or the points add up to a whole grade (a `Total` row; 100)."""
    if 0 in worded or not _names_things(table):
        return False
    firsts = table.column(0)
    labels = {found["label"].lower() for first in firsts if (found := _COUNTED_ID.match(first))}
    if len(labels) == 1 and all(_COUNTED_ID.match(first) for first in firsts):
        return False
    if any(_TOTAL.match(first) for first in firsts):
        return False
    for column in worded:
        figures = [_FIGURE.search(text) for text in table.column(column)]
        if all(figures) and sum(float(found[0]) for found in figures if found) == _WHOLE:
            return False
    return True


# The headers that name no things compared: a grade, a judging word, a rubric's or a schedule's
# word, a rubric's descriptor (`Evidence`), or a label (`Notes`, `Status`, `Answer`).
_NO_THING = (
    *_GRADES,
    *defaults().rubric_headers,
    *defaults().rubric_columns,
    *defaults().schedule_headers,
    *defaults().metadata_labels,
    *defaults().answer_labels,
    *defaults().explanation_labels,
    *defaults().definition_labels,
)
# `| Criterion | IaaS | Managed platform |`: a thing is named in a few words, as a name.
_NAME_WORDS = 3
# ...and compared in a few words a cell: a rubric's descriptors are sentences.
_VALUE_WORDS = 5
# `[ ]`, `☐`: a box left for the learner to tick.
_UNTICKED = re.compile(r"^\s*(?:\[ ?\]|[☐⬜🔲])\s*$")


def _compares_named(table: Table) -> bool:
    """Criteria key the rows and two or more things head the other columns (`| Criterion | IaaS |
    PaaS | SaaS |`), compared in short values in nearly every cell (`High`, `Auto-scales`). A
    rubric's other columns are levels (`Meets`, `4`, `Level 2`), descriptors (`Evidence`, or
    sentences in the cells), or blanks to fill."""
    others = table.headers[1:]
    if len(others) < 2 or header_words(others, _NO_THING):
        return False
    for header in others:
        words = _ASIDE.sub(" ", header).split()
        if not words or len(words) > _NAME_WORDS or "?" in header or not _WORD.search(header):
            return False
        if not _CAPITALISED.match(words[0]) or _DIGIT.match(words[0]):
            return False
    # `Level 1`, `Level 2`, `Level 3`: the steps of a scale, not things.
    labels = {found["label"].lower() for header in others if (found := _COUNTED_ID.match(header))}
    if len(labels) == 1 and all(_COUNTED_ID.match(header) for header in others):
        return False
    cells = [text for row in table.texts for text in row[1:]]
    filled = [text for text in cells if not (_BLANK.match(text) or _UNTICKED.match(text))]
    if len(filled) < _MOSTLY * len(cells):
        return False
    lengths = sorted(len(text.split()) for text in filled)
    return lengths[len(lengths) // 2] <= _VALUE_WORDS


def overruled_header(headers: Sequence[str]) -> Signal | None:
    """In a table kept as a comparison, a rubric's or a schedule's header word its shape did not
    bear out (`Criterion` over things compared): shown, so `--why` says it was weighed."""
    rubric = header_words(headers, defaults().rubric_headers)
    if rubric:
        return Signal("rubric-header", 0, f"{headers[rubric[0]]}: things compared, no points")
    schedule = header_words(headers, defaults().schedule_headers)
    if schedule:
        return Signal("schedule-header", 0, f"{headers[schedule[0]]}: its cells are no times")
    return None


# `45 min`, `1.5h`, `1h 30m`, `2-3 weeks`, `~1 hr`: a span of time (`ms` and `µs` time a run,
# not a plan).
_SPAN = re.compile(
    r"\d\s*(?:h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?|d|days?|wks?|weeks?|months?|yrs?"
    r"|years?)\b",
    re.I,
)
# `Week 3`, `Wk 3`, `W3`, `Day 1-2`, `Session 4`: a place in a plan's calendar.
_PLAN_COUNT = re.compile(r"\b(?:weeks?|wk|w|days?|sessions?|sprints?|class|lectures?)\s*#?\d", re.I)
# `9am`, `5:00 PM`.
_CLOCK = re.compile(r"\b\d{1,2}(?::\d\d)?\s*[ap]\.?m\b", re.I)
# `Monday`, `Mon-Wed`, `Jan 15`, `March`: a day or a month (`May` only before a day's number,
# `may` being a verb too); `Morning`, `Weekly`, `Self-paced`: when, in words.
_CALENDAR = re.compile(
    r"\b(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?|jan(?:uary)?"
    r"|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|may\s+\d|morning|afternoon|evening|noon|midday"
    r"|midnight|overnight|weekends?|daily|weekly|today|tomorrow|tonight|self-paced|ongoing)\b",
    re.I,
)
# `3`, `45`, `1-2`, `~30`: a bare count under a schedule's word, of weeks, days or minutes.
_BARE_COUNT = re.compile(r"^[~≈]?\d+(?:\.\d+)?(?:\s*[-–]\s*\d+(?:\.\d+)?)?\+?$")


# `Time (ms)`, `Duration (s)`: a header whose aside names the unit of a timed run.
_RUN_UNIT = re.compile(r"\(\s*(?:ms|µs|us|ns|s|secs?|seconds?)\s*\)", re.I)


def _is_time(text: str, counted: bool) -> bool:
    """A cell that says when or how long, anywhere in it: a date or a clock time, a span
    (`45 min`, `1.5h`), a day, a month or a part of one (`Mon`, `Morning`), a place in a plan
    (`Week 3`, `Wk 2`, `Day 1-2`), or, `counted` (no run's unit beside the header), a bare
    count."""
    return any(
        pattern.search(text) for pattern in (_DATE, _SPAN, _PLAN_COUNT, _CLOCK, _CALENDAR)
    ) or bool(counted and _BARE_COUNT.match(text))


def _schedule(table: Table) -> Verdict | None:
    """A header such as `Duration`, `Time` or `Week` is a schedule's, a plan's or a log's when it
    heads the first column (rows keyed by when they happen), when a cell of its column says
    when or how long (`45 min`, `Week 3`, `09:00`, `Mon`), or when half its cells or more are
    left blank to fill in. Over values none of which is a time (`O(n log n)`, `Minutes`),
    beside another column, the header names an aspect the table compares things on;
    alone beside the rows (`| Activity | Time |` over `After lunch`), it still times them."""
    worded = header_words(table.headers, defaults().schedule_headers)
    for column in worded:
        header = Signal("schedule-header", -1, table.headers[column])
        if column == 0:
            keyed = Signal("time-first-column", -1, f"'{table.headers[0]}' keys the rows")
            return Verdict.of("schedule", header, keyed)
        texts = table.column(column)
        counted = not _RUN_UNIT.search(table.headers[column])
        timed = [text for text in texts if _is_time(text, counted)]
        if timed:
            detail = f"'{table.headers[column]}' holds times: {', '.join(timed[:2])}"
            return Verdict.of("schedule", header, Signal("time-column", -1, detail))
    # Without an aside (`Time (ms)` measures a run), the word alone is evidence enough unless
    # the shape shows an aspect compared.
    alone = _alone(table, worded, defaults().schedule_headers)
    for column in alone:
        texts = table.column(column)
        blank = sum(1 for text in texts if _BLANK.match(text) or _UNTICKED.match(text))
        if 2 * blank >= len(texts):
            header = Signal("schedule-header", -1, table.headers[column])
            detail = f"'{table.headers[column]}' left blank in {blank} of {len(texts)} rows"
            return Verdict.of("schedule", header, Signal("time-column", -1, detail))
    if alone and len(table.headers) < _ASPECTS:
        header = Signal("schedule-header", -1, table.headers[alone[0]])
        detail = f"'{table.headers[alone[0]]}' is the only column beside the rows"
        return Verdict.of("schedule", header, Signal("no-compared-things", -1, detail))
    return None


# `| Algorithm | Time | Space |`: the rows, and two aspects they are compared on.
_ASPECTS = 3


# `Excellent (27-30)`, `Good (8)`, `Needs Work (< 21)`: a header that is a band of scores.
_SCORE_BAND = re.compile(r"\(\s*[<>≤≥]?\s*\d+(?:\s*[-–]\s*\d+)?\s*%?\s*\)\s*$")


def _score_bands(table: Table) -> Verdict | None:
    """Two or more columns headed by score bands: a rubric's grid of criteria."""
    banded = [text for text in table.headers[1:] if _SCORE_BAND.search(text)]
    if len(banded) < 2:
        return None
    return Verdict.of("rubric", Signal("score-band-header", -1, ", ".join(banded[:2])))


# `[ ]`, `[x]`, `☐`, `⬜`: a box to tick (a ✅/❌ alone is a feature matrix's yes/no, not a box).
_BOX = re.compile(r"^\s*(?:\[[ xX✓]?\]|[☐☑☒⬜🔲])")


def _checkboxes(table: Table) -> Verdict | None:
    """A column of boxes to tick makes a progress tracker or a checklist."""
    for column in range(len(table.headers)):
        if all(_BOX.match(row[column]) for row in table.cells):
            detail = f"'{table.headers[column]}' holds only boxes to tick"
            return Verdict.of("tracker", Signal("checkbox-column", -1, detail))
    return None


# `TODO`, `TBD`, `____`: an entry still to be written (an empty cell may only mean "none").
_PLACEHOLDER = re.compile(r"^\s*(?:\S*_{3,}\S*|tbd|todo)\s*$", re.I)
# `2025-01-15`, `15/01/2025`: a day of the calendar, not part of an address or a version.
_CALENDAR_DATE = re.compile(
    r"(?<![\w./:])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}/\d{2,4})(?![\w/:]|\.\d)"
)


def _tracked(table: Table) -> Verdict | None:
    """A column still half placeholders (`TODO`, `TBD`) tracks work under way, and a column of
    calendar dates (due, last reviewed) logs when things happen: an asset or task tracker."""
    for column in range(1, len(table.headers)):
        texts = table.column(column)
        pending = sum(1 for text in texts if _PLACEHOLDER.match(text))
        if 2 * pending >= len(texts):
            detail = f"'{table.headers[column]}' is a placeholder in {pending} of {len(texts)} rows"
            return Verdict.of("tracker", Signal("placeholder-column", -1, detail))
        if all(_CALENDAR_DATE.search(text) for text in texts):
            detail = f"'{table.headers[column]}' holds a date in every row"
            return Verdict.of("tracker", Signal("dated-column", -1, detail))
    return None


# `1`, `01 - Multi-Cloud`, `Week 3`, `Days 1-2`, `Task 2: Docker`, `Lab 04`: a number that
# orders the rows, alone or after one label word (a space apart: `L1`, `H100`, `P0` are names),
# and not part of a version (`Python 3.11`) or a figure (`3 GB`, `2x`).
_ORDINAL = re.compile(
    r"^(?:(?P<label>[^\W\d_]+)\s+#?)?(?P<first>\d+)(?:\s*[-–]\s*(?P<last>\d+))?"
    r"(?![.,]\d|\d|[^\W\d_]|%)"
)


# `Module 3`, `Lessons 2-4`, `Week 5`: the words that name a place in a course (`pointers` and
# `lesson_labels` in defaults.yaml: `**Alerting**: see Lesson 06`, `Week 3: Kubernetes`).
_PLACES = frozenset(word.rstrip("s") for word in (*defaults().pointers, *defaults().lesson_labels))
# ...and those, a unit of time (`Day 3`, `Month 2`) or a `sequence_labels` word (`Step 4`,
# `Phase 2`): a count after one of them orders a plan's or a schedule's rows.
_SEQUENCE = _PLACES | frozenset(
    word.rstrip("s") for word in (*defaults().units, *defaults().sequence_labels) if len(word) > 1
)


def _ordinal(text: str) -> tuple[str, int, int] | None:
    """A first cell's label word (lower-case, or '') and the numbers it spans."""
    found = _ORDINAL.match(text)
    if not found:
        return None
    first = int(found["first"])
    last = int(found["last"]) if found["last"] else first
    # `Days 1-2` and `Day 3` share a label.
    return (found["label"] or "").lower().rstrip("s"), first, last


def _numbered(table: Table) -> Verdict | None:
    """First cells that count up (1, 2, 3; Week 1, Week 2; Days 1-2, Days 3-4) order the rows:
    schedules, steps, listings of labs or lessons. Codes (200, 404; ports; signals) do not count
    up one by one from 1, so their tables stay comparisons; nor does a count after a word that
    is no place in a course or a plan (`Tier 1`, `Layer 2`, `Level 0`), or a bare count under
    such a word (`| Layer |` over `1`, `2`, `3`): it names each row's thing, which the table
    compares."""
    firsts = table.column(0)
    numbers = [_ordinal(first) for first in firsts]
    # A closing row may stand outside the count (`Total`, `Final exam` after `Week 12`).
    if len(numbers) >= 4 and numbers[-1] is None:
        numbers = numbers[:-1]
    runs = [number for number in numbers if number is not None]
    if len(runs) < 2 or len(runs) != len(numbers) or len({label for label, _, _ in runs}) != 1:
        return None
    label, start, _ = runs[0]
    if label not in _SEQUENCE if label else _names_a_thing(table.headers[0]):
        return None
    # A count starts at 1; a labelled one may start at 0 (`Week 0`). Bare 0, 1, 2 are values
    # (an exit status, an octal digit), not positions.
    expected = start if start == 1 or (start == 0 and label) else -1
    for _, first, last in runs:
        if first != expected:
            return None
        expected = last + 1
    shown = ", ".join(firsts[:3])
    return Verdict.of("numbered-rows", Signal("numbered-first-column", -1, shown))


def counted_list(headers: Sequence[str], body: Sequence[Row]) -> bool:
    """The first column only counts the rows (`#` over 1, 2, 3) of a list of things compared on
    the other columns: `| # | Command | What it does |`. Not when a header is a place in a course
    or a plan (`Lab`, `Step`, `Week`), nor when the next column's cells are steps or titles (an
    instruction verb first, or more than four words): the count orders a plan, not a list. Nor
    when the count has no header: a data frame printed with its index."""
    # No header at all over the count is a printed data frame's index (`_index_column`).
    if len(headers) < 3 or len(body) < 2 or not headers[0].strip() or _names_a_thing(headers[0]):
        return False
    words = {word.lower().rstrip("s") for text in headers for word in _WORD.findall(text)}
    if words & _SEQUENCE:
        return False
    firsts = [plain_text(cells[0]).strip() for _, cells in body]
    if [_ordinal(first) for first in firsts] != [("", n, n) for n in range(1, len(firsts) + 1)]:
        return False
    named = sum(1 for _, cells in body if _names_an_entry(cells[1]))
    return named >= _MOSTLY * len(body)


# A first cell with no letter or digit (`...`, `—`, `----`) names nothing: its row is no entry.
NAMES_SOMETHING = re.compile(r"\w")
# A row number is small: it counts rows, unlike a code (`200`, `404`), a port or a year.
_ROW_NUMBER_LIMIT = 1000
# `#`, `No.`, `Nr`, `Id`, `S.No`, `Index`, `Row`: a header that says the column numbers rows.
_COUNT_HEADER = re.compile(
    r"^(?:#?|(?:(?:s|sr|sl)\.?\s?)?(?:no|nr|num|#)\.?|id|idx|index|number|row|serial)$", re.I
)


def row_number_column(headers: Sequence[str], body: Sequence[Row]) -> str | None:
    """The first column numbers the rows of a table of three columns or more: every first cell
    a whole number, rising from 1 (from 0 too under a count's header, `#`, `No.`, `Index`),
    all small; gaps allowed under a count's header (`1` ... `12`, `21`: rows left out or
    renumbered), a few under another header that names no thing (`Seq`, `Step`: three steps
    in four by one). The number keys nothing a learner could answer (`# = 5`); the next
    column, the row's entry, does. Returns what the column held, for `--why`; None when it is
    no row number. A header that names what the numbers number (`Layer`, `Signal`) and a
    two-column table keyed by numbers (`| Code | Meaning |`) make the numbers what is learnt."""
    if len(headers) < 3 or len(body) < 2:
        return None
    # A row of dashes only divides the table (where rows were left out): it numbers nothing,
    # and the table drops it as it drops every row whose first cell names nothing.
    firsts = [plain_text(cells[0]).strip().rstrip(".") for _, cells in body]
    firsts = [first for first in firsts if NAMES_SOMETHING.search(first)]
    if len(firsts) < 2 or not all(_BARE_NUMBER.match(first) for first in firsts):
        return None
    numbers = [int(first) for first in firsts]
    counts = bool(_COUNT_HEADER.match(headers[0].strip()))
    if not counts and _names_a_thing(headers[0]):
        return None
    if not (0 if counts else 1) <= numbers[0] <= 1 or numbers[-1] >= _ROW_NUMBER_LIMIT:
        return None
    steps = [b - a for a, b in itertools.pairwise(numbers)]
    if min(steps) < 1 or (not counts and steps.count(1) < _MOSTLY * len(steps)):
        return None
    shown = ", ".join(firsts[:3]) + (f" ... {firsts[-1]}" if len(firsts) > 3 else "")
    return f"'{headers[0]}' over {shown}"


_WORD = re.compile(r"[^\W\d_]+")
_INSTRUCTION_VERBS = frozenset(defaults().instruction_verbs)
# An entry of a list is a name or a command, not a sentence: `git stash`, `Feature flags`.
_ENTRY_WORDS = 4


def _names_an_entry(cell: str) -> bool:
    """The cell (inline Markdown) is code, or a few words that do not open with an instruction."""
    if cell.lstrip().startswith("`"):
        return True
    words = plain_text(cell).split()
    return 0 < len(words) <= _ENTRY_WORDS and words[0].lower() not in _INSTRUCTION_VERBS


# `#`, `No.`, `ID`: a header too short to be a word heads a count, not a thing's name.
_SHORT_HEADER = 3


def _names_a_thing(header: str) -> bool:
    """The header of a column of bare numbers names the things they number (`Layer`, `Tier`),
    rather than their order (`#`, `No.`, `Step`, `Lesson`)."""
    words = [word.lower().rstrip("s") for word in re.findall(r"[^\W\d_]+", header)]
    if sum(map(len, words)) <= _SHORT_HEADER:
        return False
    return not any(word in _SEQUENCE for word in words)


def _questions(table: Table) -> Verdict | None:
    """First cells that ask (`What does -p do?`), three in four or more: a quiz or a FAQ, whose
    questions are a question card's to ask, not a comparison's key. So do second cells after a
    count (`| Q1 | What does -p do? |`): the count numbers the questions."""
    firsts = table.column(0)
    if len(table.texts[0]) > 2 and all(QUESTION_COUNT.match(first) for first in firsts):
        firsts = table.column(1)
    asking = [first for first in firsts if first.endswith("?")]
    if len(asking) < _MOSTLY * len(firsts):
        return None
    return Verdict.of("questions", Signal("question-first-column", -1, asking[0]))


# `2025-01-15`, `12/04`, `09:00-10:30`: a date or a time slot; not part of an address, a
# version or a port mapping (`10.0.0.0/8`, `3.10/3.11`, `80:80`).
_DATE = re.compile(
    r"(?<![\w./:])(?:\d{4}-\d{1,2}(?:-\d{1,2})?|\d{1,2}/\d{1,2}(?:/\d{2,4})?"
    r"|(?:[01]?\d|2[0-3]):[0-5]\d)(?![\w/:]|\.\d)"
)


def _dated(table: Table) -> Verdict | None:
    """First cells that are dates or time slots make a timetable."""
    firsts = table.column(0)
    if not all(_DATE.search(first) for first in firsts):
        return None
    return Verdict.of("schedule", Signal("dated-first-column", -1, ", ".join(firsts[:2])))


# `src/app.py`, `docs/`, `README.md`, `docker-compose.yml`: a project's file or folder, to hand
# in or read. A system path (`/etc/hosts`, `~/.bashrc`) and a dotfile (`.gitignore`) are things
# to know, and a name with a dot but no such extension (`Node.js`, `ASP.NET`) is a tool. A
# folder opens in lower case: `HTTP/2`, `TCP/IP`, `CI/CD` and `10.0.0.0/8` are no paths.
EXTENSION = (
    r"\.(?i:md|txt|pdf|py|ipynb|sh|ya?ml|json|toml|cfg|ini|conf|csv|tf|tfvars|sql|html|css|lock|"
    r"log|go|rs|java)"
)
FILE_PATH = re.compile(
    rf"^(?![/~.])(?:(?:[\w.*-]+/)+[\w.*-]*{EXTENSION}|[a-z_*][\w.*-]*(?:/[\w.*-]+)+/?"
    rf"|[a-z_][\w.-]*/|[\w-][\w.-]*{EXTENSION})$"
)
# Three in four first cells: `Dockerfile` or `Makefile` beside `app.py` is one more file.
_MOSTLY = 0.75


def _files(table: Table) -> Verdict | None:
    """First cells that are file names or paths make a listing of files to hand in or read."""
    firsts = table.column(0)
    files = [first for first in firsts if FILE_PATH.match(first)]
    if len(files) < 2 or len(files) < _MOSTLY * len(firsts):
        return None
    return Verdict.of("file-listing", Signal("paths-first-column", -1, ", ".join(files[:2])))


# A cell of links, addresses or e-mails only: `[docs](https://...)`, `<https://...>`.
_POINTER = re.compile(
    r"^(?:\s*(?:!?\[[^\]]*\]\([^)]*\)|<?https?://\S+?>?|<?[\w.+-]+@[\w-]+\.[\w.]+>?)\s*[,;|/·]?)+$"
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.\w")


def _is_pointer(cell: str, text: str) -> bool:
    """A cell (as Markdown, and as plain text) that only points elsewhere."""
    if _POINTER.match(cell):
        return True
    if "/" in text and FILE_PATH.match(text):
        return True  # `lessons/mod-101/quiz.md`; a bare `Cargo.toml` may be what a row names
    return _places_only(text)


# `Lesson 02`, `Lessons 1-3, 5`, `Lab 2 and Exercise 4`: one or several places in a course or a
# plan, a label word and a number (a bare number continues a list).
_PLACE = re.compile(r"^(?:(?P<label>[^\W\d_]+)\s+#?)?\d+(?:\s*[-–]\s*\d+)?$")
_LIST_SEPARATOR = re.compile(r"\s*(?:[,;&+]|\band\b|\bor\b)\s*")


def _places_only(text: str, known: bool = True) -> bool:
    """The cell's text only names places in the course (`Module 3`, `Labs 2, 4`): a mapping
    of objectives or skills to where they are taught or assessed. Not `known`, any label
    counts (`Lecture 2`)."""
    places = [_PLACE.match(part) for part in _LIST_SEPARATOR.split(text.rstrip(".:")) if part]
    if not places or not all(places):
        return False
    labels = [place["label"].lower().rstrip("s") for place in places if place and place["label"]]
    return bool(labels) and (not known or all(label in _SEQUENCE for label in labels))


# `Task`, `Assignment`, `Project`: work the course sets, as `sequence_labels` name it.
_LABELLED = frozenset(word.rstrip("s") for word in defaults().sequence_labels)


def _course_map(table: Table) -> Verdict | None:
    """Rows keyed by the course's own parts (`| Exercise | Lecture | Notes |`, a header that is a
    place in the course: `pointers`, `lesson_labels` or `sequence_labels` in defaults.yaml),
    with another column pointing at other parts in three rows in four (`Lecture 2`, `Lectures
    1-2`): a map of the course, its notes about gaps course administration."""
    first = _ASIDE.sub("", table.headers[0]).lower().split()
    if len(first) != 1 or first[0].rstrip("s") not in _PLACES | _LABELLED:
        return None
    for column in range(1, len(table.headers)):
        texts = table.column(column)
        places = [text for text in texts if _places_only(text, known=False)]
        if len(places) >= _MOSTLY * len(texts):
            detail = f"'{table.headers[0]}' rows point to '{table.headers[column]}': {places[0]}"
            return Verdict.of("course-map", Signal("course-parts", -1, detail))
    return None


def _usual(values: list[str]) -> str | None:
    """The value three in four rows or more share in a column (`_Planned_` all down), when the
    table has three rows or more: it tells the rows apart no more than a blank does."""
    value, count = Counter(values).most_common(1)[0]
    return value if len(values) >= 3 and count >= _MOSTLY * len(values) else None


def _links(table: Table) -> Verdict | None:
    """Rows that only point elsewhere (links, addresses, paths, `Module 3`, beside at most a blank
    or the column's usual value) make a link or mapping table, three in four rows or more; and a
    column of e-mail addresses a contact table. Neither holds anything to recall."""
    columns = range(1, len(table.headers))
    usual = [None, *(_usual(table.column(column)) for column in columns)]

    def only_points(cells: tuple[str, ...], texts: tuple[str, ...]) -> bool:
        pointers = 0
        for column in columns:
            if _is_pointer(cells[column], texts[column]):
                pointers += 1
            elif texts[column] and texts[column] != usual[column]:
                return False
        return pointers > 0

    rows = len(table.cells)
    pointing = sum(1 for row in zip(table.cells, table.texts, strict=True) if only_points(*row))
    if pointing >= _MOSTLY * rows:
        detail = f"{pointing} of {rows} rows only point elsewhere"
        return Verdict.of("link-table", Signal("pointer-cells", -1, detail))
    for column in columns:
        if all(_EMAIL.search(text) for text in table.column(column)):
            detail = f"'{table.headers[column]}' holds e-mail addresses"
            return Verdict.of("contact-table", Signal("email-column", -1, detail))
    return None


def _constant(table: Table) -> Verdict | None:
    """Rows that differ only by their first cell (`| Docker | Not started |` in every row of a
    tracker's template) compare nothing."""
    if len(table.texts) < 3:
        return None
    if any(len(set(table.column(column))) > 1 for column in range(1, len(table.headers))):
        return None
    return Verdict.of("nothing-compared", Signal("constant-cells", -1, "every row says the same"))


# `~7 minutes`, `$0.10-0.20/month`, `98 MB`, `>80%`, `1979`: a figure, maybe with its unit.
_OPENS_WITH_FIGURE = re.compile(r"^[~≈<>≤≥±+$€£¥]*\s*\d")
_DIGIT = re.compile(r"\d")
_BARE_NUMBER = re.compile(r"^\d+$")


# `12`, `-0.5`, `3.2e-05`, `1,024`, `45%`, `.75`: a number as a program prints it.
_NUMBER_TEXT = r"[-+−]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?%?"
# `(61.0, 65.4)`, `[0.2, 0.9]`: an interval, as a program prints a confidence interval.
_INTERVAL_TEXT = rf"[\[(]\s*{_NUMBER_TEXT}\s*,\s*{_NUMBER_TEXT}\s*[\])]"
_INTERVAL = re.compile(rf"^{_INTERVAL_TEXT}$")


def _is_figure(text: str) -> bool:
    """A number first, then at most a unit or a second number: `~7 minutes`, `4-8 GB`; not
    `Python 3` or `1 sample at a time`. An interval (`(61.0, 65.4)`) is two numbers."""
    if _INTERVAL.match(text):
        return True
    words = text.split()
    with_digit = sum(1 for word in words if _DIGIT.search(word))
    return bool(_OPENS_WITH_FIGURE.match(text)) and len(words) <= 3 and 2 * with_digit >= len(words)


_NOTHING = re.compile(r"^\s*(?:[-–—]|n/?a)?\s*$", re.I)


# `latency`, `utilization`: a word of plain lower-case English.
_COMMON_WORD = re.compile(r"^[a-z]+$")


def _names_product(text: str) -> bool:
    """The text names a product or a model: a name-shaped word (`t3.micro`, `A100`, `llama-2`)
    beside only capitalised words or figures (`BERT Base`, `H100 80GB`, `LLM (7B params)`), not
    a quantity measured of one (`P95 latency`, `GPU utilization`, `Build time`)."""
    words = _ASIDE.sub(" ", text).split()
    return any(NAME_SHAPE.search(word) for word in words) and not any(
        _COMMON_WORD.match(word) for word in words
    )


def _names_things(table: Table) -> bool:
    """Most first cells name products or models (code, or `_names_product`): a spec sheet
    compares them."""
    named = sum(
        1
        for row, texts in zip(table.cells, table.texts, strict=True)
        if "`" in row[0] or _names_product(texts[0])
    )
    return named >= _MOSTLY * len(table.cells)


# `$20`, `€0.10/hour`, `~£5`: a price.
_PRICE = re.compile(r"^[~≈<>]*\s*[$€£¥]\s*\d")
# `Free`, `Team Plus`, `On-Demand`: a word written as a name's.
_CAPITALISED = re.compile(r"^[A-Z0-9]")


def _priced_names(table: Table) -> bool:
    """A column of prices beside first cells written as names (every word capitalised: `Free`,
    `Pro`, `Team Plus`): plans or tiers priced, which the table compares. A price measured in a
    run is a quantity's (`Cost per 1K requests`, `Monthly cost`), in lower case."""
    if not any(table.holds(column, _PRICE.match) for column in range(1, len(table.headers))):
        return False
    named = sum(
        1
        for first in table.column(0)
        if (words := _ASIDE.sub(" ", first).split())
        and all(_CAPITALISED.match(word) for word in words)
    )
    return named >= _MOSTLY * len(table.cells)


def _figures(table: Table) -> Verdict | None:
    """Rows whose other cells are all figures (sizes, prices, timings) of a run, a metric or a
    setting are measurements to look up, not things compared. Figures about named things (`A100`,
    `t3.micro`) or prices of plans (`Free`, `Pro`) compare them, and a single column of bare
    whole numbers (a service's port, a signal's number) is a symbol table: all stay. A data
    frame's missing value (`NaN`) is no cell filled, as a blank is not."""
    values = [
        text
        for row in table.texts
        for text in row[1:]
        if not (_NOTHING.match(text) or _FRAME_MISSING.match(text))
    ]
    if not values or not all(_is_figure(value) for value in values):
        return None
    if _names_things(table) or _priced_names(table):
        return None
    if len(table.headers) == 2 and all(_BARE_NUMBER.match(value) for value in values):
        return None
    return Verdict.of("measurements", Signal("figures-only", -1, ", ".join(values[:3])))


# `not`, `never`, `don't`, `shouldn't`: a word that turns a header into its opposite (`No cache`
# names a setup a row may compare, as `With cache` does).
_NEGATION = re.compile(r"^(?:not|never|\w+n['’]t)$", re.I)
# ...and the advice words (`Avoid`, `Don't`, `skip_table_headers`) and, one on each side,
# judging words (`Good` / `Bad`, `evaluative_words`) that pair a header with its opposite.
_ADVICE = frozenset(word.lower() for word in defaults().skip_table_headers)
_JUDGING = frozenset(defaults().evaluative_words)
_HEADER_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# `Use` / `Avoid`, `to` / `not to`: the words that turn the phrase, few; more make two phrases.
_TURN_WORDS = 3


def _opposite_headers(table: Table) -> Verdict | None:
    """Two columns headed by one phrase and its opposite (`Use X if | Avoid X if`, `When to use
    | When not to use`, `Good for | Bad for`) are two lists side by side: each column is a list
    of its own, and a row pairs cells that have nothing to do with each other. The phrase is
    shared (a word at least); what differs, three words at most, holds a negation or an advice
    word (`not`, `Don't`, `Avoid`), or a judging word on each side (`Good` / `Bad`). Two
    things named (`Traditional Infrastructure | ML Infrastructure`) differ by names, and
    stay."""
    if len(table.headers) != 2:
        return None
    left, right = ([word.lower() for word in _HEADER_WORD.findall(h)] for h in table.headers)
    shared = set(left) & set(right)
    only = [word for word in (*left, *right) if word not in shared]
    if not shared or len(only) > _TURN_WORDS:
        return None
    # A judging word on one side only may be an order (`First run | Second run`), no opposite.
    turned = any(_NEGATION.match(word) or word in _ADVICE for word in only)
    judged = all((set(words) - shared) & _JUDGING for words in (left, right))
    if not (turned or judged):
        return None
    detail = " / ".join(table.headers)
    return Verdict.of("two-lists", Signal("opposite-headers", -1, detail))


# `NaN`, `NaT`, `<NA>`: what a data frame prints for a missing value (`None` and `null` may
# be an option's value, a default).
_FRAME_MISSING_TEXT = r"nan|nat|<na>"
# `...`, `…`, `⋮`: what a printout left out.
_ELIDED_TEXT = r"\.{3}|…|⋮"
_FRAME_MISSING = re.compile(rf"^(?:{_FRAME_MISSING_TEXT})$", re.I)
# A number, an interval (`(61.0, 65.4)`, `[0.2, 0.9]`), or a figure and its error (`63.2 ± 1.9`).
_VALUE = re.compile(
    rf"^(?:{_NUMBER_TEXT}|{_INTERVAL_TEXT}"
    rf"|{_NUMBER_TEXT}\s*(?:±|\+/?-)\s*{_NUMBER_TEXT}"
    # `NaN`, `None`, `null`, `NaT`, `<NA>`: a value missing from a record.
    rf"|{_FRAME_MISSING_TEXT}|none|null"
    rf"|{_ELIDED_TEXT})$",
    re.I,
)
_ELIDED = re.compile(rf"^(?:{_ELIDED_TEXT})$")
# `Avg_Score`, `reviewer_nationality`, `Unnamed: 0`: a column's name as a program prints it;
# `count(*)`, `max(reading)`: an expression a query computed, as its result names the column.
_IDENTIFIER = re.compile(
    r"^(?:[^\W_]+(?:_[^\W_]+)+|unnamed:\s*\d+|[^\W\d]\w*\((?:\*|[\w.]+(?:,\s*[\w.]+)*)?\))$",
    re.I,
)
# `id`, `personal`, `family`: one lower-case word, as a program names a record's field.
_FIELD = re.compile(r"^[a-z][a-z0-9]*$")
# A record has several fields; two lower-case headers (`| code | meaning |` over `200`, `404`)
# are as often a symbol table headed in haste.
_FIELD_COLUMNS = 3
# `index`, `Unnamed: 0`, or no header at all: a data frame's row labels.
_INDEX_HEADER = re.compile(r"^(?:index|unnamed:\s*\d+)?$", re.I)
# A count of records runs into thousands; a code, a level or a permission bit does not.
_COUNT_SIZE = 1000
# Four rows at least, ordered by chance in one case of 24.
_RANKED_ROWS = 4
# `2024`, `2022`, `2020`: releases newest first, no counts.
_YEARS = (1900, 2100)
# Two facts at least, so a spec sheet of figures (`| Instance | vCPUs | Memory |`) stays.
_DATA_FACTS = 2


def _index_column(table: Table) -> Signal | None:
    """A first column with no header (or `index`) over whole numbers: a data frame's running
    index (`0`, `1`, `2`, or `70`, `71` after a filter), printed by the code above."""
    firsts = [first for first in table.column(0) if not _ELIDED.match(first)]
    if not _INDEX_HEADER.match(table.headers[0].strip()) or len(firsts) < 2:
        return None
    if not all(_BARE_NUMBER.match(first) for first in firsts):
        return None
    return Signal("index-column", -1, f"'{table.headers[0]}' over {', '.join(firsts[:3])}")


def _data_facts(table: Table) -> list[Signal]:
    """The facts that say a printed record set, each weak alone: headers written as a
    program's identifiers outside code (or every header a field's one lower-case word),
    first cells that repeat (a comparison names each
    thing once) or that are all whole numbers (a record's id, a year, a sample's size), counts
    ranked from the largest down (`_ranked_counts`), the code block right above (its output),
    numbers or missing values in half the other cells, a row left out (`...`)."""
    facts = []
    named = [
        text
        for text, cell in zip(table.headers, table.header_cells, strict=True)
        if _IDENTIFIER.match(text.strip()) and "`" not in cell
    ]
    if named:
        facts.append(Signal("identifier-headers", -1, ", ".join(named[:2])))
    elif len(table.headers) >= _FIELD_COLUMNS and all(
        _FIELD.match(text.strip()) and "`" not in cell
        for text, cell in zip(table.headers, table.header_cells, strict=True)
    ):
        # Every header a field's name (`| id | personal | family |`): a comparison's headers
        # are written for a reader (`| Tool | Purpose |`), a record's as a program stores them.
        facts.append(Signal("field-headers", -1, ", ".join(table.headers[:3])))
    firsts = [first for first in table.column(0) if first and not _ELIDED.match(first)]
    repeated = [first for first, count in Counter(firsts).items() if count > 1]
    if repeated:
        count = sum(1 for first in firsts if first in repeated)
        facts.append(Signal("repeated-keys", -1, f"'{repeated[0]}' and others key {count} rows"))
    if len(firsts) >= 2 and all(_BARE_NUMBER.match(first) for first in firsts):
        facts.append(Signal("integer-keys", -1, ", ".join(firsts[:3])))
    ranked = _ranked_counts(table)
    if ranked is not None:
        facts.append(ranked)
    if table.code_above:
        facts.append(Signal("code-output", -1, table.code_above))
    cells = [text for row in table.texts for text in row[1:] if not _NOTHING.match(text)]
    values = [text for text in cells if _VALUE.match(text)]
    if len(values) >= 2 and 2 * len(values) >= len(cells):
        detail = f"{len(values)} of {len(cells)} cells: {', '.join(values[:3])}"
        facts.append(Signal("value-cells", -1, detail))
    elided = [row for row in table.texts if any(_ELIDED.match(text) for text in row)]
    if any(all(_ELIDED.match(text) or not text for text in row) for row in elided):
        facts.append(Signal("elided-row", -1, "a row of '...'"))
    return facts


def _ranked_counts(table: Table) -> Signal | None:
    """Beside the values, whole numbers from the largest down, into the thousands, over four
    rows or more: a count per value, as a listing of value counts prints it (`| Leisure trip |
    41778 |`). Small codes in order (`7`, `6`, `5`, `4` permission bits; `50` to `10` log
    levels) and years, newest first, stay."""
    texts = [text.replace(",", "") for text in table.column(len(table.headers) - 1)]
    if len(table.headers) != 2 or len(texts) < _RANKED_ROWS:
        return None
    if not all(_BARE_NUMBER.match(text) for text in texts):
        return None
    counts = [int(text) for text in texts]
    if all(_YEARS[0] <= count <= _YEARS[1] for count in counts):
        return None
    if counts[0] < _COUNT_SIZE or counts[0] == counts[-1]:
        return None
    if not all(a >= b for a, b in itertools.pairwise(counts)):
        return None
    return Signal("ranked-counts", -1, f"'{table.headers[1]}' from {texts[0]} down to {texts[-1]}")


def _data(table: Table) -> Verdict | None:
    """A table of data, not of things compared: a printed data frame (its running index), or
    two facts of a record set at once (`_data_facts`). A learner does not memorise the rows
    of a sample, a listing of counts or a result table."""
    index = _index_column(table)
    if index is not None:
        return Verdict.of("data-table", index)
    facts = _data_facts(table)
    if len(facts) < _DATA_FACTS:
        return None
    return Verdict.of("data-table", *facts)


# A column that stops two rows or more before another: one missing value in a last row is
# a comparison's gap, not the end of a list.
_RAGGED_ROWS = 2


def _ragged(table: Table) -> Verdict | None:
    """Columns that end at different rows, one left empty in its last two rows or more while
    another runs on (`| Numbers | Words |` over examples of each, more of one kind than of the
    other), are lists side by side: each column is a list of its own, the header its concept,
    and a row pairs cells that have nothing to do with each other."""
    ends = [
        max((row for row, text in enumerate(table.column(column)) if text), default=-1)
        for column in range(len(table.headers))
    ]
    if min(ends) < 0 or max(ends) - min(ends) < _RAGGED_ROWS:
        return None
    longest, shortest = ends.index(max(ends)), ends.index(min(ends))
    detail = (
        f"'{table.headers[longest]}' runs {max(ends) - min(ends)} rows past "
        f"'{table.headers[shortest]}'"
    )
    return Verdict.of("two-lists", Signal("ragged-columns", -1, detail))


# A cell that is only a picture, linked or not: `![Encoder](img/enc.png)`, `<img src=...>`.
_IMAGE_ONLY = re.compile(
    r"^\s*(?:\[\s*)?(?:!\[[^\]]*\]\([^)]*\)|<img\b[^>]*>)(?:\s*\]\([^)]*\))?\s*$", re.I
)


def _pictures(table: Table) -> Verdict | None:
    """Pictures laid side by side: half the filled cells or more, the header's counted, are only
    an image (`| ![](a.png) | ![](b.png) |` over their captions). A table lays out figures
    for the eye; a learner cannot recall a picture, and a caption under it (`Architecture of
    a knowledge-based system`) is no fact about the header's alt text. One column of pictures
    beside words (`| Logo | Tool | What it does |`) stays."""
    cells = [cell for cell in (*table.header_cells, *itertools.chain(*table.cells)) if cell.strip()]
    images = sum(1 for cell in cells if _IMAGE_ONLY.match(cell))
    if not images or 2 * images < len(cells):
        return None
    return Verdict.of("pictures", Signal("image-cells", -1, f"{images} of {len(cells)} cells"))


# A relation between two things, as a triple states it: a few lower-case words, hyphens or an
# apostrophe inside (`is`, `invented-by`, `doesn't have`); no code, figure or capital.
_RELATION = re.compile(r"^[a-z][a-z'’-]*(?:\s[a-z][a-z'’-]*){0,2}$")
# A triple's object is terse: a name or a short phrase.
_TERSE_WORDS = 4


def _triples(table: Table) -> Verdict | None:
    """Knowledge written as subject-relation-object triples: three columns, first cells that
    repeat (one subject, several facts: `Python | is | ...`, `Python | invented-by | ...`),
    a short lower-case relation in every middle cell and a terse object in every last one.
    Each row is one fact of a graph, not a thing compared on the columns: a row keyed by its
    subject cannot say which fact it asks for. A command's options (`git log | --oneline`)
    are code, not relations, and stay."""
    if len(table.headers) != 3:
        return None
    firsts = table.column(0)
    repeated = [first for first, count in Counter(firsts).items() if count > 1 and first]
    if not repeated:
        return None
    if not all(_RELATION.match(text) for text in table.column(1)):
        return None
    if any(len(text.split()) > _TERSE_WORDS for text in table.column(2)):
        return None
    relations = ", ".join(table.column(1)[:3])
    return Verdict.of(
        "triples",
        Signal("relation-column", -1, f"'{table.headers[1]}' over {relations}"),
        Signal("repeated-keys", -1, f"'{repeated[0]}' keys {firsts.count(repeated[0])} rows"),
    )


def _printed(table: Table) -> Verdict | None:
    """The author named the table a program's output: kramdown's attribute list on the line
    under it gives it the class of printed output or of code (`{: .output}`, `{: .error}`,
    `{: .language-sql}`), as Carpentries lessons mark a query's result. What a program printed
    is no set of things compared, whatever its cells hold."""
    if not table.printed:
        return None
    return Verdict.of("program-output", Signal("output-class", -1, table.printed))


# `Row 1, column 1`, `Cell 2`, `Header 1`, `Column A`, `Cell`: a cell that names only its own
# place in the table, as a tutorial on writing tables fills one.
_POSITIONAL = re.compile(
    r"^(?:(?:row|column|col|cell|header|heading)\b\s*(?:\d+|[a-z]\b)?[\s,;:/-]*)+$", re.I
)


def _syntax_example(table: Table) -> Verdict | None:
    """A table that only shows how a table is written: the code block above it writes out its
    own Markdown (`source-shown-above`), or its body cells name only their place, three in four
    (`positional-cells`: `| Row 1, column 1 | Row 1, column 2 |`). Its rows are the syntax's
    sample, nothing compared."""
    if table.shown:
        return Verdict.of("syntax-example", Signal("source-shown-above", -1, table.shown))
    texts = [text for row in table.texts for text in row if not _NOTHING.match(text)]
    places = [text for text in texts if _POSITIONAL.match(text)]
    if len(places) >= 2 and len(places) >= _MOSTLY * len(texts):
        detail = f"{len(places)} of {len(texts)} cells: {', '.join(places[:2])}"
        return Verdict.of("syntax-example", Signal("positional-cells", -1, detail))
    return None


# In this order: the author's own word that the table is output comes first; pictures are
# no text to judge at all, and a worksheet's blank column is the clearest sign after them; a
# data frame's index comes before a count of rows from 1 (`_numbered`), which would call it a
# plan's; figures come last, so a schedule's durations or a rubric's points are named for what
# the table is. A table that only shows its own syntax is no text of the course at all.
_JUDGES: tuple[Callable[[Table], Verdict | None], ...] = (
    _printed,
    _syntax_example,
    _pictures,
    _worksheet,
    _opposite_headers,
    _ragged,
    _score_bands,
    _rubric,
    _schedule,
    _checkboxes,
    _tracked,
    _data,
    _numbered,
    _questions,
    _dated,
    _files,
    _links,
    _course_map,
    _constant,
    _triples,
    _figures,
)
