"""Extractor cases as files: `fixtures/extract/<kind>/<case>.md` gives the items in `<case>.yaml`.

A new case is a new pair of files. The YAML lists the lesson's items of that kind, in order,
each with the fields that matter to the case: `key`, `line` (1-based) and any field of the
item (`body`, `answer`, `two_sided`, ...). Fields left out are not compared. An optional
`config:` mapping sets `extract` settings for the case (`asking_headings: true`). An optional
`dropped:` list names candidates of that kind the extractor must drop: each entry's `line`,
`reason` and (optional) `signals` must match one dropped candidate, so a negative case shows why.
"""

from __future__ import annotations

import difflib
from itertools import zip_longest
from pathlib import Path
from typing import Any

import pytest
import yaml

from deckgen.config import ExtractConfig
from deckgen.extract import EXTRACTORS, Extraction, extract_lesson
from deckgen.items import Item
from deckgen.lesson import parse_lesson

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "extract"
CASES = sorted(FIXTURES.glob("*/*.md"))
# What an item the YAML does not expect is shown with.
_UNEXPECTED = ("key", "line")


def _value(item: Item, field: str) -> Any:
    if field == "line":
        return item.source.line
    if field == "section":
        return list(item.source.section)
    value = getattr(item, field)
    return list(value) if isinstance(value, tuple) else value


def _shown(item: Item, fields: Any) -> dict[str, Any]:
    return {field: _value(item, field) for field in fields}


def _extraction(case: Path) -> Extraction:
    """The case's extraction, with the `extract` settings its YAML gives under `config:`."""
    lesson = parse_lesson(case.read_text(encoding="utf-8"), case, case.stem)
    written = yaml.safe_load(case.with_suffix(".yaml").read_text(encoding="utf-8"))
    return extract_lesson(lesson, ExtractConfig(**(written.get("config") or {})))


def _items(case: Path) -> list[Item]:
    kind = case.parent.name
    return [keyed.item for keyed in _extraction(case).items if keyed.item.kind == kind]


def _dropped(case: Path) -> list[dict[str, Any]]:
    """The case's dropped candidates, as `dropped:` entries write them."""
    return [
        {
            "line": candidate.source.line,
            "reason": candidate.reason,
            "signals": [signal.name for signal in candidate.signals],
        }
        for candidate in _extraction(case).candidates
        if candidate.kind == case.parent.name and not candidate.kept
    ]


def _matches(entry: dict[str, Any], dropped: dict[str, Any]) -> bool:
    return (
        entry["line"] == dropped["line"]
        and entry["reason"] == dropped["reason"]
        and set(entry.get("signals") or ()) <= set(dropped["signals"])
    )


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as blocks, as the fixtures write them: a diff line per text line."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def _dump(items: list[dict[str, Any]]) -> list[str]:
    dumped = yaml.dump(items, Dumper=_Dumper, sort_keys=False, allow_unicode=True)
    return dumped.splitlines()


@pytest.mark.parametrize("case", CASES, ids=[f"{c.parent.name}/{c.stem}" for c in CASES])
def test_fixture(case: Path) -> None:
    written = yaml.safe_load(case.with_suffix(".yaml").read_text(encoding="utf-8"))
    expected = written["items"]
    found = _items(case)
    actual = [
        _shown(item, entry if entry is not None else _UNEXPECTED)
        for item, entry in zip_longest(found, expected)
        if item is not None
    ]
    if actual != expected:
        diff = difflib.unified_diff(
            _dump(expected), _dump(actual), "expected", "extracted", lineterm=""
        )
        where = case.relative_to(FIXTURES.parent.parent.parent)
        pytest.fail(f"{where}: the items differ\n" + "\n".join(diff), pytrace=False)
    dropped = _dropped(case) if written.get("dropped") else []
    for entry in written.get("dropped") or ():
        if not any(_matches(entry, candidate) for candidate in dropped):
            where = case.relative_to(FIXTURES.parent.parent.parent)
            shown = "\n".join(_dump(dropped)) or "(none)"
            pytest.fail(f"{where}: no dropped candidate {entry}; dropped:\n{shown}", pytrace=False)


def test_every_case_has_its_expected_items_and_a_known_kind() -> None:
    markdown = {path.with_suffix("") for path in FIXTURES.glob("*/*.md")}
    expected = {path.with_suffix("") for path in FIXTURES.glob("*/*.yaml")}
    assert markdown == expected
    assert {path.parent.name for path in markdown} <= set(EXTRACTORS)
    assert len(CASES) >= 125  # the cases moved here from test code


def test_a_wrong_expectation_fails_naming_the_fixture_and_the_difference(tmp_path: Path) -> None:
    folder = tmp_path / "tests" / "fixtures" / "extract" / "definition"
    folder.mkdir(parents=True)
    case = folder / "docker.md"
    case.write_text("# L\n\n- **Docker**: Containers for apps\n", encoding="utf-8")
    case.with_suffix(".yaml").write_text("items:\n- key: Docker\n  line: 4\n  body: VMs\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(f"{__name__}.FIXTURES", tmp_path / "tests" / "fixtures" / "extract")
        with pytest.raises(pytest.fail.Exception) as failed:
            test_fixture(case)
    message = str(failed.value)
    assert message.startswith("tests/fixtures/extract/definition/docker.md: the items differ\n")
    assert "-  line: 4\n-  body: VMs\n+  line: 3\n+  body: Containers for apps" in message
