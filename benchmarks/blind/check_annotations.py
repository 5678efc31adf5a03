"""Check the blind annotations against their lessons (format only, no judgment).

    python benchmarks/blind/check_annotations.py

Every drawn lesson has an annotation file; every item has the fields GUIDE.md names; every line
(and alt/answer line) exists in its lesson; item lines are outside fenced code (CommonMark
fences: a closing fence has no info string and is at least as long as the opening one).
Prints the counts per kind.
"""

import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
KINDS = ("definitions", "comparison_rows", "questions", "salary_bands")


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
    errors, totals = [], dict.fromkeys(KINDS, 0)
    lessons = sorted(
        p.relative_to(HERE / "lessons").as_posix() for p in (HERE / "lessons").rglob("*.md")
    )
    for rel in lessons:
        ann = HERE / "annotations" / (rel + ".yaml")
        if not ann.exists():
            errors.append(f"{rel}: no annotation")
            continue
        doc = yaml.safe_load(ann.read_text(encoding="utf-8"))
        src = (HERE / "lessons" / rel).read_text(encoding="utf-8").split("\n")
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
