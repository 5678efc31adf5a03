"""Every Markdown file of the real corpus builds through the CLI without an exception."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from .conftest import CORPUS

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop


_SUMMARY = re.compile(r"(\d+) (definitions?|comparisons?|salary bands?|questions?)\b")


def _config(tmp_path: Path, files: str = "") -> Path:
    config = tmp_path / "deckgen.yaml"
    config.write_text(
        f"course:\n  id: smoke\n  name: Smoke\nlessons: {CORPUS}\ndecks: decks\n{files}"
    )
    return config


def test_every_corpus_file_builds(tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    # No index pages, no answer-key pairing: every file becomes a deck of its own.
    config = _config(tmp_path, "files:\n  index: []\n  answer_keys: []\n")
    result = run("--config", str(config), "build")
    assert result.exit_code == 0, result.output
    sources = sorted(CORPUS.rglob("*.md"))
    decks = sorted((tmp_path / "decks").rglob("*.apkg"))
    # A file with no study items gets no deck; the course package holds all the others.
    empty = result.stdout.count(": no study items, no deck written\n")
    assert 0 < empty < len(sources)
    assert len(decks) == len(sources) - empty + 1
    totals: Counter[str] = Counter()
    for number, kind in _SUMMARY.findall(result.stdout):
        totals[kind.rstrip("s").replace("salary band", "salary")] += int(number)
    print(f"\n{len(sources)} corpus files -> {len(decks)} decks; items per kind: {dict(totals)}")
    assert totals["definition"] and totals["comparison"] and totals["question"]


def test_default_rules_take_index_pages_as_lessons(
    tmp_path: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("--config", str(_config(tmp_path)), "build", "--quiet")
    assert result.exit_code == 0, result.output
    built = {
        p.relative_to(tmp_path / "decks").with_suffix("")
        for p in (tmp_path / "decks").rglob("*.apkg")
    }
    assert Path("lessons/mod-101-foundations/01-introduction") in built
    # the module's index page holds key concepts and a FAQ: a lesson too
    assert Path("lessons/mod-101-foundations/README") in built
    # an exercise folder's only page is the exercise itself
    assert (
        Path("lessons/mod-106-mlops/exercises/exercise-14-ml-platform-operating-model/README")
        in built
    )


def _corpus_decks(tmp_path: Path, hash_seed: str) -> dict[str, bytes]:
    root = tmp_path / hash_seed
    root.mkdir()
    config = _config(root)
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed, "SOURCE_DATE_EPOCH": "1780000000"}
    subprocess.run(
        [sys.executable, "-m", "deckgen", "--config", str(config), "build", "--quiet"],
        cwd=root,
        env=environment,
        check=True,
    )
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.apkg")}


def test_decks_do_not_depend_on_string_hashing(tmp_path: Path) -> None:
    # Sets of strings iterate in an order salted per process: nothing that reaches a deck may
    # depend on it (the question extractor once summed match scores in a set's order).
    first = _corpus_decks(tmp_path, "1")
    assert len(first) > 80  # the whole corpus (its lessons with items), not an empty build
    assert _corpus_decks(tmp_path, "2") == first
