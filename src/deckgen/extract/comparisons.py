"""Comparison-table rows: every body row of a Markdown table outside code fences is a candidate.

A table whose shape says it compares nothing (a schedule, rubric, tracker, worksheet, listing
of files or links, a sheet of measurements, a data sample or a program's printed result:
`deckgen.extract.table_signals`), or that sits in a skipped or answer-key section or has a
skipped header (`extract.skip_table_headers`), has each of its rows dropped with that reason;
so does a row with nothing to recall. Tables inside here-documents are code and make no
candidates.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from deckgen.config import ExtractConfig
from deckgen.defaults import alternatives, defaults
from deckgen.extract import carpentries
from deckgen.extract.common import CODE_BLOCKS, matches_any, source_ref, table_rows, within
from deckgen.extract.evidence import Candidate, Signal, drop, keep
from deckgen.extract.table_signals import (
    NAMES_SOMETHING,
    Row,
    Verdict,
    counted_list,
    overruled_header,
    row_number_column,
    table_verdict,
)
from deckgen.items import ComparisonRow
from deckgen.lesson import Lesson, Section, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token

# `## Docker vs VMs`: a heading that compares two sides.
_VERSUS = re.compile(rf"\b(?:{alternatives(defaults().versus_words)})\b", re.I)


def extract(lesson: Lesson, config: ExtractConfig) -> Iterator[Candidate]:
    tokens = lesson.tokens
    for index, _, section in lesson.walk("table_open"):
        if index in lesson.code_tables:
            continue
        rows = table_rows(tokens, index)
        if not rows:
            continue
        (_, headers), body = rows[0], rows[1:]
        body, printed = _class_line(body)
        header_texts = tuple(plain_text(header) for header in headers)
        left_out = None
        if counted_list(header_texts, body):
            # The count is no key: `# = 3` asks nothing. The row's entry (`Command = git stash`)
            # is, and the table is judged without the count.
            left_out = Signal("counted-rows", 0, f"'{header_texts[0]}' column left out")
            headers, header_texts, body = _without_first_column(headers, body)
        code_above, code = _code_above(tokens, index)
        shown = _source_shown(code, headers, body)
        judged = (code_above, printed, shown)
        verdict = _verdict(section, config, headers, header_texts, body, *judged)
        numbered = None if left_out or verdict else row_number_column(header_texts, body)
        if numbered:
            # A kept table keyed by row numbers (`# = 5`, gaps allowed) asks nothing; only such
            # a table is re-keyed, by its entry, and judged again without the numbers.
            left_out = Signal("row-number-column", 0, f"{numbered}: column left out")
            headers, header_texts, body = _without_first_column(headers, body)
            verdict = _verdict(section, config, headers, header_texts, body, *judged)
        shape = [Signal("columns", 0, str(len(headers)))]
        shape += [left_out] if left_out else []
        two_sided = _is_two_sided(header_texts, section)
        shape += [Signal("two-sided", 0)] if two_sided else []
        overruled = overruled_header(header_texts)
        shape += [overruled] if overruled else []
        for line, cells in body:
            key_text = plain_text(cells[0]) if cells else ""
            source = source_ref(lesson, line, section)
            if verdict is not None:
                reason, signals = verdict.reason, verdict.signals
                yield drop("comparison", source, key_text, "table-row", reason, *signals)
                continue
            if not NAMES_SOMETHING.search(key_text) or not any(cells[1:]):
                empty = Signal("empty-cells", -1)
                yield drop("comparison", source, key_text, "table-row", "nothing to recall", empty)
                continue
            row = ComparisonRow(
                source=source,
                headers=tuple(headers),
                cells=tuple(cells),
                header_texts=header_texts,
                key_text=key_text,
                two_sided=two_sided,
            )
            yield keep(row, "table-row", *shape)


def _class_line(body: list[Row]) -> tuple[list[Row], str]:
    """The body without a last row that is only a kramdown attribute list (`{: .output}` on
    the line under the table, which markdown-it reads as one more row: markup, no row), and
    that attribute list when it names the table a program's output or code
    (`carpentries.names_code`), else ""."""
    if not body:
        return body, ""
    _, cells = body[-1]
    classes = carpentries.attribute_classes(cells[0]) if cells else None
    if classes is None or any(cells[1:]):
        return body, ""
    return body[:-1], cells[0] if carpentries.names_code(classes) else ""


# `which gives:`, `The query returns:`: a sentence handing over to what follows. A bold label
# alone (`**Flavors:**`, `**Common Functions**:`) captions the table instead: it names what
# the rows are, as a heading does.
_LEAD_IN = re.compile(r":\s*$")
_LABEL = re.compile(r"^([*_]{1,2})(?=\S).*?\S\1\s*:?\s*$", re.S)


def _code_above(tokens: list[Token], index: int) -> tuple[str, str]:
    """How the table at `index` stands under a code block, as `code-output`'s detail, and the
    code block's text; ("", "") when it does not. Between them may stand lines of markup
    (kramdown's `{: .language-sql}` under the code, a Workbench `::: solution` line) and one
    lead-in sentence ending in a colon (`which gives:`): the table is still what the code
    printed. Any other block, a bold label above the table included, parts them."""
    passed: list[str] = []
    lead_in = False
    position = index - 1
    while position >= 2 and tokens[position].type == "paragraph_close":
        content = tokens[position - 1].content.strip()
        if carpentries.unmarked(content).strip():
            if lead_in or not _LEAD_IN.search(content) or _LABEL.match(content):
                return "", ""
            lead_in = True
        passed.append(content)
        position -= 3  # paragraph_open, inline, paragraph_close
    if position < 0 or tokens[position].type not in CODE_BLOCKS:
        return "", ""
    code = tokens[position].content
    if not passed:
        return "right under a code block", code
    shown = ", ".join(f"'{plain_text(text)}'" for text in reversed(passed))
    return f"under a code block, past {shown}", code


def _source_shown(code: str, headers: list[str], body: list[Row]) -> str:
    """`source-shown-above`'s detail when the code block above the table writes out the
    table's own Markdown, its header row and a body row cell for cell (`| Fruit | Colour |`
    in a `markdown` block, then the same table rendered): a tutorial showing how a table is
    written, not things compared. "" otherwise."""
    if "|" not in code or not body:
        return ""
    written = {
        tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
        for line in code.splitlines()
        if "|" in line
    }
    if tuple(headers) not in written or not any(tuple(row) in written for _, row in body):
        return ""
    return f"the code block above writes out '| {' | '.join(headers)} |' and its rows"


def _without_first_column(
    headers: list[str], body: list[Row]
) -> tuple[list[str], tuple[str, ...], list[Row]]:
    """The table with its first column left out: headers, their plain text, body rows."""
    headers = headers[1:]
    return headers, tuple(plain_text(h) for h in headers), [(n, cells[1:]) for n, cells in body]


def _verdict(
    section: Section | None,
    config: ExtractConfig,
    headers: list[str],
    header_texts: tuple[str, ...],
    body: list[Row],
    code_above: str,
    printed: str,
    shown: str,
) -> Verdict | None:
    """Why the table makes no cards (its section, a header the config skips, its shape), or
    None for a comparison."""
    return (
        _section_verdict(section, config)
        or _header_verdict(header_texts, config)
        or table_verdict(
            header_texts,
            body,
            header_cells=headers,
            code_above=code_above,
            printed=printed,
            shown=shown,
        )
    )


def _section_verdict(section: Section | None, config: ExtractConfig) -> Verdict | None:
    """Tables in a skipped section, one the config names, or an answer key make no cards."""
    names = (*config.skip_sections, *config.skip_table_sections, *config.answer_key_headings)
    if section is None or not within(section, names):
        return None
    heading = next(title for title in section.path if matches_any(title, names))
    return Verdict.of("excluded-section", Signal("excluded-section", -1, heading))


def _header_verdict(header_texts: tuple[str, ...], config: ExtractConfig) -> Verdict | None:
    """A header cell the config lists (`Do` / `Don't`, `Salary`) marks advice or a pay table
    (whose rows become salary bands), whatever the table's shape."""
    for text in header_texts:
        if matches_any(text, config.skip_table_headers):
            return Verdict.of("skipped-header", Signal("skipped-header", -1, text))
    return None


def _is_two_sided(headers: tuple[str, ...], section: Section | None) -> bool:
    """Both directions make sense only for "A vs B" tables, not for "Term | Description" lists."""
    if len(headers) != 2 or not all(headers):
        return False
    if section is not None and _VERSUS.search(section.title):
        return True
    # "Traditional Infrastructure | ML Infrastructure": two variants of one thing.
    left, right = (set(header.lower().split()) for header in headers)
    return bool(left & right)
