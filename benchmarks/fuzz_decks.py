"""Fuzz the deck reader with seeded examples and count what became of them.

    .venv/bin/python benchmarks/fuzz_decks.py                    # 10,000 examples, seed 0
    .venv/bin/python benchmarks/fuzz_decks.py --examples 50000 --seed 7

Four kinds of input, in turn: random bytes; random bytes after a zip signature; a real deck
(built here by deckgen) with bytes changed; and a real deck whose collection had bytes changed
(and maybe was cut short) before it was zipped again, so SQLite itself sees the damage. Each
is read or refused with a `DeckError`; anything else is counted as a crash and fails the run.
A hang ends the run with every thread's traceback (see `tests.hostile_decks.watchdog`).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from deckgen.apkg import DeckError, read_apkg_bytes  # noqa: E402
from tests.hostile_decks import (  # noqa: E402
    flipped,
    members,
    real_deck,
    watchdog,
    with_collection,
)

NAME = Path("fuzzed.apkg")
PREFIX = f"{NAME}: not a deck deckgen can read: "


def _flips(rng: random.Random) -> list[tuple[int, int]]:
    return [(rng.randrange(2**31), rng.randrange(256)) for _ in range(rng.randint(1, 16))]


def _makers(good: bytes) -> dict[str, Callable[[random.Random], bytes]]:
    collection = members(good)["collection.anki2"]

    def damaged_collection(rng: random.Random) -> bytes:
        changed = flipped(collection, _flips(rng))
        if rng.random() < 0.3:
            changed = changed[: rng.randrange(len(changed) + 1)]
        return with_collection(good, changed)

    return {
        "random bytes": lambda rng: rng.randbytes(rng.randrange(4097)),
        "zip signature + random": lambda rng: b"PK\x03\x04" + rng.randbytes(rng.randrange(4097)),
        "deck, bytes changed": lambda rng: flipped(good, _flips(rng)),
        "collection, bytes changed": damaged_collection,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=int, default=10_000, help="How many inputs in all.")
    parser.add_argument("--seed", type=int, default=0, help="Seed of the random inputs.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        good = real_deck(Path(folder))
    rng = random.Random(options.seed)
    makers = _makers(good)
    outcomes: Counter[tuple[str, str]] = Counter()
    reasons: Counter[str] = Counter()
    crashes: list[str] = []
    for index in range(options.examples):
        kind = list(makers)[index % len(makers)]
        data = makers[kind](rng)
        with watchdog(300):
            try:
                read_apkg_bytes(data, NAME)
                outcomes[kind, "read"] += 1
            except DeckError as error:
                outcomes[kind, "refused"] += 1
                why = str(error).removeprefix(PREFIX)
                reasons[" ".join(why.split("(")[0].split()[:6])] += 1
            except Exception as error:  # what the fuzzing is for: anything else is a bug
                outcomes[kind, "crashed"] += 1
                crashes.append(f"example {index} ({kind}): {type(error).__name__}: {error}")
    print(f"{options.examples} examples, seed {options.seed}\n")
    print("| input | read | refused | crashed |\n|---|---|---|---|")
    for kind in makers:
        counts = [outcomes[kind, outcome] for outcome in ("read", "refused", "crashed")]
        print(f"| {kind} | " + " | ".join(map(str, counts)) + " |")
    print("\nmost common refusals:")
    for why, count in reasons.most_common(12):
        print(f"  {count:6}  {why}")
    for crash in crashes[:20]:
        print(crash)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
