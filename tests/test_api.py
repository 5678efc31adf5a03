"""The library: its names load on first use, and each command's function returns a report."""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import pkgutil
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import deckgen
from deckgen import api


def test_every_public_name_is_what_it_says_even_after_all_submodules_load() -> None:
    # Importing `deckgen.x` sets the package attribute `x` to the module: a module named like a
    # public function would replace the function.
    for module in pkgutil.walk_packages(deckgen.__path__, "deckgen."):
        if module.name != "deckgen.__main__":  # that one runs the CLI
            importlib.import_module(module.name)
    for name in deckgen.__all__:
        value = getattr(deckgen, name)
        assert not inspect.ismodule(value), name
        if name != "__version__":
            assert value.__name__ == name, name


# --- each command from Python, with no subprocess ----------------------------------------------

LESSON_OUT = Path("decks/01-introduction-to-ml-infrastructure.apkg")
COURSE_OUT = Path("decks/ai-infra-engineer.apkg")  # the course package: `course.id`


def _text(lines: object, err: bool) -> str:
    return "".join(line.text for line in lines if line.err == err)  # type: ignore[attr-defined]


def test_build_reports_each_deck_and_replays_an_unchanged_build(project: Path) -> None:
    first = api.build(config="deckgen.yaml")
    assert first.exit_code == 0
    deck, course = first.decks
    assert (deck.output, deck.written, deck.cached) == (LESSON_OUT.resolve(), True, False)
    assert (course.output, course.written, course.course) == (COURSE_OUT.resolve(), True, True)
    assert deck.counts == {"definition": 40, "comparison": 6, "salary": 4, "question": 6}
    assert LESSON_OUT.exists()
    again = api.build()  # ./deckgen.yaml, as the CLI finds it: the cache answers
    replayed, _ = again.decks
    assert (replayed.written, replayed.cached, replayed.digest) == (False, True, deck.digest)
    assert _text(again.lines(), err=False).endswith(".apkg (unchanged)\n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        again.decks = ()  # type: ignore[misc]


def test_build_with_a_config_made_in_code(project: Path) -> None:
    config = deckgen.load_config(Path("deckgen.yaml"))
    config = dataclasses.replace(config, decks=Path("elsewhere"))
    report = deckgen.build(config=config, prune_retired=True)
    assert [deck.output for deck in report.decks] == [
        (project / "elsewhere" / LESSON_OUT.name).resolve(),
        (project / "elsewhere" / COURSE_OUT.name).resolve(),
    ]


def test_a_build_error_is_raised_with_its_exit_code(project: Path) -> None:
    Path("lessons/02-empty.md").write_bytes(b"")
    with pytest.raises(deckgen.ContentError) as raised:
        api.build()
    assert raised.value.exit_code == 1
    assert not LESSON_OUT.exists()  # all or none


def test_items_pairs_each_item_with_its_guid_and_keeps_an_error(project: Path) -> None:
    report = api.items(kinds=["salary"])
    (lesson,) = report.lessons
    assert [listed.item.key for listed in lesson.items][:1] == ["AI Infrastructure Engineer"]
    assert {listed.guid for listed in lesson.items} >= {"c*F]5dW_|7"}
    assert report.exit_code == 0
    assert [record["guid"] for record in report.records()][:1] == ["c*F]5dW_|7"]
    Path("lessons/02-broken.md").write_bytes(b"\xff")
    broken = api.items()
    assert len(broken.lessons) == 1 and broken.exit_code == 1
    assert _text(broken.lines(), err=True) == "lessons/02-broken.md:1: not valid UTF-8 at byte 0\n"


def test_check_owns_its_exit_code_and_messages(project: Path) -> None:
    api.build()
    fresh = api.check()
    assert (fresh.exit_code, fresh.ok, fresh.messages()) == (0, True, [])
    assert _text(fresh.lines(), err=True) == "deckgen check: up to date (2 decks)\n"
    shutil.copy(LESSON_OUT, "decks/old.apkg")
    text = Path("lessons", LESSON_OUT.stem + ".md")
    text.write_text(text.read_text(encoding="utf-8").replace("at scale", "anywhere"))
    stale = api.check(against=None)
    assert stale.exit_code == 1
    assert stale.messages() == [
        "deckgen check: decks are stale; run `deckgen build`",
        "decks/old.apkg: no lesson builds this deck; delete it or restore its lesson",
    ]
    assert "updated" in _text(stale.lines(), err=False)


def test_diff_exit_code_only_when_asked(project: Path, tmp_path: Path) -> None:
    api.build()
    empty = tmp_path / "empty"
    empty.mkdir()
    report = api.diff(empty, Path("decks"))
    assert report.diff.changed and report.exit_code == 0
    assert api.diff(empty, Path("decks"), fail_on_change=True).exit_code == 1
    assert api.diff(Path("decks"), Path("decks"), fail_on_change=True).exit_code == 0
    assert _text(report.lines("json"), err=False).startswith("{")
    with pytest.raises(ValueError):
        api.diff(Path("decks"))


def test_lint_is_strict_only_when_asked(project: Path) -> None:
    Path("lessons/02-bare.md").write_text("# Bare\n\n- **Podman**:\n", encoding="utf-8")
    report = api.lint()
    assert report.findings and report.exit_code == 0
    assert api.lint(strict=True).exit_code == 1
    assert _text(report.lines(), err=True) == f"{len(report.findings)} finding\n"


def test_preview_writes_the_page_and_says_what_is_on_it(project: Path) -> None:
    report = api.preview(output=Path("out.html"))
    assert report.exit_code == 0 and report.output == Path("out.html")
    assert Path("out.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    cards = sum(len(lesson.cards) for lesson in report.page.lessons)
    assert _text(report.lines(), err=False) == f"{cards} cards from 1 lesson -> out.html\n"


def test_importing_the_api_loads_no_pipeline() -> None:
    code = (
        "import sys, deckgen.api\n"
        "print(sorted(m for m in sys.modules if m.startswith(('deckgen.', 'markdown_it',"
        " 'genanki', 'yaml'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == (
        "['deckgen.api', 'deckgen.cache', 'deckgen.codec', 'deckgen.configfile',"
        " 'deckgen.diagnostics', 'deckgen.reader', 'deckgen.sqlite_guard', 'deckgen.version']"
    )
