"""The card audit sheet (benchmarks/card_audit.py) shows a long card so that a grader sees what
it asks and what it answers: a challenge's long lead-in (prose, code, a traceback) is shortened,
never its question, and an answer's end (its explanation after the output) stays."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

AUDIT = Path(__file__).resolve().parent.parent / "benchmarks" / "card_audit.py"


def _card_audit():
    spec = importlib.util.spec_from_file_location("card_audit", AUDIT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_a_long_front_keeps_its_question_and_shortens_the_lead_in() -> None:
    audit = _card_audit()
    lead_in = " ".join(f"Line {n} of the scale's traceback." for n in range(60))
    question = "Why does the scale fail for the last bag?"
    front = f"{lead_in} / {question} / A) it is empty / B) it is full"
    shown = audit.clipped(front, audit.FRONT_CHARS, question)
    assert len(shown) <= audit.FRONT_CHARS + 2
    assert shown.startswith("Line 0 ") and " … " in shown
    assert shown.endswith(f"{question} / A) it is empty / B) it is full")


def test_a_long_back_keeps_its_end() -> None:
    audit = _card_audit()
    output = " / ".join(f"out {n}" for n in range(300))
    back = f"{output} / The last bag is empty, so the scale reads nothing."
    shown = audit.clipped(back, audit.BACK_CHARS)
    assert len(shown) <= audit.BACK_CHARS + 2
    assert shown.startswith("out 0") and shown.endswith("so the scale reads nothing.")
    assert audit.clipped("A short answer.", audit.BACK_CHARS) == "A short answer."
