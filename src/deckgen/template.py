"""Anki's card template language, the part deckgen's note types use, rendered in Python.

The preview shows cards exactly as Anki would, so it needs Anki's substitution rules:
`{{Field}}`, `{{FrontSide}}`, and sections `{{#Field}}...{{/Field}}` (shown when the field is
not empty) and `{{^Field}}...{{/Field}}` (shown when it is).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

_TAG = re.compile(r"\{\{\s*([#^/]?)\s*(.*?)\s*\}\}", re.S)
# Anki counts a field holding only whitespace, line breaks or empty divs as empty.
_EMPTY_FIELD = re.compile(r"^(?:\s|&nbsp;|<br\s*/?>|</?div>)*$", re.I)
FRONT_SIDE = "FrontSide"


class TemplateError(ValueError):
    """A card template that Anki would also refuse: unbalanced sections or an unknown field."""


@dataclass(frozen=True)
class _Section:
    field: str
    inverted: bool
    body: tuple[_Node, ...]


_Node = str | tuple[str] | _Section  # text | (field,) | section


def field_is_empty(value: str) -> bool:
    return _EMPTY_FIELD.match(value) is not None


def render(template: str, fields: Mapping[str, str], front_side: str = "") -> str:
    """Fill `template` with `fields` (already HTML); `front_side` is what `{{FrontSide}}` shows."""
    values = {**fields, FRONT_SIDE: front_side}
    return "".join(_render(_parse(template), values))


def _parse(template: str) -> tuple[_Node, ...]:
    stack: list[tuple[str, bool, list[_Node]]] = [("", False, [])]
    position = 0
    for match in _TAG.finditer(template):
        stack[-1][2].append(template[position : match.start()])
        position = match.end()
        sigil, name = match.groups()
        if sigil in ("#", "^"):
            stack.append((name, sigil == "^", []))
        elif sigil == "/":
            if len(stack) == 1 or stack[-1][0] != name:
                raise TemplateError(f"{{{{/{name}}}}} closes no open section")
            field, inverted, body = stack.pop()
            stack[-1][2].append(_Section(field, inverted, tuple(body)))
        else:
            stack[-1][2].append((name,))
    if len(stack) > 1:
        raise TemplateError(f"{{{{#{stack[-1][0]}}}}} is never closed")
    stack[0][2].append(template[position:])
    return tuple(stack[0][2])


def _render(nodes: tuple[_Node, ...], values: Mapping[str, str]) -> list[str]:
    out: list[str] = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, tuple):
            out.append(_value(values, node[0]))
        elif field_is_empty(_value(values, node.field)) == node.inverted:
            out.extend(_render(node.body, values))
    return out


def _value(values: Mapping[str, str], name: str) -> str:
    try:
        return values[name]
    except KeyError:
        raise TemplateError(f"unknown field {{{{{name}}}}}") from None
