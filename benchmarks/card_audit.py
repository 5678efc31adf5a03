"""Card audit: grade random cards the way a learner would, blind to which version made them.

Issue 14's second measure, beside the blind set's precision and recall. The cards come from
`benchmarks/audit/lessons/`: the junior curriculum's files that are not in the blind set. A sheet
leaves out the junior tune set's files (rule work reads them) and, unless `--measuring`, the
check set's and the second blind set's, so it grades only files no rule was tuned on and no
merge decision looked at. `--measuring` is for a stop's closing round, which only measures: the
rest of the pool holds too few questions for the issue's 50. Three steps:

    # 1. every card one version of deckgen makes of the pool, as JSON lines
    python benchmarks/card_audit.py cards --label after
    #    (for an older version, run this file with that version on PYTHONPATH)
    # 2. a seeded random sample per kind from each label, shuffled together into one sheet;
    #    the grader sees front, back and file:line, never the label (kept in a key file)
    python benchmarks/card_audit.py sheet before after [--seed N] [--measuring]
    # 3. once every row is graded GOOD, WEAK or JUNK: the rates per label and kind
    python benchmarks/card_audit.py rates

`--pool blind4` (before the command's own options) does the same over the fourth blind set's
lessons, two other public courses (`benchmarks/blind4/`): its cards, sheet and key files are
named `...-blind4...`, and every lesson is drawn from, since no rule was tuned on any of them.
`--pool blind5` does the same over the fifth (Carpentries episodes, `benchmarks/blind5/`), and
`--pool blind6` over the sixth (Ada Developers Academy's textbook, `benchmarks/blind6/`), and
`--pool blind7` over the seventh (the Programming Historian's tutorials, `benchmarks/blind7/`).

GOOD: worth studying as it is. WEAK: studyable but flawed (a clipped answer, a vague front).
JUNK: should not be a card (not a concept, a pointer, a step, a field label, a repeat).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent / "audit"


@dataclass(frozen=True)
class Pool:
    """Where a round's cards come from, and the files it writes."""

    lessons: Path
    suffix: str  # in every file name the round writes: "" for the junior pool

    def cards(self, label: str) -> Path:
        return HERE / f"cards{self.suffix}-{label}.jsonl"

    @property
    def sheet(self) -> Path:
        return HERE / f"sheet{self.suffix}.md"

    @property
    def key(self) -> Path:  # which label made each row: not for the grader's eyes
        return HERE / f"sheet-key{self.suffix}.json"


POOLS = {
    "junior": Pool(HERE / "lessons", ""),
    "blind4": Pool(HERE.parent / "blind4" / "lessons", "-blind4"),
    "blind5": Pool(HERE.parent / "blind5" / "lessons", "-blind5"),
    "blind6": Pool(HERE.parent / "blind6" / "lessons", "-blind6"),
    "blind7": Pool(HERE.parent / "blind7" / "lessons", "-blind7"),
}
TUNED_SET = HERE.parent / "junior" / "annotations"
MEASURING_SETS = tuple(HERE.parent / name / "annotations" for name in ("check", "blind2", "blind3"))
SEED = 20261205
SAMPLE = {"definition": 100, "question": 50, "comparison": 40, "salary": 20}
GRADES = ("GOOD", "WEAK", "JUNK")
_TAG = re.compile(r"<[^>]+>")

sys.path.insert(0, str(HERE.parent / "blind"))
from draw import annotated  # noqa: E402


def _text(field: str) -> str:
    """A field as the learner reads it: tags dropped, entities decoded, on one line."""
    spaced = re.sub(r"<(?:br|/p|/li|/tr)\s*/?>", " / ", field)
    return " ".join(html.unescape(_TAG.sub(" ", spaced)).split())


def _card(kind: str, fields: dict[str, str]) -> tuple[str, str]:
    """Front and back of the note's first card."""
    if kind == "definition":
        context = f" ({_text(fields['Context'])})" if fields.get("Context") else ""
        return _text(fields["Term"]) + context, _text(fields["Definition"])
    if kind == "question":
        answer = fields.get("Answer") or ""
        if not answer:
            section, excerpt = fields.get("AnswerSection", ""), fields.get("Excerpt", "")
            answer = f"[see: {_text(section)}] {excerpt}"
        return _text(fields["Question"]), _text(answer)
    if kind == "comparison":
        front = f"{_text(fields['KeyHeader'])}: {_text(fields['Key'])} → {fields['AnswerHeader']}"
        return _text(front), _text(fields["Answer"])
    described = {name: _text(value) for name, value in fields.items() if value}
    return described.pop("Role", ""), json.dumps(described, ensure_ascii=False)


# What a sheet shows of a card's sides, on one line each.
FRONT_CHARS, BACK_CHARS = 600, 900
_ELLIPSIS = " … "


def clipped(text: str, limit: int, keep: str = "") -> str:
    """`text` in about `limit` characters, for the sheet: a plain cut lost what a long card
    asks and answers (a challenge's question comes after its lead-in of prose, code and a
    traceback; an answer's explanation after its output). So the middle goes, with an
    ellipsis: the lead-in is shortened before the `keep` sentence (the question) is, and an
    answer keeps its end."""
    if len(text) <= limit:
        return text
    at = text.find(keep) if keep else -1
    if at < 0:
        at = len(text) - (limit - limit // 3)  # the end, where an answer concludes
    tail = text[at:]
    if len(tail) > limit - len(_ELLIPSIS):
        tail = tail[: limit - 2 * len(_ELLIPSIS)].rsplit(" ", 1)[0] + _ELLIPSIS.rstrip()
    room = limit - len(tail) - len(_ELLIPSIS)
    head = text[:room].rsplit(" ", 1)[0] if room > 0 else ""
    return f"{head}{_ELLIPSIS}{tail}".lstrip()


def cards(label: str, pool: Pool) -> Path:
    from deckgen.builder import plan_draft
    from deckgen.config import Config, CourseConfig
    from deckgen.items import SelfCheckQuestion
    from deckgen.layout import find_lessons
    from deckgen.render import inline_html

    config = Config(course=CourseConfig("audit", "Audit"), lessons=str(pool.lessons), root=HERE)
    out = pool.cards(label)
    with out.open("w", encoding="utf-8") as stream:
        for path in find_lessons([], config):
            deck = plan_draft(path, config)
            for keyed, note in zip(deck.items, deck.notes, strict=True):
                fields = dict(zip(note.notetype.fields, note.fields, strict=True))
                front, back = _card(keyed.item.kind, fields)
                where = f"{path.relative_to(pool.lessons).as_posix()}:{keyed.item.source.line}"
                record = {"kind": keyed.item.kind, "where": where, "front": front, "back": back}
                if isinstance(keyed.item, SelfCheckQuestion):
                    # The sentence the card asks, as the front reads it (`clipped` keeps it).
                    record["asks"] = _text(inline_html(keyed.item.question_text))
                stream.write(json.dumps(record, ensure_ascii=False) + "\n")
    return out


def _left_out(measuring: bool) -> frozenset[str]:
    """The lessons a sheet leaves out: always the junior tune set's (benchmarks/junior, which
    rule work reads); unless `measuring`, also the check set's (whose totals guide merges) and
    the blind sets' (benchmarks/blind2, benchmarks/blind3), so that a round drawn while rules
    are being tuned shows no grader, and through the graders' notes no engineer, a held-out
    lesson's cards.
    A stop's closing round measures and may grade them: no rule was tuned on them."""
    return annotated(TUNED_SET) if measuring else annotated(TUNED_SET, *MEASURING_SETS)


def sheet(labels: list[str], seed: int, pool: Pool, measuring: bool = False) -> None:
    rng = random.Random(seed)
    held = _left_out(measuring) if pool is POOLS["junior"] else frozenset()
    rows: list[tuple[str, dict[str, str]]] = []
    for label in labels:
        found = [
            card
            for line in pool.cards(label).open()
            if (card := json.loads(line))["where"].rpartition(":")[0] not in held
        ]
        for kind, size in SAMPLE.items():
            of_kind = [card for card in found if card["kind"] == kind]
            rows.extend((label, card) for card in rng.sample(of_kind, min(size, len(of_kind))))
    rng.shuffle(rows)
    lines = [
        "# Card audit sheet",
        "",
        "Grade each card as a learner would: replace `?` with GOOD, WEAK or JUNK (see",
        "benchmarks/card_audit.py). A short note after the grade is welcome.",
        "",
    ]
    for number, (_, card) in enumerate(rows, 1):
        lines += [
            f"## {number}. {card['kind']} — {card['where']}",
            f"- front: {clipped(card['front'], FRONT_CHARS, card.get('asks', ''))}",
            f"- back: {clipped(card['back'], BACK_CHARS)}",
            "- grade: ?",
            "",
        ]
    pool.sheet.write_text("\n".join(lines), encoding="utf-8")
    pool.key.write_text(json.dumps([label for label, _ in rows], indent=0) + "\n", encoding="utf-8")
    where = pool.sheet.relative_to(HERE.parent.parent)
    print(f"{where}: {len(rows)} cards from {', '.join(labels)}")


def rates(pool: Pool) -> int:
    rows = re.findall(
        r"^## \d+\. (\w+) — (.*)\n- front: (.*)\n- back: (.*)\n- grade: (\S+)",
        pool.sheet.read_text(),
        re.M,
    )
    labels = json.loads(pool.key.read_text())
    ungraded = [n for n, row in enumerate(rows, 1) if row[-1].upper() not in GRADES]
    if ungraded:
        print(f"ungraded rows: {ungraded[:20]}", file=sys.stderr)
        return 1
    # Two versions that make the same card put it on the sheet twice, and a grader marks the
    # second copy JUNK as a repeat; within one deck it is no repeat, so every copy takes the
    # first copy's grade.
    first: dict[tuple[str, str, str], str] = {}
    counts: Counter[tuple[str, str, str]] = Counter()
    for label, (kind, where, front, back, grade) in zip(labels, rows, strict=True):
        grade = first.setdefault((where, front, back), grade.upper())
        counts[label, kind, grade] += 1
    print("| version | kind | cards | GOOD | WEAK | JUNK |\n|---|---|---|---|---|---|")
    for label in dict.fromkeys(labels):
        for kind in SAMPLE:
            total = sum(counts[label, kind, grade] for grade in GRADES)
            if total:
                shares = (f"{counts[label, kind, grade] / total:.0%}" for grade in GRADES)
                print(f"| {label} | {kind} | {total} | {' | '.join(shares)} |")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pool", choices=sorted(POOLS), default="junior", help="whose lessons")
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("cards", help="write audit/cards-LABEL.jsonl")
    made.add_argument("--label", required=True)
    drawn = commands.add_parser("sheet", help="draw and shuffle the grading sheet")
    drawn.add_argument("labels", nargs="+")
    drawn.add_argument("--seed", type=int, default=SEED, help="a new seed draws a new round")
    drawn.add_argument(
        "--measuring",
        action="store_true",
        help="a closing round: draw from the check and blind sets' lessons too",
    )
    commands.add_parser("rates", help="rates per version and kind of the graded sheet")
    args = parser.parse_args()
    pool = POOLS[args.pool]
    if args.command == "cards":
        print(cards(args.label, pool))
        return 0
    if args.command == "sheet":
        sheet(args.labels, args.seed, pool, args.measuring)
        return 0
    return rates(pool)


if __name__ == "__main__":
    sys.exit(main())
