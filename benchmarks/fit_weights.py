"""Fit the definition signals' weights to the teachers' annotations, and check, leaving one set
or publisher out at a time, whether fitted weights would generalise better than the hand-set
ones (issue 14: measure the weights, do not set them by hand).

    python benchmarks/fit_weights.py                            # the tables below
    python benchmarks/fit_weights.py --cache /tmp/rows.pickle   # collect once, refit quickly
    python benchmarks/fit_weights.py --towards-hand --penalty 3 # a fit that starts from the hand

The candidates are `signal_report.py`'s: every definition candidate of the readable sets'
annotated files, matched to the annotations as `score.py` matches. Vetoed candidates are left
out: a veto stays a veto. Each other candidate is a row whose features are its signals (one
carried twice counts twice; a name whose weight varies by case, `label-repeats` -3 or -6, is one
feature per weight; `--shapes` adds the shape) and whose label is whether a teacher annotated
it. A logistic regression with an L2 penalty (Newton's method) gives each signal a real weight.
Every candidate carries exactly one shape prior (`explained`, `loose-shape`,
`introducing-label`), so the priors are the intercept and the threshold rule stays: keep when
the weights add up to at least 0 (even odds), or, rounded to integers (`--scale` units per
logit, `THRESHOLD` added to each prior), to at least `THRESHOLD`. By default each weight is
drawn towards 0; `--towards-hand` draws it towards its hand weight instead, so that a signal
the fitted sets never show keeps its hand weight.

Printed: (1) the leave-one-out table: for each set, and each publisher (the sets of one
curriculum family together), the weights fitted on the other sets, and the left-out
candidates scored under the hand weights, the fitted real weights, the rounded ones, the fitted
ones with the threshold that reaches `PRECISION_TARGET` on the fitted sets, and the hand ones
with such a threshold. The left-out set's annotations are matched afresh for each weighting,
kept candidates first, one to one, as score.py matches, so all are compared on the same
candidates; under the hand weights the figures are score.py's but for an item or two (it
counts items after deckgen's one-card-per-term pass). (2) Per publisher, the hand
weights under stricter thresholds: what precision costs in recall. (3) The weights fitted on
every set beside the hand ones, sign flips first, then by how far the rounded weight is from
the hand one.
"""

from __future__ import annotations

import argparse
import math
import pickle
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import signal_report  # noqa: E402  (its candidates and labels, reused as they are)
from signal_report import score  # noqa: E402

from deckgen.extract.definition_signals import THRESHOLD, VETO  # noqa: E402

SETS = ("tune", "junior", "blind", "tune4", "blind4", "tune5", "tune6")
# Sets by who wrote them: tune, junior and blind are one curriculum family; tune4 and blind4
# are Microsoft's beginners courses; tune5 is Carpentries episodes, tune6 MDN's course.
PUBLISHERS = {
    "curriculum": ("tune", "junior", "blind"),
    "microsoft": ("tune4", "blind4"),
    "carpentries": ("tune5",),
    "mdn": ("tune6",),
}
PRECISION_TARGET = 0.95  # issue 14's target for definitions


def collect(sets: tuple[str, ...], cache: Path | None) -> dict[str, dict]:
    """Per set: its candidates' rows (`signal_report.label`) and its annotated definitions."""
    if cache is not None and cache.exists():
        with cache.open("rb") as handle:
            return pickle.load(handle)
    data = {}
    for name in sets:
        print(f"collecting {name} ...", file=sys.stderr)
        _, folder = score.SETS[name]
        rows = signal_report.label(name)
        data[name] = {
            "rows": rows,
            "annotated": score.load_annotations(folder).get("definitions", []),
        }
    if cache is not None:
        with cache.open("wb") as handle:
            pickle.dump(data, handle)
    return data


def vetoed(row: dict) -> bool:
    return signal_report.vetoed(row["cand"])


def varying(rows: list[dict]) -> set[str]:
    """The signal names seen with more than one weight (`label-repeats`: -3, or -6 in a
    template)."""
    weights: dict[str, set[int]] = defaultdict(set)
    for row in rows:
        for signal in row["cand"].signals:
            weights[signal.name].add(signal.weight)
    return {name for name, found in weights.items() if len(found) > 1}


def feature(signal, varies: set[str]) -> str:
    """A signal's feature: its name, or `name@weight` for a name of varying weight."""
    return f"{signal.name}@{signal.weight}" if signal.name in varies else signal.name


def features(row: dict, varies: set[str], shapes: bool) -> Counter[str]:
    out = Counter(feature(signal, varies) for signal in row["cand"].signals)
    if shapes:
        out[f"shape:{row['cand'].shape}"] += 1
    return out


def hand_weights(rows: list[dict], varies: set[str]) -> dict[str, float]:
    return {
        feature(signal, varies): signal.weight for row in rows for signal in row["cand"].signals
    }


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting: `matrix` is positive definite."""
    n = len(vector)
    a = [[*matrix[i], vector[i]] for i in range(n)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def fit(
    xs: list[Counter[str]], ys: list[bool], penalty: float, centre: dict[str, float]
) -> dict[str, float]:
    """L2-penalised logistic regression by Newton's method (IRLS), each weight drawn towards
    its `centre` (0 unless given). No intercept: each candidate carries one shape prior."""
    names = sorted({name for x in xs for name in x})
    index = {name: i for i, name in enumerate(names)}
    rows = [[(index[name], float(count)) for name, count in x.items()] for x in xs]
    mean = [centre.get(name, 0.0) for name in names]
    w = list(mean)
    for _ in range(50):
        gradient = [penalty * (wi - mi) for wi, mi in zip(w, mean, strict=True)]
        hessian = [[0.0] * len(names) for _ in names]
        for i in range(len(names)):
            hessian[i][i] = penalty
        for row, y in zip(rows, ys, strict=True):
            p = sigmoid(sum(w[i] * v for i, v in row))
            for i, v in row:
                gradient[i] += (p - y) * v
                for j, u in row:
                    hessian[i][j] += p * (1 - p) * v * u
        step = solve(hessian, gradient)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-6:
            break
    return dict(zip(names, w, strict=True))


# Every candidate carries exactly one of these (the script checks): together they are the
# intercept, so a constant added to the three moves the threshold.
PRIORS = ("explained", "loose-shape", "introducing-label")


def rounded(weights: dict[str, float], scale: float) -> dict[str, float]:
    """Integer weights for the rule `sum >= THRESHOLD`: the real ones (whose rule is `sum >= 0`,
    even odds) times `scale`, `THRESHOLD` added to each shape prior, rounded, kept above a
    veto."""
    return {
        k: max(VETO + 1, min(-VETO - 1, round(v * scale + THRESHOLD * (k in PRIORS))))
        for k, v in weights.items()
    }


def total(row: dict, weights: dict[str, float]) -> float:
    """The candidate's score under `weights` (a signal they do not know weighs 0)."""
    return sum(weights.get(name, 0.0) * count for name, count in row["x"].items())


def evaluate(data: dict[str, dict], names: tuple[str, ...], keep) -> tuple[int, int, int]:
    """(annotated, kept, matched) over the sets `names`, the candidates `keep(row)` keeps
    matched afresh to the annotations as score.py matches (vetoed ones are never kept)."""
    annotated = kept = matched = 0
    for name in names:
        rows = [row for row in data[name]["rows"] if not vetoed(row) and keep(row)]
        preds = [score.Predicted(r["file"], r["line"], r["key"], r["cand"]) for r in rows]
        annotated += len(data[name]["annotated"])
        kept += len(preds)
        matched += len(score.match("definitions", data[name]["annotated"], preds).pairs)
    return annotated, kept, matched


def pr(counts: tuple[int, int, int]) -> str:
    annotated, kept, matched = counts
    precision = f"{matched / kept:.3f}" if kept else "n/a"
    return f"{precision} | {matched / annotated:.3f} | {kept}/{matched}"


def threshold_for(scores: list[tuple[float, bool]], target: float) -> float:
    """The lowest threshold at which the training candidates' precision reaches `target`."""
    ordered = sorted(scores, reverse=True)
    best = math.inf
    true = 0
    for count, (value, label) in enumerate(ordered, start=1):
        true += label
        following = ordered[count][0] if count < len(ordered) else -math.inf
        if value != following and true / count >= target:
            best = value
    return best


def leave_out(data: dict[str, dict], hand: dict[str, float], args) -> list[str]:
    """The leave-one-out table: each set, then each publisher, scored under the hand weights,
    the weights fitted without it (real, rounded, and real with the threshold that reaches
    `PRECISION_TARGET` on the sets fitted on), and the hand weights with such a threshold."""
    out = [
        "| left out | hand P | R | kept/matched | fitted P | R | kept/matched | rounded P | R "
        "| kept/matched | fitted, P>=0.95 on the rest: P | R | kept/matched | hand, P>=0.95 on "
        "the rest: threshold | P | R | kept/matched |",
        "|---" + "|---:" * 16 + "|",
    ]
    units = [(name, (name,)) for name in SETS] + [
        (f"**{publisher}**", members) for publisher, members in PUBLISHERS.items()
    ]
    for label, held in units:
        train = tuple(name for name in SETS if name not in held)
        rows = [r for name in train for r in data[name]["rows"] if not vetoed(r)]
        weights = fitted(rows, hand, args)
        integer = rounded(weights, args.scale)
        strict = threshold_for([(total(r, weights), r["true"]) for r in rows], PRECISION_TARGET)
        hand_strict = threshold_for([(total(r, hand), r["true"]) for r in rows], PRECISION_TARGET)
        cells = [
            pr(evaluate(data, held, lambda r: total(r, hand) >= THRESHOLD)),
            pr(evaluate(data, held, lambda r, w=weights: total(r, w) >= 0)),
            pr(evaluate(data, held, lambda r, w=integer: total(r, w) >= THRESHOLD)),
            pr(evaluate(data, held, lambda r, w=weights, t=strict: total(r, w) >= t)),
            f"{hand_strict:g}" if hand_strict != math.inf else "none",
            pr(evaluate(data, held, lambda r, t=hand_strict: total(r, hand) >= t)),
        ]
        out.append(f"| {label} | " + " | ".join(cells) + " |")
    return out


def hand_thresholds(data: dict[str, dict], hand: dict[str, float]) -> list[str]:
    """Per publisher, the hand weights under thresholds from `THRESHOLD` up: the recall a
    stricter threshold costs."""
    steps = range(THRESHOLD, THRESHOLD + 6)
    out = [
        "| publisher | " + " | ".join(f"threshold {t}: P / R" for t in steps) + " |",
        "|---" + "|---:" * len(steps) + "|",
    ]
    for publisher, members in PUBLISHERS.items():
        cells = []
        for t in steps:
            annotated, kept, matched = evaluate(data, members, lambda r, t=t: total(r, hand) >= t)
            cells.append(f"{matched / kept:.3f} / {matched / annotated:.3f}")
        out.append(f"| {publisher} | " + " | ".join(cells) + " |")
    return out


def compared(data: dict[str, dict], hand: dict[str, float], args) -> list[str]:
    """The weights fitted on every set beside the hand ones, sign flips first, then by how far
    the rounded weight is from the hand one."""
    rows = [r for name in SETS for r in data[name]["rows"] if not vetoed(r)]
    weights = fitted(rows, hand, args)
    integer = rounded(weights, args.scale)
    carried = Counter(k for r in rows for k in r["x"])
    annotated = Counter(k for r in rows if r["true"] for k in r["x"])

    def order(name: str) -> tuple:
        flip = hand.get(name, 0) * weights[name] < 0
        return (not flip, -abs(hand.get(name, 0) - integer[name]), name)

    out = [
        "| signal | candidates | annotated | hand | fitted (logit) | rounded |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name in sorted(weights, key=order):
        out.append(
            f"| {name} | {carried[name]} | {annotated[name]} | {hand.get(name, '')} "
            f"| {weights[name]:.2f} | {integer[name]} |"
        )
    return out


def fitted(rows: list[dict], hand: dict[str, float], args) -> dict[str, float]:
    centre = (
        {k: (v - THRESHOLD * (k in PRIORS)) / args.scale for k, v in hand.items()}
        if args.towards_hand
        else {}
    )
    return fit([r["x"] for r in rows], [r["true"] for r in rows], args.penalty, centre)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cache", type=Path, help="pickle of the collected candidates")
    parser.add_argument("--penalty", type=float, default=1.0, help="L2 penalty (default 1)")
    parser.add_argument("--scale", type=float, default=2.0, help="integer units per logit")
    parser.add_argument("--shapes", action="store_true", help="shapes as features too")
    parser.add_argument(
        "--towards-hand", action="store_true", help="draw each weight towards its hand weight"
    )
    args = parser.parse_args()

    data = collect(SETS, args.cache)
    every = [row for name in SETS for row in data[name]["rows"]]
    varies = varying(every)
    hand = hand_weights(every, varies)
    for row in every:
        row["x"] = features(row, varies, args.shapes)
    judged = [row for row in every if not vetoed(row)]
    priors = Counter(sum(row["x"][name] for name in PRIORS) for row in judged)
    if set(priors) != {1}:
        sys.exit(f"a candidate without exactly one shape prior: {dict(priors)}")
    mismatch = sum((total(row, hand) >= THRESHOLD) != row["kept"] for row in judged)
    if mismatch:
        sys.exit(f"the hand weights do not reproduce {mismatch} decisions")
    print(
        f"{len(every)} definition candidates, {len(judged)} not vetoed "
        f"({sum(row['true'] for row in judged)} annotated); penalty {args.penalty:g}"
        f"{', towards the hand weights' if args.towards_hand else ''}"
        f"{', shapes as features' if args.shapes else ''}; rounded at {args.scale:g} per logit\n"
    )
    print("\n".join(leave_out(data, hand, args)))
    print("\n" + "\n".join(hand_thresholds(data, hand)))
    print("\n" + "\n".join(compared(data, hand, args)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
