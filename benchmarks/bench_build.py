"""Time `deckgen build` on the real corpus, as whole processes, against markdown-it's parse floor.

Run from the project root with the project's environment:

    .venv/bin/python benchmarks/bench_build.py            # >= 650 lessons, --jobs 1 and 2
    .venv/bin/python benchmarks/bench_build.py --runs 3 --scale 10   # and a 10x course

The course is the vendored corpus, copied as often as it takes to hold at least 650 lessons, and
the figures are checked against the renovation's targets (`TARGETS`), each printed met or not.

Every figure is the median of several runs of a fresh process (`python -m deckgen ...`), so
interpreter start-up and imports count, as they do for an author running it in a hook. Peak
RSS is that of the largest single process (with --jobs, the parent or one worker).
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "ai-infra-engineer-learning"
# The same parser configuration deckgen reads lessons with, but parsing inline Markdown too:
# what any tool that reads these files with markdown-it-py must at least pay.
FLOOR = """
import sys
from pathlib import Path
from markdown_it import MarkdownIt
parser = MarkdownIt("commonmark", {"html": True}).enable("table")
for path in sorted(Path(sys.argv[1]).rglob("*.md")):
    parser.parse(path.read_bytes().decode("utf-8-sig"))
"""
CONFIG = "course:\n  id: bench\n  name: Bench\nlessons: lessons\ndecks: decks\n"


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float  # user + system, the process and its workers together
    peak_rss_mb: float


@dataclass(frozen=True)
class Figure:
    name: str
    runs: list[Run]

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return max(run.peak_rss_mb for run in self.runs)


def timed(command: Sequence[str], cwd: Path) -> Run:
    """Wall time, CPU time and peak RSS of one process, counting the workers it waited for.

    The machine may be shared: CPU time is the steadier figure when other work competes.
    """
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed with exit code {process.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return Run(seconds, cpu, usage.ru_maxrss / 1024)  # Linux reports KiB


def precompile() -> None:
    """Compile deckgen's bytecode, as `pip install` does for an installed copy.

    An editable checkout under PYTHONDONTWRITEBYTECODE (set on this project's VMs) would have
    every measured process compile deckgen's modules from source again, ~40 ms that no user of
    an installed deckgen pays; the dependencies in the venv were compiled when installed.
    """
    source = REPO / "src" / "deckgen"
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(source)], check=True)


def make_course(root: Path, copies: int) -> Path:
    """A course whose lessons are `copies` copies of the corpus under distinct folder names."""
    lessons = root / "lessons"
    for index in range(copies):
        target = lessons if copies == 1 else lessons / f"copy-{index:02d}"
        shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("LICENSE"))
    (root / "deckgen.yaml").write_text(CONFIG, encoding="utf-8")
    return root


def clean(course: Path) -> None:
    shutil.rmtree(course / "decks", ignore_errors=True)
    shutil.rmtree(course / ".deckgen-cache", ignore_errors=True)


def count_notes(decks: Path) -> int:
    from deckgen.apkg import read_apkg

    return sum(len(read_apkg(path).notes) for path in decks.rglob("*.apkg"))


@dataclass(frozen=True)
class CourseResult:
    files: int
    megabytes: float
    notes: int
    floor: Figure
    builds: list[Figure]

    def full_builds(self) -> list[Figure]:
        return [figure for figure in self.builds if figure.name.startswith("full")]


def bench_course(course: Path, runs: int, jobs: Sequence[int]) -> CourseResult:
    files = sorted((course / "lessons").rglob("*.md"))
    megabytes = sum(path.stat().st_size for path in files) / 1e6
    # The median-size lesson: an edit's cost should follow what changed, not the course's size.
    edited = sorted(files, key=lambda path: path.stat().st_size)[len(files) // 2]
    original = edited.read_bytes()
    edits = itertools.count()

    def as_it_was() -> None:
        edited.write_bytes(original)

    def from_scratch() -> None:
        as_it_was()
        clean(course)

    def edit_one_lesson() -> None:
        edited.write_bytes(original + f"\n\nEdited, take {next(edits)}.\n".encode())

    # (name, what to do before each run, command)
    steps: list[tuple[str, Callable[[], None], list[str]]] = [
        ("parse floor", as_it_was, [sys.executable, "-c", FLOOR, "lessons"])
    ]
    for job in jobs:
        build = [sys.executable, "-m", "deckgen", "build", "--quiet", "--jobs", str(job)]
        steps += [
            (f"full build, --jobs {job}", from_scratch, build),
            (f"no-op rebuild, --jobs {job}", lambda: None, build),
            (f"one lesson edited, --jobs {job}", edit_one_lesson, build),
        ]
    timings: dict[str, list[Run]] = {name: [] for name, _, _ in steps}
    notes = 0
    # Round by round, each measurement once a round: when the machine's speed drifts (other
    # virtual machines on the host), the floor and the builds drift together, and the ratios
    # between them hold.
    for _ in range(runs):
        for name, before, command in steps:
            before()
            timings[name].append(timed(command, course))
            if not notes and name.startswith("full"):
                notes = count_notes(course / "decks")
    as_it_was()
    floor, *builds = (Figure(name, timings[name]) for name, _, _ in steps)
    return CourseResult(len(files), megabytes, notes, floor, builds)


def report(title: str, result: CourseResult) -> None:
    """A Markdown table, ready to paste into benchmarks/README.md."""
    floor = result.floor
    print(f"\n## {title}: {result.files} files, {result.megabytes:.2f} MB, {result.notes} notes")
    print(
        "| measurement | wall s | CPU s | MB/s | notes/s | x floor (wall) | x floor (CPU) "
        "| x full build (wall) | peak RSS MB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    full = floor
    for figure in [floor, *result.builds]:
        seconds = figure.seconds
        if figure.name.startswith("full"):
            full = figure
        whole = figure is floor or figure is full
        rate = f"{result.megabytes / seconds:.2f}" if whole else ""
        notes_rate = f"{result.notes / seconds:.0f}" if figure is full and full is not floor else ""
        of_full = f"{seconds / full.seconds:.2f}" if full is not floor else ""
        print(
            f"| {figure.name} | {seconds:.3f} | {figure.cpu_seconds:.3f} | {rate} | {notes_rate} | "
            f"{seconds / floor.seconds:.2f} | {figure.cpu_seconds / floor.cpu_seconds:.2f} | "
            f"{of_full} | {figure.peak_rss_mb:.0f} |"
        )


# (measurement, what it is compared with, the largest ratio allowed)
TARGETS = [
    ("full build, --jobs 1", "parse floor", 1.5),
    ("full build, --jobs 2", "parse floor", 0.9),
    ("no-op rebuild, --jobs 1", "full build, --jobs 1", 0.10),
    ("one lesson edited, --jobs 1", "full build, --jobs 1", 0.10),
]


def check_targets(result: CourseResult) -> None:
    figures = {figure.name: figure for figure in [result.floor, *result.builds]}
    print("\n## Targets (wall time)")
    for name, base, limit in TARGETS:
        if name in figures and base in figures:
            ratio = figures[name].seconds / figures[base].seconds
            verdict = "met" if ratio <= limit else "NOT MET"
            print(f"- {name} <= {limit}x {base}: {ratio:.3f}x, {verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median)")
    parser.add_argument(
        "--lessons", type=int, default=650, help="least Markdown files in the course"
    )
    parser.add_argument("--scale", type=int, default=1, help="also a course of N copies (>1)")
    parser.add_argument("--scale-runs", type=int, default=3, help="runs per scaled figure")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"corpus not found at {CORPUS}")
    print(f"# deckgen build benchmark: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    precompile()
    with tempfile.TemporaryDirectory(prefix="deckgen-bench-") as temp:
        copies = -(-args.lessons // len(list(CORPUS.rglob("*.md"))))
        one = bench_course(make_course(Path(temp) / "base", copies), args.runs, args.jobs)
        report(f"{copies}x corpus", one)
        check_targets(one)
        if args.scale > 1:
            scaled = bench_course(
                make_course(Path(temp) / f"{args.scale}x", args.scale), args.scale_runs, args.jobs
            )
            report(f"{args.scale}x corpus", scaled)
            print(f"\n## {args.scale}x / {copies}x full build time, per copy")
            for small, big in zip(one.full_builds(), scaled.full_builds(), strict=True):
                print(
                    f"- {small.name}: {big.seconds / small.seconds * copies / args.scale:.2f}x "
                    f"wall, {big.cpu_seconds / small.cpu_seconds * copies / args.scale:.2f}x CPU"
                )


if __name__ == "__main__":
    main()
