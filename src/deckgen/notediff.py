"""The import plan a learner gets when a new set of decks replaces an old one: pure data.

Anki's importer, with its default options, matches notes by GUID and note types by id. It
updates a note, or a note type's templates and CSS, only when the incoming `mod` is strictly
newer; treats a GUID whose note type differs (or whose note type's field or template names
changed) as a conflict; matches decks by name; and never deletes anything. `diff` says what it
would do to each note and note type, and names the changes that hurt learners.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from deckgen.apkg import StoredDeck, StoredNote, StoredNoteType
from deckgen.notetypes import NOTE_TYPES
from deckgen.render import RETIRED_TAG

# What the importer does with one note of the new deck, or with one note the new deck lacks.
NEW = "new"  # added
UPDATED = "updated"  # same GUID, newer mod: the learner's copy is replaced
UNCHANGED = "unchanged"  # same content and mod: skipped as a duplicate
CONFLICTING = "conflicting"  # same GUID under another (or a changed) note type: not updated
STALE_MOD = "not-newer"  # content changed but mod not newer: Anki skips it, learners never see it
RETIRED = "retired"  # updated to carry the deckgen::removed tag and notice
PRUNED = "pruned"  # absent from the new deck: stays in the learner's collection as it was
STATUSES = (NEW, UPDATED, RETIRED, CONFLICTING, STALE_MOD, PRUNED, UNCHANGED)
BREAKING_STATUSES = (CONFLICTING, STALE_MOD)


@dataclass(frozen=True)
class FieldChange:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class NoteChange:
    guid: str
    status: str
    notetype: str
    label: str  # what the note is about, as plain text: "MLflow", "Tool = Docker"
    fields: tuple[FieldChange, ...] = ()
    tags_added: tuple[str, ...] = ()
    tags_removed: tuple[str, ...] = ()


@dataclass(frozen=True)
class NoteTypeChange:
    id: int
    name: str
    status: str  # new, updated, conflicting, not-newer (as for notes), or "removed"
    details: tuple[str, ...]
    breaking: bool


@dataclass(frozen=True)
class Rename:
    """A note that left while a note with the same back arrived: likely an unaliased rename."""

    old_guid: str
    new_guid: str
    old_label: str
    new_label: str


@dataclass(frozen=True)
class DeckDiff:
    path: str  # the .apkg's path within its set (e.g. `01-intro.apkg`)
    old_names: tuple[str, ...]  # deck names; empty when the package is new
    new_names: tuple[str, ...]  # empty when the package is gone
    notes: tuple[NoteChange, ...]
    notetypes: tuple[NoteTypeChange, ...] = ()
    renames: tuple[Rename, ...] = ()

    @property
    def counts(self) -> dict[str, int]:
        counter = Counter(note.status for note in self.notes)
        return {status: counter[status] for status in STATUSES if counter[status]}

    @property
    def renamed_deck(self) -> bool:
        """A deck name left while another arrived (a course package gaining a lesson's subdeck,
        or losing one, renames nothing)."""
        return bool(set(self.old_names) - set(self.new_names)) and bool(
            set(self.new_names) - set(self.old_names)
        )

    @property
    def changed(self) -> bool:
        return (
            self.old_names != self.new_names
            or bool(self.notetypes)
            or any(note.status != UNCHANGED for note in self.notes)
        )

    @property
    def breaking(self) -> tuple[str, ...]:
        """Why learners would lose progress or miss edits, one sentence each."""
        reasons: list[str] = []
        if self.renamed_deck:
            gone = [name for name in self.old_names if name not in self.new_names]
            arrived = [name for name in self.new_names if name not in self.old_names]
            reasons.append(
                f"deck renamed from {', '.join(gone)!r} to "
                f"{', '.join(arrived)!r}: existing cards stay in the old deck"
            )
        reasons.extend(
            f"note type {t.name!r} ({t.id}) {'; '.join(t.details)}"
            for t in self.notetypes
            if t.breaking
        )
        reasons.extend(
            f"{note.notetype} {note.label!r} ({note.guid}) is {note.status}: "
            + (
                "its note type changed under the same id, so Anki will not update it"
                if note.status == CONFLICTING
                else "its content changed but its mod is not newer, so Anki will skip it"
            )
            for note in self.notes
            if note.status in BREAKING_STATUSES
        )
        reasons.extend(
            f"{rename.old_label!r} ({rename.old_guid}) left while {rename.new_label!r} "
            f"({rename.new_guid}) arrived with the same back: if it was renamed, add "
            f'`aliases: {{"{rename.new_label}": "{rename.old_label}"}}` to deckgen.yaml '
            "to keep learners' progress"
            for rename in self.renames
        )
        return tuple(reasons)


@dataclass(frozen=True)
class Diff:
    decks: tuple[DeckDiff, ...] = field(default_factory=tuple)

    @property
    def changed(self) -> bool:
        return any(deck.changed for deck in self.decks)

    @property
    def breaking(self) -> tuple[str, ...]:
        return tuple(f"{deck.path}: {reason}" for deck in self.decks for reason in deck.breaking)

    def to_dict(self) -> dict[str, object]:
        return {
            "changed": self.changed,
            "breaking": list(self.breaking),
            "decks": [{**asdict(deck), "counts": deck.counts} for deck in self.decks],
        }


def diff(old: Mapping[str, StoredDeck], new: Mapping[str, StoredDeck]) -> Diff:
    """Compare two sets of decks, keyed by their path within the set."""
    return Diff(
        tuple(diff_deck(path, old.get(path), new.get(path)) for path in sorted({*old, *new}))
    )


def diff_deck(path: str, old: StoredDeck | None, new: StoredDeck | None) -> DeckDiff:
    old_notes = old.notes if old else {}
    new_notes = new.notes if new else {}
    old_types = old.notetypes if old else {}
    new_types = new.notetypes if new else {}
    notetypes = _notetype_changes(old_types, new_types)
    broken = {change.id for change in notetypes if change.status == CONFLICTING}
    notes = [
        _note_change(old_notes.get(guid), note, new_types, broken)
        for guid, note in new_notes.items()
    ]
    notes.extend(
        NoteChange(guid, PRUNED, _type_name(note, old_types), label(note, old_types))
        for guid, note in old_notes.items()
        if guid not in new_notes
    )
    return DeckDiff(
        path=path,
        old_names=old.deck_names if old else (),
        new_names=new.deck_names if new else (),
        notes=tuple(notes),
        notetypes=notetypes,
        renames=_renames(notes, old_notes, new_notes, old_types, new_types),
    )


def _note_change(
    old: StoredNote | None,
    new: StoredNote,
    types: Mapping[int, StoredNoteType],
    broken: set[int],
) -> NoteChange:
    name, text = _type_name(new, types), label(new, types)
    if old is None:
        return NoteChange(new.guid, NEW, name, text)
    if old.notetype_id != new.notetype_id or new.notetype_id in broken:
        return NoteChange(new.guid, CONFLICTING, name, text)
    notetype = types.get(new.notetype_id)
    names = notetype.fields if notetype else tuple(f"field {i}" for i in range(len(new.fields)))
    fields = tuple(
        FieldChange(field_name, before, after)
        for field_name, before, after in zip(names, old.fields, new.fields, strict=False)
        if before != after
    )
    added = tuple(sorted(set(new.tags) - set(old.tags)))
    removed = tuple(sorted(set(old.tags) - set(new.tags)))
    content_changed = bool(fields or added or removed)
    if new.mod <= old.mod:
        status = STALE_MOD if content_changed else UNCHANGED
    elif RETIRED_TAG in added:
        status = RETIRED
    else:
        # A newer mod with equal content still replaces the learner's copy (and their edits).
        status = UPDATED
    return NoteChange(new.guid, status, name, text, fields, added, removed)


def _notetype_changes(
    old: Mapping[int, StoredNoteType], new: Mapping[int, StoredNoteType]
) -> tuple[NoteTypeChange, ...]:
    changes: list[NoteTypeChange] = []
    for type_id in sorted({*old, *new}):
        before, after = old.get(type_id), new.get(type_id)
        if before is None and after is not None:
            changes.append(NoteTypeChange(type_id, after.name, NEW, (), False))
        elif after is None and before is not None:
            # A deck that no longer uses a note type leaves the learner's copy alone.
            changes.append(NoteTypeChange(type_id, before.name, "removed", (), False))
        elif before is not None and after is not None:
            change = _notetype_change(before, after)
            if change is not None:
                changes.append(change)
    return tuple(changes)


def _notetype_change(before: StoredNoteType, after: StoredNoteType) -> NoteTypeChange | None:
    """Anki keeps a note type's id only while its field and template names stay the same.

    Then it replaces the learner's copy (templates, CSS, name) when the incoming `mod` is newer;
    otherwise it adds the incoming one as a new note type and refuses its notes' updates.
    """
    details = []
    if before.fields != after.fields:
        details.append(f"fields {list(before.fields)} -> {list(after.fields)}")
    old_names, new_names = [t[0] for t in before.templates], [t[0] for t in after.templates]
    if old_names != new_names:
        details.append(f"templates {old_names} -> {new_names}")
    if details:
        details.append("changed under the same id")
        return NoteTypeChange(after.id, after.name, CONFLICTING, tuple(details), True)
    if before.templates != after.templates:
        details.append(f"template text changed ({', '.join(new_names)})")
    if before.css != after.css:
        details.append("CSS changed")
    if before.name != after.name:
        details.append(f"renamed from {before.name!r}")
    if after.mod > before.mod:
        details.append("newer mod: importing replaces the learner's copy")
        return NoteTypeChange(after.id, after.name, UPDATED, tuple(details), False)
    if not details:
        return None  # Anki skips it, and there is nothing it would change
    details.append("its mod is not newer, so learners keep the old design")
    return NoteTypeChange(after.id, after.name, STALE_MOD, tuple(details), True)


def _renames(
    notes: list[NoteChange],
    old_notes: Mapping[str, StoredNote],
    new_notes: Mapping[str, StoredNote],
    old_types: Mapping[int, StoredNoteType],
    new_types: Mapping[int, StoredNoteType],
) -> tuple[Rename, ...]:
    """Pair each note that left (retired or pruned) with a new note of the same type and back."""
    arrived: dict[tuple[int, tuple[str, ...]], list[StoredNote]] = {}
    for change in notes:
        if change.status == NEW:
            note = new_notes[change.guid]
            back = _back(note, new_types)
            if back is not None:
                arrived.setdefault((note.notetype_id, back), []).append(note)
    renames = []
    for change in notes:
        if change.status not in (RETIRED, PRUNED):
            continue
        note = old_notes[change.guid]
        back = _back(note, old_types)
        candidates = arrived.get((note.notetype_id, back)) if back is not None else None
        if candidates:
            newcomer = candidates.pop(0)
            renames.append(
                Rename(note.guid, newcomer.guid, label(note, old_types), label(newcomer, new_types))
            )
    return tuple(renames)


def _back(note: StoredNote, types: Mapping[int, StoredNoteType]) -> tuple[str, ...] | None:
    """The fields that do not name the note (nor carry the retirement notice); None if blank."""
    notetype = types.get(note.notetype_id)
    if notetype is None or len(notetype.fields) != len(note.fields):
        return None
    skip = {*_key_fields(notetype), "Extra", "Source"}
    back = tuple(v for n, v in zip(notetype.fields, note.fields, strict=True) if n not in skip)
    return back if any(value.strip() for value in back) else None


def _key_fields(notetype: StoredNoteType) -> tuple[str, ...]:
    known = next((t for t in NOTE_TYPES.values() if t.id == notetype.id), None)
    keys = known.key_fields if known else ()
    return tuple(k for k in keys if k in notetype.fields) or notetype.fields[:1]


def _type_name(note: StoredNote, types: Mapping[int, StoredNoteType]) -> str:
    notetype = types.get(note.notetype_id)
    return notetype.name if notetype else str(note.notetype_id)


def label(note: StoredNote, types: Mapping[int, StoredNoteType]) -> str:
    """The note's key fields as plain text, the way an author would recognize the item."""
    notetype = types.get(note.notetype_id)
    if notetype is None or len(notetype.fields) != len(note.fields):
        return plain_text(note.fields[0]) if note.fields else note.guid
    values = dict(zip(notetype.fields, note.fields, strict=True))
    return " = ".join(plain_text(values[name]) for name in _key_fields(notetype))


_TAG = re.compile(r"<[^>]*>")


def plain_text(field_html: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", field_html)).split())


# Renderings ---------------------------------------------------------------------------------


def _summary(deck: DeckDiff) -> str:
    return ", ".join(f"{count} {status}" for status, count in deck.counts.items()) or "no notes"


def _clip(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _note_lines(deck: DeckDiff, show_unchanged: bool) -> list[str]:
    lines: list[str] = []
    for note in deck.notes:
        if note.status == UNCHANGED and not show_unchanged:
            continue
        lines.append(f"  {note.status:<11} {note.notetype}: {note.label}  [{note.guid}]")
        lines.extend(
            f"      {change.name}: {_clip(change.old)!r} -> {_clip(change.new)!r}"
            for change in note.fields
        )
        if note.tags_added:
            lines.append(f"      tags added: {' '.join(note.tags_added)}")
        if note.tags_removed:
            lines.append(f"      tags removed: {' '.join(note.tags_removed)}")
    return lines


def render_text(result: Diff, show_unchanged: bool = False) -> str:
    lines: list[str] = []
    for deck in result.decks:
        if not deck.changed and not show_unchanged:
            continue
        lines.append(f"{deck.path}: {_summary(deck)}")
        if deck.old_names != deck.new_names:
            lines.append(f"  deck: {list(deck.old_names)} -> {list(deck.new_names)}")
        lines.extend(
            f"  note type {t.status}: {t.name} ({t.id})"
            + (f": {'; '.join(t.details)}" if t.details else "")
            for t in deck.notetypes
        )
        lines.extend(_note_lines(deck, show_unchanged))
    if result.breaking:
        lines.append("breaking changes:")
        lines.extend(f"  {reason}" for reason in result.breaking)
    if not lines:
        lines.append("no changes")
    return "\n".join(lines) + "\n"


def render_json(result: Diff) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _md(text: str) -> str:
    """Plain text safe inside a Markdown table cell or list item."""
    return re.sub(r"([\\`*_\[\]<>|#])", r"\\\1", " ".join(text.split()))


def _md_value(field_html: str) -> str:
    return _md(_clip(plain_text(field_html))) or "*(empty)*"


def render_markdown(result: Diff) -> str:
    """For a pull-request comment: a table of counts, then the notes that change."""
    lines = ["### Deck changes", ""]
    changed = [deck for deck in result.decks if deck.changed]
    if not changed:
        return "### Deck changes\n\nNo changes for learners.\n"
    lines += ["| deck | " + " | ".join(STATUSES) + " |", "|---" * (len(STATUSES) + 1) + "|"]
    for deck in changed:
        counts = deck.counts
        lines.append(
            f"| `{deck.path}` | " + " | ".join(str(counts.get(s, 0)) for s in STATUSES) + " |"
        )
    if result.breaking:
        lines += ["", "**Breaking changes**", ""]
        lines += [f"- {_md(reason)}" for reason in result.breaking]
    for deck in changed:
        notes = [note for note in deck.notes if note.status != UNCHANGED]
        if not notes and not deck.notetypes and deck.old_names == deck.new_names:
            continue
        lines += ["", f"<details><summary><code>{html.escape(deck.path)}</code></summary>", ""]
        if deck.old_names != deck.new_names:
            lines.append(
                f"- deck: {_md(', '.join(deck.old_names))} → {_md(', '.join(deck.new_names))}"
            )
        lines += [
            f"- note type {t.status}: {_md(t.name)}"
            + (f" ({_md('; '.join(t.details))})" if t.details else "")
            for t in deck.notetypes
        ]
        for note in notes:
            lines.append(f"- **{note.status}** {_md(note.notetype)}: {_md(note.label)}")
            lines += [
                f"  - {_md(c.name)}: {_md_value(c.old)} → {_md_value(c.new)}" for c in note.fields
            ]
        lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown}
