"""Score deckgen against the blind annotations, matching exactly as GUIDE.md ("How scoring
matches") says.

    python benchmarks/blind/score.py            # print the table
    python benchmarks/blind/score.py --log      # ... and append it to SCORES.md (every scoring)
    python benchmarks/blind/score.py --details  # ... and the misses and false positives per file
    python benchmarks/blind/score.py --set tune --details   # the tune set (benchmarks/tune)
    python benchmarks/blind/score.py --set check            # the check set, totals only
    python benchmarks/blind/score.py --set junior --details  # the junior tune set
    python benchmarks/blind/score.py --set blind2 --log      # the second blind set, totals only

deckgen runs through its public API (`deckgen.api.items`, what `deckgen list` shows) on a
temporary course whose deckgen.yaml says only `lessons: <this folder>/lessons`: the default
config, lessons found as a course build finds them.

The blind set measures; it does not tune. Use `--details` to read a measurement, never to write
or adjust an extraction rule (issue 14, "How we know: the evaluation discipline"). Every scoring
is logged with `--log`.

Matching (GUIDE.md), implemented here and not borrowed from deckgen's identity code:

- keys are normalised: lower-case; Markdown stripped (`**`, `*`, `_`, backticks, links to their
  text); a leading list/quiz marker stripped (`1.`, `Q3:`, `Question 3:`, `a)`, `-`);
  whitespace collapsed; trailing `:` `.` `?` and surrounding quotes stripped. For definitions a
  parenthesised expansion may be present or absent, and an acronym with its expansion is one
  item whichever of the two the parenthesis holds (`Continuous Integration (CI)` ≡ `CI`).
- a prediction matches an annotation of the same kind in the same file when the keys are equal
  (for questions, or one is a prefix of the other and the prefix is at least 20 characters) and
  the lines differ by at most 3 (from `line` or any `alt_lines`). Matching is one to one,
  greedy, nearest line first.
- salary bands: role (normalised), min, max and currency agree, within the same line tolerance.
- answers: on matched questions whose annotation has an answer. A card's answer (its `answer`,
  else the excerpt it shows) is correct when it contains the annotated option letter as an
  option marker (multiple choice; not when the card lists several options) or contains the
  text of a line of the annotated answer span (the answer line and the lines after it that the
  annotated span quotes), or contains the annotated span itself up to its first `…` (at least
  8 characters): an answer line may open with a label (`**Answer:** C) Counter`) that the card
  leaves out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# set name -> (lessons folder, annotations folder). The tune and check sets annotate a sample
# of a larger corpus, so only their annotated files are scored.
SETS = {
    "blind": (HERE / "lessons", HERE / "annotations"),
    "tune": (
        ROOT / "tests" / "corpus" / "ai-infra-engineer-learning",
        ROOT / "benchmarks" / "tune" / "annotations",
    ),
    "check": (
        ROOT / "benchmarks" / "audit" / "lessons",
        ROOT / "benchmarks" / "check" / "annotations",
    ),
    "junior": (
        ROOT / "benchmarks" / "audit" / "lessons",
        ROOT / "benchmarks" / "junior" / "annotations",
    ),
    "blind2": (
        ROOT / "benchmarks" / "audit" / "lessons",
        ROOT / "benchmarks" / "blind2" / "annotations",
    ),
    "blind3": (
        ROOT / "benchmarks" / "audit" / "lessons",
        ROOT / "benchmarks" / "blind3" / "annotations",
    ),
    # A third public course in the blind4 courses' style, for rule work on prose-style lessons.
    "tune4": (
        ROOT / "benchmarks" / "tune4" / "lessons",
        ROOT / "benchmarks" / "tune4" / "annotations",
    ),
    # Other Carpentries lessons than blind5's, for rule work on that format.
    "tune5": (
        ROOT / "benchmarks" / "tune5" / "lessons",
        ROOT / "benchmarks" / "tune5" / "annotations",
    ),
    # MDN's Learn web development course: another publisher's format, for rule work.
    "tune6": (
        ROOT / "benchmarks" / "tune6" / "lessons",
        ROOT / "benchmarks" / "tune6" / "annotations",
    ),
    # Two other public courses: lessons no rule was written for, in other authors' styles.
    "blind4": (
        ROOT / "benchmarks" / "blind4" / "lessons",
        ROOT / "benchmarks" / "blind4" / "annotations",
    ),
    # A fifth set from another publisher and another format: Carpentries episodes.
    "blind5": (
        ROOT / "benchmarks" / "blind5" / "lessons",
        ROOT / "benchmarks" / "blind5" / "annotations",
    ),
    # A sixth set from a bootcamp's textbook: Ada Developers Academy's curriculum.
    "blind6": (
        ROOT / "benchmarks" / "blind6" / "lessons",
        ROOT / "benchmarks" / "blind6" / "annotations",
    ),
    # A seventh from a digital-humanities journal's tutorials: the Programming Historian.
    "blind7": (
        ROOT / "benchmarks" / "blind7" / "lessons",
        ROOT / "benchmarks" / "blind7" / "annotations",
    ),
}
# The blind sets measure, a handful of times each, and every scoring of them is logged.
SCORES = {
    "blind": HERE / "SCORES.md",
    **{
        name: ROOT / "benchmarks" / name / "SCORES.md"
        for name in ("blind2", "blind3", "blind4", "blind5", "blind6", "blind7")
    },
}
# Held-out sets are read by their totals only; blind4 and blind5 are spent (their READMEs say so).
TOTALS_ONLY = ("check", "blind2", "blind3", "blind6", "blind7")
TOLERANCE = 3
PREFIX_MIN = 20
MIN_QUOTE = 8  # shorter annotated answers ("B", "Yes") say too little to find in a card

# Annotation kind -> deckgen item kind, in the table's order.
KINDS = {
    "definitions": "definition",
    "questions": "question",
    "comparison_rows": "comparison",
    "salary_bands": "salary",
}

# --- key normalisation (GUIDE.md, "Normalised key") -----------------------------------------

_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_MARKER = re.compile(
    r"^(?:[-+]\s+"  # bullet
    r"|\d+[.)](?=\s|$)"  # 1.  1)
    r"|q\s?\d+(?:\.\d+)*\s*[:.)]"  # Q3:  Q1.1:
    r"|question\s+\d+(?:\.\d+)*\s*[:.)]?"  # Question 3:
    r"|[a-z]\)(?=\s|$)"  # a)
    r")\s*"
)
_QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019"}
_PARENS = re.compile(r"\s*\([^()]*\)")
_CLOSING_PARENS = re.compile(r"\(([^()]*)\)$")


def normalise(text: str) -> str:
    s = text.lower()
    s = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), s)
    for mark in ("**", "*", "_", "`"):
        s = s.replace(mark, "")
    s = " ".join(s.split())
    while True:
        before = s
        s = _MARKER.sub("", s, count=1).strip()
        s = s.rstrip(":.?").strip()
        if len(s) >= 2 and _QUOTES.get(s[0]) == s[-1]:
            s = s[1:-1].strip()
        if s == before:
            return s


def _aside(key: str) -> set[str]:
    """The name a key gives in the parenthesis that closes it: `orm` in `object-relational
    mapping (orm)`."""
    closing = _CLOSING_PARENS.search(key)
    return {closing.group(1).strip()} if closing else set()


def keys_match(kind: str, annotated: str, predicted: str) -> bool:
    if annotated == predicted:
        return True
    if kind == "definitions":
        # GUIDE.md: an acronym introduced with its expansion is one item, whichever of the two
        # the parenthesis holds ("CI (Continuous Integration)" ≡ "Continuous Integration (CI)"
        # ≡ "CI"): the name outside one key's parenthesis, or the name inside it, is the other's.
        bare_a, bare_p = _PARENS.sub("", annotated).strip(), _PARENS.sub("", predicted).strip()
        return bare_a == bare_p or bare_a in _aside(predicted) or bare_p in _aside(annotated)
    if kind == "questions":
        short, long = sorted((annotated, predicted), key=len)
        return len(short) >= PREFIX_MIN and long.startswith(short)
    return False


# --- items ----------------------------------------------------------------------------------


@dataclass
class Annotated:
    file: str
    line: int
    key: str
    raw: dict
    lines: tuple[int, ...]


@dataclass
class Predicted:
    file: str
    line: int
    key: str
    item: object


@dataclass
class Result:
    annotated: list[Annotated] = field(default_factory=list)
    predicted: list[Predicted] = field(default_factory=list)
    pairs: list[tuple[Annotated, Predicted]] = field(default_factory=list)


def salary_key(role: str, low: int | None, high: int | None, currency: str) -> str:
    return f"{normalise(role)}|{low}|{high}|{(currency or '').upper()}"


def load_annotations(annotations: Path) -> dict[str, list[Annotated]]:
    found: dict[str, list[Annotated]] = defaultdict(list)
    for path in sorted(annotations.rglob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        rel = doc["file"]
        for kind in KINDS:
            for raw in doc.get(kind) or []:
                if kind == "salary_bands":
                    key = salary_key(raw["role"], raw["min"], raw["max"], raw["currency"])
                else:
                    key = normalise(str(raw["key"]))
                lines = (raw["line"], *(raw.get("alt_lines") or []))
                found[kind].append(Annotated(rel, raw["line"], key, raw, lines))
    return found


def run_deckgen(
    lessons_root: Path, files: set[str]
) -> tuple[dict[str, list[Predicted]], list[str]]:
    """deckgen's items in `files` (paths relative to `lessons_root`), and those of the files
    that the course run did not take as lessons."""
    from deckgen import api

    found: dict[str, list[Predicted]] = defaultdict(list)
    by_kind = {deckgen_kind: kind for kind, deckgen_kind in KINDS.items()}
    with tempfile.TemporaryDirectory() as course:
        config = Path(course) / "deckgen.yaml"
        config.write_text(f"lessons: {json.dumps(str(lessons_root))}\n", encoding="utf-8")
        report = api.items(config=config)
        if report.error is not None:
            sys.exit(f"deckgen stopped: {report.error.diagnostic}")
        for lesson in report.lessons:
            for entry in lesson.items:
                item = entry.item
                kind = by_kind.get(item.kind)
                if kind is None:
                    continue
                rel = Path(item.source.path).resolve().relative_to(lessons_root).as_posix()
                if rel not in files:
                    continue
                if kind == "salary_bands":
                    key = salary_key(item.role, item.min, item.max, item.currency)
                elif kind == "comparison_rows":
                    key = normalise(item.key_text)  # the first cell (GUIDE.md)
                else:
                    key = normalise(item.key)
                found[kind].append(Predicted(rel, item.source.line, key, item))
        lessons = _course_lessons(config)
    skipped = sorted(rel for rel in files if (lessons_root / rel).resolve() not in lessons)
    return found, skipped


def _course_lessons(config: Path) -> set[Path]:
    """The files the course run took as lessons (`deckgen list` lists no item for a lesson
    with none, so ask the same lookup it uses)."""
    from deckgen.config import load_config
    from deckgen.configfile import find_config
    from deckgen.layout import find_lessons

    return {p.resolve() for p in find_lessons((), load_config(find_config(config)))}


def match(kind: str, annotated: list[Annotated], predicted: list[Predicted]) -> Result:
    result = Result(annotated, predicted)
    candidates = []
    for a_index, ann in enumerate(annotated):
        for p_index, pred in enumerate(predicted):
            if ann.file != pred.file or not keys_match(kind, ann.key, pred.key):
                continue
            distance = min(abs(line - pred.line) for line in ann.lines)
            if distance <= TOLERANCE:
                candidates.append((distance, ann.file, ann.line, pred.line, a_index, p_index))
    used_a: set[int] = set()
    used_p: set[int] = set()
    for *_, a_index, p_index in sorted(candidates):
        if a_index in used_a or p_index in used_p:
            continue
        used_a.add(a_index)
        used_p.add(p_index)
        result.pairs.append((annotated[a_index], predicted[p_index]))
    return result


# --- answers --------------------------------------------------------------------------------

_LETTER_IN_ANSWER = re.compile(r"answer\W{0,6}([A-E])(?![A-Za-z0-9])", re.IGNORECASE)


def plain(text: str) -> str:
    s = _LINK.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text.lower())
    for mark in ("**", "*", "_", "`"):
        s = s.replace(mark, "")
    return " ".join(s.split())


def annotated_letter(raw: dict) -> str | None:
    """The correct option letter of a multiple-choice annotation."""
    if not raw.get("options"):
        return None
    answer = str(raw["answer"])
    m = _LETTER_IN_ANSWER.search(answer) or _LEADING_LETTER.match(answer)
    if m:
        return m.group(1).upper()
    # The longest option the answer quotes: `C) ls -a` quotes option A's `ls` too.
    quoted = []
    for option in raw["options"]:
        m = re.match(r"\s*\(?([A-Ea-e])[).]\s*(.*)", option)
        if m and m.group(2) and plain(m.group(2)) in plain(answer):
            quoted.append((len(m.group(2)), m.group(1).upper()))
    return max(quoted)[1] if quoted else None


_LEADING_LETTER = re.compile(r"\W*\(?([A-E])(?:[).]|\s+[-\u2013\u2014:])\s")


def has_letter(card: str, letter: str) -> bool:
    patterns = (
        rf"(?<![A-Za-z0-9]){letter}[).:](?![A-Za-z0-9])",
        rf"^\W*{letter}\s+[-–—]\s",  # an answer key's `**4. A - finally ...**`
        rf"\({letter}\)",
        rf"answer\W{{0,6}}{letter}(?![A-Za-z0-9])",
        rf"^\W*{letter}\W*$",
    )
    return any(re.search(p, card, re.IGNORECASE if "answer" in p else 0) for p in patterns)


def lists_options(card: str) -> bool:
    """A card that lists several options (`A)`, `B)` at line starts) names every letter, so
    the letter alone does not show which option it gives as the answer."""
    return len(set(re.findall(r"(?m)^\W*([A-E])\)", card))) >= 2


# A block quote's markers (`> > oxyg` in a Carpentries solution) open the line, not its text:
# the card shows the text, never the markers.
_QUOTED = re.compile(r"^(?:\s*>)+\s?")


def span_lines(raw: dict, source: list[str]) -> list[str]:
    """The lesson lines the annotated answer span covers, normalised: the answer line, then
    each following line (blank lines skipped) whose text is part of the annotated span."""
    answer = plain(str(raw["answer"]).replace("\u2026", " "))
    start = raw["answer_line"]
    lines = [plain(_QUOTED.sub("", source[start - 1]))]
    for text in source[start:]:
        text = plain(_QUOTED.sub("", text))
        if not text:
            continue
        if text not in answer:
            break
        lines.append(text)
    return [line for line in lines if line]


def card_answer(item: object) -> str:
    return getattr(item, "answer", None) or getattr(item, "excerpt", "") or ""


def judge_answer(ann: Annotated, pred: Predicted, sources: dict[str, list[str]]) -> bool:
    card = card_answer(pred.item)
    if not card:
        return False
    letter = annotated_letter(ann.raw)
    if letter and has_letter(card, letter) and not lists_options(card):
        return True
    text = plain(card)
    if any(line in text for line in span_lines(ann.raw, sources[ann.file])):
        return True
    # The answer line often opens with a label the card rightly leaves out
    # (`**Answer:** C) Counter`): then the annotated span itself, up to its first cut, is the
    # answer to find.
    quoted = plain(str(ann.raw["answer"]).split("\u2026")[0])
    return len(quoted) >= MIN_QUOTE and quoted in text


# --- report ---------------------------------------------------------------------------------


def ratio(num: int, den: int) -> str:
    return f"{num / den:.3f}" if den else "n/a"


def table(results: dict[str, Result], sources: dict[str, list[str]]) -> list[str]:
    out = [
        "| kind | annotated | extracted | matched | precision | recall |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, result in results.items():
        n_ann, n_pred, n_match = len(result.annotated), len(result.predicted), len(result.pairs)
        out.append(
            f"| {kind.replace('_', ' ')} | {n_ann} | {n_pred} | {n_match} | "
            f"{ratio(n_match, n_pred)} | {ratio(n_match, n_ann)} |"
        )
    questions = results["questions"]
    judged = [(a, p) for a, p in questions.pairs if a.raw.get("answer") is not None]
    correct = sum(judge_answer(a, p, sources) for a, p in judged)
    given = sum(a.raw.get("answer") is not None for a in questions.annotated)
    with_answer = sum(getattr(p.item, "answer", None) is not None for _, p in questions.pairs)
    out += [
        "",
        f"Answers (questions whose lesson gives one): {given} annotated, {len(judged)} matched "
        f"(recall {ratio(len(judged), given)}), {correct} correct, accuracy "
        f"{ratio(correct, len(judged))}.",
        # Issue 14 makes a card of an unanswered question only when an excerpt answers it, so
        # these bound the question recall a faithful extractor can reach.
        f"Questions the lesson leaves unanswered: {len(questions.annotated) - given} annotated, "
        f"{len(questions.pairs) - len(judged)} made into cards.",
        f"Matched question cards carrying the lesson's answer: {with_answer}; carrying a "
        f"section excerpt or pointer instead: {len(questions.pairs) - with_answer}.",
    ]
    return out


def details(results: dict[str, Result], sources: dict[str, list[str]]) -> list[str]:
    by_file: dict[str, list[str]] = defaultdict(list)
    for kind, result in results.items():
        matched_a = {id(a) for a, _ in result.pairs}
        matched_p = {id(p) for _, p in result.pairs}
        for ann in result.annotated:
            if id(ann) not in matched_a:
                by_file[ann.file].append(f"  {ann.line}: miss {kind}: {ann.key}")
        for pred in result.predicted:
            if id(pred) not in matched_p:
                by_file[pred.file].append(f"  {pred.line}: false positive {kind}: {pred.key}")
        if kind == "questions":
            for ann, pred in result.pairs:
                if ann.raw.get("answer") is not None and not judge_answer(ann, pred, sources):
                    by_file[ann.file].append(f"  {ann.line}: wrong answer: {ann.key}")
    out = []
    for rel in sorted(by_file):
        out.append(rel)
        out += sorted(by_file[rel], key=lambda row: int(row.split(":", 1)[0]))
    return out


def commit() -> str:
    root = HERE.parent.parent

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    # What decides a score: the code and the set. The log itself does not.
    dirty = git(
        "status",
        "--porcelain",
        "--",
        "src",
        "benchmarks/blind",
        "benchmarks/blind2",
        "benchmarks/blind3",
        "benchmarks/blind4",
        "benchmarks/blind5",
        "benchmarks/blind6",
        "benchmarks/blind7",
        ":!*/SCORES.md",
    )
    return head + (" (with uncommitted changes)" if dirty else "")


def log(scores: Path, name: str, lines: list[str], skipped: list[str], note: str) -> None:
    scored = commit()
    if not scores.exists():
        scores.write_text(
            f"# {name} scorings\n\n"
            "Every scoring of this set, appended by `python benchmarks/blind/score.py "
            f"--set {name} --log` (issue 14: the test set measures, at most a handful of "
            "times, and every scoring is logged). Entries are never edited.\n",
            encoding="utf-8",
        )
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    entry = [f"## {now}, commit {scored}", ""]
    if note:
        entry += [note, ""]
    entry += lines
    if skipped:
        entry += ["", "Not taken as lessons by the course run: " + ", ".join(skipped) + "."]
    with scores.open("a", encoding="utf-8") as handle:
        handle.write("\n" + "\n".join(entry) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--log", action="store_true", help="append this scoring to the set's SCORES.md"
    )
    parser.add_argument("--note", default="", help="one line saying what was scored, for --log")
    parser.add_argument(
        "--details", action="store_true", help="print misses and false positives per file"
    )
    parser.add_argument(
        "--set", choices=sorted(SETS), default="blind", help="which annotated set to score"
    )
    parser.add_argument(
        "--annotations", type=Path, help="score against annotations in this folder (drafts)"
    )
    args = parser.parse_args()
    if args.log and (args.set not in SCORES or args.annotations):
        parser.error("--log records scorings of the blind sets only")
    if args.details and args.set in TOTALS_ONLY:
        parser.error(f"the {args.set} set is held out: its totals only, never --details")

    lessons_root, folder = SETS[args.set]
    folder = args.annotations or folder
    files = {p.relative_to(folder).as_posix().removesuffix(".yaml") for p in folder.rglob("*.yaml")}
    annotations = load_annotations(folder)
    predictions, skipped = run_deckgen(lessons_root, files)
    sources = {rel: (lessons_root / rel).read_text(encoding="utf-8").split("\n") for rel in files}
    results = {
        kind: match(kind, annotations.get(kind, []), predictions.get(kind, [])) for kind in KINDS
    }
    lines = table(results, sources)
    print("\n".join(lines))
    if skipped:
        counts = defaultdict(int)
        for kind in KINDS:
            for ann in annotations.get(kind, []):
                if ann.file in skipped:
                    counts[kind] += 1
        print(
            f"\nNot taken as lessons by the course run ({len(skipped)}): {', '.join(skipped)}; "
            f"they hold {dict(counts)} annotated items, counted as misses."
        )
    if args.details:
        print("\n" + "\n".join(details(results, sources)))
    if args.log:
        log(SCORES[args.set], args.set, lines, skipped, args.note)
        print(f"\nLogged to {SCORES[args.set].relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
