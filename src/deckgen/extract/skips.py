"""Items an author leaves out without touching deckgen's rules: `skip:` in the config, or a
`<!-- deckgen: skip -->` comment on the line before the item.

A skipped candidate stays in the extraction as dropped, with the skip as its reason, so
`deckgen list --why` shows it; a skip that matches nothing is a warning, since it is most
likely a typo or an item that has since been reworded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from fnmatch import fnmatch

from deckgen.config import KINDS
from deckgen.diagnostics import Diagnostic
from deckgen.extract.evidence import Candidate, Signal
from deckgen.identity import normalize_key
from deckgen.lesson import Lesson

_SKIP_COMMENT = re.compile(r"^\s*<!--\s*deckgen\s*:\s*skip\s*-->\s*$", re.I)


@dataclass(frozen=True)
class _Entry:
    written: str  # as the config gives it, for messages
    kind: str | None  # None: any kind
    key: str  # normalised
    everywhere: bool  # from a pattern that is meant for many lessons


def _entries(skip: Mapping[str, tuple[str, ...]], lesson: Lesson) -> list[_Entry]:
    """The config's skip entries that apply to `lesson`, matched by its path under `lessons:`."""
    relative = f"{lesson.slug}{lesson.path.suffix}"
    found = []
    for pattern, written_keys in skip.items():
        if not fnmatch(relative, pattern):
            continue
        for written in written_keys:
            kind, colon, key = written.partition(":")
            if colon and kind.strip() in KINDS:
                entry = _Entry(written, kind.strip(), normalize_key(key), "*" in pattern)
            else:
                entry = _Entry(written, None, normalize_key(written), "*" in pattern)
            found.append(entry)
    return found


def _comment_targets(lesson: Lesson) -> dict[int, int]:
    """1-based line of the item each skip comment points at -> the comment's own line."""
    # A Learn challenge's lines are blank by now (`deckgen.lesson`): a comment right above one
    # points at its question, on the line its card is placed.
    challenge_lines = {challenge.start: challenge.line for challenge in lesson.learn_challenges}
    targets = {}
    # Asked twice per build of a lesson (`skips_written`, then `apply_skips`): its HTML blocks
    # only, from the index of the lesson's tokens by type.
    for index in lesson.positions("html_block"):
        token = lesson.tokens[index]
        if not token.map or not _SKIP_COMMENT.match(token.content):
            continue
        after = token.map[1]
        while (
            after < len(lesson.lines)
            and after not in challenge_lines
            and not lesson.lines[after].strip()
        ):
            after += 1
        targets[challenge_lines.get(after, after) + 1] = token.map[0] + 1
    return targets


def skips_written(lesson: Lesson, skip: Mapping[str, tuple[str, ...]]) -> bool:
    """The lesson holds a skip comment, or the config a skip entry written for it alone: a
    warning says when either matches no candidate, dropped ones included. A pattern's entries
    (`everywhere`) never warn."""
    return any(not entry.everywhere for entry in _entries(skip, lesson)) or bool(
        _comment_targets(lesson)
    )


def apply_skips(
    candidates: Iterable[Candidate],
    lesson: Lesson,
    skip: Mapping[str, tuple[str, ...]],
    warnings: list[Diagnostic],
) -> list[Candidate]:
    entries = _entries(skip, lesson)
    comments = _comment_targets(lesson)
    used_entries: set[_Entry] = set()
    used_comments: set[int] = set()
    result = []
    for candidate in candidates:
        reason = None
        comment = comments.get(candidate.source.line)
        if comment is not None:
            used_comments.add(comment)
            reason = f"skipped by the comment on line {comment}"
        key = normalize_key(candidate.text)
        for entry in entries:
            if entry.key == key and entry.kind in (None, candidate.kind):
                used_entries.add(entry)
                reason = reason or f"skipped by the config (skip: {entry.written!r})"
        if reason is not None:
            skipped = Signal("skipped", -1, "author's choice")
            signals = (*candidate.signals, skipped)
            candidate = replace(candidate, item=None, reason=reason, signals=signals)
        result.append(candidate)
    for target, comment in comments.items():
        if comment not in used_comments:
            message = f"skip comment: no item starts on line {target}, so nothing was skipped"
            warnings.append(Diagnostic(lesson.path, comment, message))
    for entry in entries:
        if not entry.everywhere and entry not in used_entries:
            message = f"skip: {entry.written!r} (from the config) matches no item in this lesson"
            warnings.append(Diagnostic(lesson.path, None, message))
    return result
