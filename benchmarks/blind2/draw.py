"""List the second blind set: lessons of the card audit's pool outside the check set and the
junior tune set, drawn at random with a fixed seed.

    python benchmarks/blind2/draw.py [--n 30]

The first blind set (`benchmarks/blind/`) has been scored five times, the handful issue 14
allows, and the check set's totals have guided many merge decisions, so neither still measures
lessons no decision looked at. This set does: the pool's files that no set, rule or engineer has
read. Nothing is copied: the files stay in the audit pool, and a card audit leaves them out.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = HERE.parent / "audit" / "lessons"
TAKEN = (HERE.parent / "check" / "annotations", HERE.parent / "junior" / "annotations")
SEED = 20261210

sys.path.insert(0, str(HERE.parent / "blind"))
from draw import annotated, list_drawn  # noqa: E402


def main() -> None:
    list_drawn(__doc__, POOL, SEED, 30, annotated(*TAKEN))


if __name__ == "__main__":
    main()
