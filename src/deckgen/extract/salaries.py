"""Career salary bands, in whatever spelling, as (min, max, currency, open-ended).

`### Level: Role` followed by `**Salary:** $107k-$230k USD`; `- **Role** ($120k-$180k)`;
`- **Role**: €70k-€95k`; or a table with a Salary (Compensation, Pay) column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from deckgen.config import ExtractConfig
from deckgen.defaults import defaults
from deckgen.extract.common import bold_lead, is_skipped, source_ref, table_rows
from deckgen.extract.evidence import Candidate, keep
from deckgen.identity import normalize_key
from deckgen.items import SalaryBand, SourceRef
from deckgen.lesson import Lesson, Section, plain_text

_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
_CODES = r"USD|EUR|GBP|CAD|AUD|INR|JPY|CHF|SGD|NZD"
_AMOUNT = (
    r"(?P<{p}sym>[$€£¥₹])?\s*"
    r"(?P<{p}num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?)\s*"
    r"(?P<{p}mult>[kKmM](?=\W|$))?"
)
_BAND = re.compile(
    rf"(?P<code1>{_CODES})?\s*"
    + _AMOUNT.format(p="a")
    + r"(?:\s*(?:-|–|—|to)\s*"
    + _AMOUNT.format(p="b")
    + r")?\s*(?P<plus>\+)?\s*"
    + rf"(?P<code2>{_CODES})?",
)
_SALARY_LABELS = defaults().salary_labels  # normalized keys, in the order they are tried
_DIGIT = re.compile(r"\d")
_MULTIPLIERS = {"k": 1_000, "m": 1_000_000}


@dataclass(frozen=True)
class Band:
    min: int
    max: int | None
    currency: str
    open_ended: bool
    text: str


def parse_band(text: str) -> Band | None:
    """Read a pay band in any of the common spellings into full units and a currency code."""
    for match in _BAND.finditer(text):
        groups = match.groupdict()
        currency_mark = groups["asym"] or groups["bsym"]
        code = groups["code1"] or groups["code2"]
        if not (currency_mark or code):
            continue
        currency = code or _SYMBOLS[currency_mark]
        low_mult = groups["amult"] or groups["bmult"] or ""
        low = _amount(groups["anum"], low_mult)
        high = _amount(groups["bnum"], groups["bmult"] or "") if groups["bnum"] else None
        if high is not None and high < low:
            continue
        if low < 1000 and not low_mult:
            continue  # "$5 per hour" is not a salary band
        return Band(low, high, currency, bool(groups["plus"]), match.group(0).strip())
    return None


def _amount(number: str, multiplier: str) -> int:
    value = float(number.replace(",", ""))
    return round(value * _MULTIPLIERS.get(multiplier.lower(), 1))


def extract(lesson: Lesson, config: ExtractConfig) -> Iterator[Candidate]:
    tokens = lesson.tokens
    # Paragraphs, not every inline token (headings and table cells have them too); the
    # section is looked up only for the few that may hold a band.
    for index in lesson.positions("table_open", "paragraph_open"):
        token = tokens[index]
        if token.type == "table_open":
            section = lesson.section_at(index)
            if index not in lesson.code_tables and not is_skipped(section, config):
                yield from (keep(band, "table-row") for band in _from_table(lesson, index, section))
            continue
        content = tokens[index + 1].content
        if "**" not in content or not _DIGIT.search(content):
            continue  # no bold label or role, or no number: no band
        section = lesson.section_at(index)
        if is_skipped(section, config):
            continue
        labels = _label_lines(content)
        first_line = token.map[0] + 1 if token.map else 1
        if any(label in _SALARY_LABELS for label, _, _ in labels):
            bands = _from_labels(lesson, labels, first_line, section)
            yield from (keep(band, "salary-label") for band in bands)
        elif tokens[index - 1].type == "list_item_open":
            band = _role_band(content)
            if band is not None:
                role, parsed = band
                source = source_ref(lesson, first_line, section)
                yield keep(
                    _salary_band(source, _section_level(section), role, parsed), "role-bullet"
                )


def _label_lines(content: str) -> list[tuple[str, str, int]]:
    """`**Salary:** x` lines of a paragraph as (normalized label, value Markdown, line offset)."""
    found = []
    for offset, line in enumerate(content.split("\n")):
        lead = bold_lead(line)
        if lead is not None and lead.term_text.endswith(":"):
            found.append((normalize_key(lead.term_text), lead.rest.strip(), offset))
        elif lead is not None and lead.rest.lstrip().startswith(":"):
            found.append((normalize_key(lead.term_text), lead.rest.lstrip()[1:].strip(), offset))
    return found


def _from_labels(
    lesson: Lesson, labels: list[tuple[str, str, int]], first_line: int, section: Section | None
) -> Iterator[SalaryBand]:
    values = {label: (value, offset) for label, value, offset in labels}
    for label in _SALARY_LABELS:
        if label not in values:
            continue
        value, offset = values[label]
        band = parse_band(value)
        if band is None or section is None:
            return
        level, _, role = section.title.partition(":")
        if not role:
            level, role = "", section.title
        if not role.strip():
            return  # an empty heading (`###` alone) names no role to learn the band of
        yield _salary_band(
            source_ref(lesson, first_line + offset, section),
            level.strip(),
            role.strip(),
            band,
            focus=values.get("focus", ("", 0))[0],
            skills=values.get("skills", ("", 0))[0],
        )
        return


def _role_band(content: str) -> tuple[str, Band] | None:
    """`**Role** ($120k-$180k)` or `**Role**: $150,000 - $200,000`: a role, then its band."""
    lead = bold_lead(content.split("\n", 1)[0])
    if lead is None or any(char.isdigit() for char in lead.term_text):
        return None
    rest = plain_text(lead.rest).strip().lstrip(":-–— ")
    if rest.startswith("("):
        rest = rest[1 : rest.find(")")] if ")" in rest else rest[1:]
    band = parse_band(rest)
    if band is None or not rest.startswith(band.text) or not _is_pay(band, rest):
        return None
    return lead.term_text.rstrip(":"), band


# `$8,000/month`, `$1,500 per hour`: a price, not a yearly salary band.
_PRICE_UNIT = re.compile(r"^\s*(?:/|per\s|a\s+(?:month|day|week|hour))", re.I)


def _is_pay(band: Band, text: str) -> bool:
    after = text[text.find(band.text) + len(band.text) :]
    return (band.max is not None or band.open_ended) and not _PRICE_UNIT.match(after)


def _from_table(lesson: Lesson, index: int, section: Section | None) -> Iterator[SalaryBand]:
    """| Role | Salary Range | ... |: one band per row, the role in the first column."""
    rows = table_rows(lesson.tokens, index)
    if len(rows) < 2:
        return
    headers = [normalize_key(plain_text(header)) for header in rows[0][1]]
    column = next((n for n, header in enumerate(headers) if header in _SALARY_LABELS), None)
    if column is None or column == 0:
        return
    for line, cells in rows[1:]:
        if len(cells) <= column:
            continue
        text = plain_text(cells[column])
        band = parse_band(text)
        role = plain_text(cells[0])
        if band is None or not role or not _is_pay(band, text):
            continue
        yield _salary_band(source_ref(lesson, line, section), _section_level(section), role, band)


def _section_level(section: Section | None) -> str:
    """A band listed under a heading (`### Mid-Level`) takes the heading as its level."""
    return section.title if section else ""


def _salary_band(
    source: SourceRef, level: str, role: str, band: Band, focus: str = "", skills: str = ""
) -> SalaryBand:
    return SalaryBand(
        source,
        level=level,
        role=role,
        min=band.min,
        max=band.max,
        currency=band.currency,
        open_ended=band.open_ended,
        band_text=band.text,
        focus=focus,
        skills=skills,
    )
