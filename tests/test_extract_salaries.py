"""Salary bands in every spelling, all in one structured form."""

from __future__ import annotations

import pytest

from deckgen.extract.salaries import parse_band
from deckgen.items import SalaryBand

from .helpers import items_of


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$107k-$230k USD", (107_000, 230_000, "USD", False)),
        ("$150,000 - $200,000", (150_000, 200_000, "USD", False)),
        ("USD 120K–160K", (120_000, 160_000, "USD", False)),
        ("€70k-€95k", (70_000, 95_000, "EUR", False)),
        ("£60,000+", (60_000, None, "GBP", True)),
        ("90k to 140k USD", (90_000, 140_000, "USD", False)),
    ],
)
def test_band_spellings(text: str, expected: tuple) -> None:
    band = parse_band(text)
    assert band is not None
    assert (band.min, band.max, band.currency, band.open_ended) == expected


@pytest.mark.parametrize("text", ["$5 per hour", "about 30 people", "$0.02-0.05/GB"])
def test_not_bands(text: str) -> None:
    assert parse_band(text) is None


def _bands(markdown: str) -> list[tuple]:
    return [
        (b.level, b.role, b.min, b.max, b.currency, b.open_ended)
        for b in items_of(markdown, SalaryBand)
    ]


def test_salary_label_under_a_level_heading() -> None:
    markdown = (
        "# L\n\n### Entry Level: ML Engineer\n\n**Salary:** $100k-$150k USD\n**Focus:** serving\n"
    )
    (band,) = items_of(markdown, SalaryBand)
    assert (band.level, band.role, band.min, band.max, band.focus) == (
        "Entry Level",
        "ML Engineer",
        100_000,
        150_000,
        "serving",
    )


@pytest.mark.parametrize(
    "bullet",
    [
        "- **MLOps Engineer** ($120k-$180k)",
        "- **MLOps Engineer**: $120,000 - $180,000",
        "- **MLOps Engineer** – USD 120K–180K",
    ],
)
def test_role_bullets(bullet: str) -> None:
    assert _bands(f"# L\n\n## Roles\n\n{bullet}\n") == [
        ("Roles", "MLOps Engineer", 120_000, 180_000, "USD", False)
    ]


def test_prices_are_not_salaries() -> None:
    assert _bands("# L\n\n## Costs\n\n- **Cluster**: $8,000-$9,000/month\n") == []


def test_salary_table_rows() -> None:
    markdown = (
        "# L\n\n## Pay in Europe\n\n| Role | Salary Range |\n|---|---|\n"
        "| **Platform Engineer** | €70k-€95k |\n| Staff Engineer | £60,000+ |\n"
    )
    assert _bands(markdown) == [
        ("Pay in Europe", "Platform Engineer", 70_000, 95_000, "EUR", False),
        ("Pay in Europe", "Staff Engineer", 60_000, None, "GBP", True),
    ]
