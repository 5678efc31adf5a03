"""What changed inside a field, word by word, and its renderings for people and for Markdown.

A reviewer must see the words that changed, wherever they are in the field: the text form is
git's `--word-diff=plain` (`[-old-]{+new+}`), with the unchanged words around each change cut
to a few on either side, so a long definition edited near its end still shows the edit.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

EQUAL, DELETE, INSERT, REPLACE = "equal", "delete", "insert", "replace"
# Unchanged words kept on each side of a change; the rest of an unchanged run becomes "…".
CONTEXT = 8
ELLIPSIS = "…"


@dataclass(frozen=True)
class WordOp:
    """One run of words: unchanged (old == new), deleted (new ""), inserted (old "") or
    replaced. Words are joined by single spaces."""

    op: str
    old: str
    new: str


def diff_words(old: str, new: str) -> tuple[WordOp, ...]:
    """The word runs that turn `old` into `new`; whitespace only separates words."""
    before, after = old.split(), new.split()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return tuple(
        WordOp(tag, " ".join(before[i1:i2]), " ".join(after[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
    )


def _context(words: list[str], first: bool, last: bool, context: int) -> list[str]:
    """An unchanged run, cut to `context` words next to each change around it."""
    if first and last:
        return words
    if first:
        return words if len(words) <= context else [ELLIPSIS, *words[-context:]]
    if last:
        return words if len(words) <= context else [*words[:context], ELLIPSIS]
    if len(words) <= 2 * context:
        return words
    return [*words[:context], ELLIPSIS, *words[-context:]]


def _render(
    ops: Sequence[WordOp],
    word: Callable[[str], str],
    deleted: Callable[[str], str],
    inserted: Callable[[str], str],
    between: str,
    context: int,
) -> str:
    parts: list[str] = []
    for index, run in enumerate(ops):
        if run.op == EQUAL:
            words = _context(run.old.split(), index == 0, index == len(ops) - 1, context)
            parts.extend(w if w == ELLIPSIS else word(w) for w in words)
            continue
        marked = []
        if run.old:
            marked.append(deleted(" ".join(map(word, run.old.split()))))
        if run.new:
            marked.append(inserted(" ".join(map(word, run.new.split()))))
        parts.append(between.join(marked))
    return " ".join(parts)


def _printable(text: str) -> str:
    """Control characters as escapes, so a field cannot drive the reader's terminal."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def render_plain(ops: Sequence[WordOp], context: int = CONTEXT) -> str:
    """`unchanged [-old words-]{+new words+} unchanged`, as git's `--word-diff=plain`."""
    return _render(
        ops, _printable, lambda text: f"[-{text}-]", lambda text: f"{{+{text}+}}", "", context
    )


def render_markdown(
    ops: Sequence[WordOp], escape: Callable[[str], str], context: int = CONTEXT
) -> str:
    """`unchanged ~~old words~~ **new words** unchanged`, every word passed through `escape`."""
    return _render(
        ops, escape, lambda text: f"~~{text}~~", lambda text: f"**{text}**", " ", context
    )
