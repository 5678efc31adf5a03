"""Renames: `aliases:` in deckgen.yaml maps a new key to an old one, so the note keeps its GUID.

Keys are compared normalized (case, spacing, edge punctuation), exactly like the identities
they stand for. Chains are followed: after `K8s: Kubernetes` and a later rename written as
`K8s cluster: K8s`, "K8s cluster" keeps the note that "Kubernetes" first created.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from deckgen.diagnostics import ConfigError, Diagnostic
from deckgen.extract import KeyedItem
from deckgen.items import normalize_key


@dataclass(frozen=True)
class Aliases:
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
