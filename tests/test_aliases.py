"""`aliases:` in deckgen.yaml: a renamed key keeps its note's GUID, and never steals another's."""

from __future__ import annotations

import json
from pathlib import Path

LESSON = Path("lessons/01-introduction-to-ml-infrastructure.md")


def _guids(run) -> dict[str, str]:
    result = run("list", "--kind", "definition", "--json")
    assert result.exit_code == 0, result.output
    return {record["key"]: record["guid"] for record in map(json.loads, result.stdout.splitlines())}


def _aliases(*lines: str) -> None:
    with Path("deckgen.yaml").open("a", encoding="utf-8") as config:
        config.write("aliases:\n" + "".join(f"  {line}\n" for line in lines))


def _rename(old: str, new: str) -> None:
    LESSON.write_text(LESSON.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_chained_aliases_lead_back_to_the_first_key(project: Path, run) -> None:
    original = _guids(run)["Kubernetes"]
    _rename("- **Kubernetes:**", "- **K8s cluster:**")
    assert _guids(run)["K8s cluster"] != original
    _aliases('"K8s": "Kubernetes"', '"K8s Cluster": "k8s"')
    assert _guids(run)["K8s cluster"] == original


def test_an_alias_whose_old_key_is_still_there_is_not_applied(project: Path, run) -> None:
    before = _guids(run)
    _aliases('"Docker": "Kubernetes"')
    result = run("list", "--kind", "definition")
    assert "alias 'Docker' -> 'kubernetes' not applied: 'Kubernetes' at line 150" in result.stderr
    assert _guids(run) == before


def test_two_new_keys_cannot_take_one_old_key(project: Path, run) -> None:
    original = _guids(run)["Kubernetes"]
    _rename("- **Kubernetes:**", "- **K8s:**")
    _aliases('"K8s": "Kubernetes"', '"Docker": "Kubernetes"')
    result = run("list", "--kind", "definition")
    # The first in lesson order wins; the other keeps a GUID of its own.
    assert "alias 'K8s' -> 'kubernetes' not applied: 'Docker' at line 149" in result.stderr
    guids = _guids(run)
    assert guids["Docker"] == original and guids["K8s"] != original


def test_an_alias_loop_is_a_config_error(project: Path, run) -> None:
    _aliases('"A": "B"', '"b": "a"')
    result = run("build")
    assert result.exit_code == 2
    assert result.stderr.endswith("deckgen.yaml: aliases form a loop: a -> b -> a\n")
