"""Every id deckgen writes, derived from stable names: never from the clock or `random`.

A note's GUID hashes what the note is about (course, lesson, kind, key), never its wording, so
an edited definition updates the learner's existing note instead of forking a new one.
"""

from __future__ import annotations

import hashlib

from deckgen.items import normalize_key

# Anki's own GUIDs are base91 strings; this alphabet is the one Anki uses.
_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)
# Note-type and deck ids in [2^30, 2^31), as genanki recommends. Note and card ids stay below
# Anki's own millisecond-clock ids (~1.7e12), so they never collide with notes a learner adds.
_TYPE_IDS = (1 << 30, 1 << 31)
_ROW_IDS = (10**9, 10**12)


def _digest(*parts: str) -> bytes:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).digest()


def _stable_int(bounds: tuple[int, int], *parts: str) -> int:
    low, high = bounds
    return low + int.from_bytes(_digest(*parts)[:8], "big") % (high - low)


def note_guid(course_id: str, lesson_slug: str, kind: str, key: str) -> str:
    number = int.from_bytes(_digest("note", course_id, lesson_slug, kind, normalize_key(key))[:8])
    chars = []
    while number:
        number, digit = divmod(number, len(_BASE91))
        chars.append(_BASE91[digit])
    return "".join(reversed(chars)) or _BASE91[0]


def model_id(notetype_name: str) -> int:
    return _stable_int(_TYPE_IDS, "model", notetype_name)


def deck_id(deck_name: str) -> int:
    return _stable_int(_TYPE_IDS, "deck", deck_name)


def note_id(guid: str) -> int:
    return _stable_int(_ROW_IDS, "note-id", guid)


def card_id(guid: str, ordinal: int) -> int:
    return _stable_int(_ROW_IDS, "card-id", guid, str(ordinal))
