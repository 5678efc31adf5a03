"""Record, or check, what deckgen makes of the vendored corpus: every byte a learner or CI sees.

A refactoring must not change GUIDs, note types, tags, `mod` rules or package bytes. This script
builds the corpus in a temp dir through the real CLI and hashes everything that shows:

- every deck of a fresh build, `--jobs 1` and `--jobs 2`, with `SOURCE_DATE_EPOCH` fixed;
- `deckgen list --json`;
- a few lessons edited (a term reworded, a table row deleted, a term added), then `check` and a
  second build at a later `SOURCE_DATE_EPOCH` over those decks (mods, retired notes), a third
  with the cache deleted, and `diff` (text and json) between the two sets of decks.

    python benchmarks/manifest.py record   # writes benchmarks/manifest.json
    python benchmarks/manifest.py check    # exit 1 and the differing entries when it changed
    python benchmarks/manifest.py check --keep out/   # also keep the outputs, to diff by hand
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "corpus" / "ai-infra-engineer-learning"
MANIFEST = Path(__file__).resolve().parent / "manifest.json"
CONFIG = "course:\n  id: manifest\n  name: Manifest\nlessons: lessons\ndecks: decks\n"
FIRST_EPOCH, SECOND_EPOCH = "1780000000", "1790000000"
EDITED = "lessons/lessons/mod-101-foundations/01-introduction.md"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _run(course: Path, epoch: str, *args: str) -> dict[str, object]:
    environment = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "PYTHONHASHSEED": "0"}
    environment.pop("CI", None)
    result = subprocess.run(
        [sys.executable, "-m", "deckgen", *args],
        cwd=course,
        env=environment,
        capture_output=True,
        check=False,
    )
    return {"exit": result.returncode, "stdout": result.stdout, "stderr": result.stderr}


def _course(root: Path, name: str) -> Path:
    course = root / name
    shutil.copytree(CORPUS, course / "lessons", ignore=shutil.ignore_patterns("LICENSE"))
    (course / "deckgen.yaml").write_text(CONFIG, encoding="utf-8")
    return course


def _decks(course: Path) -> dict[str, str]:
    decks = course / "decks"
    return {
        p.relative_to(decks).as_posix(): _sha(p.read_bytes()) for p in sorted(decks.rglob("*.apkg"))
    }


def _edit(course: Path) -> None:
    """A term reworded, a table body row deleted, and a term added, in one lesson."""
    path = course / EDITED
    lines = path.read_text(encoding="utf-8").split("\n")
    bullet = next(i for i, line in enumerate(lines) if line.startswith("- **") and ":" in line)
    lines[bullet] = lines[bullet] + " (reworded by the manifest)"
    rows = [
        i
        for i in range(2, len(lines))
        if lines[i].startswith("|")
        and lines[i - 1].startswith("|")
        and "---" not in lines[i]
        and "---" in lines[i - 1]
        and i + 1 < len(lines)
        and lines[i + 1].startswith("|")
    ]
    del lines[rows[0]]
    lines.insert(bullet + 1, "- **Manifest Term**: a term added by the manifest's edit.")
    path.write_text("\n".join(lines), encoding="utf-8")


def _shown(output: dict[str, object], keep: Path | None, name: str) -> dict[str, object]:
    if keep is not None:
        for stream in ("stdout", "stderr"):
            (keep / f"{name}.{stream}").write_bytes(output[stream])  # type: ignore[arg-type]
    return {
        "exit": output["exit"],
        "stdout": _sha(output["stdout"]),  # type: ignore[arg-type]
        "stderr": _sha(output["stderr"]),  # type: ignore[arg-type]
    }


def manifest(keep: Path | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        found: dict[str, object] = {}
        one = _course(root, "one")
        found["build --jobs 1"] = _shown(
            _run(one, FIRST_EPOCH, "build", "--jobs", "1"), keep, "build1"
        )
        found["decks --jobs 1"] = _decks(one)
        two = _course(root, "two")
        _run(two, FIRST_EPOCH, "build", "--jobs", "2")
        found["decks --jobs 2"] = _decks(two)
        found["list --json"] = _shown(_run(one, FIRST_EPOCH, "list", "--json"), keep, "list")
        shutil.copytree(one / "decks", root / "before")
        _edit(one)
        found["check after edit"] = _shown(_run(one, SECOND_EPOCH, "check"), keep, "check")
        found["build after edit"] = _shown(
            _run(one, SECOND_EPOCH, "build", "--jobs", "1"), keep, "build2"
        )
        found["decks after edit"] = _decks(one)
        for form in ("text", "json"):
            found[f"diff --format {form}"] = _shown(
                _run(one, SECOND_EPOCH, "diff", str(root / "before"), "decks", "--format", form),
                keep,
                f"diff-{form}",
            )
        shutil.rmtree(one / ".deckgen-cache")
        _run(one, SECOND_EPOCH, "build", "--jobs", "1")
        found["decks rebuilt without cache"] = _decks(one)
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["record", "check"])
    parser.add_argument("--keep", type=Path, help="a folder to keep the commands' outputs in")
    args = parser.parse_args()
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    found = manifest(args.keep)
    if args.action == "record":
        MANIFEST.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"recorded {MANIFEST.relative_to(REPO)}")
        return 0
    recorded = json.loads(MANIFEST.read_text(encoding="utf-8"))
    changed = sorted(k for k in recorded.keys() | found.keys() if recorded.get(k) != found.get(k))
    for key in changed:
        old, new = recorded.get(key), found.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            for part in sorted(old.keys() | new.keys()):
                if old.get(part) != new.get(part):
                    print(f"{key}: {part}: {old.get(part)} -> {new.get(part)}")
        else:
            print(f"{key}: {old} -> {new}")
    print("manifest unchanged" if not changed else f"manifest CHANGED in {len(changed)} entries")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
