"""Draw the blind test set's lessons at random, with a fixed seed.

    python benchmarks/blind/draw.py [--n 30] [--source DIR]

The candidates are every ``*.md`` file under the source folder, sorted by relative path (POSIX
separators), minus files under 1 KB (1024 bytes). ``random.Random(SEED).shuffle`` orders them once;
the set is the first N of that order, so drawing more files (a larger ``--n``) continues the same
random sequence and keeps every file already drawn. The files are copied to ``lessons/`` here,
keeping their relative paths, with the source folder's LICENSE.
"""

import argparse
import random
import shutil
from pathlib import Path

SEED = 20261205
MIN_BYTES = 1024
HERE = Path(__file__).resolve().parent
DEFAULT_SOURCE = Path("/work/shared/corpus/ai-infra-junior-engineer-learning")


def order(source: Path, seed: int = SEED, exclude: frozenset[str] = frozenset()) -> list[str]:
    files = sorted(
        rel
        for p in source.rglob("*.md")
        if p.is_file()
        and p.stat().st_size >= MIN_BYTES
        and (rel := p.relative_to(source).as_posix()) not in exclude
    )
    random.Random(seed).shuffle(files)
    return files


def annotated(*folders: Path) -> frozenset[str]:
    """The lessons an annotated set holds: each annotation's path relative to its folder, less
    `.yaml`; the sets a later draw leaves out."""
    return frozenset(
        path.relative_to(folder).as_posix().removesuffix(".yaml")
        for folder in folders
        for path in folder.rglob("*.yaml")
    )


def list_drawn(
    doc: str, source: Path, seed: int, n: int, exclude: frozenset[str] = frozenset()
) -> None:
    """The command line of a set drawn without copying (tune, check, junior, blind2): print the
    first `--n` files of `source`'s order for `seed`, numbered; the list printed is the set."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=n)
    args = parser.parse_args()
    for index, rel in enumerate(order(source, seed, exclude)[: args.n], 1):
        print(f"{index:3d} {rel}")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = ap.parse_args()
    drawn = order(args.source)[: args.n]
    out = HERE / "lessons"
    for i, rel in enumerate(drawn, 1):
        dst = out / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(args.source / rel, dst)
        print(f"{i:3d} {rel}")
    shutil.copyfile(args.source / "LICENSE", out / "LICENSE")


if __name__ == "__main__":
    main()
