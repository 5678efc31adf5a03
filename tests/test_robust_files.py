"""Odd files under lessons/ and odd file names: refused or skipped by name, never read past a
limit, never followed out of the lessons directory, and shown on one line.

Each test makes its hostile files itself. Cases that could hang (a FIFO) run the console
script in a subprocess with a timeout, which fails a hung case (a watchdog, not a timing).
"""

from __future__ import annotations

import errno
import os
import resource
from pathlib import Path

import pytest

from deckgen import reader as reader_module
from deckgen.apkg import read_apkg
from deckgen.diagnostics import one_line
from deckgen.reader import NotRegular, TooLarge, read_bounded

from .conftest import LESSON
from .helpers import deckgen_process

COMMANDS = ("build", "list", "preview", "lint", "check")
SECRET = "# Secret\n\n- **Password:** hunter2\n"


def _secret_outside(tmp_path_factory: pytest.TempPathFactory) -> Path:
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.md"
    secret.write_text(SECRET, encoding="utf-8")
    return secret


def _every_deck_text(project: Path) -> str:
    """Every field of every note in decks/, and the deck names: what learners would get."""
    parts = []
    for path in sorted((project / "decks").rglob("*.apkg")):
        deck = read_apkg(path)
        parts.extend(deck.deck_names)
        parts.extend(field for note in deck.notes.values() for field in note.fields)
    return "\n".join(parts)


# --- only regular files count ----------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_a_fifo_named_as_a_lesson_is_skipped_with_a_warning_and_never_opened(
    project: Path, command: str
) -> None:
    assert deckgen_process(project, "build", "--quiet").returncode == 0  # decks for `check`
    os.mkfifo(project / "lessons" / "pipe.md")
    result = deckgen_process(project, command)
    assert result.returncode == 0, result.stderr
    # lint gives its findings on stdout, the others their warnings on stderr
    said = (result.stdout if command == "lint" else result.stderr).splitlines()
    assert "lessons/pipe.md: warning: a FIFO, not a regular file; skipped" in said
    assert "Traceback" not in result.stderr


def test_a_fifo_named_on_the_command_line_is_refused_not_opened(project: Path) -> None:
    os.mkfifo(project / "lessons" / "pipe.md")
    result = deckgen_process(project, "list", "lessons/pipe.md")
    assert (result.returncode, result.stderr) == (
        1,
        "lessons/pipe.md: cannot read lesson: a FIFO, not a regular file\n",
    )


def test_a_lesson_linked_to_dev_zero_is_refused_at_once(project: Path, run) -> None:
    (project / "lessons" / "zero.md").symlink_to("/dev/zero")
    result = run("list")
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "lessons: warning: zero.md: symlink to a character device, not a regular file; skipped"
    ]
    named = run("list", "lessons/zero.md")  # which leads out of the lessons directory, too
    assert (named.exit_code, named.stdout) == (0, "")
    assert named.stderr == (
        "lessons: warning: zero.md: symlink to /dev/zero, outside the lessons directory; skipped\n"
    )


def test_a_sparse_four_gigabyte_lesson_is_refused_by_its_size_before_reading(
    project: Path,
) -> None:
    """Run with 2 GiB of address space: reading the file before refusing it cannot fit."""
    big = project / "lessons" / "big.md"
    with big.open("wb") as file:
        file.truncate(4 * 1024**3)  # sparse: no disk used, 4 GiB to whoever reads it

    def two_gigabytes() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))

    result = deckgen_process(project, "build", "--jobs", "1", preexec_fn=two_gigabytes)
    assert (result.returncode, result.stderr) == (
        1,
        "lessons/big.md: lesson is 4096.0 MiB, over the limit of 10 MiB; "
        "split it into smaller lessons\n",
    )


def test_a_bounded_read_stops_one_byte_past_the_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "f.md"
    path.write_bytes(b"x" * 100)
    assert read_bounded(path, 100)[0] == b"x" * 100
    with pytest.raises(TooLarge):
        read_bounded(path, 99)
    # A file whose status says small but that holds more (it grew between the two): the read
    # stops at limit + 1 bytes, whatever the status said.
    real_check = reader_module._check
    monkeypatch.setattr(reader_module, "_check", lambda *args: None)
    path.write_bytes(b"y" * 10_000)
    with pytest.raises(TooLarge) as raised:
        read_bounded(path, 99)
    assert raised.value.size == 100
    monkeypatch.setattr(reader_module, "_check", real_check)
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(NotRegular):
        read_bounded(tmp_path / "pipe", 99)


_IMAGE_LESSON = "# Pictures\n\n## Shapes\n\n- **Pipeline:** the flow, as drawn: ![d]({target})\n"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda path: path.open("wb").truncate(25 * 1024**2),
            "is 25.0 MiB, over the limit of 20 MiB, not packed",
        ),
        (os.mkfifo, "is a FIFO, not a regular file, not packed"),
    ],
    ids=["sparse-25-MiB", "fifo"],
)
def test_an_image_over_the_limit_or_not_a_file_is_not_packed(
    project: Path, make, message: str
) -> None:
    lessons = project / "lessons"
    (lessons / "pictures.md").write_text(_IMAGE_LESSON.format(target="d.png"), encoding="utf-8")
    make(lessons / "d.png")
    result = deckgen_process(project, "build")
    assert result.returncode == 0, result.stderr
    assert result.stderr == f"lessons/pictures.md:5: warning: image 'd.png' {message}\n"
    assert not read_apkg(project / "decks" / "pictures.apkg").media


def test_an_image_linked_to_dev_zero_is_one_warning_and_never_read(project: Path, run) -> None:
    """Judged by where it leads (out of the lessons directory); not being a lesson, the link
    itself is nothing for finding the lessons to warn about."""
    lessons = project / "lessons"
    (lessons / "pictures.md").write_text(_IMAGE_LESSON.format(target="d.png"), encoding="utf-8")
    (lessons / "d.png").symlink_to("/dev/zero")
    result = run("build")
    assert (result.exit_code, result.stderr) == (
        0,
        "lessons/pictures.md:5: warning: image 'd.png' is outside the lessons directory, "
        "not packed\n",
    )


# --- symlinks ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_a_symlink_out_of_the_lessons_directory_is_refused_in_every_command(
    project: Path, run, command: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert run("build").exit_code == 0  # decks for `check`
    secret = _secret_outside(tmp_path_factory)
    (project / "lessons" / "leak.md").symlink_to(secret)
    result = run(command)
    assert result.exit_code == 0, result.output
    said = (result.stdout if command == "lint" else result.stderr).splitlines()
    assert (
        f"lessons: warning: leak.md: symlink to {secret}, outside the lessons directory; skipped"
        in said
    )
    assert "hunter2" not in result.stdout and "Password" not in result.stdout
    if command == "preview":
        assert "hunter2" not in (project / "preview.html").read_text(encoding="utf-8")
    assert "hunter2" not in _every_deck_text(project)
    assert not (project / "decks" / "leak.apkg").exists()


def test_a_symlink_out_named_on_the_command_line_is_refused(
    project: Path, run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """`deckgen preview lessons/*.md` expands to the link itself."""
    secret = _secret_outside(tmp_path_factory)
    (project / "lessons" / "leak.md").symlink_to(secret)
    result = run("preview", "lessons/leak.md")
    assert result.exit_code == 0
    assert result.stderr.startswith("lessons: warning: leak.md: symlink to ")
    assert "hunter2" not in (project / "preview.html").read_text(encoding="utf-8")


def test_an_index_page_or_answer_key_linked_out_brings_nothing_in(
    project: Path, run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A module's index page titles its decks and an answer key fills in answers: neither may
    be a way around the rule for lessons."""
    secret = _secret_outside(tmp_path_factory)
    module = project / "lessons" / "mod"
    (module / "quizzes").mkdir(parents=True)
    (module / "01-intro.md").write_text("# Intro\n\n- **Docker:** containers\n")
    (module / "README.md").symlink_to(secret)
    (module / "quizzes" / "quiz.md").write_text(
        "# Quiz\n\n### Question 1\nWhat runs containers?\n\nA) Excel\nB) Docker\n"
    )
    (module / "quizzes" / "quiz-answers.md").symlink_to(secret)
    result = run("build")
    assert result.exit_code == 0, result.output
    assert sorted(line for line in result.stderr.splitlines() if "outside" in line) == [
        f"lessons/mod/quizzes: warning: quiz-answers.md: symlink to {secret}, outside the "
        "lessons directory; skipped",
        f"lessons/mod: warning: README.md: symlink to {secret}, outside the lessons "
        "directory; skipped",
    ]
    text = _every_deck_text(project)
    assert "Secret" not in text and "hunter2" not in text


def test_a_symlink_inside_the_lessons_directory_is_followed(project: Path, run) -> None:
    (project / "lessons" / "alias.md").symlink_to(LESSON.name)
    result = run("list", "lessons/alias.md")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == run("list", str(LESSON)).stdout != ""


@pytest.mark.parametrize("command", ["build", "check"])
def test_a_lesson_linked_to_itself_is_an_error_not_an_empty_course(
    project: Path, run, command: str
) -> None:
    """Not "no lessons, exit 0", after which `check` would tell the author to delete decks."""
    assert run("build").exit_code == 0
    before = {path: path.read_bytes() for path in (project / "decks").rglob("*.apkg")}
    (project / "lessons" / "self.md").symlink_to("self.md")
    result = run(command)
    assert result.exit_code == 1
    assert result.stderr == f"lessons/self.md: cannot read lesson: {os.strerror(errno.ELOOP)}\n"
    assert "delete" not in result.output
    assert {path: path.read_bytes() for path in (project / "decks").rglob("*.apkg")} == before


def test_symlinked_folders_and_folder_loops_get_a_warning(
    project: Path, run, tmp_path_factory: pytest.TempPathFactory
) -> None:
    assert run("build").exit_code == 0
    decks = sorted(path.name for path in (project / "decks").rglob("*.apkg"))
    elsewhere = tmp_path_factory.mktemp("course")
    (elsewhere / "hidden.md").write_text(SECRET, encoding="utf-8")
    (project / "lessons" / "sub").mkdir()
    (project / "lessons" / "sub" / "up").symlink_to("..")
    (project / "lessons" / "ext").symlink_to(elsewhere)
    (project / "lessons" / "a").symlink_to("b")
    (project / "lessons" / "b").symlink_to("a")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "lessons: warning: a: symlink loop, not followed",
        "lessons: warning: b: symlink loop, not followed",
        "lessons: warning: ext: symlink to a folder, not followed "
        "(deckgen does not follow folder links)",
        "lessons/sub: warning: up: symlink to a folder above it (a loop), not followed",
    ]
    assert sorted(path.name for path in (project / "decks").rglob("*.apkg")) == decks
    assert "hunter2" not in _every_deck_text(project)


def test_a_folder_that_cannot_be_listed_gets_a_warning(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chmod does not stop root; as root, the listing is refused the way the system would."""
    assert run("build").exit_code == 0  # decks for `check`
    locked = project / "lessons" / "locked"
    locked.mkdir()
    (locked / "l.md").write_text("# L\n\n- **Term:** text\n")
    if os.geteuid() == 0:
        real_scandir = os.scandir

        def refusing(path):  # type: ignore[no-untyped-def]
            # shutil.rmtree (temp folders) lists folders by descriptor: an int, not a path.
            if not isinstance(path, int) and Path(path).name == "locked":
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)

        monkeypatch.setattr(os, "scandir", refusing)
    else:
        locked.chmod(0)
    try:
        for command in COMMANDS:
            result = run(command)
            assert result.exit_code == 0, (command, result.output)
            said = result.stdout if command == "lint" else result.stderr
            assert said.splitlines()[0] == (
                "lessons/locked: warning: folder cannot be listed: Permission denied; "
                "its lessons are skipped"
            ), command
    finally:
        locked.chmod(0o755)


def test_a_build_that_passed_something_over_says_so_every_time(project: Path, run) -> None:
    """The build cache answers a build with nothing to do by replaying the last report: a
    build with warnings about what it skipped is never replayed without them."""
    os.mkfifo(project / "lessons" / "pipe.md")
    first, second = run("build"), run("build")
    assert first.stderr == second.stderr != ""


# --- file names ------------------------------------------------------------------------------


def test_one_line_escapes_line_breaks_controls_bidi_and_undecodable_bytes() -> None:
    name = os.fsdecode(b"a\nb\r\x1b[31m\xff\xe2\x80\xae\tc.md")
    assert one_line(name) == "a\\nb\\r\\x1b[31m\\xff\\u202e\\tc.md"
    assert one_line("lessons/plain-ü.md") == "lessons/plain-ü.md"


def test_a_newline_in_a_file_name_cannot_split_a_message(project: Path, run) -> None:
    """A second line starting `::error` would be a GitHub annotation of its own."""
    name = "a\n::error file=x::spoofed.md"
    (project / "lessons" / name).write_bytes(b"# A\n\n- **T:** x\n\xff\n")
    result = run("build")
    assert result.exit_code == 1
    assert result.stderr == "lessons/a\\n::error file=x::spoofed.md:4: not valid UTF-8 at byte 16\n"


def test_control_characters_in_names_are_escaped_in_every_report_line(project: Path, run) -> None:
    name = "b\x1b]0;owned\x07.md"
    (project / "lessons" / name).write_text("# B\n\n- **Term:** text\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 0, result.output
    shown = "lessons/b\\x1b]0;owned\\x07.md: 1 definition, 0 comparisons, 0 salary bands, 0 "
    assert any(line.startswith(shown) for line in result.stdout.splitlines())
    assert "\x1b" not in result.output
    listed = run("list", f"lessons/{name}")
    assert listed.stdout == "lessons/b\\x1b]0;owned\\x07.md:3: definition: Term\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_a_name_that_is_not_utf8_is_refused_by_name(project: Path, command: str) -> None:
    assert deckgen_process(project, "build", "--quiet").returncode == 0
    (project / "lessons" / os.fsdecode(b"caf\xe9.md")).write_text("# C\n\n- **Term:** text\n")
    result = deckgen_process(project, command)
    assert (result.returncode, result.stderr) == (
        1,
        "lessons/caf\\xe9.md: file name is not valid UTF-8; rename it (decks and notes are "
        "named by it)\n",
    )


def test_a_deck_whose_name_is_not_utf8_is_named_escaped(project: Path, run) -> None:
    assert run("build").exit_code == 0
    deck = project / "decks" / f"{LESSON.stem}.apkg"
    (project / "decks" / os.fsdecode(b"\xfe.apkg")).write_bytes(deck.read_bytes())
    result = run("check")
    assert result.exit_code == 1
    assert result.stderr == (
        "decks/\\xfe.apkg: no lesson builds this deck; delete it or restore its lesson\n"
    )
