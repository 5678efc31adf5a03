"""A moved or renamed lesson keeps its notes: `moved:` in deckgen.yaml, and `check` spotting a
move nobody mapped, through the real CLI."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from deckgen.apkg import StoredDeck, StoredNote, read_apkg, read_apkg_bytes
from deckgen.diagnostics import ConfigError
from deckgen.identity import Moves
from deckgen.notediff import diff

from .conftest import DECK, DECK_KEY, LESSON, git

NEW_LESSON = Path("lessons/module-1/01-intro.md")
NEW_DECK = Path("decks/module-1/01-intro.apkg")
RENAMED = Path("lessons/01-intro.md")
RENAMED_DECK = Path("decks/01-intro.apkg")


def read_apkg_at_head() -> dict[str, object]:
    """The notes of the deck committed at HEAD."""
    data = subprocess.run(["git", "show", f"HEAD:{DECK}"], capture_output=True, check=True).stdout
    return dict(read_apkg_bytes(data, DECK).notes)


def _where(key: str) -> tuple[Path, int | None]:
    return Path("deckgen.yaml"), 7


def test_moves_follow_chains_to_the_first_path() -> None:
    moves = Moves.resolve({"a.md": "b.md", "b.md": "m/c.md", "x/y.md": "z.md"}, _where)
    assert moves.origin("m/c") == "a"
    assert moves.earlier["m/c"] == ("b", "a")
    assert moves.origin("z") == "x/y"
    assert moves.origin("unmoved") == "unmoved"


@pytest.mark.parametrize(
    ("moved", "message"),
    [
        ({"a.md": "b.md", "b.md": "a.md"}, "moved: entries form a loop: "),
        ({"a.md": "c.md", "b.md": "c.md"}, "moved.b.md: c.md already moved from a.md"),
        ({"a.md": "a.md"}, "moved.a.md: a lesson cannot move to its own path"),
        ({"a.md": "../b.md"}, "moved.a.md: '../b.md' is not a lesson path"),
        ({"a.txt": "b.md"}, "moved.a.txt: 'a.txt' is not a lesson path"),
    ],
)
def test_bad_moves_are_config_errors(moved: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Moves.resolve(moved, _where)
    assert str(raised.value.diagnostic).startswith(f"deckgen.yaml:7: {message}")


def _config_with(entry: str) -> None:
    with Path("deckgen.yaml").open("a", encoding="utf-8") as config:
        config.write(f"\nmoved:\n  {entry}\n")


def _config_line(entry_key: str) -> int:
    lines = Path("deckgen.yaml").read_text(encoding="utf-8").splitlines()
    return next(number for number, line in enumerate(lines, 1) if entry_key in line)


def test_a_move_to_a_lesson_that_does_not_exist_is_a_config_error(project: Path, run) -> None:
    _config_with('"old.md": "no-such-lesson.md"')
    result = run("build")
    assert result.exit_code == 2
    assert result.stderr == (
        f"deckgen.yaml:{_config_line('old.md')}: moved.old.md: there is no lesson "
        "lessons/no-such-lesson.md\n"
    )
    assert run("check").exit_code == 2
    assert not DECK.exists()


def test_a_move_whose_old_lesson_still_exists_is_a_config_error(project: Path, run) -> None:
    NEW_LESSON.parent.mkdir()
    NEW_LESSON.write_text("# Intro\n\n- **Term:** a definition\n", encoding="utf-8")
    _config_with(f'"{LESSON.name}": "module-1/01-intro.md"')
    result = run("build")
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"deckgen.yaml:{_config_line(LESSON.name)}: moved.{LESSON.name}: {LESSON} still exists"
    )


def _guids(deck: Path) -> set[str]:
    return set(read_apkg(deck).notes)


def test_check_spots_a_move_and_the_suggested_line_keeps_every_guid(repo: Path, run) -> None:
    published = _guids(DECK)
    git("mv", str(LESSON), str(RENAMED))

    result = run("check")
    assert result.exit_code == 1
    suggested = f'moved: {{"{LESSON.name}": "01-intro.md"}}'
    assert (
        f"{DECK_KEY} left while 01-intro.apkg arrived with 56 of its 56 notes' keys under new "
        f"GUIDs: if the lesson moved, add `{suggested}` to deckgen.yaml"
    ) in result.stderr
    # The old deck is not called an orphan to delete: the move's line says what to do.
    assert "no lesson builds this deck" not in result.stderr
    data = json.loads(run("check", "--format", "json").stdout)
    assert [move["config"] for move in data["against"]["moves"]] == [suggested]

    found = re.search(r"add `(moved: .+?)` to deckgen.yaml", result.stderr)
    assert found is not None
    with Path("deckgen.yaml").open("a", encoding="utf-8") as config:
        config.write(f"\n{found.group(1)}\n")
    assert run("build").exit_code == 0
    # The deck follows the new path, its notes keep the old GUIDs, and its Anki name stays.
    assert _guids(RENAMED_DECK) == published
    assert read_apkg(RENAMED_DECK).deck_names == read_apkg(DECK).deck_names
    listed = {json.loads(line)["guid"] for line in run("list", "--json").stdout.splitlines()}
    assert listed <= published

    result = run("check")
    assert result.exit_code == 1
    assert f"decks/{DECK_KEY}: no lesson builds this deck; its lesson moved" in result.stderr
    git("rm", "-q", str(DECK))
    result = run("check")
    assert result.exit_code == 0, result.stderr

    text = run("diff", "--git", "HEAD").stdout
    assert text.splitlines()[0] == f"01-intro.apkg (moved from {DECK_KEY}): 56 updated"
    assert "      tags added: deckgen::lesson::01-intro\n" in text


def test_a_move_to_another_module_renames_the_anki_deck(repo: Path, run) -> None:
    NEW_LESSON.parent.mkdir()
    git("mv", str(LESSON), str(NEW_LESSON))
    _config_with(f'"{LESSON.name}": "module-1/01-intro.md"')
    assert run("build").exit_code == 0
    git("rm", "-q", str(DECK))
    assert _guids(NEW_DECK) == set(read_apkg_at_head())
    # Anki files existing cards under the deck name they had: check keeps flagging it.
    result = run("check")
    assert result.exit_code == 1
    assert (
        "module-1/01-intro.apkg: deck renamed from 'AI Infrastructure Engineer::Lesson 01: "
        "Introduction to ML Infrastructure' to 'AI Infrastructure Engineer::module-1::Lesson 01"
    ) in result.stderr


def test_a_move_built_before_its_mapping_leaves_notes_that_never_shipped(repo: Path, run) -> None:
    published = _guids(DECK)
    git("mv", str(LESSON), str(RENAMED))
    assert run("build").exit_code == 0  # before the mapping: all-new GUIDs in 01-intro.apkg
    _config_with(f'"{LESSON.name}": "01-intro.md"')
    assert "(56 retired)" in run("build").stdout  # the new GUIDs retire, never having shipped
    git("rm", "-q", str(DECK))

    result = run("check")
    assert result.exit_code == 1
    assert "decks/01-intro.apkg: 56 notes never shipped" in result.stderr
    # The course package holds the moved lesson's notes under the tag of its old path too.
    assert (
        "drop them: `git checkout HEAD -- decks/ai-infra-engineer.apkg && "
        "rm decks/01-intro.apkg && deckgen build`"
    ) in result.stderr
    git("checkout", "HEAD", "--", "decks/ai-infra-engineer.apkg")
    RENAMED_DECK.unlink()
    assert run("build").exit_code == 0
    assert _guids(RENAMED_DECK) == published
    result = run("check")
    assert result.exit_code == 0, result.stderr


def _deck(notes: dict[str, str]) -> StoredDeck:
    """A package with one note per GUID, keyed by its one field."""
    stored = {guid: StoredNote(guid, 1, 1, (key,), ()) for guid, key in notes.items()}
    return StoredDeck(Path("x.apkg"), ("X",), {}, stored, ())


def test_a_moved_deck_pairs_with_the_smallest_package_holding_its_notes() -> None:
    lesson = {"g1": "Image", "g2": "Container", "g3": "Volume"}
    course = _deck({**lesson, "g4": "Pod", "g5": "Node"})  # every lesson's notes
    result = diff({"a.apkg": _deck(lesson)}, {"all.apkg": course, "b.apkg": _deck(lesson)})
    decks = {deck.path: deck for deck in result.decks}
    assert set(decks) == {"all.apkg", "b.apkg"}
    assert decks["b.apkg"].moved_from == "a.apkg"
    assert decks["b.apkg"].counts == {"unchanged": 3}
    assert result.moves == ()

    # The same keys under new GUIDs: a move nobody mapped.
    renamed = {"n1": "Image", "n2": "Container", "n3": "Volume"}
    course = _deck({**renamed, "g4": "Pod", "g5": "Node"})
    result = diff({"a.apkg": _deck(lesson)}, {"all.apkg": course, "b.apkg": _deck(renamed)})
    assert [(m.old_path, m.new_path, m.shared, m.total) for m in result.moves] == [
        ("a.apkg", "b.apkg", 3, 3)
    ]
    assert result.moves[0].config_line == 'moved: {"a.md": "b.md"}'
    # Fewer than half of the keys: not a move.
    few = {"n1": "Image", "n4": "Other", "n5": "Else"}
    assert diff({"a.apkg": _deck(lesson)}, {"b.apkg": _deck(few)}).moves == ()


def test_an_edit_beside_a_moved_lesson_keeps_the_build_cache(project: Path, run) -> None:
    """The cache checks a stored plan by rendering its items again; a moved lesson's GUIDs hash
    its first path, so that check must too, or every edit elsewhere throws the cache away."""
    LESSON.rename(RENAMED)
    _config_with(f'"{LESSON.name}": "01-intro.md"')
    other = Path("lessons/02-other.md")
    other.write_text("# Other\n\n## Glossary\n\n- **Pod**: the smallest unit.\n", encoding="utf-8")
    assert run("build").exit_code == 0
    with other.open("a", encoding="utf-8") as lesson:
        lesson.write("- **Node**: a worker machine.\n")
    result = run("build")
    assert result.exit_code == 0
    assert "cache" not in result.stderr, result.stderr
    assert "01-intro.apkg (unchanged)" in result.stdout
