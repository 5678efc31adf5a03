"""Authors steer extraction without code: `list --why`, `skip:` and skip comments, config lists
that extend the built-in ones, and `deckgen config`. All through the real CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from deckgen.config import KINDS
from deckgen.defaults import defaults
from deckgen.extract import EXTRACTORS

LESSON = """# Lesson

## Concepts

- **Docker**: a tool that runs containers.
- **Kubernetes**: a system that schedules containers.
- **Helm**: a package manager for Kubernetes.

| Tool | Kind |
|---|---|
| Docker | Runtime |
| Helm | Packager |

| Target | Yours |
|---|---|
| Build time | ____ |
"""


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "lessons" / "mod-1").mkdir(parents=True)
    (tmp_path / "lessons" / "mod-1" / "intro.md").write_text(LESSON, encoding="utf-8")
    return tmp_path


def _config(course: Path, text: str) -> None:
    (course / "deckgen.yaml").write_text(text, encoding="utf-8")


def _keys(run, *args: str) -> list[str]:
    result = run("list", *args)
    assert result.exit_code == 0, result.output
    return [line.split(": ", 1)[1] for line in result.stdout.splitlines()]


def test_why_lists_kept_and_dropped_candidates_with_their_reasons(course: Path, run) -> None:
    result = run("list", "--why")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    where = "lessons/mod-1/intro.md"
    assert any(line.startswith(f"{where}:5: definition: Docker: kept [bold-lead") for line in lines)
    dropped = [line for line in lines if "Build time" in line]
    assert dropped == [
        f"{where}:16: comparison: Build time: dropped, worksheet "
        "[table-row; -blank-column ('Yours' left blank in every row)]"
    ]


def test_why_as_json_gives_decision_shape_and_signals(course: Path, run) -> None:
    result = run("list", "--why", "--json", "--kind", "comparison")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["key"], r["kept"]) for r in records] == [
        ("Tool = Docker", True),
        ("Tool = Helm", True),
        ("Build time", False),
    ]
    assert records[2]["reason"] == "worksheet"
    assert records[2]["signals"] == [
        {"name": "blank-column", "weight": -1, "detail": "'Yours' left blank in every row"}
    ]


def test_config_skip_drops_an_item_for_every_lesson_or_one(course: Path, run) -> None:
    _config(course, 'skip:\n  "*": ["definition: Helm"]\n  mod-1/intro.md: ["Tool = Docker"]\n')
    keys = _keys(run)
    assert "definition: Helm" not in keys
    assert "comparison: Tool = Helm" in keys  # the kind limits the entry
    assert "comparison: Tool = Docker" not in keys
    assert "definition: Docker" in keys
    why = run("list", "--why").stdout
    assert "definition: Helm: dropped, skipped by the config (skip: 'definition: Helm')" in why


def test_skip_keys_match_as_list_prints_them_whatever_the_case(course: Path, run) -> None:
    _config(course, 'skip:\n  "mod-*/*.md": ["definition:   docker"]\n')
    assert "definition: Docker" not in _keys(run)


def test_a_lesson_skip_that_matches_nothing_is_a_warning(course: Path, run) -> None:
    _config(course, 'skip:\n  mod-1/intro.md: ["definition: Dokcer"]\n')
    result = run("list")
    assert result.exit_code == 0
    assert (
        "lessons/mod-1/intro.md: warning: skip: 'definition: Dokcer' (from the config) "
        "matches no item in this lesson"
    ) in result.stderr


def test_skip_comment_drops_the_item_on_the_next_line(course: Path, run) -> None:
    lesson = course / "lessons" / "mod-1" / "intro.md"
    text = LESSON.replace("- **Kubernetes**", "  <!-- deckgen: skip -->\n- **Kubernetes**").replace(
        "## Concepts\n", "## Concepts\n\n<!-- DeckGen: Skip -->\n\n**Pod** is a group.\n"
    )
    lesson.write_text(text, encoding="utf-8")
    keys = _keys(run, "--kind", "definition")
    assert keys == ["definition: Docker", "definition: Helm"]
    why = run("list", "--why", "--kind", "definition").stdout
    assert "definition: Kubernetes: dropped, skipped by the comment on line" in why
    assert "definition: Pod: dropped, skipped by the comment on line 5" in why


def test_skip_comment_with_nothing_after_it_is_a_warning(course: Path, run) -> None:
    lesson = course / "lessons" / "mod-1" / "intro.md"
    lesson.write_text(LESSON + "\n<!-- deckgen: skip -->\n\nJust prose.\n", encoding="utf-8")
    result = run("list")
    assert "intro.md:18: warning: skip comment: no item starts on line 20" in result.stderr


def test_skip_comment_inside_code_is_text(course: Path, run) -> None:
    lesson = course / "lessons" / "mod-1" / "intro.md"
    text = LESSON.replace("## Concepts\n", "## Concepts\n\n```\n<!-- deckgen: skip -->\n```\n")
    lesson.write_text(text, encoding="utf-8")
    result = run("list", "--kind", "definition")
    assert len(result.stdout.splitlines()) == 3
    assert "skip comment" not in result.stderr


def test_skipping_changes_the_deck(course: Path, run) -> None:
    assert run("build").exit_code == 0
    _config(course, 'skip:\n  "*": ["definition: Helm"]\n')
    result = run("check")
    assert result.exit_code == 1  # the build that skips it differs: the skip reaches the deck


def test_config_lists_extend_the_builtin_ones(course: Path, run) -> None:
    builtin = defaults().metadata_labels
    _config(course, "extract:\n  metadata_labels: [Kubernetes]\n")
    assert "definition: Kubernetes" not in _keys(run)
    shown = yaml.safe_load(run("config").stdout)
    assert shown["extract"]["metadata_labels"] == [*builtin, "Kubernetes"]


def test_replace_and_remove_are_explicit(course: Path, run) -> None:
    _config(course, "extract:\n  metadata_labels: {replace: [Docker]}\n")
    shown = yaml.safe_load(run("config").stdout)
    assert shown["extract"]["metadata_labels"] == ["Docker"]
    assert "definition: Docker" not in _keys(run)
    removed = defaults().glossary_headings[0]
    _config(course, f"extract:\n  glossary_headings:\n    remove: [{removed.upper()}]\n")
    shown = yaml.safe_load(run("config").stdout)
    assert shown["extract"]["glossary_headings"] == list(defaults().glossary_headings[1:])


def test_removing_a_phrase_the_list_lacks_names_file_and_line(course: Path, run) -> None:
    _config(course, "extract:\n  glossary_headings:\n    remove:\n      - Glosary\n")
    result = run("list")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "deckgen.yaml:4: extract.glossary_headings.remove[0]: 'Glosary' is not in the "
        "built-in list (did you mean 'Glossary'?)"
    )


def test_replace_with_add_is_refused(course: Path, run) -> None:
    _config(course, "extract:\n  metadata_labels: {replace: [A], add: [B]}\n")
    result = run("config")
    assert result.exit_code == 2
    assert "give either `replace` or `add`/`remove`" in result.stderr


def test_config_prints_every_key_with_its_value_in_force(course: Path, run) -> None:
    _config(course, "course:\n  id: c1\n  name: Course One\nprune_retired: true\n")
    result = run("config")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# deckgen's configuration in force (deckgen.yaml")
    shown = yaml.safe_load(result.stdout)
    assert shown["course"] == {"id": "c1", "name": "Course One"}
    assert shown["prune_retired"] is True
    assert shown["extract"]["kinds"] == list(KINDS)
    assert "root" not in shown  # where the file lies is not a setting
    as_json = json.loads(run("config", "--json").stdout)
    assert as_json == shown


def test_config_without_a_file_prints_the_defaults(course: Path, run) -> None:
    result = run("config")
    assert "(no config file, over the built-in defaults)" in result.stdout
    assert yaml.safe_load(result.stdout)["lessons"] == "lessons"


def test_kinds_name_every_extractor() -> None:
    assert tuple(EXTRACTORS) == KINDS
