"""List the tune set: lessons of the tuning corpus drawn at random, with a fixed seed.

    python benchmarks/tune/draw.py [--n 24]

The tune set is annotated with the blind set's guide (benchmarks/blind/GUIDE.md) so that rules
can be measured against a teacher's denominator while they are tuned, without touching the blind
set. The candidates are the tuning corpus's ``*.md`` files of at least 1 KB, minus the ten files
`tests/golden` already annotates (the rules were grown on those); the order is the blind draw's
(`benchmarks/blind/draw.py`) with this set's own seed. Nothing is copied: the files stay in
`tests/corpus/`.
"""

import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
SOURCE = ROOT / "tests" / "corpus" / "ai-infra-engineer-learning"
SEED = 20261206

sys.path.insert(0, str(HERE.parent / "blind"))
from draw import list_drawn  # noqa: E402


def golden_files() -> frozenset[str]:
    return frozenset(
        yaml.safe_load(path.read_text(encoding="utf-8"))["file"]
        for path in (ROOT / "tests" / "golden").glob("*.yaml")
    )


def main() -> None:
    list_drawn(__doc__, SOURCE, SEED, 24, golden_files())


if __name__ == "__main__":
    main()
