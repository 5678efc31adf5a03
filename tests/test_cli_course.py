"""The course package, `packages:`, lessons with no items and deck titles, through the CLI."""

from __future__ import annotations

import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest

from .conftest import commit_all, git

CONFIG = "course:\n  id: demo\n  name: Demo\n"
FILES = {
    "01-basics/README.md": "# Module 1: Basics\n\nWhat this module covers.\n",
    # Starts at `##`: titled by that heading, not by its file name.
    "01-basics/01-intro.md": "Intro text.\n\n## Getting started\n\n- **Docker:** containers\n",
    "01-basics/02-setup.md": "# 1.2 Setup\n\n- **Podman:** daemonless containers\n",
    "01-basics/10-more.md": "# 1.10 More\n\n- **Helm:** charts\n",
    "notes.md": "# Notes\n\nOnly prose here, nothing to study.\n",
}
COURSE = Path("decks/demo.apkg")
INTRO = Path("decks/01-basics/01-intro.apkg")
# Its title has no number: the one leading its file name orders it.
INTRO_DECK = "Demo::Module 01: Basics::01 Getting started"


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name, text in FILES.items():
        path = tmp_path / "lessons" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (tmp_path / "deckgen.yaml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1780000000")
    return tmp_path


def _configure(text: str) -> None:
    Path("deckgen.yaml").write_text(CONFIG + text, encoding="utf-8")


def _collection(path: Path) -> sqlite3.Connection:
    with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
        data = archive.read("collection.anki2")
    connection = sqlite3.connect(":memory:")
    connection.deserialize(data)
    return connection


def _notes(path: Path) -> dict[str, tuple[int, int, str]]:
    """guid -> (note id, mod, the name of its cards' deck)."""
    connection = _collection(path)
    decks = json.loads(connection.execute("SELECT decks FROM col").fetchone()[0])
    rows = connection.execute(
        "SELECT n.guid, n.id, n.mod, c.did FROM notes n JOIN cards c ON c.nid = n.id"
    )
    found = {guid: (nid, mod, decks[str(did)]["name"]) for guid, nid, mod, did in rows}
    connection.close()
    return found


def _mods(path: Path) -> dict[str, int]:
    return {guid: mod for guid, (_, mod, _) in _notes(path).items()}


def _edit(name: str, old: str, new: str) -> None:
    path = Path("lessons", name)
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_course_package_holds_every_lesson_as_a_subdeck(course: Path, run) -> None:
    result = run("build")
    assert result.exit_code == 0, result.output
    notes = _notes(COURSE)
    assert sorted(deck for _, _, deck in notes.values()) == [
        INTRO_DECK,
        "Demo::Module 01: Basics::01.02 Setup",
        "Demo::Module 01: Basics::01.10 More",
    ]
    # The same notes, with the same GUIDs, note ids and mods, as the lessons' own packages.
    lessons = {}
    for deck in Path("decks").rglob("*.apkg"):
        if deck != COURSE:
            lessons.update(_notes(deck))
    assert {guid: ids[:2] for guid, ids in lessons.items()} == {
        guid: ids[:2] for guid, ids in notes.items()
    }
    assert "decks/demo.apkg" in result.stdout


def test_the_course_package_is_byte_identical_across_rebuilds(
    course: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build").exit_code == 0
    built = COURSE.read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    assert run("build", "--force").exit_code == 0
    assert COURSE.read_bytes() == built
    for cache in Path(".deckgen-cache").iterdir():
        cache.unlink()
    assert run("build", "--jobs", "2").exit_code == 0
    assert COURSE.read_bytes() == built


def test_an_edit_moves_only_its_notes_mod_and_a_retired_note_stays(
    course: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build").exit_code == 0
    before = _mods(COURSE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    _edit("01-basics/02-setup.md", "daemonless containers", "containers without a daemon")
    _edit("01-basics/10-more.md", "- **Helm:** charts\n", "")
    result = run("build")
    assert result.exit_code == 0, result.output
    after = _notes(COURSE)
    moved = {guid for guid, mod in before.items() if after[guid][1] != mod}
    podman = next(g for g, (_, _, deck) in after.items() if deck.endswith("01.02 Setup"))
    assert moved == {podman, *(g for g, (_, _, d) in after.items() if d.endswith("More"))}
    helm = next(g for g, (_, _, deck) in after.items() if deck.endswith("More"))
    assert after[helm][1] == after[podman][1] == 1790000000
    # The retired note stays, in the lesson's subdeck, and the lesson keeps its package.
    assert Path("decks/01-basics/10-more.apkg").exists()
    assert "(1 retired)" in result.stdout


def test_an_edit_reads_back_only_the_decks_the_course_package_does_not_match(
    course: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckgen import builder

    assert run("build").exit_code == 0
    read: list[str] = []
    real = builder.read_previous

    def spy(path: Path, *args: object, **kwargs: object) -> object:
        read.append(path.as_posix())
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builder, "read_previous", spy)
    _edit("01-basics/02-setup.md", "daemonless containers", "containers without a daemon")
    assert run("build", "--jobs", "1").exit_code == 0  # read in this process
    # The course package holds the other lessons' notes as their own packages do.
    setup = "decks/01-basics/02-setup.apkg"
    assert sorted(Path(name).relative_to(Path.cwd()).as_posix() for name in read) == sorted(
        [COURSE.as_posix(), setup]
    )


def test_an_edit_stores_only_the_rows_that_changed(
    course: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckgen.cache import Cache

    assert run("build").exit_code == 0
    stored: list[str] = []
    real = Cache.save

    def spy(self: Cache, key: str, rows: list, *args: object, **kwargs: object) -> None:
        stored.extend(Path(row.output).relative_to(Path.cwd()).as_posix() for row in rows)
        real(self, key, rows, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Cache, "save", spy)
    _edit("01-basics/02-setup.md", "daemonless containers", "containers without a daemon")
    assert run("build", "--jobs", "1").exit_code == 0
    # Every lesson was built for the course package; only two rows are new.
    assert sorted(stored) == sorted(["decks/01-basics/02-setup.apkg", COURSE.as_posix()])
    # The rows kept from before still answer a build with nothing to do.
    again = run("build", "--jobs", "1", "--verbose")
    assert "5 lessons, 0 decks written, 5 lessons from the cache" in again.stderr


def test_a_lesson_built_alone_is_read_back_when_the_course_package_is_older(
    course: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build").exit_code == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    _edit("01-basics/02-setup.md", "daemonless containers", "containers without a daemon")
    # Its own package now holds the edit, and its mod; the course package does not. Named as
    # a build of the course finds it, so that its plan stands there.
    assert run("build", str(Path.cwd() / "lessons/01-basics/02-setup.md")).exit_code == 0
    saved = {path: path.read_bytes() for path in Path("decks").rglob("*.apkg")}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    assert run("build").exit_code == 0
    cached = {path: path.read_bytes() for path in Path("decks").rglob("*.apkg")}
    for path, data in saved.items():
        path.write_bytes(data)
    assert run("build", "--force").exit_code == 0
    assert {path: path.read_bytes() for path in Path("decks").rglob("*.apkg")} == cached
    assert 1790000000 in _mods(COURSE).values()
    assert 1800000000 not in _mods(COURSE).values()


def test_switching_packages_back_and_forth_keeps_every_mod(
    course: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("build").exit_code == 0
    first = _mods(COURSE)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1790000000")
    _configure("packages: [course]\n")
    _edit("01-basics/02-setup.md", "daemonless containers", "containers without a daemon")
    assert run("build").exit_code == 0
    edited = _mods(COURSE)
    assert sum(edited[guid] != mod for guid, mod in first.items()) == 1
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    # The lesson packages on disk are from before the edit: the course package is newer.
    _configure("packages: [lessons]\n")
    assert run("build").exit_code == 0
    lessons: dict[str, int] = {}
    for deck in Path("decks").rglob("*.apkg"):
        if deck != COURSE:
            lessons.update(_mods(deck))
    assert lessons == edited
    COURSE.unlink()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1810000000")
    _configure("packages: [course, lessons]\n")
    assert run("build").exit_code == 0
    assert _mods(COURSE) == edited


def test_packages_picks_what_is_written(course: Path, run) -> None:
    _configure("packages: [course]\n")
    result = run("build")
    assert result.exit_code == 0, result.output
    assert sorted(p.as_posix() for p in Path("decks").rglob("*.apkg")) == [COURSE.as_posix()]
    assert "lessons/01-basics/02-setup.md: 1 definition, 0 comparisons" in result.stdout
    assert "(course package only)" in result.stdout
    assert run("check").exit_code == 0
    _configure("packages: [lessons]\n")
    assert run("build").exit_code == 0
    check = run("check")
    assert check.exit_code == 1
    assert "decks/demo.apkg: no lesson builds this deck" in check.stderr


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "packages: [course, lesson]\n",
            "deckgen.yaml:4: packages[1]: unknown value 'lesson' (did you mean 'lessons'?); "
            "known: course, lessons",
        ),
        ("packages: []\n", "deckgen.yaml:4: packages: name at least one of course, lessons"),
        (
            "deck_titles: legacyy\n",
            "deckgen.yaml:4: deck_titles: unknown value 'legacyy' (did you mean 'legacy'?); "
            "known: numbered, legacy",
        ),
    ],
)
def test_a_wrong_value_is_named_with_its_line(
    course: Path, run, setting: str, message: str
) -> None:
    _configure(setting)
    result = run("build")
    assert result.exit_code == 2
    assert message in result.stderr
    assert not Path("decks").exists()


def test_a_lesson_named_like_the_course_package_is_refused(course: Path, run) -> None:
    Path("lessons/demo.md").write_text("# Demo\n\n- **Kind:** k8s in docker\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 2
    assert "the course package and a lesson's deck would both be" in result.stderr
    _configure("packages: [course]\n")
    assert run("build").exit_code == 2
    _configure("packages: [lessons]\n")
    assert run("build").exit_code == 0
    assert Path("decks/demo.apkg").exists() and run("check").exit_code == 0


def test_a_course_id_that_leaves_the_decks_folder_is_refused(course: Path, run) -> None:
    Path("deckgen.yaml").write_text("course:\n  id: ../up\n", encoding="utf-8")
    result = run("build")
    assert result.exit_code == 2
    assert "deckgen.yaml:2: course.id '../up' would put the course package outside" in result.stderr
    assert not Path("up.apkg").exists()


def test_a_lesson_with_no_items_writes_no_deck_and_check_agrees(course: Path, run) -> None:
    result = run("build")
    assert "lessons/notes.md: no study items, no deck written\n" in result.stdout
    assert not Path("decks/notes.apkg").exists()
    assert "Notes" not in " ".join(deck for _, _, deck in _notes(COURSE).values())
    assert run("check").exit_code == 0
    assert run("build").stdout.count("lessons/notes.md: no study items, no deck written") == 1


def test_check_reports_a_missing_or_stale_course_package(course: Path, run) -> None:
    assert run("build").exit_code == 0
    COURSE.unlink()
    missing = run("check")
    assert missing.exit_code == 1
    assert "demo.apkg" in missing.stdout and "decks are stale" in missing.stderr
    assert run("build").exit_code == 0
    _edit("01-basics/02-setup.md", "daemonless containers", "containers without a daemon")
    run("build", "lessons/01-basics/02-setup.md")  # the lesson alone: not the course package
    stale = run("check")
    assert stale.exit_code == 1
    assert "demo.apkg" in stale.stdout and "01-basics/02-setup.apkg" not in stale.stdout


def test_diff_compares_two_course_packages(course: Path, run) -> None:
    assert run("build").exit_code == 0
    old = Path("old.apkg")
    old.write_bytes(COURSE.read_bytes())
    _edit("01-basics/02-setup.md", "daemonless containers", "containers without a daemon")
    Path("lessons/01-basics/03-more.md").write_text(
        "# 1.3 Kubernetes\n\n- **Kind:** k8s in docker\n", encoding="utf-8"
    )
    assert run("build").exit_code == 0
    result = run("diff", str(old), str(COURSE))
    assert result.exit_code == 0, result.output
    assert "Podman" in result.stdout and "Kind" in result.stdout
    assert "renamed" not in result.stdout  # a new lesson is a new subdeck, not a rename


def test_deck_titles_sort_in_course_order(course: Path, run) -> None:
    for number, term in ((2, "Ingress"), (10, "Egress")):
        Path(f"lessons/{number:02}-part.md").write_text(
            f"# Lesson {number}: Part\n\n- **{term}:** traffic across the cluster edge\n",
            encoding="utf-8",
        )
    assert run("build").exit_code == 0
    names = [deck for _, _, deck in _notes(COURSE).values()]
    in_course_order = [
        "Demo::Lesson 02: Part",
        "Demo::Lesson 10: Part",
        INTRO_DECK,
        "Demo::Module 01: Basics::01.02 Setup",
        "Demo::Module 01: Basics::01.10 More",
    ]
    # Anki lists decks sorted by name, ignoring case.
    assert sorted(set(names), key=str.casefold) == in_course_order


def test_legacy_titles_keep_a_published_course_s_deck_names(course: Path, run) -> None:
    _configure("deck_titles: legacy\n")
    assert run("build").exit_code == 0
    assert sorted({deck for _, _, deck in _notes(COURSE).values()}) == [
        "Demo::Module 1: Basics::01-intro",
        "Demo::Module 1: Basics::1.10 More",
        "Demo::Module 1: Basics::1.2 Setup",
    ]


def test_check_flags_a_deck_title_change_and_guids_stay(course: Path, run) -> None:
    _configure("deck_titles: legacy\n")
    assert run("build").exit_code == 0
    before = _notes(INTRO)
    git("init", "-q")
    commit_all()
    _configure("")  # back to numbered titles: every deck is renamed
    assert run("build").exit_code == 0
    check = run("check")
    assert check.exit_code == 1
    assert "deck renamed from 'Demo::Module 1: Basics::01-intro' to " in check.stderr
    after = _notes(INTRO)
    assert {guid: ids[:2] for guid, ids in after.items()} == {
        guid: ids[:2] for guid, ids in before.items()
    }
    assert {deck for _, _, deck in after.values()} == {INTRO_DECK}
