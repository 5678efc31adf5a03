"""Hostile `.apkg` files made in the test that needs them: a real deck, then broken on purpose.

Shared by the hostile-deck tests, the deck fuzzer and `benchmarks/fuzz_decks.py`.
"""

from __future__ import annotations

import faulthandler
import io
import sqlite3
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

LESSON = "# Lesson 01: Hostile\n\n## Terms\n\n- **Okapi:** a striped animal\n- **Tapir:** a snout\n"


def real_deck(folder: Path) -> bytes:
    """A deck deckgen builds from a two-term lesson, as bytes."""
    from deckgen.builder import build
    from deckgen.config import Config

    (folder / "lessons").mkdir(parents=True)
    (folder / "lessons" / "01-hostile.md").write_text(LESSON, encoding="utf-8")
    build(config=Config(root=folder))
    return (folder / "decks" / "01-hostile.apkg").read_bytes()


def members(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def with_sql(package: bytes, *statements: str, member: str = "collection.anki2") -> bytes:
    """`package` with SQL run on its collection (the zip itself stays well-formed)."""
    files = members(package)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder, "c.db")
        database.write_bytes(files[member])
        connection = sqlite3.connect(database)
        for statement in statements:
            connection.execute(statement)
        connection.commit()
        connection.close()
        files[member] = database.read_bytes()
    return zipped(files)


def zip_bomb(inflated_mib: int, declared: int | None = None) -> bytes:
    """A package whose collection inflates to `inflated_mib` MiB of zeros from about a
    thousandth of that: one deflated MiB, flushed to stand alone, repeated. `declared` is the
    size its headers claim (the true size by default)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = compressor.compress(bytes(1 << 20)) + compressor.flush(zlib.Z_FULL_FLUSH)
    stream = block * inflated_mib + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    crc = 0
    for _ in range(inflated_mib):
        crc = zlib.crc32(bytes(1 << 20), crc)
    size = inflated_mib << 20 if declared is None else declared
    name = b"collection.anki2"
    sizes = (crc, len(stream), size, len(name))
    local = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, *sizes, 0)
    central = struct.pack(
        "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0, *sizes, 0, 0, 0, 0, 0, 0
    )
    directory = central + name
    offset = len(local) + len(name) + len(stream)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(directory), offset, 0)
    return local + name + stream + directory + end


@contextmanager
def watchdog(seconds: int) -> Iterator[None]:
    """End the test run, with every thread's traceback, when the block runs longer than
    `seconds`: a hang fails loudly, even one inside SQLite's or zlib's C code, where no Python
    signal handler would run. Not a timing assertion: the limit is minutes."""
    faulthandler.dump_traceback_later(seconds, exit=True)
    try:
        yield
    finally:
        faulthandler.cancel_dump_traceback_later()


def flipped(data: bytes, flips: list[tuple[int, int]]) -> bytes:
    """`data` with the byte at each (position mod its length) replaced."""
    if not data:
        return data
    mutable = bytearray(data)
    for position, value in flips:
        mutable[position % len(mutable)] = value
    return bytes(mutable)


def with_collection(package: bytes, collection: bytes) -> bytes:
    """`package` with another collection, zipped anew: the zip is sound, SQLite sees the bytes."""
    return zipped({**members(package), "collection.anki2": collection})
