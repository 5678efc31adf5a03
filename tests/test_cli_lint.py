"""`deckgen lint`: findings with file:line, and --strict turns them into exit code 1."""

from __future__ import annotations

from pathlib import Path

LINTED = """\
# Lesson 02: Containers

## Tools

- **Docker**: runs containers
- **Podman**:
- **Docker**: defined again

| Tool | Use |
|---|---|
| Docker | containers | extra |

## Self-Check Questions

Think about what you learned.

```python
print("never closed")
"""


def test_lint_reports_each_finding_with_file_and_line(project: Path, run) -> None:
    lesson = project / "lessons" / "02-containers.md"
    lesson.write_text(LINTED)
    result = run("lint", "lessons/02-containers.md")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    expected = [
        ("02-containers.md:6:", "bold term 'Podman' has an empty explanation"),
        ("02-containers.md:7:", "term 'Docker' is defined again (first at line 5)"),
        ("02-containers.md:11:", "table row has 3 cells but the header has 2"),
        ("02-containers.md:13:", "question section 'Self-Check Questions' has no list items"),
        ("02-containers.md:17:", "code fence is never closed"),
    ]
    assert len(lines) == len(expected), result.stdout
    for line, (where, message) in zip(lines, expected, strict=True):
        assert where in line and message in line, line
    assert "5 findings" in result.stderr


def test_strict_exits_nonzero_only_when_something_was_found(project: Path, run) -> None:
    (project / "lessons" / "02-containers.md").write_text(LINTED)
    assert run("lint", "--strict", "lessons/02-containers.md").exit_code == 1
    clean = project / "lessons" / "03-clean.md"
    clean.write_text("# Clean\n\n## Tools\n\n- **Docker**: runs containers\n")
    result = run("lint", "--strict", "lessons/03-clean.md")
    assert (result.exit_code, result.stdout) == (0, "")
