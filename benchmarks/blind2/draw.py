"""List the second blind set: lessons of the card audit's pool outside the check set and the
junior tune set, drawn at random with a fixed seed.

    python benchmarks/blind2/draw.py [--n 30]

The first blind set (`benchmarks/blind/`) has been scored five times, the handful issue 14
allows, and the check set's totals have guided many merge decisions, so neither still measures
lessons no decision looked at. This set does: the pool's files that no set, rule or engineer has
read. Nothing is copied: the files stay in the audit pool, and a card audit leaves them out.
"""

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = HERE.parent / "audit" / "lessons"
TAKEN = (HERE.parent / "check" / "annotations", HERE.parent / "junior" / "annotations")
SEED = 20261210

sys.path.insert(0, str(HERE.parent / "blind"))
from draw import annotated, order  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=30)
    args = parser.parse_args()
    for index, rel in enumerate(order(POOL, SEED, exclude=annotated(*TAKEN))[: args.n], 1):
        print(f"{index:3d} {rel}")


if __name__ == "__main__":
    main()
