"""List the check set: lessons of the card audit's pool drawn at random, with a fixed seed.

    python benchmarks/check/draw.py [--n 32]

The tune set (`benchmarks/tune/`) comes from the corpus the rules are tuned on, so its scores
flatter the rules. The check set comes from the held-out junior curriculum instead: the card
audit's pool (`benchmarks/audit/lessons/`, the junior files outside the blind set), annotated
with the blind set's guide. Rule work never reads it; only its totals are looked at, to tell
whether a change that helps the tune set also helps lessons nobody tuned on, without spending
the blind set's few scorings. Nothing is copied: the files stay in the audit pool, and a card
audit drawn after the check set exists leaves its files out.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = HERE.parent / "audit" / "lessons"
SEED = 20261207

sys.path.insert(0, str(HERE.parent / "blind"))
from draw import list_drawn  # noqa: E402


def main() -> None:
    list_drawn(__doc__, POOL, SEED, 32)


if __name__ == "__main__":
    main()
