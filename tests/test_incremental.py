"""Parallel and incremental builds: same bytes as a plain build, and no stale cached plans."""

from __future__ import annotations

import dataclasses
import gc
import importlib
import importlib.metadata
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import deckgen
import deckgen.version
from deckgen import builder as build_module
from deckgen import cache as cache_module
from deckgen.apkg import read_apkg
from deckgen.cache import CACHE_DIR, CACHE_FILE
from deckgen.config import load_config
from deckgen.layout import find_lessons
from tests.conftest import CORPUS

pytestmark = pytest.mark.slow  # `pytest -m "not slow"` leaves it out of the quick loop

cli_module = importlib.import_module("deckgen.cli")
MODULE = CORPUS / "lessons" / "mod-101-foundations"
EDITED = Path("lessons/mod-101-foundations/02-environment-setup.md")


@pytest.fixture
def course(project: Path) -> Path:
    """The project plus a whole real module (lessons, quizzes, labs) in nested folders."""
    shutil.copytree(MODULE, project / "lessons" / MODULE.name)
    return project


@pytest.fixture
def planned(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the lessons the next builds parse (in this process: use --jobs 1)."""
    seen: list[str] = []
    real = build_module.plan_lesson

    def spy(path: Path, *args: object, **kwargs: object) -> object:
        seen.append(path.name)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "plan_lesson", spy)
    return seen


def _decks(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*.apkg")}


def _lesson_count(course: Path) -> int:
    return len(find_lessons([], load_config(course / "deckgen.yaml")))


def _forget_the_last_build(course: Path) -> None:
    """Leave the cache's rows, but not the record that lets it answer a whole build."""
    connection = sqlite3.connect(course / CACHE_DIR / CACHE_FILE)
    with connection:
        connection.execute("DELETE FROM meta WHERE name = 'record'")
    connection.close()


def test_parallel_build_writes_the_same_bytes(course: Path, run) -> None:
    first = run("build", "--jobs", "1")
    assert first.exit_code == 0
    serial = _decks(course / "decks")
    shutil.rmtree(course / "decks")
    shutil.rmtree(course / ".deckgen-cache")
    result = run("build", "--jobs", "2")
    assert result.exit_code == 0, result.stderr
    # A deck per lesson with study items, and the course package.
    empty = first.stdout.count(": no study items, no deck written\n")
    assert len(serial) == _lesson_count(course) - empty + 1 > 10
    assert _decks(course / "decks") == serial


def test_parallel_build_reports_lessons_in_order(course: Path, run) -> None:
    run("build", "--jobs", "1")
    serial = run("build", "--jobs", "1", "--force").stdout
    parallel = run("build", "--jobs", "2", "--force").stdout
    assert parallel == serial
    assert serial.splitlines()[1].startswith("lessons/mod-101-foundations/01-introduction.md: ")


@pytest.mark.parametrize("jobs", ["1", "2", "3"])
def test_a_parallel_build_reports_the_first_bad_lesson_in_order(
    project: Path, run, jobs: str
) -> None:
    """However lessons are shared out (the smallest is built before the workers start, the
    rest by whichever process is free), the error is the one a serial build reports."""
    lessons = project / "lessons"
    for name in "abcdefghij":
        (lessons / f"{name}.md").write_text(f"# Lesson {name}\n\n- **Term {name}:** text\n" * 40)
    (lessons / "c.md").write_bytes(b"# Big\n\0" + b"x" * 50_000)
    (lessons / "i.md").write_bytes(b"\0")  # the smallest: fails first
    result = run("build", "--jobs", jobs)
    assert result.exit_code == 1
    assert result.stderr == "lessons/c.md:2: binary file (NUL byte at byte 6), not a lesson\n"


def test_unchanged_lessons_are_not_parsed_again(course: Path, run, planned: list[str]) -> None:
    run("build", "--jobs", "1")
    assert len(planned) == _lesson_count(course)
    planned.clear()
    before = _decks(course / "decks")
    result = run("build", "--jobs", "1", "--verbose")
    assert planned == []
    assert _decks(course / "decks") == before
    assert "(unchanged) (cached)" in result.stdout
    lessons = _lesson_count(course)
    assert f"{lessons} lessons, 0 decks written, {lessons} lessons from the cache" in result.stderr


def test_a_lesson_edit_reparses_only_that_lesson(course: Path, run, planned: list[str]) -> None:
    run("build", "--jobs", "1")
    planned.clear()
    zebra = "\n## Zebras\n\n- **Zebra:** a striped test animal\n"
    EDITED.write_text(EDITED.read_text(encoding="utf-8") + zebra, encoding="utf-8")
    result = run("build", "--jobs", "1")
    assert planned == [EDITED.name]
    deck = read_apkg(Path("decks/mod-101-foundations/02-environment-setup.apkg"))
    assert any(note.fields[0] == "Zebra" for note in deck.notes.values())
    assert f"{EDITED}: " in result.stdout


def test_a_config_edit_reparses_every_lesson(course: Path, run, planned: list[str]) -> None:
    run("build", "--jobs", "1")
    planned.clear()
    config = Path("deckgen.yaml")
    config.write_text(config.read_text() + "extract:\n  kinds: [definition]\n", encoding="utf-8")
    run("build", "--jobs", "1")
    assert len(planned) == _lesson_count(course)
    deck = read_apkg(Path("decks/mod-101-foundations/03-ml-infrastructure-basics.apkg"))
    current = [note for note in deck.notes.values() if "deckgen::removed" not in note.tags]
    kinds = {tag for note in current for tag in note.tags if tag.startswith("deckgen::kind::")}
    assert kinds == {"deckgen::kind::definition"} == {"deckgen::kind::definition"}


def test_a_new_deckgen_version_reparses_every_lesson(
    course: Path, run, planned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("build", "--jobs", "1")
    planned.clear()
    monkeypatch.setattr(deckgen.version, "__version__", "999.0.0")
    run("build", "--jobs", "1")
    assert len(planned) == _lesson_count(course)


def test_force_ignores_the_cache(course: Path, run, planned: list[str]) -> None:
    run("build", "--jobs", "1")
    planned.clear()
    run("build", "--jobs", "1", "--force")
    assert len(planned) == _lesson_count(course)


def test_a_deleted_deck_comes_back_identical_from_the_cached_plan(
    course: Path, run, planned: list[str]
) -> None:
    run("build", "--jobs", "1")
    deck = Path("decks/mod-101-foundations/01-introduction.apkg")
    before = deck.read_bytes()
    deck.unlink()
    planned.clear()
    run("build", "--jobs", "1")
    assert planned == []
    assert deck.read_bytes() == before


def test_a_garbage_cache_is_ignored_with_one_warning(course: Path, run, planned: list[str]) -> None:
    assert run("build", "--jobs", "1").exit_code == 0
    before = _decks(course / "decks")
    database = course / CACHE_DIR / CACHE_FILE
    database.write_bytes(b"not a database, " * 1000)
    planned.clear()
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0
    assert len(planned) == _lesson_count(course)
    assert _decks(course / "decks") == before
    warnings = [line for line in result.stderr.splitlines() if "cache" in line]
    assert warnings == [
        f"{CACHE_DIR}/{CACHE_FILE}: warning: build cache is damaged and was ignored"
        " (file is not a database); it will be rebuilt"
    ]
    planned.clear()
    again = run("build", "--jobs", "1")  # the build wrote a sound cache in its place
    assert planned == [] and "(unchanged)" in again.stdout and "cache" not in again.stderr


def test_a_damaged_cache_is_started_afresh(course: Path, run, planned: list[str]) -> None:
    run("build", "--jobs", "1")
    database = course / CACHE_DIR / CACHE_FILE
    database.write_bytes(database.read_bytes()[:5000])  # a torn file: a header, half the rows
    Path("decks/mod-101-foundations/01-introduction.apkg").unlink()  # something to build
    planned.clear()
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0
    assert len(planned) == _lesson_count(course)
    assert "build cache is damaged and was ignored" in result.stderr
    planned.clear()
    Path("decks/mod-101-foundations/01-introduction.apkg").unlink()
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0 and "damaged" not in result.stderr
    assert planned == []  # the cache the last build wrote again is read


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("inputs", "[[1, 2, 3]]"),  # wrong types
        ("summary", '{"@": "Summary", "counts": {"definition": "many"}}'),
        ("summary", "not JSON"),
        ("plan", '{"@": "LessonDeck", "source": 7}'),
        ("plan", '{"@": "os.system"}'),
        ("plan", "[" * 100_000),
    ],
)
def test_a_tampered_row_is_ignored_with_one_warning(
    project: Path, run, planned: list[str], column: str, value: str
) -> None:
    extra = project / "lessons" / "zebra.md"
    extra.write_text("# Zebra\n\n- **Zebra:** a striped test animal\n", encoding="utf-8")
    assert run("build", "--jobs", "1").exit_code == 0
    before = _decks(project / "decks")
    connection = sqlite3.connect(project / CACHE_DIR / CACHE_FILE)
    with connection:
        connection.execute(f"UPDATE lessons SET {column} = ?", (value,))
    connection.close()
    Path("decks/zebra.apkg").unlink()  # its plan is wanted
    planned.clear()
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert "zebra.md" in planned
    assert _decks(project / "decks") == before
    warnings = [line for line in result.stderr.splitlines() if "build cache" in line]
    assert len(warnings) == 1 and warnings[0].startswith(f"{CACHE_DIR}/{CACHE_FILE}: warning: ")


def test_a_cache_that_cannot_be_written_fails_no_build(project: Path, run) -> None:
    (project / ".deckgen-cache" / CACHE_FILE).mkdir(parents=True)  # in the database's way
    result = run("build", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    assert read_apkg(Path("decks/01-introduction-to-ml-infrastructure.apkg")).notes


def test_the_plans_of_workers_are_cached(course: Path, run, planned: list[str]) -> None:
    """Workers send their plans back with their results; the build's process stores them."""
    assert run("build", "--jobs", "2").exit_code == 0
    planned.clear()
    shutil.rmtree(course / "decks")  # not up to date: each deck is packaged from its plan
    assert run("build", "--jobs", "1").exit_code == 0
    assert planned == []


def test_a_failed_build_keeps_the_plans_it_made(project: Path, run, planned: list[str]) -> None:
    lessons = project / "lessons"
    for name in "abc":
        (lessons / f"{name}.md").write_text(f"# {name}\n\n- **Term {name}:** text\n", "utf-8")
    (lessons / "zz-broken.md").write_bytes(b"\0")  # the last lesson in order
    assert run("build", "--jobs", "1").exit_code == 1
    assert "a.md" in planned and not list(Path("decks").rglob("*.apkg"))
    planned.clear()
    (lessons / "zz-broken.md").write_text("# Fixed\n\n- **Term z:** text\n", "utf-8")
    assert run("build", "--jobs", "1").exit_code == 0
    assert planned == ["zz-broken.md"]


def test_content_error_in_a_worker_is_one_line(course: Path, run) -> None:
    Path("lessons/broken.md").write_bytes(b"# Broken\n\n\xff\xfe not UTF-8\n")
    result = run("build", "--jobs", "2")
    assert result.exit_code == 1
    assert result.stderr == "lessons/broken.md:3: not valid UTF-8 at byte 10\n"
    assert "Traceback" not in result.stderr


def test_a_build_collects_garbage_less_often_and_then_as_before(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A library user's collector pace is theirs again after a build, failed or not."""
    seen: list[int] = []
    real = build_module.build_lesson

    def spy(path: Path, *args: object, **kwargs: object) -> object:
        seen.append(gc.get_threshold()[0])
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(build_module, "build_lesson", spy)
    before = gc.get_threshold()
    assert run("build", "--jobs", "1").exit_code == 0
    assert seen and min(seen) > before[0]
    assert gc.get_threshold() == before
    Path("lessons/broken.md").write_bytes(b"\0")
    assert run("build", "--jobs", "1").exit_code == 1
    assert gc.get_threshold() == before
    Path("lessons/broken.md").unlink()
    seen.clear()
    gc.set_threshold(0, *before[1:])  # off: a build leaves it off
    try:
        assert run("build", "--jobs", "1", "--force").exit_code == 0
        assert seen and set(seen) == {0}
    finally:
        gc.set_threshold(*before)


_IMPORTS = (
    "import sys\n"
    "from deckgen.cli import _run\n"  # what main() runs, before it exits without a teardown
    "_run()\n"
    "print(sorted({m.split('.')[0] for m in sys.modules} & {'markdown_it', 'genanki', 'yaml'}"
    " | {*sys.modules} & {'deckgen.builder', 'deckgen.compare', 'deckgen.config',"
    " 'deckgen.extract', 'deckgen.lint', 'deckgen.media', 'deckgen.preview'}),"
    " file=sys.stderr)\n"
)


def _imports_of_a_build(course: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-c", _IMPORTS, "build", "--jobs", "1"],
        cwd=course,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr.strip().splitlines()[-1]


_BUILDING = (
    "['deckgen.builder', 'deckgen.config', 'deckgen.extract', 'deckgen.media', 'genanki',"
    " 'markdown_it', 'yaml']"
)


def test_a_no_op_build_imports_neither_parser_nor_genanki(course: Path, run) -> None:
    # Nor the pipeline, nor what other commands need, nor even the config's parser and
    # dataclasses: every module loaded is start-up time in a pre-commit hook. The build cache
    # answers.
    assert _imports_of_a_build(course) == _BUILDING
    assert _imports_of_a_build(course) == "[]"
    EDITED.write_text(EDITED.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    assert _imports_of_a_build(course) == _BUILDING
    assert _imports_of_a_build(course) == "[]"


def _without_timing(stderr: str) -> str:
    return re.sub(r", in [0-9.]+s$", "", stderr, flags=re.M)


def test_a_no_op_build_reports_what_the_cache_would(
    course: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Something in every part of a lesson's summary: warnings (the module has some), and a
    # retired note.
    run("build", "--jobs", "1")
    lesson = Path("lessons/01-introduction-to-ml-infrastructure.md")
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("- **Kubernetes:**", "- Kubernetes:"), encoding="utf-8")
    built = run("build", "--jobs", "1", "--verbose")
    assert "(1 retired)" in built.stdout and "warning: " in built.stderr

    def no_build(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache should have answered")

    with monkeypatch.context() as patched:
        patched.setattr(build_module, "build", no_build)
        replayed = run("build", "--verbose")
    assert replayed.exit_code == 0
    _forget_the_last_build(course)
    from_cache = run("build", "--verbose")
    assert (replayed.stdout, _without_timing(replayed.stderr)) == (
        from_cache.stdout,
        _without_timing(from_cache.stderr),
    )
    assert "(unchanged) (1 retired) (cached)" in replayed.stdout
    # The same warnings as the build that did the work (the last line is the totals).
    assert replayed.stderr.splitlines()[:-1] == built.stderr.splitlines()[:-1]
    assert run("build", "--quiet").output == ""


def test_a_deck_changed_on_disk_is_written_again(course: Path, run) -> None:
    run("build", "--jobs", "1")
    deck = Path("decks/mod-101-foundations/01-introduction.apkg")
    before = deck.read_bytes()
    deck.write_bytes(before[:-1] + bytes([before[-1] ^ 1]))  # same size, other bytes
    result = run("build", "--jobs", "1")
    assert f"{deck}\n" in result.stdout  # not "(unchanged)"
    assert deck.read_bytes() == before


def test_a_file_named_on_the_command_line_is_part_of_the_record(project: Path, run) -> None:
    lesson = Path("lessons/extra.markdown")  # not *.md: only built when named
    lesson.write_text("# Extra\n\n- **Zebra:** a striped test animal\n", encoding="utf-8")
    run("build", str(lesson))
    lesson.write_text("# Extra\n\n- **Okapi:** a striped test animal\n", encoding="utf-8")
    assert "(unchanged)" not in run("build", str(lesson)).stdout
    notes = read_apkg(Path("decks/extra.apkg")).notes.values()
    assert {note.fields[0] for note in notes if "deckgen::removed" not in note.tags} == {"Okapi"}


def test_progress_bar_only_for_someone_watching(
    course: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "Building" not in run("build", "--jobs", "1").stderr  # CliRunner's stderr: a pipe
    monkeypatch.setattr(cli_module, "_interactive", lambda: True)
    assert "Building" in run("build", "--jobs", "1", "--force").stderr
    assert "Building" not in run("build", "--jobs", "1", "--force", "--quiet").stderr


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_a_terminal_in_ci_is_not_watched(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stderr", _Terminal())
    monkeypatch.delenv("CI", raising=False)
    assert cli_module._interactive()
    monkeypatch.setenv("CI", "true")
    assert not cli_module._interactive()


def test_a_cached_lesson_still_reports_its_retired_notes(project: Path, run) -> None:
    lesson = Path("lessons/01-introduction-to-ml-infrastructure.md")
    assert run("build").exit_code == 0
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(text.replace("- **Kubernetes:**", "- Kubernetes:"), encoding="utf-8")
    assert "(1 retired)" in run("build").stdout
    deck = Path("decks/01-introduction-to-ml-infrastructure.apkg")
    before = deck.read_bytes()
    assert "(unchanged) (1 retired) (cached)" in run("build", "--verbose").stdout
    assert deck.read_bytes() == before
    result = run("build", "--verbose", "--prune-retired")  # another option: not up to date
    assert "(1 pruned) (cached)" in result.stdout
    assert "0 decks written" not in result.stderr


def test_editing_a_module_index_renames_its_decks(course: Path, run, planned: list[str]) -> None:
    run("build", "--jobs", "1")
    planned.clear()
    index = Path("lessons/mod-101-foundations/README.md")
    index.write_text("# Renamed Module\n\nIntro.\n", encoding="utf-8")
    run("build", "--jobs", "1")
    assert EDITED.name in planned and "01-introduction-to-ml-infrastructure.md" not in planned
    deck = read_apkg(Path("decks/ai-infra-engineer.apkg"))  # the course package
    assert any("::Renamed Module::" in name for name in deck.deck_names)


def test_editing_an_answer_key_reparses_its_quiz(project: Path, run, planned: list[str]) -> None:
    quiz = Path("lessons/quiz.md")
    quiz.write_text("# Quiz\n\n## Question 1\n\nWhat is K8s?\n\n- A) a\n- B) b\n", "utf-8")
    key = Path("lessons/quiz-answers.md")
    key.write_text("# Answers\n\n## Question 1\n**Answer:** A\n", encoding="utf-8")
    run("build", "--jobs", "1")
    planned.clear()
    key.write_text("# Answers\n\n## Question 1\n**Answer:** B\n", encoding="utf-8")
    run("build", "--jobs", "1")
    assert planned == ["quiz.md"]
    (note,) = read_apkg(Path("decks/quiz.apkg")).notes.values()
    assert "B" in note.fields[1] and "A)" not in note.fields[1]


def test_jobs_must_be_positive(project: Path, run) -> None:
    result = run("build", "--jobs", "0")
    assert result.exit_code == 2
    assert "--jobs" in result.stderr
    assert not Path("decks").exists()


def test_check_reuses_the_build_cache_but_sees_edits(course: Path, run, planned: list[str]) -> None:
    run("build", "--jobs", "1")
    planned.clear()
    result = run("check")
    assert planned == []
    assert result.exit_code == 0, result.stdout
    zebra = "\n## Zebras\n\n- **Zebra:** a striped test animal\n"
    EDITED.write_text(EDITED.read_text(encoding="utf-8") + zebra, encoding="utf-8")
    result = run("check")
    assert planned == [EDITED.name]
    assert result.exit_code == 1
    assert "Zebra" in result.stdout


def test_the_cli_lists_every_extractor_and_diff_format_without_importing_them() -> None:
    # The CLI names them statically so that a no-op build loads neither module.
    from deckgen.extract import EXTRACTORS
    from deckgen.notediff import RENDERERS

    assert list(cli_module.KIND_LABELS) == list(EXTRACTORS)
    assert list(cli_module.DIFF_FORMATS) == list(RENDERERS)


def test_check_after_a_build_is_answered_by_the_cache(
    course: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What the pre-commit hook runs: with the cache, no lesson is planned or packaged again.
    compare_module = importlib.import_module("deckgen.compare")
    run("build", "--jobs", "1")

    def no_regenerate(*args: object, **kwargs: object) -> None:
        raise AssertionError("the cache should have answered")

    with monkeypatch.context() as patched:
        patched.setattr(compare_module, "regenerate", no_regenerate)
        fast = [run("check"), run("check", "--format", "json")]
    _forget_the_last_build(course)
    slow = [run("check"), run("check", "--format", "json")]
    assert [(r.exit_code, r.stdout, r.stderr) for r in fast] == [
        (r.exit_code, r.stdout, r.stderr) for r in slow
    ]
    assert fast[0].exit_code == 0 and "warning: " in fast[0].stderr
    # A deck changed on disk is not the one the cache names: check regenerates, and sees it.
    run("build", "--jobs", "1")
    other = Path("decks/01-introduction-to-ml-infrastructure.apkg").read_bytes()
    Path("decks/mod-101-foundations/01-introduction.apkg").write_bytes(other)
    assert run("check").exit_code == 1


def test_a_changed_copy_of_the_config_is_not_taken_for_the_file(
    course: Path, run, planned: list[str]
) -> None:
    # A library caller may build with a modified config; the CLI, reading the file, must not
    # take that build's cache for its own.
    config = load_config(course / "deckgen.yaml")
    changed = dataclasses.replace(config, course=dataclasses.replace(config.course, name="Other"))
    assert config.identity and not changed.identity
    deckgen.build(config=changed)
    planned.clear()
    run("build", "--jobs", "1")
    assert len(planned) == _lesson_count(course)


def test_the_installed_parser_and_genanki_versions_are_known_without_importing_them() -> None:
    for module, distribution in cache_module._SHAPING_DISTRIBUTIONS.items():
        version = importlib.metadata.version(distribution.replace("_", "-"))
        assert cache_module.installed_version(module, distribution) == (
            f"{distribution}-{version}.dist-info"
        )


def test_an_upgraded_parser_reparses_every_lesson(
    course: Path, run, planned: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    run("build", "--jobs", "1")
    planned.clear()
    real = cache_module.installed_version
    monkeypatch.setattr(
        cache_module,
        "installed_version",
        lambda module, distribution: real(module, distribution).replace("-", "-99.", 1),
    )
    run("build", "--jobs", "1")
    assert len(planned) == _lesson_count(course)
