"""Reference lists named by numbers (ports, HTTP status codes, permission bits): an entry that
says what its number means is a definition; a year, a range or a count with its unit is not."""

from __future__ import annotations

from pathlib import Path

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.extract.evidence import Candidate
from deckgen.lesson import parse_lesson


def _definitions(markdown: str) -> list[Candidate]:
    lesson = parse_lesson(markdown, Path("lesson.md"), "lesson")
    return [c for c in extract_lesson(lesson, ExtractConfig()).candidates if c.kind == "definition"]


LESSON = """# Networking basics

## Well-known ports

- **22**: SSH, the secure shell
- **443**: HTTPS, web traffic over TLS
- **404 Not Found**: the server has no such resource
- **755**: owner may write, everyone may read and run

## History

- **2024**: the year we moved to the cloud
- **10 points**: full marks for the lab
- **27-30**: an excellent score
"""


def test_a_number_naming_a_reference_entry_is_a_term_and_a_year_or_score_is_not() -> None:
    candidates = _definitions(LESSON)
    kept = [c.text for c in candidates if c.kept]
    assert kept == ["22", "443", "404 Not Found", "755"]
    dropped = {c.text: c.reason for c in candidates if not c.kept}
    assert dropped == {
        "2024": "term-is-score",
        "10 points": "term-is-score",
        "27-30": "term-is-score",
    }
    signals = {s.name for c in candidates if c.kept for s in c.signals}
    assert "label-has-number" not in signals


def test_in_a_command_list_spaces_alone_may_part_an_option_from_its_meaning() -> None:
    markdown = (
        "# L\n\n## Options of cp\n\n- `-r`  recursive: copy folders too\n"
        "- `-f`\tforce, never ask\n- `-v` verbose\n"
    )
    lesson = parse_lesson(markdown, Path("lesson.md"), "lesson")
    items = {
        c.text: c.item
        for c in extract_lesson(lesson, ExtractConfig()).candidates
        if c.kind == "definition" and c.kept
    }
    assert list(items) == ["-r", "-f"]  # one space alone may be part of the command
    assert items["-r"].body == "recursive: copy folders too"
    assert items["-f"].body == "force, never ask"


RESOURCES = """# Resources

## Tools

- **[Terrafold](https://example.com/terrafold)** - Multi-cloud infrastructure as code
- **qv** — [docs.example.com/qv](https://docs.example.com/qv). Fast Python package manager.
- **Lintly** - https://example.com/lintly - Linter and formatter
- **[Qv Workshops](https://example.com/w)** - Qv workshops
- **[Cost Explorer](https://example.com/ce)**
- **[@qvdev](https://example.com/@qvdev)** - News about qv
- **Dashboard** - https://example.com/d - (admin/admin)
- **Cloud GPU** - https://example.com/gpu - A100 instances
- **Quarry** - [example.com/q](https://example.com/q). For comparison only.
"""


def test_a_tool_entry_whose_text_says_what_it_is_is_a_definition_despite_its_link() -> None:
    candidates = _definitions(RESOURCES)
    kept = {c.text: c.item for c in candidates if c.kept}
    assert list(kept) == ["Terrafold", "qv", "Lintly"]
    assert kept["Terrafold"].term == "Terrafold"  # the link's text, not the link
    assert kept["qv"].body == "Fast Python package manager."
    assert kept["Lintly"].body == "Linter and formatter"
    assert all("resource-described" in {s.name for s in c.signals} for c in candidates if c.kept)
    dropped = {c.text: c.reason for c in candidates if not c.kept}
    assert dropped == {
        "Qv Workshops": "term-is-resource",  # restates its name
        "@qvdev": "term-is-resource",  # an account to follow
        "Dashboard": "body-points-elsewhere",  # a remark in parentheses
        "Cloud GPU": "body-points-elsewhere",  # a machine type
        "Quarry": "body-points-elsewhere",  # says what it is for, not what it is
    }


def test_a_list_item_that_opens_with_a_link_and_says_what_it_is_is_a_definition() -> None:
    markdown = (
        "# Resources\n\n## Benchmarks\n\n"
        "- [GLUB](https://example.com/glub) - Language benchmark suite\n"
        "- [Qv Toolkit Documentation](https://example.com/docs) - Complete qv documentation\n"
        "- [Shard Tutorial](https://example.com/t) - Step-by-step sharding\n"
        "- [Lintly](https://example.com/l) - Step-by-step lint guide\n"
        "- [Blog](https://example.com/b)\n"
    )
    candidates = _definitions(markdown)
    assert [(c.text, c.shape, c.kept) for c in candidates] == [("GLUB", "link-lead-bullet", True)]
    assert candidates[0].item.body == "Language benchmark suite"


def test_a_tool_said_in_a_few_words_in_a_resources_section_is_a_definition() -> None:
    markdown = (
        "# Module\n\n## Additional Resources\n\n### Tools\n\n"
        "- **Promly**: Time-series metrics database\n"
        "- **Graphly** - Dashboards and visualization\n"
        "- **Tracely**: https://example.com/tracely\n"
        "- **Qv Docs**: [example.com/qv](https://example.com/qv)\n"
        '- **"Designing Pipelines" by A. Author**: The canonical text\n'
        "- **Practice**: Use the playground every day\n"
    )
    candidates = _definitions(markdown)
    kept = {c.text: c for c in candidates if c.kept}
    assert list(kept) == ["Promly", "Graphly"]
    assert all("tool-described" in {s.name for s in c.signals} for c in kept.values())
    # An address, a link, a quoted title, advice: the section's veto stands.
    dropped = {c.text: c.reason for c in candidates if not c.kept}
    assert set(dropped.values()) == {"excluded-section"}
    assert len(dropped) == 4


def test_an_entry_naming_a_products_documentation_defines_the_product() -> None:
    markdown = (
        "# Resources\n\n## Official documentation\n\n"
        "- **Torchly documentation** — [torchly.org/docs](https://torchly.org/docs). The"
        " framework this module uses.\n"
        "- **Flowly docs** — [flowly.dev](https://flowly.dev). For comparison only.\n"
        "- [Meshly Documentation](https://example.com/m) - Service mesh for clusters\n"
        "- [Qv Toolkit Documentation](https://example.com/docs) - Complete qv documentation\n"
    )
    candidates = _definitions(markdown)
    kept = {c.text: c for c in candidates if c.kept}
    assert list(kept) == ["Torchly", "Meshly"]
    assert kept["Torchly"].item.body == "The framework this module uses."
    assert all("names-product" in {s.name for s in c.signals} for c in kept.values())


ADDRESS_FIRST = """# Tools

## Local clusters

**Kestrel**
- URL: https://kestrel.example.org/
- Local queue broker
- Easy setup

1. **Quill Playground**
   - Link: https://play.quill.example.org/
   - Description: Online Quill instance with sample data
   - Use: Practice queries

**Wren Course**
- Link: https://wren.example.org/course
- Duration: 4 weeks

**Broker Examples**
- URL: https://example.org/broker-examples
- Sample applications

**Certified Queue Operator (CQO)**
- URL: https://example.org/cqo
- Hands-on exam
"""


def test_an_entry_whose_list_opens_with_its_address_is_described_by_the_line_after() -> None:
    candidates = _definitions(ADDRESS_FIRST)
    kept = {c.text: c.item for c in candidates if c.kept and c.shape == "bold-title-list"}
    assert list(kept) == ["Kestrel", "Quill Playground"]
    assert kept["Kestrel"].body.startswith("Local queue broker")
    assert kept["Quill Playground"].body.startswith("Online Quill instance with sample data")
    described = {
        c.text: s.detail for c in candidates for s in c.signals if s.name == "resource-described"
    }
    assert described["Kestrel"] == "body-points-elsewhere, after its address"
    dropped = {c.text: c.reason for c in candidates if not c.kept}
    assert dropped["Wren Course"] == "body-points-elsewhere"  # a catalogue record's field
    assert dropped["Broker Examples"] == "body-points-elsewhere"  # examples to read
    # the title spelled out with its acronym: the acronym's own card says what it is
    assert dropped["Certified Queue Operator (CQO)"] == "body-points-elsewhere"


def test_a_link_entry_naming_a_page_or_a_document_is_no_definition() -> None:
    markdown = (
        "# Module resources\n\n## Places to practise\n\n"
        "- [Qubit Katas](https://example.com/k) - Puzzles to solve online\n"
        "- [Scaling QRDB Clusters with Consistent Hashing](https://example.com/p)"
        " - Shards rebalanced\n"
        "- [GLUB](https://example.com/glub) - Language benchmark suite\n"
        "- [Relay Drills](https://example.com/r) - Exercises for relay operators\n\n"
        "Warm up with Relay Drills before the lab.\n"
    )
    candidates = _definitions(markdown)
    kept = [c.text for c in candidates if c.kept]
    # A name (`GLUB`) or words the lesson uses again (`Relay Drills`) name a thing to learn.
    assert kept == ["GLUB", "Relay Drills"]
    pages = {c.text: s.detail for c in candidates for s in c.signals if s.name == "link-names-page"}
    assert pages == {
        "Qubit Katas": "neither a name nor used in the lesson",
        "Scaling QRDB Clusters with Consistent Hashing": "a document's title",
    }
