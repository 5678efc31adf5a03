"""`deckgen check` through the real CLI: exit codes, messages, renderings."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from deckgen.apkg import read_apkg
from deckgen.notetypes import DEFINITION

from .conftest import DECK, DECK_KEY, commit_all, edit_lesson
from .test_card_design_e2e import _redesign


def test_rebuild_without_change_is_byte_identical_and_check_passes(
    project: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build").exit_code == 0
    first = DECK.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")  # later: unchanged notes keep mods
    result = run("build")
    assert "(unchanged)" in result.output
    assert DECK.read_bytes() == first
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "up to date (2 decks)" in result.stderr


def test_fresh_build_with_source_date_epoch_is_byte_identical(project: Path, run) -> None:
    assert run("build").exit_code == 0
    first = DECK.read_bytes()
    shutil.rmtree("decks")
    assert run("build").exit_code == 0
    assert DECK.read_bytes() == first


def test_check_names_the_changed_note_when_decks_are_stale(project: Path, run) -> None:
    assert run("build").exit_code == 0
    edit_lesson("Container orchestration at scale", "Container orchestration across clusters")
    before = DECK.read_bytes()
    result = run("check")
    assert result.exit_code == 1
    assert "decks are stale; run `deckgen build`" in result.stderr
    assert "updated     deckgen Definition: Kubernetes" in result.stdout
    assert "Definition: Container orchestration [-at scale-]{+across clusters+}" in result.stdout
    assert DECK.read_bytes() == before  # check writes nothing
    assert run("build").exit_code == 0
    assert run("check").exit_code == 0


def test_check_fails_when_a_deck_is_missing(project: Path, run) -> None:
    result = run("check")
    assert result.exit_code == 1
    assert "56 new" in result.stdout


def _rewrite_definition_in(package: Path, change: Callable[[dict], None]) -> None:
    """Rewrite the Definition note type's JSON inside a package, leaving everything else."""
    with zipfile.ZipFile(package) as archive:
        database = archive.read("collection.anki2")
        media = archive.read("media")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(database)
    models = json.loads(connection.execute("select models from col").fetchone()[0])
    change(models[str(DEFINITION.id)])
    connection.execute("update col set models = ?", (json.dumps(models),))
    connection.commit()
    database = connection.serialize()
    connection.close()
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("collection.anki2", database)
        archive.writestr("media", media)


def test_check_reports_a_note_type_field_change_under_the_same_id(repo: Path, run) -> None:
    # The committed decks were published with another field list for the same note type id
    # (as many fields as the notes have: a note with more is no deck deckgen reads).
    def older_fields(model: dict) -> None:
        fields = ["Term", "Definition", "Section", "Source", "Extra"]
        model["flds"] = [{**model["flds"][0], "name": n, "ord": i} for i, n in enumerate(fields)]

    _rewrite_definition_in(DECK, older_fields)
    commit_all()
    assert run("build").exit_code == 0  # decks/ is rebuilt: not stale, still breaking
    result = run("check")
    assert result.exit_code == 1
    assert "decks are stale" not in result.stderr
    assert f"note type 'deckgen Definition' ({DEFINITION.id}) fields" in result.stderr
    assert "changed under the same id (against HEAD)" in result.stderr
    assert "is conflicting" in result.stderr


def test_a_card_design_change_is_an_update_not_a_breaking_change(
    repo: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    _redesign(monkeypatch)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert run("build").exit_code == 0
    result = run("check")
    assert result.exit_code == 0, result.output

    text = run("diff", "--git", "HEAD").stdout
    assert text.splitlines()[0] == f"{DECK_KEY}: 56 unchanged"
    assert (
        f"  note type updated: deckgen Definition ({DEFINITION.id}): template text changed "
        "(Term → Definition); CSS changed; newer mod: importing replaces the learner's copy"
    ) in text
    data = json.loads(run("diff", "--git", "HEAD", "--format", "json").stdout)
    assert data["breaking"] == []
    assert {t["status"] for t in data["decks"][0]["notetypes"]} == {"updated"}


def test_a_card_design_change_without_a_newer_mod_is_breaking(
    repo: Path, run, tmp_path: Path
) -> None:
    changed = tmp_path / DECK_KEY
    shutil.copy(DECK, changed)
    _rewrite_definition_in(changed, lambda model: model.update(css=model["css"] + ".x {}"))
    result = run("diff", str(DECK), str(changed))
    assert f"note type not-newer: deckgen Definition ({DEFINITION.id}): CSS changed" in (
        result.stdout
    )
    assert (
        f"{DECK_KEY}: note type 'deckgen Definition' ({DEFINITION.id}) CSS changed; "
        "its mod is not newer, so learners keep the old design"
    ) in result.stdout.split("breaking changes:")[1]
    # The notes themselves still import: only the design stays behind.
    assert "conflicting" not in result.stdout


def test_check_suggests_an_alias_for_an_unaliased_rename(repo: Path, run) -> None:
    edit_lesson("- **Kubernetes:**", "- **K8s:**")
    assert run("build").exit_code == 0
    result = run("check")
    assert result.exit_code == 1
    assert "'Kubernetes'" in result.stderr and "'K8s'" in result.stderr
    assert 'add `aliases: {"K8s": "Kubernetes"}`' in result.stderr

    subprocess.run(["git", "checkout", "-q", "--", "decks"], check=True)
    with Path("deckgen.yaml").open("a", encoding="utf-8") as config:
        config.write('aliases:\n  "k8s.": "KUBERNETES"\n')  # keys match normalized
    assert run("build").exit_code == 0
    result = run("check")
    assert result.exit_code == 0, result.stderr
    notes = {n.fields[0]: n for n in read_apkg(DECK).notes.values()}
    assert "Kubernetes" not in notes
    diff = json.loads(run("diff", "--git", "HEAD", "--format", "json").stdout)
    changed = {n["label"]: n for n in diff["decks"][0]["notes"] if n["status"] != "unchanged"}
    # The renamed term updates in place; the self-check excerpt quoting it changes too.
    assert sorted(changed) == ["K8s", "What technologies will you learn in this curriculum?"]
    assert changed["K8s"]["status"] == "updated"
    assert [f["name"] for f in changed["K8s"]["fields"]] == ["Term"]


def test_check_reports_a_renamed_deck(repo: Path, run) -> None:
    edit_lesson("# Lesson 01: Introduction to ML Infrastructure", "# Lesson 01: ML Infrastructure")
    assert run("build").exit_code == 0
    result = run("check")
    assert result.exit_code == 1
    assert "deck renamed from 'AI Infrastructure Engineer::Lesson 01: Introduction" in (
        result.stderr
    )


def test_check_against_an_unknown_revision_is_a_usage_error(repo: Path, run) -> None:
    result = run("check", "--against", "no-such-branch")
    assert result.exit_code == 2
    assert result.stderr == "no-such-branch: not a git revision (commit, branch or tag)\n"


def test_check_fails_on_a_deck_no_lesson_builds(project: Path, run) -> None:
    assert run("build").exit_code == 0
    shutil.copy(DECK, "decks/old-lesson.apkg")
    result = run("check")
    assert result.exit_code == 1
    assert "decks/old-lesson.apkg: no lesson builds this deck" in result.stderr
