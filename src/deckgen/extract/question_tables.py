"""Questions a table asks (`table-question`): a row whose first cell asks, its answer in the
row's other cells (`| Question | Answer |`).

Separate from the other question finders because a table is read by its columns, not as a
paragraph or a list: whether its rows ask, whether the next column holds their answers, and
whether a count of questions numbers them. Docs: docs/extraction.md, `table-question`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckgen.config import ExtractConfig
from deckgen.extract.answers import ANSWER_HEADER
from deckgen.extract.common import QUESTION_COUNT, table_rows, within
from deckgen.extract.evidence import Signal
from deckgen.extract.question_parts import Question
from deckgen.lesson import Lesson, plain_text

# Three rows in four whose first cell asks make a table of questions (as `question-first-column`
# keeps them from comparison cards).
_ASKING_ROWS = 0.75
# A cell left to fill in: `____`, `?`, `TBD`, or empty.
_BLANK_CELL = re.compile(r"^[\s_?.\-–—]*$|^(?:tbd|todo)$", re.I)
_BREAK = re.compile(r"<br\s*/?>", re.I)


def table_questions(lesson: Lesson, config: ExtractConfig, quiz: str | None) -> Iterator[Question]:
    """`| Question | Answer |` rows: a table whose first cells ask (three rows in four), with
    its answers in the next column, when that column is headed as answers (`Answer`, `Correct
    answer`, `A`) or the table stands in a quiz (a question section, or a lesson whose title
    names a quiz). Elsewhere such a table asks what to ask someone (`| Question | Why it
    matters |`), not the learner. Each asking row is a question; its answer is the row's other
    cells (each under its header when there are several), none when they are left blank."""
    tokens = lesson.tokens
    for index, _, section in lesson.walk("table_open"):
        if section is None or index in lesson.code_tables:
            continue
        if within(section, config.answer_key_headings):
            continue
        rows = table_rows(tokens, index)
        if len(rows) < 2 or len(rows[0][1]) < 2:
            continue
        header, body = rows[0][1], [(line, cells) for line, cells in rows[1:] if cells]
        # `| # | Question | Answer |`: a count before the questions numbers them.
        counted = bool(body) and all(
            len(cells) > 2 and QUESTION_COUNT.match(plain_text(cells[0]).strip())
            for _, cells in body
        )
        counts = [plain_text(cells[0]).strip() if counted else "" for _, cells in body]
        if counted:
            header = header[1:]
            body = [(line, cells[1:]) for line, cells in body]
        asking = [plain_text(cells[0]).strip().endswith("?") for _, cells in body]
        if not body or len(header) < 2 or sum(asking) < _ASKING_ROWS * len(body):
            continue
        answers = plain_text(header[1]).strip().rstrip(":")
        if ANSWER_HEADER.match(answers):
            why = Signal("answer-column", 1, answers)
        elif quiz is not None or within(section, config.question_headings):
            why = Signal("question-section", 1, quiz or " › ".join(section.path))
        else:
            continue
        column = Signal("asking-rows", 1, f"{sum(asking)} of {len(body)}")
        for (line, cells), asks, count in zip(body, asking, counts, strict=True):
            if not asks:
                continue
            numbered = QUESTION_COUNT.match(count)
            given = [
                (plain_text(name).strip(), _BREAK.sub("\n", cell).strip())
                for name, cell in zip(header[1:], cells[1:], strict=False)
                if not _BLANK_CELL.match(plain_text(cell).strip())
            ]
            if len(given) == 1:
                answer: str | None = given[0][1]
            else:
                answer = "\n".join(f"{name}: {cell}" for name, cell in given) or None
            number = numbered.group(1) if numbered else None
            yield Question(
                cells[0], line, section, number, answer, {}, "table-question", (column, why)
            )
