"""Bad lessons and bad config get one `path:line: message` line and a non-zero exit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

LESSON = "lessons/01-introduction-to-ml-infrastructure.md"


def _one_error_line(result, code: int) -> str:
    assert result.exit_code == code, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def test_bom_and_crlf_are_read_like_plain_utf8(project: Path, run) -> None:
    plain = run("list", LESSON).stdout
    lesson = project / LESSON
    text = lesson.read_text(encoding="utf-8")
    lesson.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    result = run("list", LESSON)
    assert result.exit_code == 0
    assert result.stdout == plain
    assert "01-introduction-to-ml-infrastructure.md:12: definition: ML Infrastructure" in plain


def test_old_mac_line_endings_are_read_like_plain_utf8(project: Path, run) -> None:
    plain = run("list", LESSON).stdout
    lesson = project / LESSON
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("\n", "\r"), encoding="utf-8")
    assert run("list", LESSON).stdout == plain


def test_unicode_line_separators_do_not_shift_source_lines(project: Path, run) -> None:
    """U+2028 and form feed end a line for str.splitlines, not for Markdown (nor editors)."""
    lesson = project / "lessons" / "sep.md"
    lesson.write_text(
        "# Sep\n\nOne\u2028paragraph\x0cwith separators\n\n"
        "- **Term:** first\n  - nested one\n  - nested two\n",
        encoding="utf-8",
    )
    result = run("list", "--json", "lessons/sep.md")
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["file"] == "lessons/sep.md:5"
    assert record["body"] == "first\n\n- nested one\n- nested two"


def test_invalid_utf8_names_file_line_and_byte(project: Path, run) -> None:
    (project / "lessons" / "bad.md").write_bytes(b"# Bad\n\nok line\n\xff\xfe broken\n")
    line = _one_error_line(run("build"), 1)
    assert line == "lessons/bad.md:4: not valid UTF-8 at byte 15"
    assert not (project / "decks").exists() or not list((project / "decks").rglob("*.apkg"))


def test_binary_file_is_refused(project: Path, run) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    (project / "lessons" / "diagram.md").write_bytes(png)
    line = _one_error_line(run("build"), 1)
    assert line == "lessons/diagram.md:3: binary file (NUL byte at byte 8), not a lesson"


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf\r\n  \n"])
def test_empty_lesson_is_refused(project: Path, run, content: bytes) -> None:
    (project / "lessons" / "empty.md").write_bytes(content)
    line = _one_error_line(run("build"), 1)
    assert line == "lessons/empty.md: empty lesson: nothing to make cards from"


def test_unreadable_lesson(project: Path) -> None:
    """chmod 000 does not stop root; a root run drops the capabilities that let it read anyway."""
    lesson = project / "lessons" / "secret.md"
    lesson.write_text("# Secret\n\n**Term:** text\n", encoding="utf-8")
    lesson.chmod(0)
    command = [sys.executable, "-m", "deckgen", "build"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: cannot make a file unreadable")
        command = [setpriv, "--bounding-set=-dac_override,-dac_read_search", *command]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr
    assert result.stderr == "lessons/secret.md: cannot read lesson: Permission denied\n"


def test_missing_lessons_directory(project: Path, run) -> None:
    shutil.rmtree(project / "lessons")
    assert _one_error_line(run("build"), 2) == "lessons: no such file or directory"


def test_missing_lesson_named_on_the_command_line(project: Path, run) -> None:
    line = _one_error_line(run("build", "lessons/nope.md"), 2)
    assert line == "lessons/nope.md: no such file or directory"


def test_lesson_outside_the_project_is_refused_by_build(
    project: Path, run, tmp_path_factory
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "stray.md"
    outside.write_text("# Stray\n\n- **Term:** text\n", encoding="utf-8")
    line = _one_error_line(run("build", str(outside)), 2)
    assert line.startswith(f"{outside}: is outside the lessons directory ")
    assert not (project / "decks").exists() or not list((project / "decks").rglob("*.apkg"))


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("course:\n  name: [unclosed\n", "deckgen.yaml:3: invalid YAML: "),
        (
            "course:\n  nmae: X\n",
            "deckgen.yaml:2: unknown key 'course.nmae' (did you mean 'name'?)",
        ),
        ("cours:\n  name: X\n", "deckgen.yaml:1: unknown key 'cours' (did you mean 'course'?)"),
        ("course:\n  name: [a, b]\n", "deckgen.yaml:2: course.name: expected string"),
        ("extract:\n  kinds: definition\n", "deckgen.yaml:2: extract.kinds: expected a list"),
        ("lessons: 12\ndecks: true\n", "deckgen.yaml:2: decks: expected string, got bool"),
        ("- course\n- lessons\n", "deckgen.yaml:1: the top level: expected a mapping"),
        (
            "extract:\n  kinds: [definition, salry]\n",
            "deckgen.yaml:2: extract.kinds[1]: unknown value 'salry' (did you mean 'salary'?)",
        ),
        (
            "course:\n  name: !!python/object/apply:os.system [touch pwned]\n",
            "deckgen.yaml:2: course.name: YAML tag '!!python/object/apply:os.system' "
            "is not allowed",
        ),
        (
            "course: !!python/object:deckgen.config.CourseConfig {id: x}\n",
            "deckgen.yaml:1: course: YAML tag '!!python/object:deckgen.config.CourseConfig' "
            "is not allowed",
        ),
        (
            "course:\n  id: !!python/name:os.system\n",
            "deckgen.yaml:2: course.id: YAML tag '!!python/name:os.system' is not allowed",
        ),
        ("course:\n  id: !!int abc\n", "deckgen.yaml:2: course.id: 'abc' is not a valid !!int"),
        (
            "course:\n  id: a\ndecks: d\ncourse:\n  id: b\n",
            "deckgen.yaml:4: duplicate key 'course' (first at line 1)",
        ),
    ],
)
def test_config_problems_name_line_and_key(project: Path, run, yaml_text, expected) -> None:
    (project / "deckgen.yaml").write_text(yaml_text, encoding="utf-8")
    line = _one_error_line(run("build"), 2)
    assert line.startswith(expected), line
    assert not (project / "pwned").exists()
    assert not (project / "decks").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ["build", "--bogusflag"],
            "deckgen: No such option '--bogusflag'. (see 'deckgen build --help')",
        ),
        (["bogus"], "deckgen: No such command 'bogus'. (see 'deckgen --help')"),
        (
            ["-c", "nope.yaml", "build"],
            "deckgen: Invalid value for --config: nope.yaml: no such file (see 'deckgen --help')",
        ),
    ],
)
def test_usage_errors_from_the_console_script_are_one_line(
    project: Path, args: list[str], expected: str
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "deckgen", *args], cwd=project, capture_output=True, text=True
    )
    assert (result.returncode, result.stderr, result.stdout) == (2, expected + "\n", "")


def test_help_and_success_still_exit_zero(project: Path) -> None:
    for args in (["--help"], ["build", "--quiet"]):
        result = subprocess.run(
            [sys.executable, "-m", "deckgen", *args], cwd=project, capture_output=True, text=True
        )
        assert (result.returncode, result.stderr) == (0, ""), args


def _term(number: int) -> str:
    """A distinct term per number, of letters only (a numbered term reads as a label)."""
    letters = "".join(chr(ord("a") + number // 26**place % 26) for place in range(3))
    return f"Widget {letters.capitalize()}"


def _many_terms(project: Path, count: int) -> None:
    """A lesson whose `list --json` is far larger than a pipe or stdout's buffer holds."""
    bullets = "".join(f"- **{_term(n)}**: the part that does step {n}\n" for n in range(count))
    (project / "lessons" / "glossary.md").write_text(f"# Glossary\n\n{bullets}", encoding="utf-8")


def _buffered() -> dict[str, str]:
    """The environment with stdout buffered, as it is by default into a pipe (the test
    machines set PYTHONUNBUFFERED)."""
    return {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def test_the_console_script_writes_all_its_output_before_exiting(project: Path) -> None:
    """It exits without the interpreter's teardown (cli._exit_without_teardown), which would
    otherwise be what flushes the last of a buffered stdout."""
    _many_terms(project, 1500)
    result = subprocess.run(
        [sys.executable, "-m", "deckgen", "list", "--json", "lessons/glossary.md"],
        cwd=project,
        capture_output=True,
        text=True,
        env=_buffered(),
    )
    assert (result.returncode, result.stderr) == (0, "")
    terms = [json.loads(line)["term"] for line in result.stdout.splitlines()]
    assert terms == [_term(n) for n in range(1500)]


def test_a_reader_that_leaves_early_is_not_an_error(project: Path) -> None:
    """`deckgen list | head -1`."""
    _many_terms(project, 1500)
    with subprocess.Popen(
        [sys.executable, "-m", "deckgen", "list", "lessons/glossary.md"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_buffered(),
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert _term(0) in process.stdout.readline()
        process.stdout.close()
        errors = process.stderr.read()
        assert (process.wait(), errors) == (0, "")
