"""Salary bands in every spelling, all in one structured form; lesson cases are in
fixtures/extract/salary."""

from __future__ import annotations

import pytest

from deckgen.extract.salaries import parse_band


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
