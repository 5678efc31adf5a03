"""`deckgen preview` through the real CLI: the page, its escaping, its output file."""

from __future__ import annotations

import re
from pathlib import Path

import click

DRAFT = """\
# Lesson 09: <img src=x onerror=alert(1)> Drafts

## <script>alert(2)</script> Tools

- **Ray:** Distributed <b>computing</b>
"""


def test_page_holds_every_card_once(project: Path, run) -> None:
    result = run("preview", "-o", "out/preview.html")
    assert result.exit_code == 0, result.output
    assert result.stdout == "62 cards from 1 lesson -> out/preview.html\n"
    page = (project / "out" / "preview.html").read_text(encoding="utf-8")
    assert page.count('<article class="pv-card">') == 62
    assert page.count('class="card card1 pv-front"') == 62 - 6
    assert page.count('class="card card2 pv-front"') == 6  # the reverse comparison cards
    headings = re.findall(r'<h3>([^<]+) <span class="pv-count" data-total="(\d+)">', page)
    assert headings == [
        ("Definitions", "40"),
        ("Comparisons", "12"),
        ("Salary bands", "4"),
        ("Self-check questions", "6"),
    ]
    assert "MLflow — what is it?" in page and "62 cards from 1 lesson" in page


def test_page_loads_nothing_from_anywhere(project: Path, run) -> None:
    assert run("preview").exit_code == 0
    page = (project / "preview.html").read_text(encoding="utf-8")
    assert "<link" not in page and "@import" not in page and "url(" not in page
    assert not re.search(r"\ssrc=", page)
    assert "default-src 'none'" in page


def test_lesson_text_outside_fields_is_escaped(project: Path, run) -> None:
    (project / "lessons" / "09-drafts.md").write_text(DRAFT, encoding="utf-8")
    assert run("preview", "lessons/09-drafts.md").exit_code == 0
    page = (project / "preview.html").read_text(encoding="utf-8")
    assert "<img" not in page and "<b>computing" not in page
    assert page.count("<script") == 1  # the page's own filter and theme script
    assert "Lesson 09: &lt;img src=x onerror=alert(1)&gt; Drafts" in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Tools" in page


def test_a_draft_outside_the_lessons_directory(project: Path, run) -> None:
    draft = project / "elsewhere" / "draft.md"
    draft.parent.mkdir()
    draft.write_text(DRAFT, encoding="utf-8")
    result = run("preview", str(draft), "-o", "draft.html")
    assert result.exit_code == 0, result.output
    assert result.stdout == "1 card from 1 lesson -> draft.html\n"


def test_rewriting_the_same_page_leaves_the_file_alone(project: Path, run) -> None:
    assert run("preview").exit_code == 0
    page = project / "preview.html"
    before = page.stat().st_mtime_ns
    page.chmod(0o444)  # a rewrite would have to replace it; an untouched file keeps its mode
    assert run("preview").exit_code == 0
    assert page.stat().st_mtime_ns == before and page.stat().st_mode & 0o777 == 0o444
    assert [p.name for p in project.iterdir() if p.name.startswith(".preview")] == []


def test_open_hands_the_page_to_the_browser(project: Path, run, monkeypatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr(click, "launch", lambda url, **_: opened.append(url) or 0)
    assert run("preview", "--open").exit_code == 0
    assert opened == [str(project / "preview.html")]


def test_missing_lesson_is_one_line_and_writes_nothing(project: Path, run) -> None:
    result = run("preview", "nope.md")
    assert result.exit_code == 2
    assert result.stderr == "nope.md: no such file or directory\n"
    assert not (project / "preview.html").exists()


def test_unwritable_output_is_a_usage_error(project: Path, run) -> None:
    (project / "taken").write_text("a file, not a directory", encoding="utf-8")
    result = run("preview", "-o", "taken/preview.html")
    assert result.exit_code == 2
    assert result.stderr == "taken/preview.html: cannot write: taken is a file, not a folder\n"
