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
from collections.abc import Callable, Iterable, Mapping
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
        # How to read each field of each class, worked out once.
        self._fields = {cls: self._field_decoders(cls) for cls in self._classes.values()}
        # The keys a stored instance of each class has: its fields and "@".
        self._keys = {cls: frozenset(("@", *fields)) for cls, fields in self._fields.items()}

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
        # One of the classes given: its fields as `_fields` lists them (those `__init__` takes,
        # in order), worked out once, not asked of `dataclasses` for every instance stored.
        fields = self._fields.get(kind)
        if fields is not None:
            data = {"@": kind.__name__}
            for name in fields:
                data[name] = self.encode(getattr(value, name))
            return data
        raise TypeError(f"cannot store a {kind.__name__}")

    def decode(self, data: Any, hint: Any) -> Any:
        """`data` as a value of type `hint`; `Damaged` when it is not one."""
        if hint in self._fields:
            return self._decode_instance(data, hint)
        return self._decoder(hint)(data)

    def _decoder(self, hint: Any) -> Decoder:
        """A function that checks and converts data to the type `hint`, so that each value
        read costs a call, not a look at its type hint."""
        origin = typing.get_origin(hint)
        options = typing.get_args(hint)
        if isinstance(hint, types.UnionType) or origin is typing.Union:
            return _union([self._decoder(option) for option in options])
        if origin is tuple:
            if options[1:] == (Ellipsis,):
                return _sequence(self._decoder(options[0]))
            return _fixed(tuple(self._decoder(option) for option in options))
        if origin in (Mapping, dict):
            return _mapping(self._decoder(options[0]), self._decoder(options[1]))
        if hint in (str, int, bool, type(None)):
            return _exactly(hint)
        if hint is Path:
            return _path
        if hint in self._named:
            return _name_in(self._named[hint])
        if isinstance(hint, type) and dataclasses.is_dataclass(hint):
            return self._instance(hint)
        return _refuse(hint)  # not stored (the bytes of images): only found in damaged data

    def _field_decoders(self, kind: type) -> dict[str, Decoder]:
        hints = typing.get_type_hints(kind)
        fields = dataclasses.fields(kind)
        return {spec.name: self._decoder(hints[spec.name]) for spec in fields if spec.init}

    def _instance(self, hint: type) -> Decoder:
        return lambda data: self._decode_instance(data, hint)

    def _decode_instance(self, data: Any, hint: type) -> Any:
        kind = self._classes.get(data.get("@", "")) if type(data) is dict else None
        if kind is None or not issubclass(kind, hint):
            raise Damaged(f"expected a {hint.__name__}, got {data!r:.60}")
        if data.keys() != self._keys[kind]:
            raise Damaged(f"not the fields of a {kind.__name__}: {sorted(data)}")
        return kind(**{name: field(data[name]) for name, field in self._fields[kind].items()})


Decoder = Callable[[Any], Any]


def _union(options: list[Decoder]) -> Decoder:
    def decode(data: Any) -> Any:
        for option in options:
            try:
                return option(data)
            except Damaged:
                continue
        raise Damaged(f"{data!r:.60} is none of the types allowed")

    return decode


def _sequence(item: Decoder) -> Decoder:
    def decode(data: Any) -> Any:
        if type(data) is not list:
            raise Damaged(f"expected a list, got {data!r:.60}")
        return tuple(item(value) for value in data)

    return decode


def _fixed(items: tuple[Decoder, ...]) -> Decoder:
    def decode(data: Any) -> Any:
        if type(data) is not list or len(data) != len(items):
            raise Damaged(f"expected {len(items)} items, got {data!r:.60}")
        return tuple(item(value) for item, value in zip(items, data, strict=True))

    return decode


def _mapping(key: Decoder, value: Decoder) -> Decoder:
    def decode(data: Any) -> Any:
        if type(data) is not dict:
            raise Damaged(f"expected an object, got {data!r:.60}")
        return {key(name): value(item) for name, item in data.items()}

    return decode


def _exactly(kind: type) -> Decoder:
    def decode(data: Any) -> Any:
        # JSON has no other way to tell them apart, but True is no line number.
        if type(data) is not kind:
            raise Damaged(f"expected a {kind.__name__}, got {data!r:.60}")
        return data

    return decode


def _path(data: Any) -> Path:
    if type(data) is not dict or data.get("@") != "Path" or type(data.get("path")) is not str:
        raise Damaged(f"expected a path, got {data!r:.60}")
    if len(data) != 2:
        raise Damaged(f"expected a path, got {data!r:.60}")
    return Path(data["path"])


def _refuse(hint: Any) -> Decoder:
    def decode(data: Any) -> Any:
        raise Damaged(f"no {hint} is stored, got {data!r:.60}")

    return decode


def _name_in(registry: Mapping[str, object]) -> Decoder:
    def decode(data: Any) -> Any:
        if type(data) is not str or data not in registry:
            raise Damaged(f"expected one of {sorted(registry)}, got {data!r:.60}")
        return registry[data]

    return decode
