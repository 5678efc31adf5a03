"""`deckgen init`: set a course repository up for deckgen, writing only files that are not there.

It finds the lessons folder and the course's name, and writes `deckgen.yaml`, the pre-commit
hook and the GitHub workflow, each pinned to this version's tag of deckgen's repository
(`deckgen.version.REPOSITORY` at `TAG`). A file that exists is left as it is, and said so.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from deckgen.atomic import atomic_write
from deckgen.configfile import CONFIG_NAME
from deckgen.diagnostics import ConfigError, DeckgenError
from deckgen.version import REPOSITORY, TAG

CACHE_IGNORE = ".deckgen-cache/"
PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"
WORKFLOW = ".github/workflows/decks.yml"
DECKS = "decks"
# What the first commit after `init` and `build` adds.
COMMITTED = (CONFIG_NAME, ".gitignore", PRE_COMMIT_CONFIG, ".github", DECKS)

# Folders that never hold a course's lessons, however much Markdown they have.
_NOT_LESSONS = {DECKS, "node_modules", "site-packages", "venv", "build", "dist"}
_README_NAMES = ("README.md", "readme.md", "Readme.md", "README.markdown", "README")
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Course:
    """What `init` found out about the course repository."""

    root: Path
    lessons: str  # the lessons folder, relative to root, as a POSIX path
    course_id: str
    name: str


@dataclass(frozen=True)
class Outcome:
    """What became of one file: `written`, `appended` to, or `exists` (left as it was)."""

    path: str  # relative to the course root
    state: str
    detail: str = ""


@dataclass(frozen=True)
class InitReport:
    """Every file `init` looked at, and what it did with each."""

    course: Course
    outcomes: tuple[Outcome, ...]

    @property
    def exit_code(self) -> int:
        return 0

    def messages(self) -> Iterator[str]:
        course = self.course
        yield f"course {course.name!r} (id {course.course_id}), lessons in {course.lessons}/"
        for outcome in self.outcomes:
            detail = f" ({outcome.detail})" if outcome.detail else ""
            yield f"{outcome.path}: {outcome.state}{detail}"
        where = "" if course.root.resolve() == Path.cwd().resolve() else f", in {course.root}"
        yield f"next{where}:"
        yield "  deckgen build"
        yield f"  git add {' '.join(COMMITTED)} && git commit -m 'Anki decks for the course'"


def init_course(root: Path, lessons: Path | None = None) -> InitReport:
    """Set up the course repository at `root`; `lessons` overrides the folder found."""
    if not root.is_dir():
        raise ConfigError(root, None, "no such directory")
    course = _configured(root) or Course(
        root,
        _lessons_folder(root, lessons),
        _slug(root.resolve().name) or "course",
        _readme_title(root) or root.resolve().name,
    )
    outcomes = (
        _create(root, CONFIG_NAME, config_text(course)),
        _ignore_cache(root),
        _create(root, PRE_COMMIT_CONFIG, pre_commit_text()),
        _create(root, WORKFLOW, workflow_text(course)),
    )
    return InitReport(course, outcomes)


def _configured(root: Path) -> Course | None:
    """The course as the `deckgen.yaml` already in `root` describes it, if there is one."""
    from deckgen.config import load_config

    if not (root / CONFIG_NAME).exists():
        return None
    config = load_config(root / CONFIG_NAME)
    return Course(root, config.lessons, config.course.id, config.course.name)


def _lessons_folder(root: Path, given: Path | None) -> str:
    if given is not None:
        if not given.is_dir():
            raise ConfigError(given, None, "no such directory (--lessons)")
        try:
            return given.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise ConfigError(given, None, f"--lessons must be inside {root}") from None
    if (root / "lessons").is_dir():
        return "lessons"
    counts = {
        folder.name: sum(1 for _ in folder.rglob("*.md"))
        for folder in sorted(root.iterdir())
        if folder.is_dir()
        and not folder.name.startswith((".", "_"))
        and folder.name not in _NOT_LESSONS
    }
    best = max(counts, key=lambda name: counts[name], default=None)
    if best is None or counts[best] == 0:
        raise ConfigError(root, None, "no folder of Markdown lessons found; give --lessons DIR")
    return best


def _readme_title(root: Path) -> str:
    """The text of the README's first heading, at any level ("" when there is none)."""
    from markdown_it import MarkdownIt

    from deckgen.lesson import plain_text

    for name in _README_NAMES:
        try:
            text = (root / name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        tokens = MarkdownIt("commonmark").parse(text)
        for index, token in enumerate(tokens):
            if token.type == "heading_open":
                title = plain_text(tokens[index + 1].content)
            elif token.type == "html_block" and (found := _HTML_HEADING.search(token.content)):
                # `<h1 align="center">`: a README's way to center its title
                title = " ".join(html.unescape(_HTML_TAG.sub("", found.group(2))).split())
            else:
                continue
            if title:  # not a heading of only a logo
                return title
        return ""
    return ""


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _yaml_string(value: str) -> str:
    """`value` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 ._/-]*", value) and not value.endswith(" "):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted one


def config_text(course: Course) -> str:
    return (
        "# deckgen config for this course: every key is optional; see\n"
        f"# https://github.com/{REPOSITORY}/blob/{TAG}/docs/configuration.md\n"
        "course:\n"
        f"  id: {_yaml_string(course.course_id)}"
        "  # part of every note's identity: never change it once published\n"
        f"  name: {_yaml_string(course.name)}\n"
        f"lessons: {_yaml_string(course.lessons)}  # Markdown lessons, one deck per file\n"
        f"decks: {DECKS}  # where the .apkg files go (commit them)\n"
    )


def pre_commit_text() -> str:
    return (
        "# `pre-commit install` once, and every commit checks that decks/ is rebuilt.\n"
        "repos:\n"
        f"  - repo: https://github.com/{REPOSITORY}\n"
        f"    rev: {TAG}\n"
        "    hooks:\n"
        "      - id: deckgen-check\n"
    )


def workflow_text(course: Course) -> str:
    return f"""\
# Pull requests must come with decks/ rebuilt for their lessons, and must not break the notes
# learners already imported. The job's summary, and one comment on the pull request, show what
# learners get.
name: decks

on:
  pull_request:
    # Only pull requests that touch what the decks are built from: keep these in step with
    # `lessons:` and `decks:` in deckgen.yaml. (A required check skipped by `paths:` blocks the
    # merge: drop the filter if you make this check required.)
    paths:
      - {json.dumps(course.lessons + "/**", ensure_ascii=False)}
      - "{DECKS}/**"
      - "{CONFIG_NAME}"
      - "{WORKFLOW}"

permissions:
  contents: read
  pull-requests: write # the comment; pull requests from forks get the job summary only

jobs:
  decks:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0 # the base branch's decks are what learners have
      - uses: {REPOSITORY}@{TAG}
"""


def _create(root: Path, name: str, text: str) -> Outcome:
    path = root / name
    if path.exists():
        return Outcome(name, "exists", "left as it is")
    _write(path, text.encode())
    return Outcome(name, "written")


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, data)
    except OSError as error:
        raise DeckgenError(path, None, f"cannot write: {error.strerror or error}") from None


def _ignore_cache(root: Path) -> Outcome:
    """Add the build cache to `.gitignore`, unless a line there ignores it already."""
    path = root / ".gitignore"
    try:
        data = path.read_bytes()  # bytes: a .gitignore need not be UTF-8
    except FileNotFoundError:
        data = b""
    except OSError as error:
        raise DeckgenError(path, None, f"cannot read: {error.strerror or error}") from None
    ignored = {line.strip().strip(b"/") for line in data.splitlines()}
    entry = CACHE_IGNORE.encode()
    if entry.strip(b"/") in ignored:
        return Outcome(".gitignore", "exists", f"{CACHE_IGNORE} already ignored")
    separator = b"" if not data or data.endswith(b"\n") else b"\n"
    _write(path, data + separator + entry + b"\n")
    return Outcome(".gitignore", "appended to" if data else "written", CACHE_IGNORE)
