"""`deckgen diff` through the real CLI: the import plan, its formats, exit codes, usage errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from .conftest import DECK, DECK_KEY, edit_lesson


def test_diff_lists_the_import_plan(repo: Path, run, tmp_path: Path) -> None:
    old = tmp_path / "old.apkg"
    shutil.copy(DECK, old)
    edit_lesson("Container orchestration at scale", "Container orchestration across clusters")
    row = "| Scaling based on traffic | Scaling based on traffic + training workloads |\n"
    edit_lesson(row, "")
    edit_lesson(
        "- **Helm:** Kubernetes package management\n",
        "- **Helm:** Kubernetes package management\n- **Argo CD:** GitOps delivery\n",
    )
    assert run("build").exit_code == 0

    result = run("diff", str(old), str(DECK))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == (
        f"{DECK_KEY}: 1 new, 2 updated, 1 retired, 53 unchanged"
    )
    assert "  new         deckgen Definition: Argo CD" in result.stdout
    assert "  retired     deckgen Comparison: Traditional Infrastructure = Scaling based" in (
        result.stdout
    )
    assert "tags added: deckgen::removed" in result.stdout

    assert run("diff", "--exit-code", str(old), str(DECK)).exit_code == 1
    assert run("diff", "--exit-code", str(DECK), str(DECK)).exit_code == 0
    assert run("diff", str(DECK), str(DECK)).stdout == "no changes\n"

    markdown = run("diff", "--git", "HEAD", "--format", "markdown").stdout
    assert f"| `{DECK_KEY}` | 1 | 2 | 1 | 0 | 0 | 0 | 0 | 53 |" in markdown
    assert "- **new** deckgen Definition: Argo CD" in markdown

    data = json.loads(run("diff", "--git", "HEAD", "--format", "json").stdout)
    assert data["changed"] is True and data["breaking"] == []
    assert data["decks"][0]["counts"] == {"new": 1, "updated": 2, "retired": 1, "unchanged": 53}

    pruned = run("build", "--prune-retired")
    assert pruned.exit_code == 0
    counts = json.loads(run("diff", "--git", "HEAD", "--format", "json").stdout)["decks"][0]
    assert counts["counts"]["pruned"] == 1


def test_diff_directories_and_usage_errors(repo: Path, run, tmp_path: Path) -> None:
    assert run("diff", "decks", "decks", "--exit-code").exit_code == 0
    empty = tmp_path / "none"
    empty.mkdir()
    result = run("diff", str(empty), "decks")
    assert result.stdout.startswith(f"{DECK_KEY}: 56 new")

    assert run("diff").exit_code == 2
    assert run("diff", "decks").exit_code == 2
    result = run("diff", "decks", "decks", "--git", "HEAD")
    assert result.exit_code == 2 and "not both" in result.stderr
    result = run("diff", "missing.apkg", "decks")
    assert result.exit_code == 2
    assert result.stderr == "missing.apkg: no such file or directory\n"
