"""Every identity rule: how a key is normalized, made unique in its lesson, renamed by an alias,
and turned into the ids deckgen writes, derived from stable names, never the clock or `random`.

A note's GUID hashes what the note is about (course, lesson, kind, key), never its wording, so
an edited definition updates the learner's existing note instead of forking a new one.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath

from deckgen.diagnostics import ConfigError, Diagnostic
from deckgen.items import Item

# Brackets stay: "Code versioning (Git)" keeps its closing parenthesis.
_EDGE_PUNCTUATION = re.compile(r"^[\s.,;:!?*_`'\"“”‘’–—-]+|[\s.,;:!?*_`'\"“”‘’–—-]+$")


# Headings and labels are compared against config lists over and over.
@lru_cache(maxsize=8192)
def normalize_key(text: str) -> str:
    """Case, spacing, Unicode form and surrounding punctuation do not change what a key means."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = " ".join(text.split())  # white space runs as one space (`lesson.one_line`)
    return _EDGE_PUNCTUATION.sub("", text) or text


# Characters that show nothing, or only reorder what is shown, yet make two keys differ:
# "Dock\u200bker" looks like "Docker" and makes a second note. Zero-width characters, bidi
# marks, overrides and isolates, invisible operators, the soft hyphen and the BOM.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Joiners shape emoji (👩\u200d💻) and scripts such as Persian and Hindi; Latin text has no use
# for them.
_JOINERS = frozenset("\u200c\u200d")


def invisible_characters(key: str) -> list[str]:
    """The invisible characters in `key`, as `U+200B` names, in order of first appearance.

    A joiner counts only at an end of the key or next to an ASCII character."""
    found: dict[str, None] = {}
    for match in _INVISIBLE.finditer(key):
        character, at = match.group(), match.start()
        around = key[at - 1 : at], key[at + 1 : at + 2]
        if character in _JOINERS and all(side and not side.isascii() for side in around):
            continue
        found[f"U+{ord(character):04X}"] = None
    return list(found)


def invisible_key_warning(item: Item) -> Diagnostic | None:
    """A warning naming the item's line when its key holds invisible characters, shown
    written out (`Dock\\u200bker`): the key, and so the note's identity, stays as it is."""
    hidden = invisible_characters(item.key)
    if not hidden:
        return None
    shown = _INVISIBLE.sub(lambda match: f"\\u{ord(match.group()):04x}", item.key)
    return Diagnostic(
        item.source.path,
        item.source.line,
        f"{item.kind} '{shown}' holds invisible characters ({', '.join(hidden)}): it looks "
        f"like '{_INVISIBLE.sub('', item.key)}' but is a key, and a note, of its own; "
        "delete them",
    )


@dataclass(frozen=True)
class KeyedItem:
    """An item with its final identity key: unique within its lesson and kind."""

    item: Item
    identity: str


def disambiguate(items: list[Item], warnings: list[Diagnostic]) -> list[KeyedItem]:
    """Qualify a repeated key with its section path; drop a true duplicate, with a warning.
    Warn about a key that holds invisible characters (its identity stays as it is)."""
    first_seen: dict[tuple[str, str], Item] = {}
    keyed: list[KeyedItem] = []
    for item in items:
        hidden = invisible_key_warning(item)
        if hidden is not None:
            warnings.append(hidden)
        identity = normalize_key(item.key)
        earlier = first_seen.get((item.kind, identity))
        if earlier is not None:
            qualified = normalize_key(" › ".join((*item.source.section, item.key)))
            clash = first_seen.get((item.kind, qualified))
            path, line = item.source.path, item.source.line
            if clash is not None or qualified == identity:
                warnings.append(
                    Diagnostic(
                        path,
                        line,
                        (
                            f"duplicate {item.kind} '{item.key}' in the same section as line "
                            f"{(clash or earlier).source.line}; keeping the first, skipping this"
                        ),
                    )
                )
                continue
            warnings.append(
                Diagnostic(
                    path,
                    line,
                    (
                        f"{item.kind} '{item.key}' also appears at line {earlier.source.line}; "
                        f"this one is identified by its section path"
                    ),
                )
            )
            identity = qualified
        first_seen[(item.kind, identity)] = item
        keyed.append(KeyedItem(item, identity))
    return keyed


@dataclass(frozen=True)
class Aliases:
    """Renames: `aliases:` in deckgen.yaml maps a new key to an old one, so the note keeps its
    GUID.

    Keys are compared normalized, exactly like the identities they stand for. Chains are
    followed: after `K8s: Kubernetes` and a later rename written as `K8s cluster: K8s`,
    "K8s cluster" keeps the note that "Kubernetes" first created.
    """

    targets: Mapping[str, str]  # normalized new key -> normalized original key

    @classmethod
    def resolve(cls, aliases: Mapping[str, str], config_path: Path | str) -> Aliases:
        """Normalize both sides and follow chains to the first key; a cycle is a config error."""
        normalized = ((normalize_key(new), normalize_key(old)) for new, old in aliases.items())
        direct = {new: old for new, old in normalized if new != old}
        targets: dict[str, str] = {}
        for new in direct:
            chain = [new]
            while chain[-1] in direct:
                older = direct[chain[-1]]
                if older in chain:
                    loop = " -> ".join([*chain, older])
                    raise ConfigError(config_path, None, f"aliases form a loop: {loop}")
                chain.append(older)
            targets[new] = chain[-1]
        return cls(targets)

    def apply(self, items: Sequence[KeyedItem]) -> tuple[list[KeyedItem], list[Diagnostic]]:
        """Give aliased items their old identity, unless that would make two notes share one.

        The old key may still be in the lesson (the author copied rather than renamed), or two
        new keys may name the same old one: then the alias is skipped, with a warning, because
        one GUID can only belong to one note.
        """
        present = {(keyed.item.kind, keyed.identity): keyed for keyed in items}
        claimed: dict[tuple[str, str], KeyedItem] = {}
        result: list[KeyedItem] = []
        warnings: list[Diagnostic] = []
        for keyed in items:
            target = self.targets.get(keyed.identity)
            if target is None:
                result.append(keyed)
                continue
            slot = (keyed.item.kind, target)
            holder = present.get(slot) or claimed.get(slot)
            if holder is not None:
                source = keyed.item.source
                warnings.append(
                    Diagnostic(
                        source.path,
                        source.line,
                        f"alias '{keyed.item.key}' -> '{target}' not applied: "
                        f"'{holder.item.key}' at line {holder.item.source.line} already has "
                        "that identity",
                    )
                )
                result.append(keyed)
                continue
            claimed[slot] = keyed
            result.append(KeyedItem(keyed.item, target))
        return result, warnings


# Where a config key was read from: `Config.where`.
Where = Callable[[str], tuple[Path, int | None]]


@dataclass(frozen=True)
class Moves:
    """Moved lessons: `moved:` in deckgen.yaml maps a lesson's old path under the lessons
    folder to its new one, so the lesson's notes keep the GUIDs the old path gave them.

    A GUID hashes the lesson's slug (its path under the lessons folder, without `.md`): a
    moved lesson is identified by the slug it first had. Chains are followed: after
    `a.md: b.md` and a later `b.md: c.md`, `c.md` keeps the notes `a.md` created.
    """

    earlier: Mapping[str, tuple[str, ...]]  # slug -> the slugs it had before, newest first

    @classmethod
    def resolve(cls, moved: Mapping[str, str], where: Where) -> Moves:
        """Slugs of both sides, chains followed; a loop or a lesson with two earlier paths
        is a config error, at the line of its entry (`where`: see `Config.where`)."""
        step: dict[str, str] = {}  # new slug -> old slug
        keys: dict[str, str] = {}  # new slug -> its entry's config key
        for old, new in moved.items():
            key = f"moved.{old}"
            old_slug, new_slug = _moved_slug(old, key, where), _moved_slug(new, key, where)
            if old_slug == new_slug:
                raise ConfigError(*where(key), f"{key}: a lesson cannot move to its own path")
            if new_slug in step:
                raise ConfigError(
                    *where(key),
                    f"{key}: {new} already moved from {step[new_slug]}.md; "
                    "a lesson keeps the notes of one earlier path",
                )
            step[new_slug], keys[new_slug] = old_slug, key
        earlier: dict[str, tuple[str, ...]] = {}
        for new in step:
            chain = [new]
            while chain[-1] in step:
                older = step[chain[-1]]
                if older in chain:
                    loop = " -> ".join(f"{slug}.md" for slug in [*reversed(chain), older])
                    raise ConfigError(*where(keys[new]), f"moved: entries form a loop: {loop}")
                chain.append(older)
            earlier[new] = tuple(chain[1:])
        return cls(earlier)

    def origin(self, slug: str) -> str:
        """The slug whose GUIDs the lesson now at `slug` keeps."""
        chain = self.earlier.get(slug)
        return chain[-1] if chain else slug


def _moved_slug(path: str, key: str, where: Where) -> str:
    """`a/b.md` -> `a/b`; a path that is not a lesson's path under the lessons folder is a
    config error."""
    posix = PurePosixPath(path)
    if posix.is_absolute() or ".." in posix.parts or posix.suffix != ".md":
        raise ConfigError(
            *where(key),
            f"{key}: {path!r} is not a lesson path under the lessons folder "
            "(relative, ending in .md, like `module-1/01-intro.md`)",
        )
    return posix.with_suffix("").as_posix()


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
