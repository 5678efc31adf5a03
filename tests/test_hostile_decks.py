"""Every `.apkg` is untrusted: a hostile or broken one costs one line and exit 1, never exit 3,
never a hang, never unbounded memory; one in `decks/` stops build and check until it is fixed."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from deckgen import apkg, compare, sqlite_guard
from deckgen.apkg import DeckError, read_apkg, read_apkg_bytes

from .conftest import DECK, commit_all, git
from .hostile_decks import members, real_deck, watchdog, with_sql, zip_bomb, zipped

PREFIX = "not a deck deckgen can read: "
LFS = b"version https://git-lfs.github.com/spec/v1\noid sha256:" + b"0" * 64 + b"\nsize 18768\n"


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return real_deck(tmp_path_factory.mktemp("good"))


def _diff_refuses(
    run: Callable[..., Result],
    data: bytes | None,
    good: bytes,
    hostile: Path = Path("hostile.apkg"),  # in tmp_path, the cwd
) -> str:
    """`deckgen diff hostile good`: exit 1 and one line naming the hostile file (written
    with `data`, unless None: then it is there already)."""
    fine = Path("fine.apkg")
    if data is not None:
        hostile.write_bytes(data)
    fine.write_bytes(good)
    result = run("diff", str(hostile), str(fine))
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"{hostile}: {PREFIX}"), line
    return line.removeprefix(f"{hostile}: {PREFIX}")


def _view_as_notes() -> tuple[str, ...]:
    return (
        "DROP TABLE notes",
        "CREATE VIEW notes AS WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r)"
        " SELECT n AS id, 'g' || n AS guid, 1 AS mid, 1 AS mod, '' AS flds, '' AS tags FROM r",
    )


CASES: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "not a zip": (lambda good: b"hello, not a zip at all" * 10, "not a zip archive"),
    "empty file": (lambda good: b"", "an empty file"),
    "truncated zip": (lambda good: good[: len(good) // 2], "a damaged zip archive"),
    "empty zip": (lambda good: zipped({}), "no collection inside"),
    "missing collection": (lambda good: zipped({"media": b"{}"}), "no collection inside"),
    "collection not sqlite": (
        lambda good: zipped({"collection.anki2": b"SQLite format 2\0" + bytes(5000)}),
        "its collection is not a readable database",
    ),
    "recursive view as notes": (
        lambda good: with_sql(good, *_view_as_notes()),
        "its collection holds a view ('notes')",
    ),
    "view named col beside the table": (
        lambda good: with_sql(
            good, "DROP TABLE col", "CREATE VIEW col AS SELECT '{}' AS models, '{}' AS decks"
        ),
        "its collection holds a view ('col')",
    ),
    "trigger": (
        lambda good: with_sql(
            good, "CREATE TRIGGER t AFTER INSERT ON notes BEGIN DELETE FROM cards; END"
        ),
        "its collection holds a trigger ('t')",
    ),
    "unexpected table": (
        lambda good: with_sql(good, "CREATE TABLE extra (x)"),
        "its collection holds an unexpected table ('extra')",
    ),
    "generated column": (
        lambda good: with_sql(
            good,
            "ALTER TABLE notes RENAME TO old_notes",
            "CREATE TABLE notes (id INTEGER, guid TEXT, mid INTEGER, mod INTEGER, tags TEXT,"
            " flds TEXT GENERATED ALWAYS AS (zeroblob(2000000000)) VIRTUAL)",
            "DROP TABLE old_notes",
        ),
        "its collection has generated columns in 'notes'",
    ),
    "virtual table as notes": (
        lambda good: with_sql(
            good,
            "DROP TABLE notes",
            "CREATE VIRTUAL TABLE notes USING fts5(id, guid, mid, mod, flds, tags)",
        ),
        "its collection has a virtual table ('notes')",
    ),
    "wrong column type": (
        lambda good: with_sql(good, "UPDATE notes SET mid = 'not a number'"),
        "is not a number Anki writes",
    ),
    "negative mod": (
        lambda good: with_sql(good, "UPDATE notes SET mod = -5"),
        "is not a number Anki writes (-5)",
    ),
    "guid not text": (
        lambda good: with_sql(good, "UPDATE notes SET guid = x'00ff'"),
        "has no valid GUID",
    ),
    "field count": (
        lambda good: with_sql(good, "UPDATE notes SET flds = flds || char(31) || 'x'"),
        "fields, its note type 5",
    ),
    "duplicate guid": (
        lambda good: with_sql(good, "UPDATE notes SET guid = 'same'"),
        "two notes share the GUID 'same'",
    ),
    "note type missing": (
        lambda good: with_sql(good, "UPDATE notes SET mid = 12345"),
        "has a note type the deck lacks (12345)",
    ),
    "bad models JSON": (
        lambda good: with_sql(good, "UPDATE col SET models = '{not json'"),
        "its note types are not JSON",
    ),
    "models JSON of the wrong shape": (
        lambda good: with_sql(good, """UPDATE col SET models = '{"1": {"id": 1}}'"""),
        "a note type lacks 'flds'",
    ),
    "deeply nested models JSON": (
        lambda good: with_sql(good, f"UPDATE col SET models = '{'[' * 100000}'"),
        "its note types are not JSON",
    ),
    "two col rows": (
        lambda good: with_sql(
            good,
            "CREATE TABLE c2 AS SELECT * FROM col",
            "UPDATE c2 SET id = id + 1",
            "INSERT INTO col SELECT * FROM c2",
            "DROP TABLE c2",
        ),
        "2 rows in 'col', not 1",
    ),
    "git-LFS pointer": (lambda good: LFS, "a git-LFS pointer, not the deck itself"),
    "two members with one name": (
        lambda good: _twice(good),
        "two members are named 'collection.anki2'",
    ),
    "bzip2 member": (
        lambda good: zipped(members(good), zipfile.ZIP_BZIP2),
        "uses compression method 12",
    ),
    "media map not a map": (
        lambda good: zipped({**members(good), "media": b"[1, 2]"}),
        "its media member is not a map of file names",
    ),
    "unknown package version": (
        lambda good: zipped({"meta": b"\x08\x07", **members(good)}),
        "a package of unknown version 7",
    ),
    "meta names a missing collection": (
        lambda good: zipped({"meta": b"\x08\x02", **members(good)}),
        "its meta names collection.anki21, which is missing",
    ),
    "damaged meta": (
        lambda good: zipped({"meta": b"\x08\xff", **members(good)}),
        "a damaged meta member",
    ),
    "zip bomb": (lambda good: zip_bomb(300), "inflates more than 100 times its size"),
    "zip bomb whose header lies": (lambda good: zip_bomb(300, declared=100), "damaged zip"),
    "ratio bomb under the size cap": (
        lambda good: zip_bomb(64),
        "inflates more than 100 times its size",
    ),
}


def _twice(good: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile's own warning of the duplicate name
        archive.writestr("collection.anki2", b"decoy")
        for name, data in members(good).items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("case", list(CASES))
def test_a_malformed_deck_is_one_line_and_exit_1(
    case: str, good: bytes, run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    make, why = CASES[case]
    hostile = make(good)
    with watchdog(300):
        assert why in _diff_refuses(run, hostile, good)


def test_the_good_deck_reads(good: bytes) -> None:
    deck = read_apkg_bytes(good, Path("good.apkg"))
    assert sorted(note.fields[0] for note in deck.notes.values()) == ["Okapi", "Tapir"]


def test_a_zip_bomb_is_refused_within_bounded_memory(tmp_path: Path) -> None:
    # 2 GiB of zeros in ~2 MiB; the reader runs with 1 GiB of address space at most.
    bomb = tmp_path / "bomb.apkg"
    bomb.write_bytes(zip_bomb(2048))
    assert bomb.stat().st_size < 4 << 20
    script = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))\n"
        "from pathlib import Path\n"
        "from deckgen.apkg import DeckError, read_apkg\n"
        "try:\n"
        "    read_apkg(Path(sys.argv[1]))\n"
        "except DeckError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(bomb)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    assert f"{PREFIX}member 'collection.anki2' inflates more than 100 times" in done.stdout


def test_a_member_past_the_size_cap_is_refused_whatever_its_ratio(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(apkg, "MAX_RATIO", 10**9)
    monkeypatch.setattr(apkg, "MAX_COLLECTION_BYTES", 8 << 20)
    with pytest.raises(DeckError, match=r"member 'collection\.anki2' inflates past 8388608 bytes"):
        read_apkg_bytes(zip_bomb(16), Path("bomb.apkg"))


def test_a_deck_that_takes_too_long_to_read_is_refused(
    good: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The step budget interrupts any statement; here a budget no deck fits in.
    monkeypatch.setattr(sqlite_guard, "STEP_BUDGET", 0)
    monkeypatch.setattr(sqlite_guard, "STEP_INTERVAL", 1)
    with pytest.raises(DeckError, match="its collection takes too long to read"):
        read_apkg_bytes(good, Path("slow.apkg"))


def test_too_many_members_are_refused_before_zipfile_parses_them(
    good: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apkg, "MAX_MEMBERS", 10)
    many = zipped({**members(good), **{str(n): b"" for n in range(20)}})
    with pytest.raises(DeckError, match=r"22 members in a .*: too many"):
        read_apkg_bytes(many, Path("many.apkg"))


def test_a_package_over_the_size_limit_is_refused_unread(
    good: bytes, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(apkg, "MAX_PACKAGE_BYTES", len(good) - 1)
    path = tmp_path / "big.apkg"
    path.write_bytes(good)
    with pytest.raises(DeckError, match=f"{len(good)} bytes, more than the"):
        read_apkg(path)


def test_a_fifo_or_device_is_no_deck(
    run, good: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    fifo = Path("fifo.apkg")
    os.mkfifo(fifo)
    with watchdog(120):
        assert _diff_refuses(run, None, good, fifo) == "not a regular file"
    zero = tmp_path / "zero.apkg"
    zero.symlink_to("/dev/zero")
    with pytest.raises(DeckError, match="not a regular file"):
        read_apkg(zero)


# --- Anki's own packages -------------------------------------------------------------------


@pytest.fixture(scope="module")
def anki_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One note exported by the real Anki engine: its current format and its legacy one."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    folder = tmp_path_factory.mktemp("anki")
    collection = Collection(str(folder / "collection.anki2"))
    try:
        note = collection.new_note(collection.models.by_name("Basic"))
        note["Front"], note["Back"] = "hello", "world"
        collection.add_note(note, collection.decks.id("Default"))
        exports = {}
        for name, legacy in (("current", False), ("legacy", True)):
            exports[name] = folder / f"{name}.apkg"
            options = ExportAnkiPackageOptions(
                with_scheduling=False, with_deck_configs=False, with_media=False, legacy=legacy
            )
            collection.export_anki_package(out_path=str(exports[name]), options=options, limit=None)
    finally:
        collection.close()
    return exports


@pytest.mark.slow
def test_ankis_current_export_is_refused_naming_the_legacy_option(
    anki_exports: dict[str, Path], run, tmp_path: Path
) -> None:
    current = anki_exports["current"]
    # It also holds the decoy: a readable collection.anki2 with one "please update" note.
    decoy = read_apkg_bytes(
        zipped({"collection.anki2": members(current.read_bytes())["collection.anki2"]}), current
    )
    assert "Please update" in next(iter(decoy.notes.values())).fields[0]
    result = run("diff", str(current), str(anki_exports["legacy"]))
    assert result.exit_code == 1
    assert result.stderr == (
        f"{current}: {PREFIX}Anki's current package format (collection.anki21b), which "
        'deckgen does not read; export it again with "Support older Anki versions" ticked '
        "in Anki's export dialog\n"
    )


@pytest.mark.slow
def test_ankis_legacy_export_is_read_from_the_collection_its_meta_names(
    anki_exports: dict[str, Path],
) -> None:
    legacy = anki_exports["legacy"]
    assert members(legacy.read_bytes())["meta"] == b"\x08\x02"
    (note,) = read_apkg(legacy).notes.values()
    assert note.fields == ("hello", "world")


def test_meta_not_the_file_name_picks_the_collection(good: bytes) -> None:
    decoy = with_sql(
        good,
        "UPDATE notes SET flds = 'Please update' || char(31) || char(31) || char(31) || char(31)",
    )
    real = members(good)["collection.anki2"]
    # Version 2 names collection.anki21, whatever collection.anki2 holds, and the other way.
    package = zipped(
        {
            "meta": b"\x08\x02",
            "collection.anki2": members(decoy)["collection.anki2"],
            "collection.anki21": real,
        }
    )
    terms = sorted(n.fields[0] for n in read_apkg_bytes(package, Path("p.apkg")).notes.values())
    assert terms == ["Okapi", "Tapir"]
    package = zipped(
        {
            "meta": b"\x08\x01",
            "collection.anki2": real,
            "collection.anki21": members(decoy)["collection.anki2"],
        }
    )
    terms = sorted(n.fields[0] for n in read_apkg_bytes(package, Path("p.apkg")).notes.values())
    assert terms == ["Okapi", "Tapir"]


# --- a malformed deck in decks/ --------------------------------------------------------------


def test_an_unreadable_deck_in_decks_stops_build_and_check(project: Path, run) -> None:
    assert run("build").exit_code == 0
    DECK.write_bytes(LFS)  # what a checkout without git-lfs leaves
    fix = (
        f"{DECK}: {PREFIX}a git-LFS pointer, not the deck itself (run `git lfs pull`); "
        f"restore it with `git checkout -- {DECK}`, or replace it with "
        "`deckgen build --replace-unreadable` (its retired notes and mod times are then lost)\n"
    )
    for command in (("build",), ("build", "--jobs", "2"), ("build", "--force"), ("check",)):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, fix), command
        assert DECK.read_bytes() == LFS  # never silently replaced
    result = run("build", "--replace-unreadable")
    assert result.exit_code == 0
    assert "every note's mod time were lost" in result.stderr
    assert len(read_apkg(DECK).notes) == 56
    assert run("check").exit_code == 0


def test_replacing_an_unreadable_deck_drops_its_retired_notes_with_a_warning(
    project: Path, run
) -> None:
    assert run("build").exit_code == 0
    DECK.write_bytes(b"garbage")
    result = run("build", "--replace-unreadable")
    assert result.exit_code == 0
    assert f"{DECK}: warning: {PREFIX}not a zip archive: replaced;" in result.stderr


# --- git reads ------------------------------------------------------------------------------


def test_a_hostile_deck_at_a_revision_is_one_line(repo: Path, run) -> None:
    good = DECK.read_bytes()
    DECK.write_bytes(LFS)
    commit_all()
    DECK.write_bytes(good)
    result = run("check", "--against", "HEAD")
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"HEAD:{DECK}: {PREFIX}a git-LFS pointer, not the deck itself (run `git lfs pull`)\n"
    )
    result = run("diff", "--git", "HEAD")
    assert result.exit_code == 1 and result.stderr.startswith(f"HEAD:{DECK}: {PREFIX}")


def test_a_symlink_committed_as_a_deck_is_not_followed(repo: Path, run) -> None:
    good = DECK.read_bytes()
    DECK.unlink()
    DECK.symlink_to("/dev/zero")
    commit_all()
    DECK.unlink()
    DECK.write_bytes(good)
    result = run("check", "--against", "HEAD")
    assert (result.exit_code, result.stderr) == (
        1,
        f"HEAD:{DECK}: {PREFIX}a symbolic link, not a file\n",
    )


def test_a_huge_blob_at_a_revision_is_refused_before_it_is_read(
    repo: Path, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[str] = []
    real = compare.git_blob
    monkeypatch.setattr(compare, "git_blob", lambda *args: read.append("blob") or real(*args))
    monkeypatch.setattr(compare, "MAX_PACKAGE_BYTES", 1000)  # for git blobs only
    result = run("check", "--against", "HEAD")
    size = DECK.stat().st_size
    assert (result.exit_code, result.stderr) == (
        1,
        f"HEAD:{DECK}: {PREFIX}{size} bytes, more than the 1000 a deck may have\n",
    )
    assert read == []


def test_a_blob_is_read_no_further_than_the_limit(repo: Path) -> None:
    git("add", "-A")
    blob = subprocess.run(
        ["git", "rev-parse", f"HEAD:{DECK}"], capture_output=True, text=True, check=True
    ).stdout.strip()
    sink = io.BytesIO()
    assert compare.git_blob(repo, blob, sink, 4096) is None
    assert len(sink.getvalue()) <= 4096
    sink = io.BytesIO()
    assert compare.git_blob(repo, blob, sink, 1 << 30) == DECK.stat().st_size


def test_a_deck_name_that_is_not_utf8_at_a_revision_is_shown_escaped(repo: Path, run) -> None:
    odd = Path(os.fsdecode(b"decks/odd\xff.apkg"))
    odd.write_bytes(LFS)
    commit_all()
    odd.write_bytes(DECK.read_bytes())
    result = run("diff", "--git", "HEAD")
    assert (result.exit_code, result.stderr) == (
        1,
        f"HEAD:decks/odd\\xff.apkg: {PREFIX}a git-LFS pointer, not the deck itself "
        "(run `git lfs pull`)\n",
    )


def test_the_step_budget_ends_a_recursive_view_that_got_past_the_schema_check(
    good: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(apkg, "schema_problem", lambda *args: None)
    hostile = with_sql(good, *_view_as_notes())
    with watchdog(120), pytest.raises(DeckError, match="its collection takes too long to read"):
        read_apkg_bytes(hostile, Path("view.apkg"))
