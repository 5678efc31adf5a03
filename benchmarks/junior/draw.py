"""List the junior tune set: lessons of the card audit's pool, outside the check set, drawn at
random with a fixed seed.

    python benchmarks/junior/draw.py [--n 36]

The tune set (`benchmarks/tune/`) holds only lessons of the curriculum the rules were first grown
on, and rules tuned there carried over weakly to the junior curriculum (its check-set totals
barely moved while the tune set's rose). The junior curriculum is written differently: long
exercise and lab pages whose bold labels are steps and scenario data. This set gives rule work
lessons of that curriculum to read in detail, annotated with the blind set's guide. Nothing is
copied: the files stay in the audit pool; the check set's files are never drawn, and a card
audit leaves this set's files out as it does the check set's.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
POOL = HERE.parent / "audit" / "lessons"
CHECK_SET = HERE.parent / "check" / "annotations"
SEED = 20261208

sys.path.insert(0, str(HERE.parent / "blind"))
from draw import annotated, list_drawn  # noqa: E402


def main() -> None:
    list_drawn(__doc__, POOL, SEED, 36, annotated(CHECK_SET))


if __name__ == "__main__":
    main()
