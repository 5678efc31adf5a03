"""Read an `.apkg` back into notes, for mod times, `check` and `diff` (sqlite3 + zipfile)."""

from __future__ import annotations

import json
import sqlite3
import zipfile
from dataclasses import dataclass
from pathlib import Path

from deckgen.diagnostics import ContentError


@dataclass(frozen=True)
class StoredNoteType:
    id: int
    name: str
    fields: tuple[str, ...]
    templates: tuple[tuple[str, str, str], ...]  # (name, front, back)
    css: str


@dataclass(frozen=True)
class StoredNote:
    guid: str
    notetype_id: int
    mod: int
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass(frozen=True)
class StoredDeck:
    path: Path
    deck_names: tuple[str, ...]
    notetypes: dict[int, StoredNoteType]
    notes: dict[str, StoredNote]  # by guid, in package order
    media: tuple[str, ...]


def read_apkg(path: Path) -> StoredDeck:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            collection = next(
                (n for n in ("collection.anki21", "collection.anki2") if n in names), None
            )
            if collection is None:
                raise ContentError(path, None, "not an Anki package: no collection inside")
            database = archive.read(collection)
            media_map = json.loads(archive.read("media")) if "media" in names else {}
    except (zipfile.BadZipFile, OSError, json.JSONDecodeError) as exc:
        raise ContentError(path, None, f"cannot read Anki package: {exc}") from None
    connection = sqlite3.connect(":memory:")
    try:
        connection.deserialize(database)
        models_json, decks_json = connection.execute("SELECT models, decks FROM col").fetchone()
        notes = {
            guid: StoredNote(guid, mid, mod, tuple(flds.split("\x1f")), tuple(tags.split()))
            for guid, mid, mod, flds, tags in connection.execute(
                "SELECT guid, mid, mod, flds, tags FROM notes ORDER BY id"
            )
        }
    except sqlite3.DatabaseError as exc:
        raise ContentError(path, None, f"cannot read Anki package: {exc}") from None
    finally:
        connection.close()
    notetypes = {
        int(model["id"]): StoredNoteType(
            id=int(model["id"]),
            name=model["name"],
            fields=tuple(f["name"] for f in model["flds"]),
            templates=tuple((t["name"], t["qfmt"], t["afmt"]) for t in model["tmpls"]),
            css=model.get("css", ""),
        )
        for model in json.loads(models_json).values()
    }
    deck_names = tuple(
        sorted(d["name"] for d in json.loads(decks_json).values() if d["name"] != "Default")
    )
    return StoredDeck(path, deck_names, notetypes, notes, tuple(sorted(media_map.values())))
