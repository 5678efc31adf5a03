"""Check the blind annotations against their lessons (format only, no judgment).

    python benchmarks/blind/check_annotations.py [--set blind|tune|check]

Every drawn lesson has an annotation file; every item has the fields GUIDE.md names; every line
(and alt/answer line) exists in its lesson; item lines are outside fenced code (CommonMark
fences: a closing fence has no info string and is at least as long as the opening one); the
item's line, or one of its alt lines, holds its key (a line number copied wrong is the error this
catches: it silently turns a match into a miss and a false positive). Prints the counts per kind.
"""

import argparse
import re
import sys
from pathlib import Path

import yaml
from score import SETS

KINDS = ("definitions", "comparison_rows", "questions", "salary_bands")


def key_words(text: str) -> str:
    """The start of a key as it reads on its line: markup and a parenthesised expansion gone."""
    text = re.sub(r"[*`_\\\[\]]", "", text).lower()
    return " ".join(re.sub(r"\s*\(.*", "", text).split())[:10]


def plain_line(text: str) -> str:
    return " ".join(re.sub(r"[*`_\\\[\]]", "", text).lower().split())


def code_lines(lines):
    inside, fence = set(), None
    for i, line in enumerate(lines, 1):
        if fence is None:
            m = re.match(r"^ {0,3}(`{3,}|~{3,})(.*)$", line)
            if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                fence = m.group(1)
                inside.add(i)
        else:
            inside.add(i)
            m = re.match(r"^ {0,3}(`{3,}|~{3,})\s*$", line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
    return inside


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--set", choices=sorted(SETS), default="blind")
    parser.add_argument(
        "--annotations", type=Path, help="check annotations from this folder instead (drafts)"
    )
    args = parser.parse_args()
    root, annotations = SETS[args.set]
    annotations = args.annotations or annotations
    errors, totals = [], dict.fromkeys(KINDS, 0)
    # Every lesson of these sets is annotated.
    if args.set in ("blind", "blind4", "blind5", "blind6", "blind7", "tune4", "tune5", "tune6"):
        lessons = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))
    else:  # the others annotate a sample of a larger corpus
        lessons = sorted(
            p.relative_to(annotations).as_posix().removesuffix(".yaml")
            for p in annotations.rglob("*.yaml")
        )
    for rel in lessons:
        ann = annotations / (rel + ".yaml")
        if not ann.exists():
            errors.append(f"{rel}: no annotation")
            continue
        doc = yaml.safe_load(ann.read_text(encoding="utf-8"))
        src = (root / rel).read_text(encoding="utf-8").split("\n")
        code = code_lines(src)
        if doc.get("file") != rel:
            errors.append(f"{rel}: file field {doc.get('file')!r}")
        for kind in KINDS:
            for item in doc.get(kind) or []:
                totals[kind] += 1
                lines = [item["line"], *(item.get("alt_lines") or [])]
                if kind == "questions" and item.get("answer_line"):
                    lines.append(item["answer_line"])
                for n in lines:
                    if not 1 <= n <= len(src):
                        errors.append(f"{rel}:{n}: {kind} line out of range")
                if item["line"] in code:
                    errors.append(f"{rel}:{item['line']}: {kind} item inside code")
                key = key_words(str(item.get("key", "")))
                held = " ".join(plain_line(src[n - 1]) for n in lines if 1 <= n <= len(src))
                if kind != "salary_bands" and key not in held:
                    errors.append(f"{rel}:{item['line']}: {kind} line does not hold {key!r}")
                need = {
                    "definitions": ("key", "text"),
                    "comparison_rows": ("key", "table"),
                    "questions": ("key", "answer"),
                    "salary_bands": ("role", "min", "max", "currency"),
                }[kind]
                for field in need:
                    if field not in item:
                        errors.append(f"{rel}:{item['line']}: {kind} without {field}")
    for e in errors:
        print("ERROR", e)
    print(f"{len(lessons)} lessons;", ", ".join(f"{k} {v}" for k, v in totals.items()))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
