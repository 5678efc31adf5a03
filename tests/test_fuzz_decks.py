"""Fuzzing the deck reader: random bytes, and real decks with bytes changed, in the zip or in
the collection inside. Each is read or refused with a `DeckError`; nothing else, and no hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deckgen.apkg import DeckError, read_apkg_bytes

from .hostile_decks import flipped, members, real_deck, watchdog, with_collection

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

FLIPS = st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 255)), min_size=1, max_size=16)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return real_deck(tmp_path_factory.mktemp("fuzz"))


def _read_or_refuse(data: bytes) -> None:
    with watchdog(120):
        try:
            read_apkg_bytes(data, Path("fuzzed.apkg"))
        except DeckError as error:
            assert str(error).startswith("fuzzed.apkg: not a deck deckgen can read: ")


@SETTINGS
@given(data=st.binary(max_size=4096), zip_like=st.booleans())
def test_random_bytes(data: bytes, zip_like: bool) -> None:
    _read_or_refuse(b"PK\x03\x04" + data if zip_like else data)


@SETTINGS
@given(flips=FLIPS)
def test_a_real_deck_with_bytes_changed(good: bytes, flips: list[tuple[int, int]]) -> None:
    _read_or_refuse(flipped(good, flips))


@SETTINGS
@given(flips=FLIPS, cut=st.none() | st.integers(0, 2**31))
def test_a_real_collection_with_bytes_changed(
    good: bytes, flips: list[tuple[int, int]], cut: int | None
) -> None:
    collection = flipped(members(good)["collection.anki2"], flips)
    if cut is not None:
        collection = collection[: cut % (len(collection) + 1)]
    _read_or_refuse(with_collection(good, collection))
