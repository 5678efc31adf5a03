"""Time and memory of one build stage run over pathological lessons, at two sizes each.

    .venv/bin/python benchmarks/pathological.py            # the sizes issue 6 names
    .venv/bin/python benchmarks/pathological.py --quick    # a tenth of them

Each case runs in a fresh process (so peak RSS is its own): read, extract, render and package
one generated lesson. Linear behaviour shows as a time ratio close to the size ratio (2x).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# (generator, full size) as issue 6 names them.
CASES = (
    ("big_lesson", 10_000_000),  # just under the lesson size limit
    ("big_lesson", 50_000_000),  # refused: over the limit
    ("nested_list", 10_000),
    ("nested_quotes", 10_000),
    ("wide_table", 5_000),
    ("long_line", 10_000_000),
    ("bold_terms", 100_000),
    ("shift_operators", 20_000),  # `<<` in code that opens no here-document
)


def run_case(name: str, size: int) -> dict[str, float]:
    from deckgen.builder import plan_lesson
    from deckgen.config import Config
    from deckgen.diagnostics import ContentError
    from deckgen.package import package_bytes
    from deckgen.regenerate import regenerate
    from tests.pathological import GENERATORS

    with tempfile.TemporaryDirectory() as root:
        lesson = Path(root) / "lessons" / f"{name}.md"
        lesson.parent.mkdir()
        lesson.write_text(GENERATORS[name](size), encoding="utf-8")
        start = time.perf_counter()
        try:
            deck = plan_lesson(lesson, Config(root=Path(root)))
        except ContentError as error:
            return {"refused": str(error), "seconds": round(time.perf_counter() - start, 2)}
        data = package_bytes(regenerate(deck, None, 0, prune_retired=False).content)
        seconds = time.perf_counter() - start
        return {
            "bytes": lesson.stat().st_size,
            "seconds": round(seconds, 2),
            "notes": len(deck.notes),
            "warnings": len(deck.warnings),
            "apkg_bytes": len(data),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes")
    parser.add_argument("--case", help=argparse.SUPPRESS)  # internal: run one case, print JSON
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case:
        print(json.dumps(run_case(args.case, args.size)))
        return
    print(f"{'case':<14} {'size':>11} {'bytes':>11} {'seconds':>8} {'notes':>7} {'rss MB':>7}")
    for name, full in CASES:
        full = full // 10 if args.quick else full
        for size in (full // 2, full):
            output = subprocess.run(
                [sys.executable, __file__, "--case", name, "--size", str(size)],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            r = json.loads(output)
            if "refused" in r:
                print(f"{name:<14} {size:>11,} refused in {r['seconds']} s: {r['refused']}")
                continue
            print(
                f"{name:<14} {size:>11,} {r['bytes']:>11,} {r['seconds']:>8} "
                f"{r['notes']:>7} {r['peak_rss_mb']:>7}",
                flush=True,
            )


if __name__ == "__main__":
    main()
