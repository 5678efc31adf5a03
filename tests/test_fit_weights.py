"""The weight fit (benchmarks/fit_weights.py) reads the evidence the way the threshold rule
uses it: a signal the annotated candidates carry gets a weight for them, one the unannotated
carry a weight against, and the rounded weights keep the rule `sum >= THRESHOLD`."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

FIT = Path(__file__).resolve().parent.parent / "benchmarks" / "fit_weights.py"


def _fit_weights():
    spec = importlib.util.spec_from_file_location("fit_weights", FIT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _candidates() -> tuple[list[Counter[str]], list[bool]]:
    """Made-up candidates: an explained shape is annotated two times in three; with a name it
    mostly is, under a repeated label it mostly is not."""
    xs: list[Counter[str]] = []
    ys: list[bool] = []
    for signals, annotated, count in [
        (("explained",), True, 20),
        (("explained",), False, 10),
        (("explained", "term-is-name"), True, 18),
        (("explained", "term-is-name"), False, 2),
        (("explained", "label-repeats"), True, 2),
        (("explained", "label-repeats"), False, 18),
    ]:
        xs += [Counter(signals) for _ in range(count)]
        ys += [annotated] * count
    return xs, ys


def test_a_signal_for_annotated_candidates_weighs_for_them_and_one_against_against() -> None:
    fit = _fit_weights()
    weights = fit.fit(*_candidates(), penalty=0.1, centre={})
    assert weights["explained"] > 0
    assert weights["term-is-name"] > 0
    assert weights["label-repeats"] < -weights["explained"]


def test_the_penalty_draws_a_weight_towards_its_centre() -> None:
    fit = _fit_weights()
    free = fit.fit(*_candidates(), penalty=0.1, centre={})
    held = fit.fit(*_candidates(), penalty=1000.0, centre={"term-is-name": -1.0})
    assert abs(held["term-is-name"] + 1) < abs(free["term-is-name"] + 1)


def test_rounded_weights_keep_the_threshold_rule() -> None:
    fit = _fit_weights()
    # Even odds (a real sum of 0) is the real rule's edge: the rounded one keeps it at
    # `THRESHOLD`, added once through the shape prior every candidate carries.
    integer = fit.rounded({"explained": 0.4, "label-repeats": -0.4, "term-is-name": 1.6}, 2.0)
    assert integer == {"explained": 1 + fit.THRESHOLD, "label-repeats": -1, "term-is-name": 3}
    assert fit.rounded({"label-has-number": -30.0}, 2.0)["label-has-number"] > fit.VETO


def test_the_strict_threshold_is_the_lowest_that_reaches_the_precision() -> None:
    fit = _fit_weights()
    scores = [(5, True), (4, True), (3, True), (3, False), (2, True), (1, False), (1, False)]
    assert fit.threshold_for(scores, 0.75) == 2
    assert fit.threshold_for(scores, 1.0) == 4
    assert fit.threshold_for([(1, False)], 0.95) == float("inf")
