"""How far two annotators agree: one folder of annotations scored against another, with the
matching `score.py` uses for deckgen.

    python benchmarks/blind/agreement.py FIRST SECOND [--details]

Only lessons both folders annotate count. Precision and recall of SECOND against FIRST are
recall and precision the other way round, so one table says it. Two careful readers of the same
lesson and guide are the ceiling for any extractor judged by one of them: a target above their
agreement measures the annotator as much as deckgen.
"""

import argparse
import sys
from pathlib import Path

from score import KINDS, Predicted, load_annotations, match, ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="annotations taken as the reference")
    parser.add_argument("second", type=Path, help="annotations scored against them")
    parser.add_argument("--details", action="store_true", help="list the items only one has")
    args = parser.parse_args()
    first, second = load_annotations(args.first), load_annotations(args.second)
    shared = _files(args.first) & _files(args.second)
    if not shared:
        parser.error("the two folders annotate no lesson in common")
    print(f"{len(shared)} lessons annotated by both.\n")
    print("| kind | first | second | agreed | second vs first: precision | recall |")
    print("|---|---:|---:|---:|---:|---:|")
    only: list[str] = []
    for kind in KINDS:
        reference = [a for a in first.get(kind, []) if a.file in shared]
        scored = [
            Predicted(a.file, a.line, a.key, a.raw)
            for a in second.get(kind, [])
            if a.file in shared
        ]
        result = match(kind, reference, scored)
        n_ref, n_scored, n_agreed = len(reference), len(scored), len(result.pairs)
        print(
            f"| {kind.replace('_', ' ')} | {n_ref} | {n_scored} | {n_agreed} | "
            f"{ratio(n_agreed, n_scored)} | {ratio(n_agreed, n_ref)} |"
        )
        paired_first = {id(a) for a, _ in result.pairs}
        paired_second = {id(p) for _, p in result.pairs}
        only += [
            f"{a.file}:{a.line}: first only, {kind}: {a.key}"
            for a in reference
            if id(a) not in paired_first
        ]
        only += [
            f"{p.file}:{p.line}: second only, {kind}: {p.key}"
            for p in scored
            if id(p) not in paired_second
        ]
    if args.details:
        print("\n" + "\n".join(sorted(only)))
    return 0


def _files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix().removesuffix(".yaml") for p in folder.rglob("*.yaml")}


if __name__ == "__main__":
    sys.exit(main())
