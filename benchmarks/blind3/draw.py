"""List the third blind set: every lesson of the card audit's pool that no other set holds,
in a fixed random order.

    python benchmarks/blind3/draw.py [--n 40]

The check set's totals have decided dozens of merges and the second blind set has been scored
four times, so this set is the last of the junior curriculum that no rule or decision has used.
Nothing is copied: the files stay in the audit pool.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = HERE.parent / "audit" / "lessons"
TAKEN = tuple(HERE.parent / name / "annotations" for name in ("check", "junior", "blind2"))
SEED = 20261211

sys.path.insert(0, str(HERE.parent / "blind"))
from draw import annotated, list_drawn  # noqa: E402


def main() -> None:
    list_drawn(__doc__, POOL, SEED, 40, annotated(*TAKEN))


if __name__ == "__main__":
    main()
