"""The packaged word lists: each loads, none is empty, and a phrase is in two only on purpose."""

from __future__ import annotations

import dataclasses
import typing
from collections import defaultdict

import pytest

from deckgen.config import ExtractConfig
from deckgen.defaults import Defaults, defaults, read_data
from deckgen.identity import normalize_key

LIST_NAMES = [spec.name for spec in dataclasses.fields(Defaults)]


def _where(lists: dict[str, list[str]]) -> dict[str, frozenset[str]]:
    """Each phrase found in more than one list (or twice in one) -> the lists holding it."""
    holders: dict[str, list[str]] = defaultdict(list)
    for name, phrases in lists.items():
        for phrase in phrases:
            holders[normalize_key(phrase)].append(name)
    return {phrase: frozenset(names) for phrase, names in holders.items() if len(names) > 1}


def _declared(shared: list[dict[str, list[str]]]) -> dict[str, frozenset[str]]:
    declared: dict[str, frozenset[str]] = {}
    for group in shared:
        for phrase in map(normalize_key, group["phrases"]):
            assert phrase not in declared, f"{phrase!r} is declared shared twice"
            declared[phrase] = frozenset(group["lists"])
    return declared


def test_every_list_is_non_empty_and_holds_strings() -> None:
    loaded = defaults()
    for name in LIST_NAMES:
        value = getattr(loaded, name)
        assert isinstance(value, tuple) and value, name
        assert all(isinstance(entry, str) and entry.strip() for entry in value), name


def test_config_lists_load_as_the_config_types() -> None:
    hints = typing.get_type_hints(ExtractConfig)
    config = ExtractConfig()
    config_lists = [name for name in LIST_NAMES if name in hints]
    assert len(config_lists) == 7
    for name in config_lists:
        assert hints[name] == tuple[str, ...]
        assert getattr(config, name) == getattr(defaults(), name)


def test_no_phrase_is_in_two_lists_unless_declared_shared() -> None:
    data = read_data()
    lists = {name: data[name] for name in LIST_NAMES}
    found, declared = _where(lists), _declared(data["shared"])
    undeclared = {
        phrase: sorted(names) for phrase, names in found.items() if declared.get(phrase) != names
    }
    stale = sorted(phrase for phrase in declared if phrase not in found)
    assert undeclared == {}, "phrases in several lists without a `shared:` entry saying why"
    assert stale == [], "`shared:` entries for phrases no longer in those lists"


def test_the_duplicate_check_catches_a_phrase_in_two_lists() -> None:
    lists = {"skip_sections": ["Podcasts"], "question_headings": ["podcasts?"]}
    assert _where(lists) == {"podcasts": frozenset(lists)}
    assert _where({"skip_sections": ["What's Next?", "What's next"]}) == {
        "what's next": frozenset({"skip_sections"})
    }


@pytest.mark.parametrize("name", ["metadata_labels", "salary_labels"])
def test_a_list_that_is_not_there_is_refused(name: str, monkeypatch) -> None:
    data = {key: value for key, value in read_data().items() if key != name}
    monkeypatch.setattr("deckgen.defaults.read_data", lambda: data)
    defaults.cache_clear()
    try:
        with pytest.raises(ValueError, match=f"{name}: expected a non-empty list"):
            defaults()
    finally:
        defaults.cache_clear()


def test_a_word_yaml_reads_as_a_boolean_is_refused(monkeypatch) -> None:
    data = {**read_data(), "stopwords": ["a", True]}  # an unquoted `on` in the file
    monkeypatch.setattr("deckgen.defaults.read_data", lambda: data)
    defaults.cache_clear()
    try:
        with pytest.raises(ValueError, match="stopwords: every entry must be a non-empty string"):
            defaults()
    finally:
        defaults.cache_clear()
