"""`deckgen init` and `deckgen --version` through the real CLI."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import version
from pathlib import Path

import pytest
import yaml

from deckgen.config import load_config
from deckgen.version import DISTRIBUTION, REPOSITORY, TAG, __version__

from .conftest import REPO

WRITTEN = ("deckgen.yaml", ".gitignore", ".pre-commit-config.yaml", ".github/workflows/decks.yml")


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course repository with its lessons in `chapters/` and a README; cwd is its root."""
    root = tmp_path / "intro-course"
    (root / "chapters" / "part-1").mkdir(parents=True)
    (root / "chapters" / "part-1" / "01-a.md").write_text("# A\n\n- **Term**: text.\n", "utf-8")
    (root / "chapters" / "02-b.md").write_text("# B\n", "utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "setup.md").write_text("# Setup\n", "utf-8")
    (root / "README.md").write_text("Badges\n\n## *Intro*: `Ops` & more\n\n# Later\n", "utf-8")
    monkeypatch.chdir(root)
    return root


def test_version_comes_from_one_place() -> None:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["name"] == DISTRIBUTION == "anki-deckgen"
    assert pyproject["project"]["dynamic"] == ["version"]
    assert "version" not in pyproject["project"]
    assert version(DISTRIBUTION) == __version__
    assert f"v{__version__}" == TAG


def test_version_option(run) -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"deckgen, version {version(DISTRIBUTION)}\n"


def test_init_finds_lessons_names_the_course_and_writes_every_file(course: Path, run) -> None:
    result = run("init")
    assert result.exit_code == 0, result.output
    for name in WRITTEN:
        assert f"{name}: written" in result.stdout
    assert result.stdout.endswith(
        "next:\n  deckgen build\n  git add deckgen.yaml .gitignore .pre-commit-config.yaml "
        ".github decks && git commit -m 'Anki decks for the course'\n"
    )
    config = load_config(course / "deckgen.yaml")
    assert config.course.name == "Intro: Ops & more"  # the first heading, at any level
    assert config.course.id == "intro-course"
    assert config.lessons == "chapters"  # the folder with the most Markdown
    assert (course / ".gitignore").read_text(encoding="utf-8") == ".deckgen-cache/\n"
    hooks = yaml.safe_load((course / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"] == [
        {"repo": f"https://github.com/{REPOSITORY}", "rev": TAG, "hooks": [{"id": "deckgen-check"}]}
    ]
    workflow = yaml.safe_load((course / WRITTEN[3]).read_text(encoding="utf-8"))
    steps = workflow["jobs"]["decks"]["steps"]
    assert steps[-1] == {"uses": f"{REPOSITORY}@{TAG}"}
    assert workflow[True]["pull_request"]["paths"] == [  # YAML 1.1 reads `on:` as True
        "chapters/**",
        "decks/**",
        "deckgen.yaml",
        ".github/workflows/decks.yml",
    ]
    assert workflow["permissions"]["pull-requests"] == "write"
    assert run("build").exit_code == 0
    assert (course / "decks" / "part-1" / "01-a.apkg").is_file()


def test_init_never_overwrites_and_says_what_exists(course: Path, run) -> None:
    (course / ".github" / "workflows").mkdir(parents=True)
    (course / ".github" / "workflows" / "decks.yml").write_text("mine\n", "utf-8")
    (course / ".gitignore").write_text("dist/\n/.deckgen-cache", "utf-8")
    first = run("init")
    assert first.exit_code == 0
    assert ".github/workflows/decks.yml: exists (left as it is)" in first.stdout
    assert ".gitignore: exists (.deckgen-cache/ already ignored)" in first.stdout
    assert (course / ".github" / "workflows" / "decks.yml").read_text("utf-8") == "mine\n"
    assert (course / ".gitignore").read_text("utf-8") == "dist/\n/.deckgen-cache"
    config = (course / "deckgen.yaml").read_bytes()
    again = run("init")
    assert again.exit_code == 0
    for name in WRITTEN:
        assert f"{name}: exists" in again.stdout
    assert (course / "deckgen.yaml").read_bytes() == config


def test_init_appends_to_a_gitignore_once(course: Path, run) -> None:
    (course / ".gitignore").write_bytes(b"dist/\n# caf\xe9, not UTF-8")
    assert ".gitignore: appended to (.deckgen-cache/)" in run("init").stdout
    assert (course / ".gitignore").read_bytes() == b"dist/\n# caf\xe9, not UTF-8\n.deckgen-cache/\n"
    run("init")
    assert (course / ".gitignore").read_bytes().count(b".deckgen-cache") == 1


def test_init_takes_a_directory_and_a_lessons_folder(course: Path, run, monkeypatch) -> None:
    (course / "README.md").unlink()
    monkeypatch.chdir(course.parent)
    result = run("init", "intro-course", "--lessons", "intro-course/docs")
    assert result.exit_code == 0, result.output
    assert "next, in intro-course:" in result.stdout
    config = load_config(course / "deckgen.yaml")
    assert config.lessons == "docs"
    assert config.course.name == "intro-course"  # no README: the folder's name


def test_init_prefers_a_lessons_folder_and_keeps_an_existing_config(course: Path, run) -> None:
    (course / "lessons").mkdir()
    (course / "deckgen.yaml").write_text("course: {id: c1, name: Mine}\nlessons: docs\n", "utf-8")
    run("init")
    workflow = (course / WRITTEN[3]).read_text(encoding="utf-8")
    assert '"docs/**"' in workflow  # the config's lessons, not the folder found
    (course / "deckgen.yaml").unlink()
    (course / WRITTEN[3]).unlink()
    run("init")
    assert load_config(course / "deckgen.yaml").lessons == "lessons"


@pytest.mark.parametrize(
    ("readme", "name"),
    [
        ('<p align="center"><img src="logo.png"></p>\n\n# Plain\n', "Plain"),
        (
            '<h1 align="center">\n  <img src="x.png"> K8s &amp; <b>you</b>\n</h1>\n\n# Later\n',
            "K8s & you",
        ),
        ("# ![](logo.png)\n\n## The real title\n", "The real title"),
        ("No heading at all.\n", "intro-course"),
    ],
)
def test_init_names_the_course_after_the_first_heading_with_text(
    course: Path, run, readme: str, name: str
) -> None:
    (course / "README.md").write_text(readme, "utf-8")
    assert run("init").exit_code == 0
    assert load_config(course / "deckgen.yaml").course.name == name


def test_init_quotes_what_yaml_would_misread(course: Path, run) -> None:
    (course / "README.md").write_text('# Ops: "101" # not a comment\n', "utf-8")
    assert run("init").exit_code == 0
    assert load_config(course / "deckgen.yaml").course.name == 'Ops: "101" # not a comment'


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("init", "missing"), "missing: no such directory"),
        (("init", "--lessons", "nope"), "nope: no such directory (--lessons)"),
        (("init", "--lessons", ".."), "--lessons must be inside ."),
    ],
)
def test_init_usage_errors_exit_2(course: Path, run, args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert not (course / "deckgen.yaml").exists()


def test_init_without_markdown_asks_for_the_lessons_folder(tmp_path: Path, run) -> None:
    (tmp_path / "src").mkdir()
    result = run("init", str(tmp_path))
    assert result.exit_code == 2
    assert "no folder of Markdown lessons found; give --lessons DIR" in result.stderr


def _readme_blocks(language: str) -> list[str]:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", readme, flags=re.S | re.M)


def test_readme_is_short_and_opens_with_build_and_test() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 150
    first = _readme_blocks("sh")[0].splitlines()
    assert first[0].endswith("pip install -q . && .venv/bin/deckgen build")
    assert first[1].endswith("pip install -q -e '.[test]' && .venv/bin/python -m pytest")


def test_readme_quick_start_is_init_then_what_init_says_then_check(course: Path, run) -> None:
    [quick_start] = [block for block in _readme_blocks("sh") if "deckgen init" in block]
    said = run("init").stdout.split("next:\n")[1]
    next_commands = [line.strip() for line in said.splitlines()]
    assert quick_start.splitlines() == ["deckgen init", *next_commands, "deckgen check"]
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"pip install {DISTRIBUTION}`" in readme
    assert f"pip install git+https://github.com/{REPOSITORY}@{TAG}`" in readme
    hook, workflow = _readme_blocks("yaml")
    assert f"repo: https://github.com/{REPOSITORY}\n    rev: {TAG}\n" in hook
    assert f"uses: {REPOSITORY}@{TAG}\n" in workflow


def test_init_that_cannot_write_says_where_in_one_line(course: Path, run) -> None:
    (course / ".github").write_text("a file, not a folder\n", "utf-8")
    result = run("init")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(".github/workflows/decks.yml: cannot write: ")


def test_every_mention_of_deckgen_s_repository_names_the_constant_and_this_tag() -> None:
    files = [REPO / "README.md", REPO / ".pre-commit-hooks.yaml", *(REPO / "docs").glob("*.md")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in files)
    repositories = re.findall(r"github\.com/([^/\s)]+/deckgen)\b|([^/\s`(]+/deckgen)@", text)
    assert {name for pair in repositories for name in pair if name} == {REPOSITORY}
    tags = re.findall(r"/deckgen@(v[\w.-]+)|\brev: (v[\w.-]+)", text)
    assert {tag for pair in tags for tag in pair if tag} == {TAG}
