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
from deckgen.diagnostics import ConfigError

# PyYAML is imported where a config is parsed, not here: `deckgen build` answered from its
# build cache knows the config by its bytes and never parses it (see `deckgen.cache`).
if TYPE_CHECKING:
    import yaml

DEFAULT_METADATA_LABELS = (
    "Duration",
    "Time",
    "Estimated Time",
    "Time Required",
    "Objectives",
    "Objective",
    "Learning Objectives",
    "Goal",
    "Goals",
    "Salary",
    "Salary Range",
    "Compensation",
    "Focus",
    "Skills",
    "Challenge",
    "Solution",
    "Next Lesson",
    "Previous Lesson",
    "Next",
    "Previous",
    "Next Steps",
    "Prerequisites",
    "Prerequisite",
    "Difficulty",
    "Level",
    "Status",
    "Version",
    "Author",
    "Last Updated",
    "Updated",
    "Type",
    "Format",
    "Points",
    "Score",
    "Total Points",
    "Passing Score",
    "Answer",
    "Correct Answer",
    "Explanation",
    "Hint",
    "Hints",
    "Note",
    "Notes",
    "Tip",
    "Tips",
    "Warning",
    "Important",
    "Example",
    "Examples",
    "Output",
    "Expected Output",
    "Result",
    "Results",
    "Deliverable",
    "Deliverables",
    "Requirements",
    "Requirement",
    "Setup",
    "Input",
    "Usage",
    "Module",
    "Lesson",
    "Course",
    "Track",
    "Role",
    "Location",
    "Date",
    "Due",
    "Submission",
    "Success Criteria",
    "Scenario",
    "Context",
    "Task",
    "Tasks",
    "Question",
    "Reference",
    "References",
    "Source",
    "Resources",
    "Estimated Duration",
    "Target Audience",
    "Estimated Time to Complete",
    "Time to Complete",
    "Completion Time",
    "Module Complete",
    "Lesson Complete",
    "Next Exercise",
    "Next Module",
    "Related Exercises",
    "Related Exercise",
    "Related Lab",
    "Related Labs",
    # Exercise furniture: checks and expectations around a step.
    "Checkpoint",
    "Validation",
    "Verification",
    "Expected Result",
    "Expected Behavior",
    "Expected Detection",
    "Skills Exercised",
    "Skills Practiced",
    "Rule",
    # Troubleshooting furniture: `**Issue: "Permission denied"**`.
    "Issue",
    "Symptom",
    "Symptoms",
    "Error",
    "Fix",
    # Scenario furniture: the story around an exercise.
    "Real-World Scenario",
    "Real World Scenario",
    "Business Context",
    "Business Scenario",
    "Business Impact",
    "Background",
    "Current Problems",
    "Current State",
    "Situation",
    # Quiz, exercise and answer-key furniture.
    "Total Questions",
    "Time Limit",
    "Total Time",
    "Coverage",
    "Topics",
    "Passing",
    "File",
    "Files",
    "Purpose",
    "Problem",
    "Problems",
    "Remember",
    "Q",
    "A",
    "Common Mistakes",
    "Related Material",
    "Related Lessons",
    "Academic Integrity",
    "Founded",
    "Headquarters",
    # Callouts and asides.
    "Pro Tip",
    "Quick Tip",
    "Key Point",
    "Key Points",
    "Key Takeaway",
    "Key Takeaways",
    "Takeaway",
    "Reminder",
    "Caution",
    "Danger",
    "Info",
    "Heads Up",
    "Gotcha",
    "TL;DR",
    "Summary",
    "Recap",
    "Overview",
    "Did You Know",
    "Fun Fact",
    "Bonus",
    "Try It",
    "Activity",
    "Homework",
    "Assignment",
    "Exercise",
    "Practice",
    "Sample Answer",
    "Answer Key",
    "Learning Outcomes",
    "Outcomes",
    "What You'll Learn",
    "What You'll Build",
    "Topics Covered",
    "Tools Used",
    "Tech Stack",
    "Time Estimate",
    "Audience",
    # Judgement labels: they introduce examples or lists, they name no concept.
    "Do",
    "Don't",
    "Good",
    "Bad",
    "Before",
    "After",
    "Pros",
    "Cons",
    "Advantages",
    "Disadvantages",
    "Benefits",
    "Drawbacks",
    "Limitations",
    "Trade-offs",
    "Tradeoffs",
    "Use Case",
    "Use Cases",
    "When to Use",
    "When Not to Use",
    "Best For",
    "Why It Matters",
    "Why This Matters",
    "Strengths",
    "Weaknesses",
    "Pricing",
    "Pricing Model",
)

DEFAULT_SKIP_SECTIONS = (
    "Additional Resources",
    "Resources",
    "Further Reading",
    "References",
    "What's Next?",
    "What's Next",
    "Next Steps",
    "Table of Contents",
    "Contents",
    "License",
    "Acknowledgments",
    # Lists of things to read, watch or join: resources, not concepts.
    "Podcasts",
    "Newsletters",
    "Books",
    "Recommended Books",
    "Recommended Reading",
    "Reading List",
    "Blogs",
    "Engineering Blogs",
    "Company Engineering Blogs",
    "YouTube Channels",
    "Videos",
    "Video Courses",
    "Online Courses",
    "Free Courses",
    "Paid Courses",
    "Communities",
    "Online Communities",
    "Discussion Forums",
    "Forums",
    "Conferences",
    "Certifications",
    "Cheat Sheets",
    "Interactive Tutorials",
    "Useful Links",
    "Learning Resources",
)

DEFAULT_QUESTION_HEADINGS = (
    "Self-Check Questions",
    "Self-Check",
    "Self Check Questions",
    "Reflection Questions",
    "Knowledge Check",
    "Knowledge Checks",
    "Review Questions",
    "Practice Questions",
    "Test Your Knowledge",
    "Challenge Questions",
    "Check Your Understanding",
    "Discussion Questions",
    "Quiz Questions",
    "Questions",
    "Quiz",
    "Quick Quiz",
    "Self-Assessment",
    "Self Assessment",
    "Self-Assessment Questions",
    "Check Your Knowledge",
    "Comprehension Check",
    "Comprehension Questions",
    "Study Questions",
    "Recap Questions",
    "Interview Questions",
    "Questions for Reflection",
    "Reflection",
)

# Sections whose bold bullets are never terms to learn: things to do or hand in, tasks offered
# on top of an exercise, takeaways that restate the lesson (its body defines the terms),
# troubleshooting entries, and the story an exercise opens with (its "problems" are the
# scenario's, not concepts).
DEFAULT_INSTRUCTION_SECTIONS = (
    "Instructions",
    "Requirements",
    "Tasks",
    "Steps",
    "Deliverables",
    "Submission",
    "Practical Exercise",
    "Practice Exercise",
    "Hands-On Exercise",
    "Practical Application",
    "Challenge Tasks",
    "Scoring",
    "Scoring Guide",
    "Grading",
    "Grading Criteria",
    "Grading Rubric",
    "Rubric",
    "Evaluation Criteria",
    "Estimated Time",
    "What to Do Next",
    "Areas for Review",
    "Study Tips",
    # Tasks beyond the exercise.
    "Bonus Challenges",
    "Bonus Challenge",
    "Bonus Tasks",
    "Bonus Exercises",
    "Additional Challenges",
    "Extra Challenges",
    "Advanced Challenges",
    "Optional Challenges",
    "Stretch Goals",
    "Stretch Goal",
    "Stretch Challenges",
    "Extensions",
    "Extension Ideas",
    "Optional Extensions",
    "Extra Credit",
    "Going Further",
    # Takeaways.
    "Key Takeaways",
    "Takeaways",
    "Key Points",
    "Key Lessons",
    "Lessons Learned",
    "What You Learned",
    "What You've Learned",
    "Recap",
    "Wrap-Up",
    "Wrap Up",
    # Symptom -> fix entries: an error message is no concept, and "X — what is it?" does not
    # fit them. (Pitfalls stay: they name an anti-pattern, `Scope creep`, `Alert fatigue`.)
    "Troubleshooting",
    "Troubleshooting Guide",
    "Troubleshooting Tips",
    "Common Issues",
    "Common Errors",
    "Common Problems",
    "Known Issues",
    "Common Issues and Solutions",
    "Issues and Solutions",
    "Common Errors and Fixes",
    "Debugging Tips",
    # An exercise's scenario.
    "Business Context",
    "Business Scenario",
    "Real-World Scenario",
    "Scenario",
    "Problem Statement",
)

# Glossary sections: their `- Term: explanation` bullets are definitions even without bold.
DEFAULT_GLOSSARY_HEADINGS = (
    "Glossary",
    "Key Terms",
    "Key Terminology",
    "Terminology",
    "Vocabulary",
    "Definitions",
    "Important Terms",
    "Terms to Know",
)

# Headings of a section that answers a quiz's questions by number.
DEFAULT_ANSWER_KEY_HEADINGS = (
    "Answers",
    "Answer Key",
    "Answer Keys",
    "Answers and Explanations",
    "Answer Key Summary",
    "Answer Key and Explanations",
    "Quiz Answers",
    "Solutions",
)

DEFAULT_SKIP_TABLE_HEADERS = (
    "Points",
    "Score",
    "Weight",
    "Grade",
    "Excellent",
    "Proficient",
    "Week",
    "Day",
    "Date",
    "Time",
    "Duration",
    "Deadline",
    "Criteria",
    "Criterion",
    # Pay tables become salary-band cards instead.
    "Salary",
    "Salary Range",
    "Compensation",
)


@dataclass(frozen=True)
class CourseConfig:
    """The course every deck belongs to: its id is part of every note's identity."""

    id: str = "course"
    name: str = "Course"


@dataclass(frozen=True)
class ExtractConfig:
    """What counts as a study item, and where none is looked for."""

    # Bold labels that carry lesson metadata rather than a concept to learn.
    metadata_labels: tuple[str, ...] = DEFAULT_METADATA_LABELS
    # Sections (by heading) whose content never becomes a card.
    skip_sections: tuple[str, ...] = DEFAULT_SKIP_SECTIONS
    # Headings whose list items are study questions.
    question_headings: tuple[str, ...] = DEFAULT_QUESTION_HEADINGS
    # A table with any of these header cells (rubrics, schedules) makes poor cards.
    skip_table_headers: tuple[str, ...] = DEFAULT_SKIP_TABLE_HEADERS
    # Tables under these headings make poor cards too, whatever their headers.
    skip_table_sections: tuple[str, ...] = ()
    # Sections of steps and deliverables: their bold bullets are never definitions.
    instruction_sections: tuple[str, ...] = DEFAULT_INSTRUCTION_SECTIONS
    # Sections whose plain `- Term: explanation` bullets are definitions too.
    glossary_headings: tuple[str, ...] = DEFAULT_GLOSSARY_HEADINGS
    # Sections that answer a quiz's questions by number (`**Question 3: B**`, `1. B  2. C`).
    answer_key_headings: tuple[str, ...] = DEFAULT_ANSWER_KEY_HEADINGS
    # Item kinds to extract; see `deckgen.extract.EXTRACTORS`.
    kinds: tuple[str, ...] = field(
        default=("definition", "comparison", "salary", "question"),
        metadata={"choices": lambda: _extractor_names()},
    )


@dataclass(frozen=True)
class FilesConfig:
    """Which Markdown files under `lessons:` are lessons, and what the others are for."""

    # A folder's index file titles its module; it is a lesson only when it is alone in its folder
    # (an exercise folder with just a README).
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
class Config:
    """The whole `deckgen.yaml`, with the built-in defaults for what it leaves out."""

    course: CourseConfig = field(default_factory=CourseConfig)
    lessons: str = "lessons"
    decks: str = "decks"
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    files: FilesConfig = field(default_factory=FilesConfig)
    # new key -> old key, so a renamed term keeps its note (and its learners' progress).
    aliases: Mapping[str, str] = field(default_factory=dict)
    # Drop notes whose item left the lessons, instead of keeping them tagged deckgen::removed.
    prune_retired: bool = False
    # Where the config file lives; relative paths above are resolved against it.
    root: Path = field(default=Path("."), metadata={"internal": True})
    # `ConfigFile.identity` of the file this was read from, set by `load_config`; "" when made
    # in code. Not an __init__ argument, so `dataclasses.replace` leaves a changed copy without
    # it. Not in `cache_key()`, nor compared: a comment edited in the file changes no plan.
    identity: str = field(
        default="", init=False, repr=False, compare=False, metadata={"internal": True}
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

    def cache_key(self) -> str:
        """Every setting that shapes what a build writes, as one stable string: with deckgen's
        code and version, the key of the build cache (`deckgen.cache`). The config file's
        identity is left out: a comment edited in the file changes no plan."""
        return json.dumps(_settings(self), sort_keys=True, ensure_ascii=False)


def _settings(value: Any) -> Any:
    """A config value as JSON data: its fields (those compared), lists and strings."""
    if dataclasses.is_dataclass(value):
        return {
            f.name: _settings(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.compare
        }
    if isinstance(value, Mapping):
        return {str(key): _settings(item) for key, item in value.items()}
    if isinstance(value, tuple | list):
        return [_settings(item) for item in value]
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
    root = path.resolve().parent
    if node is None:
        return Config(root=root)
    values = _convert(node, Config, "", path)
    return dataclasses.replace(values, root=root)


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
                hint = _did_you_mean(name, list(allowed))
                known = ", ".join(allowed)
                raise ConfigError(
                    path, _line(key_node), f"unknown key '{full}'{hint}; known keys: {known}"
                )
            values[name] = _convert(value_node, hints[name], full, path)
            _check_choices(allowed[name], value_node, values[name], full, path)
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
        return {
            _convert(k, str, f"{key} key", path): _convert(v, str, f"{key}.{k.value}", path)
            for k, v in node.value
        }
    if isinstance(tp, types.UnionType):
        tp = next(arg for arg in typing.get_args(tp) if arg is not type(None))
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


def _did_you_mean(name: str, options: typing.Sequence[str]) -> str:
    import difflib  # only a config with a mistake in it needs this

    close = difflib.get_close_matches(name, options, n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _extractor_names() -> tuple[str, ...]:
    # Imported late: the extractors themselves import this module for their config.
    from deckgen.extract import EXTRACTORS

    return tuple(EXTRACTORS)


def _check_choices(
    spec: dataclasses.Field[Any], node: yaml.Node, value: Any, key: str, path: Path
) -> None:
    """A list field whose items must be known names (`kinds`): an unknown one is a typo."""
    choices = spec.metadata.get("choices")
    if choices is None:
        return
    known = choices()
    for index, (item, item_node) in enumerate(zip(value, node.value, strict=True)):
        if item not in known:
            hint = _did_you_mean(item, known)
            raise ConfigError(
                path,
                _line(item_node),
                f"{key}[{index}]: unknown value '{item}'{hint}; known: {', '.join(known)}",
            )
