"""Generators of pathological lessons, each `size` units big: shared by the limit tests (small
sizes) and benchmarks/pathological.py (the sizes issue 6 names)."""

from __future__ import annotations

from collections.abc import Callable

from .conftest import LESSON_01


def nested_list(depth: int) -> str:
    """A list nested `depth` levels deep, in one short line (`- - - - x`)."""
    return "# Deep\n\n## Terms\n\n" + "- " * depth + "**Deep:** bottom\n"


def nested_quotes(depth: int) -> str:
    return "# Quoted\n\n" + "> " * depth + "**Quoted:** bottom\n"


def wide_table(columns: int) -> str:
    def row(prefix: str) -> str:
        return "| " + " | ".join(f"{prefix}{i}" for i in range(columns)) + " |"

    return "\n".join(["# Wide", "", row("Header "), "|" + "---|" * columns, row("**cell**")])


def long_line(length: int) -> str:
    """One line of `length` characters: a definition whose body never ends."""
    head = "# Long\n\n- **Long:** "
    return head + ("word " * (length // 5 + 1))[: max(length - len(head), 0)] + "\n"


def bold_terms(count: int) -> str:
    return "# Bold\n\n## Terms\n\n" + "".join(f"- **Term{i}:** meaning {i}\n" for i in range(count))


def shift_operators(count: int) -> str:
    """`count` fences of C++ whose `<<` reads like a here-document that never ends."""
    return "# Streams\n\n" + "".join(
        f"```cpp\nstd::cout << value{i};\n```\n\nStep {i}.\n\n" for i in range(count)
    )


def big_lesson(size: int) -> str:
    """Real lesson 01 repeated to `size` characters: every extractor has work everywhere."""
    text = LESSON_01.read_text(encoding="utf-8")
    return (text * (size // len(text) + 1))[:size]


GENERATORS: dict[str, Callable[[int], str]] = {
    "nested_list": nested_list,
    "nested_quotes": nested_quotes,
    "wide_table": wide_table,
    "long_line": long_line,
    "bold_terms": bold_terms,
    "shift_operators": shift_operators,
    "big_lesson": big_lesson,
}
