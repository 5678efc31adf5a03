"""Frozen dataclasses as JSON data and back, checked against their fields' types.

The build cache stores plans as data, never pickle: anyone who can write `.deckgen-cache/` (a
shared CI cache) could otherwise run code on the next build. What is read back is checked
value by value against the type hints of the classes it names, and anything else is refused
with `Damaged`, so a tampered cache can cost a rebuild, never a wrong deck or a crash.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any


class Damaged(ValueError):
    """Stored data that is not what its type says."""


class Codec:
    """Encodes and decodes instances of `classes` (and the values their fields hold).

    A dataclass is stored as an object naming its class ("@"), so that a field typed with a
    base class (an `Item`) comes back as the subclass it held. Instances of the `named` types
    are stored by their name in the given registry (note types, which are deckgen's code, not
    data). Tuples are stored as lists, paths as {"@": "Path", "path": ...}.
    """

    def __init__(
        self, classes: Iterable[type], named: Mapping[type, Mapping[str, object]] | None = None
    ) -> None:
        self._classes = {cls.__name__: cls for cls in classes}
        self._named = dict(named or {})
        # The type of each field each class takes, worked out once.
        self._fields = {cls: _field_types(cls) for cls in self._classes.values()}

    def encode(self, value: object) -> Any:
        if value is None or isinstance(value, str | int):  # bool is an int
            return value
        if isinstance(value, Path):
            return {"@": "Path", "path": str(value)}
        if isinstance(value, tuple | list):
            return [self.encode(item) for item in value]
        if isinstance(value, Mapping):
            return {str(key): self.encode(item) for key, item in value.items()}
        kind = type(value)
        if kind in self._named:
            for name, known in self._named[kind].items():
                if known == value:
                    return name
            raise TypeError(f"a {kind.__name__} with no name cannot be stored")
        if dataclasses.is_dataclass(value) and self._classes.get(kind.__name__) is kind:
            data = {"@": kind.__name__}
            for spec in dataclasses.fields(value):
                if spec.init:
                    data[spec.name] = self.encode(getattr(value, spec.name))
            return data
        raise TypeError(f"cannot store a {kind.__name__}")

    def decode(self, data: Any, hint: Any) -> Any:
        """`data` as a value of type `hint`; `Damaged` when it is not one."""
        origin = typing.get_origin(hint)
        if isinstance(hint, types.UnionType) or origin is typing.Union:
            for option in typing.get_args(hint):
                try:
                    return self.decode(data, option)
                except Damaged:
                    continue
            raise Damaged(f"{data!r:.60} is none of {hint}")
        if origin is tuple:
            items = typing.get_args(hint)
            if not isinstance(data, list):
                raise Damaged(f"expected a list, got {data!r:.60}")
            if items[1:] == (Ellipsis,):
                return tuple(self.decode(value, items[0]) for value in data)
            if len(data) != len(items):
                raise Damaged(f"expected {len(items)} items, got {data!r:.60}")
            return tuple(self.decode(value, item) for value, item in zip(data, items, strict=True))
        if origin in (Mapping, dict):
            key_type, value_type = typing.get_args(hint)
            if not isinstance(data, dict):
                raise Damaged(f"expected an object, got {data!r:.60}")
            return {
                self.decode(key, key_type): self.decode(value, value_type)
                for key, value in data.items()
            }
        return self._decode_plain(data, hint)

    def _decode_plain(self, data: Any, hint: Any) -> Any:
        if hint in (type(None), None):
            if data is not None:
                raise Damaged(f"expected null, got {data!r:.60}")
            return None
        if hint in (str, int, bool):
            # JSON has no other way to tell them, but True is no line number.
            if type(data) is not hint:
                raise Damaged(f"expected a {hint.__name__}, got {data!r:.60}")
            return data
        if hint is Path:
            if not (isinstance(data, dict) and data.get("@") == "Path" and len(data) == 2):
                raise Damaged(f"expected a path, got {data!r:.60}")
            return Path(self.decode(data["path"], str))
        if hint in self._named:
            if not isinstance(data, str) or data not in self._named[hint]:
                raise Damaged(f"expected a {hint.__name__} name, got {data!r:.60}")
            return self._named[hint][data]
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self._decode_instance(data, hint)
        raise Damaged(f"cannot read a {hint}")

    def _decode_instance(self, data: Any, hint: type) -> Any:
        kind = self._classes.get(data.get("@", "")) if isinstance(data, dict) else None
        if kind is None or not issubclass(kind, hint):
            raise Damaged(f"expected a {hint.__name__}, got {data!r:.60}")
        hints = self._fields[kind]
        if data.keys() - {"@"} != hints.keys():
            raise Damaged(f"not the fields of a {kind.__name__}: {sorted(data)}")
        return kind(**{name: self.decode(data[name], hints[name]) for name in hints})


def _field_types(kind: type) -> dict[str, Any]:
    hints = typing.get_type_hints(kind)
    return {spec.name: hints[spec.name] for spec in dataclasses.fields(kind) if spec.init}
