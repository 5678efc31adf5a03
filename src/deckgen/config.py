"""Load and validate `deckgen.yaml` into frozen dataclasses (YAML is parsed, never executed)."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deckgen.configfile import CONFIG_NAME, ConfigFile, find_config
from deckgen.defaults import defaults
from deckgen.diagnostics import ConfigError

# PyYAML is imported where a config is parsed, not here: `deckgen build` answered from its
# build cache knows the config by its bytes and never parses it (see `deckgen.cache`).
if TYPE_CHECKING:
    import yaml


def _default(name: str) -> Any:
    """A field whose default is the list `name` of `defaults.yaml`, read when first needed. A
    list the config gives adds to it (see `_extended`): the built-in lists hold hundreds of
    phrases, and an author adding two labels should not silently drop the rest."""
    return field(default_factory=lambda: getattr(defaults(), name), metadata={"extends": name})


# Every kind of study item, in the order a lesson's items of one line are listed.
KINDS = ("definition", "comparison", "salary", "question")


@dataclass(frozen=True)
class CourseConfig:
    """The course every deck belongs to: its id is part of every note's identity."""

    id: str = "course"
    name: str = "Course"


@dataclass(frozen=True)
class ExtractConfig:
    """What counts as a study item, and where none is looked for."""

    # Bold labels that carry lesson metadata rather than a concept to learn.
    metadata_labels: tuple[str, ...] = _default("metadata_labels")
    # Sections (by heading) whose content never becomes a card.
    skip_sections: tuple[str, ...] = _default("skip_sections")
    # Headings whose list items are study questions.
    question_headings: tuple[str, ...] = _default("question_headings")
    # A table with any of these header cells (rubrics, schedules) makes poor cards.
    skip_table_headers: tuple[str, ...] = _default("skip_table_headers")
    # Tables under these headings make poor cards too, whatever their headers.
    skip_table_sections: tuple[str, ...] = ()
    # Sections of steps and deliverables: their bold bullets are never definitions.
    instruction_sections: tuple[str, ...] = _default("instruction_sections")
    # Sections whose plain `- Term: explanation` bullets are definitions too.
    glossary_headings: tuple[str, ...] = _default("glossary_headings")
    # Sections that answer a quiz's questions by number (`**Question 3: B**`, `1. B  2. C`).
    answer_key_headings: tuple[str, ...] = _default("answer_key_headings")
    # Item kinds to extract; `deckgen.extract.check_kinds` checks them against its registry.
    kinds: tuple[str, ...] = KINDS


@dataclass(frozen=True)
class FilesConfig:
    """Which Markdown files under `lessons:` are lessons, and what the others are for."""

    # A folder's index file titles its module (and its decks' names); it is a lesson as well.
    index: tuple[str, ...] = ("README.md", "index.md")
    # Answer keys: one next to a quiz (`quiz.md` + `quiz-answers.md`, or the only quiz beside an
    # `answers.md`) answers that quiz; an answer key with no quiz beside it is a lesson itself.
    answer_keys: tuple[str, ...] = (
        "*-answers.md",
        "*-answer-key.md",
        "*_answers.md",
        "answers.md",
        "answer-key.md",
        "answer_key.md",
    )
    # Glob patterns of files that are never lessons, matched against the path under `lessons:`
    # (`*` crosses folders: `*/exercises/*` leaves out every module's exercises).
    exclude: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceLines:
    """The file a config was parsed from, and the line of each key and list item in it."""

    path: Path
    lines: Mapping[str, int]


@dataclass(frozen=True)
class Config:
    """The whole `deckgen.yaml`, with the built-in defaults for what it leaves out."""

    course: CourseConfig = field(default_factory=CourseConfig)
    lessons: str = "lessons"
    decks: str = "decks"
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    files: FilesConfig = field(default_factory=FilesConfig)
    # new key -> old key, so a renamed term keeps its note (and its learners' progress).
    aliases: Mapping[str, str] = field(default_factory=dict)
    # old lesson path -> new one, both under `lessons:`, so a moved or renamed lesson keeps its
    # notes' GUIDs (and its learners' progress); see `deckgen.identity.Moves`.
    moved: Mapping[str, str] = field(default_factory=dict)
    # Drop notes whose item left the lessons, instead of keeping them tagged deckgen::removed.
    prune_retired: bool = False
    # Lesson glob (under `lessons:`; "*" for all) -> items to leave out, as `deckgen list`
    # prints them: `kind: key`, or a bare key for every kind.
    skip: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Which packages a build writes: `course` (one file, a subdeck per lesson), `lessons` (one
    # file per lesson). Both hold the same notes: see `deckgen.course`.
    packages: tuple[str, ...] = ("course", "lessons")
    # `numbered`: a deck is titled by its lesson's first heading, its number padded so that
    # Anki's sort by name is course order; `legacy`: the titles of deckgen before 0.x (see
    # docs/configuration.md), for a course whose learners already have its decks.
    deck_titles: str = "numbered"
    # Where the config file lives; relative paths above are resolved against it.
    root: Path = field(default=Path("."), metadata={"internal": True})
    # `ConfigFile.identity` of the file this was read from, set by `load_config`; "" when made
    # in code. Not an __init__ argument, so `dataclasses.replace` leaves a changed copy without
    # it. Not in `cache_key()`, nor compared: a comment edited in the file changes no plan.
    identity: str = field(
        default="", init=False, repr=False, compare=False, metadata={"internal": True}
    )
    # Where the file's keys and list items are, for problems found after parsing (see
    # `where`); None when made in code. Not in the repr either.
    source: SourceLines | None = field(
        default=None, repr=False, compare=False, metadata={"internal": True}
    )

    # Worked out once per config: every lesson of a build asks for both, and keeps one Path
    # object, which remembers its own hash, as a key for the layout's per-build memo.
    @cached_property
    def lessons_dir(self) -> Path:
        return self.root / self.lessons

    @cached_property
    def decks_dir(self) -> Path:
        return self.root / self.decks

    @property
    def path(self) -> Path:
        """The config file itself, for messages about its contents."""
        return self.root / CONFIG_NAME

    def where(self, key: str) -> tuple[Path, int | None]:
        """The file and line a key or list item (`extract.kinds[1]`) was read from."""
        if self.source is None:
            return self.path, None
        return self.source.path, self.source.lines.get(key)

    def cache_key(self) -> str:
        """Every setting that shapes what a build writes, as one stable string: with deckgen's
        code and version, the key of the build cache (`deckgen.cache`). The config file's
        identity is left out: a comment edited in the file changes no plan."""
        return json.dumps(_settings(self), sort_keys=True, ensure_ascii=False)


def effective_settings(config: Config) -> dict[str, Any]:
    """Every key an author can set, with the value in force: the file's, else the default's.
    `deckgen config` prints it."""
    settings: dict[str, Any] = _settings(config, authored_only=True)
    return settings


def _settings(value: Any, authored_only: bool = False) -> Any:
    """A config value as JSON data: its fields (those compared; with `authored_only`, only
    those a config file can set), lists and strings."""
    if dataclasses.is_dataclass(value):
        return {
            f.name: _settings(getattr(value, f.name), authored_only)
            for f in dataclasses.fields(value)
            if f.compare and not (authored_only and f.metadata.get("internal"))
        }
    if isinstance(value, Mapping):
        return {str(key): _settings(item, authored_only) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_settings(item, authored_only) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def load_config(path: Path | ConfigFile | None = None) -> Config:
    """Read a config file; with no path, use `./deckgen.yaml` if present, else defaults."""
    source = path if isinstance(path, ConfigFile) else find_config(path)
    if source.path is None:
        config = Config(root=source.root)
    else:
        try:
            text = source.data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            message = f"config is not UTF-8 (byte {exc.start})"
            raise ConfigError(source.path, None, message) from None
        config = parse_config(text, source.path)
    object.__setattr__(config, "identity", source.identity)  # frozen, and no __init__ argument
    return config


def parse_config(text: str, path: Path) -> Config:
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(path, line, f"invalid YAML: {problem}") from None
    except RecursionError:  # PyYAML composes nested blocks by recursion
        raise ConfigError(path, None, f"nested more than {MAX_DEPTH} levels deep") from None
    root = path.resolve().parent
    if node is None:
        return Config(root=root)
    _check_shape(node, path)
    values = _convert(node, Config, "", path)
    lines: dict[str, int] = {}
    _node_lines(node, "", lines)
    # A plain dict, not a read-only view: `--jobs` workers receive the config pickled.
    source = SourceLines(path, lines)
    return dataclasses.replace(values, root=root, source=source)


# Far past any real config, and far below what walking it recursively (`_node_lines`) would
# take. Values are counted through aliases: a few lines of `&a [*b, *b, ...]` can stand for
# billions.
MAX_DEPTH = 50
MAX_VALUES = 100_000


def _check_shape(top: yaml.Node, path: Path) -> None:
    """One error when the config nests deeper than `MAX_DEPTH`, or holds more than
    `MAX_VALUES` values (aliases counted each time they are used)."""
    import yaml

    stack, count = [(top, 1)], 0
    while stack:
        node, depth = stack.pop()
        count += 1
        if depth > MAX_DEPTH:
            raise ConfigError(path, _line(node), f"nested more than {MAX_DEPTH} levels deep")
        if count > MAX_VALUES:
            message = f"more than {MAX_VALUES} values (counting each use of an alias)"
            raise ConfigError(path, _line(node), message)
        if isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)


def _node_lines(node: yaml.Node, key: str, lines: dict[str, int]) -> None:
    """Record the line of every key and list item under `node`, by its dotted key."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            full = f"{key}.{key_node.value}" if key else str(key_node.value)
            lines[full] = _line(key_node)
            _node_lines(value_node, full, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            full = f"{key}[{index}]"
            lines[full] = _line(item)
            _node_lines(item, full, lines)


def _short_tag(node: yaml.Node) -> str:
    return node.tag.replace("tag:yaml.org,2002:", "!!")


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"a list of {_type_name(typing.get_args(tp)[0])}s"
    if origin in (Mapping, dict):
        return "a mapping of strings"
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    return {str: "string", int: "integer", bool: "boolean"}.get(tp, str(tp))


# Plain YAML data only. PyYAML spells `!!python/object:x` as `tag:yaml.org,2002:python/...`,
# so a prefix check would let it through.
_DATA_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)


def _convert(node: yaml.Node, tp: Any, key: str, path: Path) -> Any:
    """Turn a YAML node into `tp`, naming the key and line of anything that does not fit."""
    import yaml

    where = key or "the top level"
    if isinstance(tp, types.UnionType):
        tp = next(arg for arg in typing.get_args(tp) if arg is not type(None))
    if node.tag not in _DATA_TAGS:
        # `!!python/object:...` and friends: config is data, never code or custom objects.
        raise ConfigError(
            path, _line(node), f"{where}: YAML tag {_short_tag(node)!r} is not allowed"
        )
    if dataclasses.is_dataclass(tp):
        if not isinstance(node, yaml.MappingNode):
            raise ConfigError(path, _line(node), f"{where}: expected {_type_name(tp)}")
        hints = typing.get_type_hints(tp)
        allowed = {f.name: f for f in dataclasses.fields(tp) if not f.metadata.get("internal")}
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            name = str(key_node.value)
            full = f"{key}.{name}" if key else name
            if name in lines:
                # YAML keeps the last one silently; the author almost surely meant one of them.
                raise ConfigError(
                    path, _line(key_node), f"duplicate key '{full}' (first at line {lines[name]})"
                )
            lines[name] = _line(key_node)
            if name not in allowed:
                hint = did_you_mean(name, list(allowed))
                known = ", ".join(allowed)
                raise ConfigError(
                    path, _line(key_node), f"unknown key '{full}'{hint}; known keys: {known}"
                )
            builtin = allowed[name].metadata.get("extends")
            if builtin is None:
                values[name] = _convert(value_node, hints[name], full, path)
            else:
                values[name] = _extended(value_node, getattr(defaults(), builtin), full, path)
        return tp(**values)
    origin = typing.get_origin(tp)
    if origin is tuple:
        if not isinstance(node, yaml.SequenceNode):
            raise ConfigError(path, _line(node), f"{where}: expected {_type_name(tp)}")
        item_type = typing.get_args(tp)[0]
        return tuple(
            _convert(item, item_type, f"{key}[{i}]", path) for i, item in enumerate(node.value)
        )
    if origin in (Mapping, dict):
        if not isinstance(node, yaml.MappingNode):
            raise ConfigError(path, _line(node), f"{where}: expected {_type_name(tp)}")
        value_type = typing.get_args(tp)[1]
        return {
            _convert(k, str, f"{key} key", path): _convert(v, value_type, f"{key}.{k.value}", path)
            for k, v in node.value
        }
    if not isinstance(node, yaml.ScalarNode):
        raise ConfigError(path, _line(node), f"{where}: expected {_type_name(tp)}")
    try:
        value = yaml.constructor.SafeConstructor().construct_object(node)
    except (yaml.YAMLError, ValueError, TypeError):  # `!!int abc`
        raise ConfigError(
            path, _line(node), f"{where}: {node.value!r} is not a valid {_short_tag(node)}"
        ) from None
    if tp is str and isinstance(value, int | float) and not isinstance(value, bool):
        # `id: 101` is a perfectly good course id; YAML just read it as a number.
        value = str(value)
    if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
        raise ConfigError(
            path, _line(node), f"{where}: expected {_type_name(tp)}, got {type(value).__name__}"
        )
    if tp is str and not value.strip():
        raise ConfigError(path, _line(node), f"{where}: must not be empty")
    return value


@dataclass(frozen=True)
class ListEdit:
    """The explicit forms of a built-in list: `{replace: [...]}`, or `{add: [...],
    remove: [...]}`. A plain list is `add`."""

    replace: tuple[str, ...] | None = None
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()


def _extended(node: yaml.Node, builtin: tuple[str, ...], key: str, path: Path) -> tuple[str, ...]:
    """A built-in list as the config edits it."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return _unique((*builtin, *_convert(node, tuple[str, ...], key, path)))
    edit = _convert(node, ListEdit, key, path)
    if edit.replace is not None:
        if edit.add or edit.remove:
            message = f"{key}: give either `replace` or `add`/`remove`, not both"
            raise ConfigError(path, _line(node), message)
        return _unique(edit.replace)
    kept = {_phrase_key(entry): entry for entry in builtin}
    for index, entry in enumerate(edit.remove):
        if kept.pop(_phrase_key(entry), None) is None:
            hint = did_you_mean(entry, builtin)
            where = f"{key}.remove[{index}]"
            line = _line(_entry_node(node, "remove", index))
            raise ConfigError(path, line, f"{where}: '{entry}' is not in the built-in list{hint}")
    return _unique((*kept.values(), *edit.add))


def _entry_node(node: yaml.MappingNode, name: str, index: int) -> yaml.Node:
    """The `index`th item of the list under `name` (which `_convert` has checked is there)."""
    value = next(value for key, value in node.value if key.value == name)
    return value.value[index]


def _phrase_key(phrase: str) -> str:
    # Phrases are matched ignoring case and spacing (see `deckgen.extract.common`).
    return " ".join(phrase.casefold().split())


def _unique(phrases: typing.Iterable[str]) -> tuple[str, ...]:
    first: dict[str, str] = {}
    for phrase in phrases:
        first.setdefault(_phrase_key(phrase), phrase)
    return tuple(first.values())


# The values a key takes from a fixed list; checked by `check_choices`.
CHOICES: dict[str, tuple[str, ...]] = {
    "packages": ("course", "lessons"),
    "deck_titles": ("numbered", "legacy"),
}


def check_choices(config: Config) -> None:
    """Every value of a key with a fixed list of values is one of them (a config made in code,
    too), naming the file and line of one that is not."""
    for key, allowed in CHOICES.items():
        value = getattr(config, key)
        if isinstance(value, tuple):
            values = [(f"{key}[{i}]", item) for i, item in enumerate(value)]
        else:
            values = [(key, value)]
        if not values:
            path, line = config.where(key)
            raise ConfigError(path, line, f"{key}: name at least one of {', '.join(allowed)}")
        for where, item in values:
            if item not in allowed:
                path, line = config.where(where)
                hint = did_you_mean(item, allowed)
                known = ", ".join(allowed)
                raise ConfigError(
                    path, line, f"{where}: unknown value '{item}'{hint}; known: {known}"
                )


def did_you_mean(name: str, options: typing.Sequence[str]) -> str:
    """` (did you mean 'x'?)` for the option closest to a misspelt name, or ""."""
    import difflib  # only a config with a mistake in it needs this

    close = difflib.get_close_matches(name, options, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""
