"""`DECKGEN_NO_SHORTCUTS=1` turns every shortcut off, and the stock parser builds the same decks.

tests/test_fast_paths.py compares each shortcut with the parser, one question at a time; here
the whole pipeline runs both ways on the corpus.
"""

from __future__ import annotations

import inspect
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from deckgen import shortcuts
from deckgen.lesson import _block_tokens
from tests.conftest import CORPUS
from tests.test_fast_paths import _entered

# Each question the seam answers, with an input it answers when switched on.
QUESTIONS: dict[str, tuple[object, ...]] = {
    "leading_title": ("# Module 01\n\ntext",),
    "inline_children": ("plain words",),
    "plain_text": ("**Docker** `run`",),
    "bold_lead": ("**Docker:** engine", 0, "**"),
    "only_link": ("[Docs](https://docs.docker.com/)",),
    "inline_html": ("**a** & b",),
    "block_html": ("Any:\n\n1. **a**\n2. b",),
}
OFF, ON = ("1", "yes", "true"), ("", "0")


def test_every_question_the_seam_answers_is_listed() -> None:
    """A new shortcut is a new public function of deckgen.shortcuts, tested here too."""
    public = {
        name
        for name, value in vars(shortcuts).items()
        if inspect.isfunction(value)
        and value.__module__ == shortcuts.__name__
        and not name.startswith("_")
    }
    # The switch itself; the block rules, which lesson.py builds a parser with only when
    # `enabled()` (see the block tests below); the title parts, which always yield the text.
    assert public - {"enabled", "faster_block_parse", "title_parts"} == set(QUESTIONS)


@pytest.mark.parametrize("name", sorted(QUESTIONS))
def test_the_switch_turns_each_shortcut_off(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    question: Callable[..., object] = getattr(shortcuts, name)
    for value in ON:
        monkeypatch.setenv(shortcuts.SWITCH, value)
        assert question(*QUESTIONS[name]) not in (None, False), value
    monkeypatch.delenv(shortcuts.SWITCH)
    assert question(*QUESTIONS[name]) not in (None, False)
    for value in OFF:
        monkeypatch.setenv(shortcuts.SWITCH, value)
        assert question(*QUESTIONS[name]) is None, value


def test_switched_off_the_title_is_looked_for_in_the_whole_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = "intro\n\n" + "line\n" * 100 + "\n# Title\n"
    monkeypatch.delenv(shortcuts.SWITCH, raising=False)
    assert len(list(shortcuts.title_parts(text))) > 1
    monkeypatch.setenv(shortcuts.SWITCH, "1")
    assert list(shortcuts.title_parts(text)) == [text]


def test_switched_off_every_block_rule_is_asked(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv(shortcuts.SWITCH, raising=False)
    assert _entered("plain words\n", caplog) == ["paragraph"]
    monkeypatch.setenv(shortcuts.SWITCH, "1")
    assert _entered("plain words\n", caplog) == [
        "code",
        "fence",
        "blockquote",
        "hr",
        "list",
        "reference",
        "html_block",
        "heading",
        "lheading",
        "paragraph",
    ]


def test_switched_off_the_parser_normalizes_nul(monkeypatch: pytest.MonkeyPatch) -> None:
    """markdown-it's own `normalize` runs again, and replaces NUL as the shortcut does."""
    for value in ON + OFF:
        monkeypatch.setenv(shortcuts.SWITCH, value)
        _, inline, _ = _block_tokens("a\0b\n")
        assert inline.content == "a\ufffdb", value


def _deckgen(course: Path, *args: str, switched_off: bool) -> bytes:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": "1780000000", "PYTHONHASHSEED": "0"}
    environment.pop(shortcuts.SWITCH, None)
    if switched_off:
        environment[shortcuts.SWITCH] = "1"
    command = [sys.executable, "-m", "deckgen", *args]
    result = subprocess.run(command, cwd=course, env=environment, capture_output=True, check=False)
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout


def _decks(course: Path) -> dict[str, bytes]:
    decks = course / "decks"
    return {path.relative_to(decks).as_posix(): path.read_bytes() for path in decks.rglob("*.apkg")}


@pytest.mark.slow
def test_the_corpus_builds_to_the_same_decks_both_ways(tmp_path: Path) -> None:
    outputs = {}
    for switched_off in (False, True):
        course = tmp_path / ("stock" if switched_off else "shortcuts")
        shutil.copytree(CORPUS, course / "lessons", ignore=shutil.ignore_patterns("LICENSE"))
        (course / "deckgen.yaml").write_text(
            "course:\n  id: both-ways\n  name: Both ways\nlessons: lessons\ndecks: decks\n"
        )
        build = _deckgen(course, "build", "--jobs", "1", switched_off=switched_off)
        listed = _deckgen(course, "list", "--json", switched_off=switched_off)
        outputs[switched_off] = (build, listed, _decks(course))
    shortcut, stock = outputs[False], outputs[True]
    assert len(shortcut[2]) > 80  # the whole corpus (its lessons with items), not an empty build
    assert len(shortcut[1].splitlines()) > 1000
    assert shortcut[2].keys() == stock[2].keys()
    differing = [name for name in shortcut[2] if shortcut[2][name] != stock[2][name]]
    assert differing == []
    assert shortcut[1] == stock[1]
    assert shortcut[0] == stock[0]
