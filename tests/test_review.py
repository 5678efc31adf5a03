"""What `check` and `diff` show a reviewer, through the real CLI: word-level field diffs, every
reason a check failed in its own markdown and json, and notes that never shipped."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

from deckgen.apkg import read_apkg

from .conftest import DECK, DECK_KEY, LESSON, commit_all, edit_lesson, git

COURSE_KEY = "ai-infra-engineer.apkg"  # the course package: `course.id` of this repo's config

# Forty distinct words with no digits in them: a body of numbered words reads as figures, and
# figures make no definition.
WORDS = [
    first + rest for first in "bcdfg" for rest in ("ax", "ex", "ix", "ox", "ux", "ay", "ey", "oy")
]
LONG = " ".join(WORDS)
ARGO = "- **Argo CD:** GitOps continuous delivery\n"
HELM = "- **Helm:** Kubernetes package management\n"
REMOVED_ROW = "| Scaling based on traffic | Scaling based on traffic + training workloads |\n"


def test_a_long_definition_changed_near_its_end_shows_the_changed_words(project: Path, run) -> None:
    edit_lesson("Container orchestration at scale", f"Container orchestration {LONG} at scale")
    assert run("build").exit_code == 0
    edit_lesson(f"{LONG} at scale", f"{LONG} across clusters")

    result = run("check")
    assert result.exit_code == 1
    assert (
        f"      Definition: … {' '.join(WORDS[-8:])} [-at scale-]{{+across clusters+}}\n"
    ) in result.stdout

    markdown = run("check", "--format", "markdown").stdout
    assert f"  - Definition: … {WORDS[-8]} {WORDS[-7]}" in markdown
    assert f"{WORDS[-1]} ~~at scale~~ **across clusters**" in markdown

    data = json.loads(run("check", "--format", "json").stdout)
    (deck,) = [deck for deck in data["stale"]["decks"] if deck["path"] == DECK_KEY]
    (field,) = next(n for n in deck["notes"] if n["label"] == "Kubernetes")["fields"]
    assert field["name"] == "Definition" and field["markup_only"] is False
    assert field["old"].endswith(f"{WORDS[-1]} at scale") and field["new"].endswith(
        "across clusters"
    )
    assert field["words"] == [
        {
            "op": "equal",
            "old": f"Container orchestration {LONG}",
            "new": f"Container orchestration {LONG}",
        },
        {"op": "replace", "old": "at scale", "new": "across clusters"},
    ]


def test_check_markdown_and_json_say_why_it_failed_when_decks_are_stale(repo: Path, run) -> None:
    edit_lesson("Container orchestration at scale", "Container orchestration across clusters")
    markdown = run("check", "--format", "markdown")
    assert markdown.exit_code == 1
    assert (
        "**deckgen check failed**\n\n- deckgen check: decks are stale; run \\`deckgen build\\`"
        in (markdown.stdout)
    )
    assert "Definition: Container orchestration ~~at scale~~ **across clusters**" in (
        markdown.stdout
    )

    result = run("check", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["baseline"] == "HEAD"
    assert data["problems"] == ["deckgen check: decks are stale; run `deckgen build`"]
    assert data["stale"]["changed"] is True and data["against"]["changed"] is True


def test_check_markdown_shows_the_change_for_learners_and_why_it_is_breaking(
    repo: Path, run
) -> None:
    # decks/ is rebuilt, so it is not stale: the failure is the unaliased rename against HEAD.
    edit_lesson("- **Kubernetes:**", "- **K8s:**")
    assert run("build").exit_code == 0
    result = run("check", "--format", "markdown")
    assert result.exit_code == 1
    assert "No changes for learners" not in result.stdout
    assert "- breaking changes for learners of HEAD: below" in result.stdout
    assert "**Breaking changes**" in result.stdout
    assert '\\`aliases: {"K8s": "Kubernetes"}\\`' in result.stdout
    assert f"| `{DECK_KEY}` | 1 | 1 | 1 | 0 | 0 | 0 | 0 | 54 |" in result.stdout

    data = json.loads(run("check", "--format", "json").stdout)
    assert data["ok"] is False and data["stale"]["changed"] is False
    reasons = data["against"]["breaking"]  # the lesson's package, and the course package
    assert [reason.split(":")[0] for reason in reasons] == [DECK_KEY, COURSE_KEY]
    assert all('add `aliases: {"K8s": "Kubernetes"}`' in reason for reason in reasons)
    assert data["problems"] == [f"{reason} (against HEAD)" for reason in reasons]


def test_check_markdown_says_so_when_all_is_well(repo: Path, run) -> None:
    result = run("check", "--format", "markdown")
    assert result.exit_code == 0
    assert result.stdout == "### Deck changes\n\nNo changes for learners.\n"
    assert json.loads(run("check", "--format", "json").stdout)["ok"] is True


def _drop_command(stderr: str) -> str:
    (line,) = [line for line in stderr.splitlines() if "never shipped" in line]
    found = re.search(r"drop them: `(.+)`$", line)
    assert found is not None, line
    return found.group(1)


def _run_shell(command: str, run) -> None:
    """Run a suggested command line: deckgen through the CLI runner, the rest as is."""
    for part in command.split(" && "):
        words = shlex.split(part)
        if words[0] == "deckgen":
            assert run(*words[1:]).exit_code == 0
        else:
            subprocess.run(words, check=True, capture_output=True)


def test_a_retired_note_that_never_shipped_is_listed_and_dropped(repo: Path, run) -> None:
    # Added and removed again between two commits: learners never had the note.
    edit_lesson(HELM, HELM + ARGO)
    assert run("build").exit_code == 0
    edit_lesson(ARGO, "")
    assert "(1 retired)" in run("build").stdout

    result = run("check")
    assert result.exit_code == 1
    assert "decks are stale" not in result.stderr
    assert (
        f"decks/{DECK_KEY}: 1 note never shipped (not in the decks at HEAD) would reach "
        "learners already retired ('Argo CD')"
    ) in result.stderr
    command = _drop_command(result.stderr)
    # The course package holds the note too: both are built again as learners have them.
    assert command == f"git checkout HEAD -- decks/{DECK_KEY} decks/{COURSE_KEY} && deckgen build"

    text = run("diff", "--git", "HEAD").stdout
    assert "  never-shipped deckgen Definition: Argo CD" in text
    assert "never shipped (new to learners of the old decks, and already retired" in text
    markdown = run("diff", "--git", "HEAD", "--format", "markdown").stdout
    assert f"- `{DECK_KEY}`: deckgen Definition: Argo CD" in markdown
    data = json.loads(run("check", "--format", "json").stdout)
    assert data["never_shipped"] == [
        {"deck": DECK_KEY, "labels": ["Argo CD"], "restore": [DECK_KEY, COURSE_KEY], "remove": []}
    ]

    _run_shell(command, run)
    assert run("check").exit_code == 0
    assert "Argo CD" not in {note.fields[0] for note in read_apkg(DECK).notes.values()}


def test_never_shipped_next_to_a_retired_note_that_shipped_rebuilds_over_the_published_deck(
    repo: Path, run
) -> None:
    edit_lesson(REMOVED_ROW, "")
    edit_lesson(HELM, HELM + ARGO)
    assert run("build").exit_code == 0
    commit_all()  # the row's retirement is published; Argo CD too, but only locally
    published = DECK.read_bytes()
    edit_lesson(ARGO, "")
    assert run("build").exit_code == 0

    # Against the first commit, Argo CD never shipped; the retired row did.
    first = subprocess.run(
        ["git", "rev-list", "--max-parents=0", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    result = run("check", "--against", first)
    assert result.exit_code == 1
    command = _drop_command(result.stderr)
    assert (
        command == f"git checkout {first} -- decks/{DECK_KEY} decks/{COURSE_KEY} && deckgen build"
    )
    _run_shell(command, run)
    assert run("check", "--against", first).exit_code == 0
    notes = {note.fields[0]: note for note in read_apkg(DECK).notes.values()}
    assert "Argo CD" not in notes
    (row,) = [
        n for n in read_apkg(DECK).notes.values() if n.fields[1] == "Scaling based on traffic"
    ]
    assert "deckgen::removed" in row.tags
    assert DECK.read_bytes() != published


def test_a_note_built_before_its_alias_was_added_never_shipped(project: Path, run) -> None:
    # Lesson packages only: pruning the lesson's retired notes drops the one that never shipped.
    with Path("deckgen.yaml").open("a", encoding="utf-8") as config:
        config.write("\npackages: [lessons]\n")
    assert run("build").exit_code == 0
    git("init", "-q")
    commit_all()
    # The case: a rename built, then aliased: the note the first build made retires.
    edit_lesson("- **Kubernetes:**", "- **K8s:**")
    assert run("build").exit_code == 0
    with Path("deckgen.yaml").open("a", encoding="utf-8") as config:
        config.write('aliases:\n  "K8s": "Kubernetes"\n')
    assert "(1 retired)" in run("build").stdout

    result = run("check")
    assert result.exit_code == 1
    assert "1 note never shipped (not in the decks at HEAD) would reach learners already " in (
        result.stderr
    )
    assert f"('K8s'); drop them: `deckgen build --prune-retired {LESSON}`" in result.stderr
    _run_shell(_drop_command(result.stderr), run)
    assert run("check").exit_code == 0
    retired = [n for n in read_apkg(DECK).notes.values() if "deckgen::removed" in n.tags]
    assert retired == []
