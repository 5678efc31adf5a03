"""SQLite files deckgen reads but cannot trust (a deck's collection, the build cache).

Such a file is opened read-only, with SQLite's length limit lowered and a step budget: a
progress handler interrupts any statement past it, so a recursive view or a huge query ends
in an error, not a hang. `schema_problem` then says whether the file holds anything but the
plain tables expected: a view, a trigger, a virtual table or a generated column would run a
query of the file's choosing each time a table is read.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from pathlib import Path

# SQLite calls the progress handler every STEP_INTERVAL virtual-machine instructions; past
# STEP_BUDGET calls the statement is interrupted. Reading a deck takes about 13 instructions a
# note: the most notes a deck may have (200,000) take 2,600 calls.
STEP_INTERVAL = 1000
STEP_BUDGET = 20_000
MAX_VALUE_BYTES = 32 * 1024 * 1024  # one text or blob, stored or built by a query


def open_untrusted(
    path: Path, immutable: bool = False, max_value: int = MAX_VALUE_BYTES
) -> sqlite3.Connection:
    """`path` opened read-only under the step budget; `immutable`: no other process writes
    it (a temp copy), so SQLite takes no lock and reads no journal. A value longer than
    `max_value` bytes, stored or built by a query, is an error."""
    uri = f"{path.absolute().as_uri()}?mode=ro{'&immutable=1' if immutable else ''}"
    connection = sqlite3.connect(uri, uri=True)
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, max_value)
    connection.execute("PRAGMA trusted_schema = OFF")
    steps = 0

    def budget() -> int:
        nonlocal steps
        steps += 1
        return 1 if steps > STEP_BUDGET else 0  # non-zero interrupts the running statement

    connection.set_progress_handler(budget, STEP_INTERVAL)
    return connection


def over_budget(error: sqlite3.Error) -> bool:
    """Whether `error` is the step budget's interruption."""
    return isinstance(error, sqlite3.OperationalError) and str(error) == "interrupted"


def schema_problem(
    connection: sqlite3.Connection, allowed: Collection[str], needed: Collection[str]
) -> str | None:
    """What is wrong with the file's schema, or None: only plain tables named in `allowed`
    (and SQLite's own statistics) may exist, the `needed` ones among them."""
    tables = set()
    for kind, name, sql in connection.execute("SELECT type, name, sql FROM sqlite_master"):
        if kind in ("view", "trigger"):
            return f"holds a {kind} ({name!r})"
        if kind != "table" or str(name).startswith("sqlite_stat"):
            continue
        if name not in allowed:
            return f"holds an unexpected table ({name!r})"
        if str(sql).lstrip().upper().startswith("CREATE VIRTUAL"):
            return f"has a virtual table ({name!r})"
        tables.add(name)
    for name in needed:
        if name not in tables:
            return f"has no {name!r} table"
        # `hidden` is 2 or 3 for a generated column, computed each time it is read.
        if any(column[6] for column in connection.execute(f"PRAGMA table_xinfo({name})")):
            return f"has generated columns in {name!r}"
    return None
