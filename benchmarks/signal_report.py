"""How well each definition signal agrees with the teachers' annotations (issue 14: measure
the weights, do not set them by hand).

    python benchmarks/signal_report.py                    # junior and tune sets together
    python benchmarks/signal_report.py --set junior       # one set
    python benchmarks/signal_report.py --show aspect-label --show-annotated   # its candidates

Every definition candidate of the set's annotated files (`deckgen.api.explain`, what `deckgen
list --why` prints), kept and dropped, is matched against the annotated definitions as
`benchmarks/blind/score.py` matches a prediction: same file, normalised key (a parenthesised
expansion may be present or absent), line within 3, one to one, nearest line first. Kept
candidates are matched first, so a dropped twin of a kept, matched item does not count as
annotated. A candidate is then *true* (annotated) or not, and per row the report counts:

- `n`: candidates carrying it; `true`: of those, annotated; `kept`: of those, kept;
- `kept+` / `kept-`: kept and annotated / kept and not (a signal for should sit in kept+);
- `drop+` / `drop-`: dropped and annotated / dropped and not. For a signal against or a veto,
  `drop+` is how many annotated items it drops (with the other evidence), `drop-` the
  unannotated ones it rightly drops;
- `hinge-` / `hinge+`: candidates, unannotated / annotated, whose decision this signal alone
  turns: without its weight the sum would fall on the other side of the threshold. For a
  signal against, `hinge+` is what removing it would win in recall, `hinge-` what it would
  cost in precision; for a signal for, the other way round.

Rows are signals (`+name`, `-name`, `·name`), shapes (`shape:...`) and decision reasons
(`reason:...`). A veto stops the judging, so a vetoed candidate carries few other signals and
a veto's `hinge` counts say little; its `drop+` says what it costs. A second table counts the
candidates no veto dropped by their score, annotated or not: where the threshold should sit.
Annotators disagree: read the candidates (`--show`) before trusting a row.
Only sets score.py reads in detail are offered (tune, junior, the retired blind set and the
other publishers' tune sets); a held-out set is never one of them.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "blind"))
import score  # noqa: E402  (the blind set's matching, reused as is)

from deckgen.extract.definition_signals import THRESHOLD, VETO  # noqa: E402

# Every set score.py reads in detail: the held-out ones are read by their totals only.
ALLOWED = tuple(sorted(name for name in score.SETS if name not in score.TOTALS_ONLY))
DEFAULT = ("junior", "tune", "blind")


def candidates(set_name: str) -> list[tuple[str, object]]:
    """(file relative to the set's lessons, candidate) for every definition candidate of the
    set's annotated files."""
    from deckgen import api

    lessons_root, folder = score.SETS[set_name]
    files = sorted(
        p.relative_to(folder).as_posix().removesuffix(".yaml") for p in folder.rglob("*.yaml")
    )
    found = []
    with tempfile.TemporaryDirectory() as course:
        config = Path(course) / "deckgen.yaml"
        config.write_text(f"lessons: {json.dumps(str(lessons_root))}\n", encoding="utf-8")
        # Only the annotated files: never the whole pool they sit in.
        report = api.explain([lessons_root / rel for rel in files], config, kinds=("definition",))
        if report.error is not None:
            sys.exit(f"deckgen stopped: {report.error.diagnostic}")
        for lesson in report.lessons:
            for cand in lesson.items:
                rel = Path(cand.source.path).resolve().relative_to(lessons_root).as_posix()
                found.append((rel, cand))
    return found


def label(set_name: str) -> list[dict]:
    """One record per candidate: its set, file, line, key, the candidate, kept, annotated."""
    _, folder = score.SETS[set_name]
    annotated = score.load_annotations(folder).get("definitions", [])
    found = candidates(set_name)
    preds = [
        score.Predicted(rel, cand.source.line, score.normalise(cand.text), cand)
        for rel, cand in found
    ]
    # Kept first: a dropped candidate is annotated only when no kept one took the annotation.
    kept = [p for p in preds if p.item.kept]
    pairs = score.match("definitions", annotated, kept).pairs
    used = {id(a) for a, _ in pairs}
    rest = [a for a in annotated if id(a) not in used]
    dropped = [p for p in preds if not p.item.kept]
    pairs += score.match("definitions", rest, dropped).pairs
    true = {id(p) for _, p in pairs}
    return [
        {
            "set": set_name,
            "file": p.file,
            "line": p.line,
            "key": p.key,
            "cand": p.item,
            "kept": p.item.kept,
            "true": id(p) in true,
        }
        for p in preds
    ]


def vetoed(cand) -> bool:
    """A veto dropped the candidate: the weights were never added."""
    return any(signal.weight <= VETO for signal in cand.signals)


def hinges(row: dict, signal) -> bool:
    """Whether the decision on this candidate flips without `signal` (the others' weights
    added as the decision adds them; a veto counts as its weight)."""
    total = sum(s.weight for s in row["cand"].signals)
    return (total >= THRESHOLD) != (total - signal.weight >= THRESHOLD)


def keys(row: dict) -> list[tuple[str, object]]:
    """The rows a candidate counts in: its shape, its reason, each signal once (with it)."""
    cand = row["cand"]
    out = [(f"shape:{cand.shape}", None)]
    reason = cand.reason.split(":")[-1].strip() if not cand.kept else "kept"
    if reason.startswith("defined at line"):
        reason = "defined at line N"
    out.append((f"reason:{reason}", None))
    seen = set()
    for signal in cand.signals:
        sign = "+" if signal.weight > 0 else "-" if signal.weight < 0 else "·"
        name = f"{sign}{signal.name}"
        if name not in seen:
            seen.add(name)
            out.append((name, signal))
    return out


def tabulate(rows: list[dict]) -> list[list]:
    """One row per signal, shape and reason: its name and the counts the docstring lists."""
    stats: dict[str, list[int]] = defaultdict(lambda: [0] * 9)
    for row in rows:
        for key, signal in keys(row):
            s = stats[key]
            s[0] += 1
            s[1] += row["true"]
            s[2] += row["kept"]
            column = (3 if row["true"] else 4) if row["kept"] else (5 if row["true"] else 6)
            s[column] += 1
            if signal is not None and signal.weight and hinges(row, signal):
                s[8 if row["true"] else 7] += 1
    table = [[key, *counts] for key, counts in stats.items()]
    table.sort(key=lambda r: (-r[1], r[0]))
    return table


def scores(rows: list[dict]) -> list[str]:
    """Where the threshold sits: the candidates no veto dropped, by their score."""
    by_score: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        if vetoed(row["cand"]):
            continue
        by_score[sum(s.weight for s in row["cand"].signals)][row["true"]] += 1
    out = ["| score (no veto) | annotated | not |", "|---:|---:|---:|"]
    out += [f"| {k} | {v[1]} | {v[0]} |" for k, v in sorted(by_score.items())]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--set", choices=ALLOWED, action="append", help="default: " + ", ".join(DEFAULT)
    )
    parser.add_argument("--top", type=int, default=0, help="only the N largest rows")
    parser.add_argument("--show", action="append", default=[], help="list candidates of a row")
    parser.add_argument("--show-annotated", action="store_true", help="only annotated ones")
    parser.add_argument("--show-kept", choices=("yes", "no"), help="only kept / dropped ones")
    args = parser.parse_args()
    rows = [row for name in args.set or DEFAULT for row in label(name)]

    total = len(rows)
    print(
        f"{total} definition candidates, {sum(r['true'] for r in rows)} annotated, "
        f"{sum(r['kept'] for r in rows)} kept "
        f"({sum(r['kept'] and r['true'] for r in rows)} kept and annotated)\n"
    )
    header = ["row", "n", "true", "kept", "kept+", "kept-", "drop+", "drop-", "hinge-", "hinge+"]
    print("| " + " | ".join(header) + " |")
    print("|---" + "|---:" * (len(header) - 1) + "|")
    table = tabulate(rows)
    for r in table[: args.top or None]:
        print("| " + " | ".join(str(x) for x in r) + " |")

    print("\n" + "\n".join(scores(rows)))

    for wanted in args.show:
        print(f"\n## {wanted}")
        for row in rows:
            names = [k for k, _ in keys(row)]
            if wanted not in names and wanted not in {n[1:] for n in names}:
                continue
            if args.show_annotated and not row["true"]:
                continue
            if args.show_kept and row["kept"] != (args.show_kept == "yes"):
                continue
            cand = row["cand"]
            mark = ("T" if row["true"] else "f") + ("k" if row["kept"] else "d")
            evidence = "; ".join([cand.shape, *(str(s) for s in cand.signals)])
            print(f"{mark} {row['set']}:{row['file']}:{row['line']}: {cand.text} [{evidence}]")
    return 0


if __name__ == "__main__":
    sys.exit(main())
