"""Each definition signal, on a made-up lesson: the candidate carries the named signal, and a
dropped one names it in its reason when it decided. docs/extraction.md documents each."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.extract.definition_signals import THRESHOLD
from deckgen.extract.evidence import Candidate
from deckgen.identity import KeyedItem, normalize_key
from deckgen.lesson import parse_lesson
from deckgen.render import render_item


def _candidates(markdown: str) -> list[Candidate]:
    lesson = parse_lesson(markdown, Path("lesson.md"), "lesson")
    extraction = extract_lesson(lesson, ExtractConfig())
    return [c for c in extraction.candidates if c.kind == "definition"]


def _candidate(markdown: str, term: str) -> Candidate:
    """The first candidate about `term`."""
    found = [c for c in _candidates(markdown) if c.text == term]
    assert found, [c.text for c in _candidates(markdown)]
    return found[0]


# (signal, lesson, term): the candidate for `term` is dropped, and `signal` is why.
AGAINST = [
    (
        "label-repeats",
        "# L\n\n## A\n\n- **Remedy**: restart it\n\n## B\n\n- **Remedy**: resize it\n",
        "Remedy",
    ),
    ("label-has-number", "# L\n\n## Plan\n\n- **Week 3**: storage and caching\n", "Week 3"),
    (
        "title-shaped",
        "# L\n\n## Cases\n\n- **Acme: Billing Revamp**: moved to events\n",
        "Acme: Billing Revamp",
    ),
    ("aspect-label", "# L\n\n## Advantages\n\n- **Speed**: answers come back sooner\n", "Speed"),
    (
        "aspect-label",
        "# L\n\n## Why queues?\n\n- **Integration with the scheduler**: jobs start on time\n",
        "Integration with the scheduler",
    ),
    (
        "aspect-label",
        "# L\n\n## Ops\n\nRunning a cluster yourself affects:\n- **Budget**: it grows\n"
        "- **Staffing**: on call\n",
        "Budget",
    ),
    (
        "aspect-label",
        "# L\n\n## Lakes\n\n**Characteristics:**\n- **Shared Disks**: pooled between tenants\n",
        "Shared Disks",
    ),
    (
        "use-case-label",
        "# L\n\n## Queues\n\n**When Queues Help:**\n- **Bursty Load**: spikes wait their turn\n",
        "Bursty Load",
    ),
    (
        "use-case-label",
        "# L\n\n## Queues\n\n### For ML Projects\n\n- **Zq LFS**: keeps model weights out of Git\n",
        "Zq LFS",
    ),
    ("body-is-figures", "# L\n\n## Racks\n\n- **Rack A**: 8x GPU, 96 vCPUs, 1 TB RAM\n", "Rack A"),
    (
        "beside-figures",
        "# L\n\n## Intro\n\n**Reading Time:** 40 minutes\n**Companion Lab:** the queue drill\n"
        "**Prerequisites:** none\n",
        "Companion Lab",
    ),
    (
        "parent-is-field",
        "# L\n\n## Panels\n\n### 2.1 Example Panel: Queue Depth\n\n"
        "- **Thresholds**: red above 500 messages\n- **Drilldown**: links to the broker view\n",
        "Thresholds",
    ),
    (
        "body-is-price-tag",
        "# L\n\n## Practice\n\n- [Queue Lab](https://example.org) - FREE (successor to Q)\n",
        "Queue Lab",
    ),
    (
        "parent-is-step",
        "# L\n\n## Set up\n\n1. **Configure** the source:\n   - **Timeout**: how long to wait\n",
        "Timeout",
    ),
    (
        "timed-section",
        "# L\n\n## Outline\n\n### Session 3: Relays (90 min)\n\n- Relay basics\n"
        "- **Zq Failover**: when and why it triggers\n- Relay drills\n",
        "Zq Failover",
    ),
    ("placeholder", "# L\n\n## Terms\n\n- **Compaction**: TODO\n", "Compaction"),
    (
        "introducing-label",
        "# L\n\n## Costs\n\n**Weekly costs:**\n- Storage grows\n- Compute stays flat\n",
        "Weekly costs",
    ),
    (
        "loose-shape",
        "# L\n\n## Racks\n\n**Shelving** needs a hand truck.\n",
        "Shelving",
    ),
    (
        "in-block-quote",
        "# L\n\n## Terms\n\n> **Beacon**: a ping sent on a timer\n> — A. Broker\n",
        "Beacon",
    ),
    ("titles-note", "# L\n\n## Terms\n\n> **Beacon**: a ping sent on a timer\n", "Beacon"),
    (
        "excluded-section",
        "# L\n\n## Instructions\n\n- **Beacon**: a ping sent on a timer\n",
        "Beacon",
    ),
    (
        "term-is-question",
        "# L\n\n## Terms\n\n- **Why queues?**: they absorb bursts\n",
        "Why queues?",
    ),
    (
        "term-too-long",
        "# L\n\n## Terms\n\n- **One two three four five six seven eight nine**: words\n",
        "One two three four five six seven eight nine",
    ),
    ("term-is-score", "# L\n\n## Terms\n\n- **27-30 correct**: excellent work\n", "27-30 correct"),
    (
        "term-is-resource",
        "# L\n\n## Terms\n\n- **[Queue Book](https://example.org)**: a long read\n",
        "Queue Book",
    ),
    (
        "term-is-step",
        "# L\n\n## Terms\n\n- **Build the index**: once a night\n- **Beacon**: a ping\n",
        "Build the index",
    ),
    ("term-is-ranking", "# L\n\n## Terms\n\n- **Most used**: the blue queue\n", "Most used"),
    (
        "term-is-count",
        "# L\n\n## Key Concepts\n\n1. **Three queue modes**: FIFO, LIFO, priority\n",
        "Three queue modes",
    ),
    (
        "term-is-condition",
        "# L\n\n## Story\n\n**Before Queues**: every service polled the others\n",
        "Before Queues",
    ),
    (
        "term-is-statement",
        "# L\n\n## Terms\n\n- **Queues never lose data**: they persist to disk\n",
        "Queues never lose data",
    ),
    (
        "term-is-file",
        "# L\n\n## Docs\n\n- `DESIGN.md` - the architecture\n- `zq up` - start it\n",
        "DESIGN.md",
    ),
    (
        "term-is-file",
        "# L\n\n## Layout\n\n- **`relay.toml`**: the relay's settings\n"
        "- **`beacon.py`**: the ping loop\n- **`drain.sh`**: stops the relay\n"
        "- **Makefile**: build targets\n",
        "relay.toml",
    ),
    (
        "term-is-file",
        "# L\n\n## Routes\n\n- **GET /beacons**: lists the beacons\n"
        "- **POST /beacons**: adds a beacon\n",
        "GET /beacons",
    ),
    ("metadata-label", "# L\n\n## Terms\n\n- **Duration**: two hours\n", "Duration"),
    ("no-explanation", "# L\n\n## Terms\n\n**Beacon:**\n", "Beacon"),
    (
        "body-points-elsewhere",
        "# L\n\n## Terms\n\n- **Beacon**: https://example.org/beacon\n",
        "Beacon",
    ),
    ("body-says-nothing", "# L\n\n## Terms\n\n- **Total**: 37-46 hours\n", "Total"),
    (
        "among-steps",
        "# L\n\n## Plan\n\n1. **Audit the disks**\n   - list them\n2. **Cleanup**\n"
        "   - remove old ones\n3. **Write the report**\n   - one page\n",
        "Cleanup",
    ),
    (
        "among-steps",
        "# L\n\n## Habits\n\n✅ **Pin versions**: builds repeat\n"
        "✅ **Mirror queues**: no data loss\n✅ **Test restores**: backups work\n"
        "✅ **Check exit codes**: failures surface\n",
        "Mirror queues",
    ),
    (
        "list-holds-definitions",
        "# L\n\n## Net\n\n**Network Terms:**\n- **Subnet**: a slice of an address range\n",
        "Network Terms",
    ),
    (
        "ranking",
        "# L\n\n## Market\n\n**Most common**: blue queues\n**Growing**: green queues\n",
        "Growing",
    ),
    (
        "list-instructs",
        "# L\n\n## Mistakes\n\n- **Eager warmup**: slow starts. Warm it lazily.\n"
        "- **Insertion order**: hot keys leave. Use access time.\n"
        "- **Cache per worker**: memory grows. Share one cache.\n",
        "Eager warmup",
    ),
    (
        "phrase-labels",
        "# L\n\n## Trouble\n\n- **Pager left on mute**: nobody hears it.\n"
        "- **Notes written from memory**: details drift.\n"
        "- **Dashboards nobody opened**: stale and green.\n",
        "Notes written from memory",
    ),
    (
        "parent-is-field",
        "# L\n\n## Latency quiz\n\n**Sample Answer:**\n- **Traces**: see which stage is slow\n",
        "Traces",
    ),
    (
        "body-is-record",
        "# L\n\n## Events\n\nOur picks.\n\n**QueueConf**\n- Topics: queues and retries\n"
        "- Videos: https://example.org/talks\n",
        "QueueConf",
    ),
    (
        "sibling-is-admin",
        "# L\n\n## Getting Help\n\n- **Forum**: [Link]\n- **Office Hours**: Thursdays 2-4pm\n"
        "- **TA Chat**: #queues-help\n",
        "TA Chat",
    ),
    (
        "body-lists-tasks",
        "# L\n\n## Projects\n\nOur picks.\n\n**Queue Exporter**\n- Build an exporter\n"
        "- Add options\n- Write the docs\n- Publish it\n",
        "Queue Exporter",
    ),
    (
        "body-lists-names",
        "# L\n\n## Tooling\n\n- **Editors**: Vim, VS Code, Emacs\n",
        "Editors",
    ),
    (
        "aspect-label",
        "# L\n\n## Why queues matter\n\n### For the business\n\n- **Speed**: answers sooner\n",
        "Speed",
    ),
    (
        # An emphasised question right above the list stands as its heading.
        "aspect-label",
        "# L\n\n## Getting started\n\n*So, why learn Quill?*\n\n- **Speed**: it runs fast\n"
        "- **Reach**: Quill runs on most boards\n",
        "Speed",
    ),
    (
        "body-is-checklist",
        "# L\n\n## Hand-in\n\nBefore you submit.\n\n**Runbook**\n"
        "- [ ] Alarm list\n- [x] Contact sheet\n",
        "Runbook",
    ),
    ("placeholder", "# L\n\n## Help\n\n- **Forum**: [Link to forum]\n", "Forum"),
    (
        "metadata-label",
        "# L\n\n## Development\n\n**Current Status:** Beta - the structure is in place\n",
        "Current Status",
    ),
    (
        "body-is-code",
        "# L\n\n## Teardown\n\n- **Stop the relay**: `relayctl halt --all`\n",
        "Stop the relay",
    ),
    (
        # Named, recurring and in code, yet its back only repeats its front.
        "body-restates-term",
        "# L\n\n## Shippers\n\n- `quillshipd`: Quillshipd\n- `tailer`: reads files\n\n"
        "Start `quillshipd` first.\n",
        "quillshipd",
    ),
    (
        # An identifier's words, split where it joins them, are the term's words too.
        "body-restates-term",
        "# L\n\n## Relay API\n\n- `DrainQueue`: Drain queue\n- `PingRelay`: checks it is up\n",
        "DrainQueue",
    ),
    (
        # In four places a label is a template's field, even one with capitals in it.
        "label-repeats",
        "".join(f"# L\n\n## Kind {n}\n\n**QoS Fit**: fine for tier {n}\n\n" for n in "ABCD"),
        "QoS Fit",
    ),
    (
        "body-is-checklist",
        "# L\n\n## Hand-in\n\nBefore you submit.\n\n**Runbook**\n"
        "- Alarm list: [ ]\n- Contact sheet: [x]\n",
        "Runbook",
    ),
]


@pytest.mark.parametrize(("signal", "markdown", "term"), AGAINST, ids=[a[0] for a in AGAINST])
def test_a_signal_against_drops_the_candidate_and_names_itself(
    signal: str, markdown: str, term: str
) -> None:
    candidate = _candidate(markdown, term)
    assert signal in [s.name for s in candidate.signals]
    assert not candidate.kept
    assert signal in candidate.reason


# (signal, lesson, term): the candidate for `term` is kept, and `signal` spoke for it.
FOR = [
    ("explained", "# L\n\n## Terms\n\n- **Beacon**: a ping sent on a timer\n", "Beacon"),
    ("term-is-name", "# L\n\n## Advantages\n\n- **TTL**: how long an entry lives\n", "TTL"),
    (
        "term-is-name",
        "# L\n\n## Ops\n\n- `zq drain` - stop the queue\n- `zq up` - start it\n",
        "zq drain",
    ),
    (
        "term-is-name",
        "# L\n\n## Advantages\n\n- **Greenops**: clean power first\n\nWe adopt Greenops soon.\n",
        "Greenops",
    ),
    (
        "in-glossary",
        "# L\n\n## Key Concepts\n\n- **Remedy**: restart it\n\n## B\n\n- **Remedy**: resize\n",
        "Remedy",
    ),
    ("body-defines", "# L\n\n## Terms\n\n**Beacon** is a ping sent on a timer.\n", "Beacon"),
    ("body-is-noun-phrase", "# L\n\n## Terms\n\n- **Beacon**: a ping sent on a timer\n", "Beacon"),
    (
        "term-recurs",
        "# L\n\n## Racks\n\n**Beacon** measures liveness.\n\nEach beacon is tiny.\n",
        "Beacon",
    ),
    (
        "siblings-define",
        "# L\n\n## Racks\n\n- **Beacon** measures liveness\n- **Probe** is a timed request\n",
        "Beacon",
    ),
    (
        "label-sentence-list",
        "# L\n\nRelay faults fall into groups:\n\n- **Drift**. The clock slowly runs late.\n"
        "- **Flap**. A link goes up and down.\n- **Stall**. To stop sending without a sign.\n",
        "Flap",
    ),
]


def test_steps_closed_by_a_full_stop_make_no_list_of_labels() -> None:
    """`**Collect data**. Keep ...` opens with an instruction verb: a step, no topic label, so
    a list of such steps makes no `label-sentence-list`, nor does a list of two labels."""
    steps = (
        "# L\n\n## Plan\n\n1. **Collect data**. Keep it clean.\n2. **Train the model**. It"
        " learns.\n3. **Beacon tuning**. We redo it.\n4. **Predict**. New inputs go in.\n"
    )
    pair = "# L\n\n## Faults\n\n- **Drift**. The clock runs late.\n- **Flap**. A link drops.\n"
    for markdown, term in ((steps, "Beacon tuning"), (pair, "Flap")):
        assert not [c for c in _candidates(markdown) if c.text == term]


@pytest.mark.parametrize(("signal", "markdown", "term"), FOR, ids=[f[0] for f in FOR])
def test_a_signal_for_keeps_the_candidate(signal: str, markdown: str, term: str) -> None:
    candidate = _candidate(markdown, term)
    assert signal in [s.name for s in candidate.signals]
    assert candidate.kept
    assert candidate.reason.startswith("score ")


def test_a_list_of_names_is_no_advice_even_when_its_bodies_instruct() -> None:
    """`list-instructs` and `phrase-labels` judge lists of generic labels: a list of named
    tools whose bodies say what to do with each keeps them all."""
    markdown = (
        "# L\n\n## Tools\n\n- **Zqlite**: Use it for local queues.\n"
        "- **Beaconctl**: Run it to ping every service.\n- **Rackwatch**: Track rack power.\n"
        "\nWe install Zqlite, Beaconctl and Rackwatch on every host.\n"
    )
    for term in ("Zqlite", "Beaconctl", "Rackwatch"):
        candidate = _candidate(markdown, term)
        names = [s.name for s in candidate.signals]
        assert "list-instructs" not in names and "phrase-labels" not in names
        assert candidate.kept


def test_a_phrase_holding_a_name_does_not_make_a_list_of_names() -> None:
    """`One NAT for every zone` holds a name but reads as a situation: the list is still judged,
    and its advice drops the item that the name alone would have kept."""
    markdown = (
        "# L\n\n## Trouble\n\n- **One NAT for every zone**: Costs more. Use one per region.\n"
        "- **TLS offload on the pod**: Burns CPU. Move it to the edge.\n"
        "- **Retries without a cap**: Storms follow. Set a limit.\n"
    )
    candidate = _candidate(markdown, "One NAT for every zone")
    names = [s.name for s in candidate.signals]
    assert {"term-is-name", "phrase-labels", "list-instructs"} <= set(names)
    assert not candidate.kept


def test_a_title_case_label_under_a_benefits_heading_may_name_a_practice() -> None:
    markdown = "# L\n\n## Benefits\n\n- **Queues as Contracts**: each team owns its schema\n"
    candidate = _candidate(markdown, "Queues as Contracts")
    assert "aspect-label" not in [s.name for s in candidate.signals]
    assert candidate.kept


def test_a_name_among_benefits_is_one_more_benefit() -> None:
    """`**OTel Export**` after `**Speed**` and `**Thrift**` under a why heading is one more
    benefit of the section's subject (`among-aspects`), though written as a name; the lesson
    naming it in its prose too, or a heading about no benefits, keeps it."""
    lesson = (
        "# L\n\n## Why Relays Win\n\n1. **Speed**: answers come back sooner\n"
        "2. **Thrift**: fewer machines to run\n3. **Calm**: fewer pages at night\n"
        "4. **OTel Export**: traces leave without extra code\n"
    )
    candidate = _candidate(lesson, "OTel Export")
    assert not candidate.kept and candidate.reason.endswith("among-aspects")
    assert _candidate(lesson.replace("Why Relays Win", "Relay Parts"), "OTel Export").kept
    used = lesson + "\n## Setup\n\nSwitch OTel Export on before the first run.\n"
    assert _candidate(used, "OTel Export").kept
    # Among names, a name is one of the things listed, not a benefit.
    named = lesson.replace("**Speed**", "**gRPC**").replace("**Thrift**", "**S3 Sink**")
    assert "among-aspects" not in [s.name for s in _candidate(named, "OTel Export").signals]


def test_a_field_listing_described_names_lists_the_things_it_names() -> None:
    """`**Examples:**` above products written as names, each described: the field lists those
    products, and each keeps its card; the same field above generic labels holds its content,
    and a benefits field holds aspects, names or not."""
    named = (
        "# L\n\n## Queue Services\n\n**Examples:**\n- **Zephyr Queue**: managed message broker\n"
        "- **Beacon Stream**: ordered event log\n- **Rackline**: hosted job runner\n"
    )
    for term in ("Zephyr Queue", "Beacon Stream", "Rackline"):
        candidate = _candidate(named, term)
        names = [s.name for s in candidate.signals]
        assert "field-lists-names" in names and "parent-is-field" not in names
        assert candidate.kept
    generic = named.replace("**Rackline**", "**Hosted runner**")
    assert "parent-is-field" in [s.name for s in _candidate(generic, "Zephyr Queue").signals]
    benefits = named.replace("**Examples:**", "**Benefits:**")
    assert "parent-is-field" in [s.name for s in _candidate(benefits, "Rackline").signals]
    # Listed again in a parallel section (each vendor's `**Pricing Model:**`), a name is the
    # same thing described twice, not a field label repeated; a generic label still is.
    again = named + "\n## More Queues\n\n**Examples:**\n- **Rackline**: jobs on racks\n"
    assert "label-repeats" not in [s.name for s in _candidate(again, "Rackline").signals]
    assert _candidate(again, "Rackline").kept
    repeated = again.replace("**Rackline**", "**Hosted runner**")
    assert "label-repeats" in [s.name for s in _candidate(repeated, "Hosted runner").signals]


def test_a_recap_of_phrases_under_key_concepts_is_no_glossary() -> None:
    """Under `### Key Concepts`, a list whose labels are mostly phrases recaps statements
    (`**Drains empty the queue**`): `in-glossary` is for lists of terms."""
    markdown = (
        "# L\n\n## Summary and Takeaways\n\n### Key Concepts\n\n"
        "1. **Drains empty the queue**: slowly\n"
        "2. **Beacons prove liveness**: on a timer\n3. **Relays forward the load**: in order\n"
    )
    candidate = _candidate(markdown, "Beacons prove liveness")
    assert "in-glossary" not in [s.name for s in candidate.signals]
    assert not candidate.kept
    terms = markdown.replace("Drains empty the queue", "Drain").replace(
        "Relays forward the load", "Relay"
    )
    assert "in-glossary" in [s.name for s in _candidate(terms, "Beacons prove liveness").signals]


def test_a_bold_line_alone_under_its_heading_is_its_tagline() -> None:
    """`### Quillship` / `**Free | Open source**` above a list: the list describes the heading's
    subject; a section of several bold titles above lists lists its own things."""
    tagline = (
        "# L\n\n## Tools\n\n### Quillship\n\n**Free | Open source**\n\n- ships logs\n"
        "- tails files\n\n### Relayd\n\n**Paid**\n\n- relays load\n"
    )
    candidate = _candidate(tagline, "Free | Open source")
    assert candidate.reason == "heading-tagline" and not candidate.kept
    titles = (
        "# L\n\n## Compute\n\n**Virtual Racks**\n\n- pooled servers\n- billed hourly\n\n"
        "**Beacon Pods**\n\n- tiny workers\n- start fast\n"
    )
    for term in ("Virtual Racks", "Beacon Pods"):
        assert _candidate(titles, term).kept


def test_a_field_lists_tools_named_in_one_word() -> None:
    """A tool's name is often one word in lower case (`qrun`, `lintly.io`): under `**Examples**:`
    such names, each described, are the things the field lists, as capitalised names are."""
    markdown = (
        "# L\n\n## Helpers\n\n**Command Examples**:\n- **qrun**: runs a queue job locally\n"
        "- **lintly.io**: web-based queue linter\n- **Rackline**: hosted job runner\n"
    )
    for term in ("qrun", "lintly.io", "Rackline"):
        candidate = _candidate(markdown, term)
        assert "field-lists-names" in [s.name for s in candidate.signals]
        assert candidate.kept


def test_a_label_above_a_list_may_close_with_the_colon_outside_the_bold() -> None:
    """`**Key Characteristics**:` right above a list is the list's parent label, as
    `**Key Characteristics:**` is: its items are the subject's attributes."""
    markdown = (
        "# L\n\n## Brokers\n\n**Key Characteristics**:\n"
        "- **Durable**: keeps messages on disk\n- **Ordered**: delivers in sequence\n"
    )
    candidate = _candidate(markdown, "Durable")
    assert "aspect-label" in [s.name for s in candidate.signals]
    assert not candidate.kept


def test_a_name_listed_under_a_field_yields_to_its_own_definition() -> None:
    """A product listed under `**Examples:**` and defined again elsewhere keeps one card, the
    other definition's, whose identity stays what it was before `field-lists-names`."""
    markdown = (
        "# L\n\n## Queue Services\n\n**Examples:**\n- **Zephyr Queue**: managed message broker\n"
        "- **RackLine**: hosted job runner\n\n## Hosting\n\n- **RackLine**: runs jobs on racks\n"
        "- **Beaconctl**: pings every rack\n"
    )
    listed, own = [c for c in _candidates(markdown) if c.text == "RackLine"]
    assert own.kept and own.source.line == 11
    assert not listed.kept and listed.reason == "defined at line 11"
    assert _candidate(markdown, "Zephyr Queue").kept


def test_a_price_tag_followed_by_a_description_is_no_price_tag() -> None:
    """`Free, open-source ...` goes on to say what the tool is; `Paid` alone does not."""
    described = "# L\n\n## Tools\n\n- **Zqlite** - Free, open-source queue for one host\n"
    priced = "# L\n\n## Courses\n\n1. **Queueing in Depth** - Paid\n   - Duration: 3 hours\n"
    assert _candidate(described, "Zqlite").kept
    candidate = _candidate(priced, "Queueing in Depth")
    assert "body-is-price-tag" in [s.name for s in candidate.signals]
    assert not candidate.kept


def test_a_characteristics_heading_may_head_named_characteristics() -> None:
    """`**Characteristics:**` right above a list lists a subject's attributes; a heading with the
    word may head a concept and its named characteristics."""
    markdown = (
        "# L\n\n## Definition and Characteristics\n\n"
        "1. **Rapid Draining**: queues empty within a minute\n"
    )
    assert _candidate(markdown, "Rapid Draining").kept


def test_a_paragraph_of_terms_with_an_example_is_no_record() -> None:
    """Only a line of figures (a duration, a date) makes a paragraph of labels a record."""
    markdown = (
        "# L\n\n## Caches\n\n**Cache:** a fast store in front of a slow one\n"
        "**TTL:** how long an entry lives\n**Example:** a cache holding keys for 60 s\n"
    )
    for term in ("Cache", "TTL"):
        assert _candidate(markdown, term).kept


@pytest.mark.parametrize(
    ("label", "reason"),
    [
        ("Rule of thumb", "metadata-label"),
        ("Downside", "metadata-label"),
        ("Analogy", "metadata-label"),
        ("Better approach", "term-is-ranking"),
    ],
)
def test_a_remark_on_the_point_above_is_no_term(label: str, reason: str) -> None:
    """Like a Tip or a Note, a remark after an explanation comments on it: `**Downside**:`,
    `**Rule of thumb**:`, `**Better approach**: use one branch`."""
    markdown = (
        f"# L\n\n## Merging\n\nSquash merges flatten a branch.\n\n**{label}**: keep it short.\n"
    )
    assert _candidate(markdown, label).reason == reason


def test_a_list_of_what_to_demonstrate_is_a_rubric_not_terms() -> None:
    """`Demonstrate ...`, `Execute ...`, `Resolve ...` open instructions as `Use ...` does."""
    markdown = (
        "# L\n\n## Practical checks\n\n- **Queue fluency**: Demonstrate the queue commands\n"
        "- **Drill completion**: Execute a full failover drill\n"
        "- **Backlog triage**: Resolve ten stuck messages\n"
    )
    candidate = _candidate(markdown, "Queue fluency")
    assert "list-instructs" in [s.name for s in candidate.signals]
    assert not candidate.kept


def test_a_short_list_shows_no_pattern() -> None:
    """Two advising items are not yet a list of advice."""
    markdown = "# L\n\n## Mistakes\n\n- **Eager warmup**: Use it lazily.\n- **Order**: Use time.\n"
    assert "list-instructs" not in [s.name for s in _candidate(markdown, "Order").signals]


def test_a_label_defined_by_a_noun_phrase_is_no_aspect() -> None:
    """Under `## Why ...`, `**Drift**: the change of ...` names a concept the lesson defines;
    `**Drift**: answers change` is an aspect."""
    defined = "# L\n\n## Why models decay\n\n- **Drift**: the change of inputs over time\n"
    aspect = "# L\n\n## Why models decay\n\n- **Drift**: inputs change over time\n"
    assert _candidate(defined, "Drift").kept
    assert "aspect-label" in [s.name for s in _candidate(aspect, "Drift").signals]


def test_a_heading_annotated_with_points_is_still_an_instruction_section() -> None:
    markdown = (
        "# L\n\n## Bonus Challenges (+10 points each)\n\n- **OpenAPI Docs**: tune the schema\n"
    )
    candidate = _candidate(markdown, "OpenAPI Docs")
    assert not candidate.kept
    assert candidate.reason == "excluded-section"


def test_a_colon_announcing_a_block_the_card_cannot_show_ends_the_sentence() -> None:
    """`**CMD** specifies the default command:` above a code block: the card reads as a
    sentence, not a fragment; above a list, the list is part of the definition."""
    code = "# L\n\n## Startup\n\n**CMD** specifies the default command:\n\n```\nCMD x\n```\n"
    item = _candidate(code, "CMD").item
    assert item is not None and item.body == "**CMD** specifies the default command."
    heading = "# L\n\n## Zq\n\nZq is a queue that offers:\n\n- retries\n- priorities\n"
    item = _candidate(heading, "Zq").item
    assert item is not None and item.body.endswith("- retries\n- priorities")


def test_a_list_items_colon_with_nothing_nested_ends_the_sentence() -> None:
    """`- **Edge cache**: Stores replies near users:` announces nothing the item holds: the
    back ends on a full stop; an item with a nested list keeps the colon and the list."""
    items = (
        "# L\n\n## Caches\n\n- **Edge cache**: Stores replies near users:\n"
        "- **Quill Limiter**: Caps traffic:\n  - per user\n  - per key\n"
    )
    item = _candidate(items, "Edge cache").item
    assert item is not None and item.body == "Stores replies near users."
    item = _candidate(items, "Quill Limiter").item
    assert item is not None and item.body == "Caps traffic:\n\n- per user\n- per key"


def test_in_a_numbered_list_a_lone_verb_label_is_a_step() -> None:
    """`1. **Navigate**: ...` / `2. **Select**: ...` is a procedure; the same labels in a bullet
    list may name stages, and are judged one by one."""
    steps = "1. **Navigate**: Settings → Sources\n2. **Select**: the queue\n3. **Save**: the form\n"
    numbered = _candidate(f"# L\n\n## Set up\n\n{steps}", "Select")
    assert not numbered.kept and numbered.reason == "among-steps"
    bullets = steps.replace("1.", "-").replace("2.", "-").replace("3.", "-")
    assert _candidate(f"# L\n\n## Set up\n\n{bullets}", "Select").reason != "among-steps"


def test_an_acronym_spelled_out_by_the_names_it_lists_is_defined() -> None:
    markdown = "# L\n\n## Logs\n\n- **ELK**: Elasticsearch, Logstash, Kibana\n"
    candidate = _candidate(markdown, "ELK")
    assert "body-lists-names" not in [s.name for s in candidate.signals]
    assert candidate.kept


def test_a_version_after_a_name_in_capitals_is_no_numbered_label() -> None:
    markdown = "# L\n\n## Models\n\n- **ZQ-Lite 2**: a small queue model\n- **Tier 2**: paid\n"
    assert "label-has-number" not in [s.name for s in _candidate(markdown, "ZQ-Lite 2").signals]
    assert "label-has-number" in [s.name for s in _candidate(markdown, "Tier 2").signals]


def test_an_option_set_in_code_is_no_statement() -> None:
    """`Heavy approval = ignored` states a claim; `` `--retries=3` `` sets an option."""
    markdown = "# L\n\n## Flags\n\n- `--retries=3`: mark it failed after 3 misses\n- `zq up` - go\n"
    candidate = _candidate(markdown, "--retries=3")
    assert candidate.kept


def test_without_the_recurrence_a_loose_shape_is_dropped() -> None:
    """`**X** measures ...` alone is kept only on evidence: the same lesson without the second
    mention drops it, so `term-recurs` above is what kept it."""
    candidate = _candidate("# L\n\n## Racks\n\n**Beacon** measures liveness.\n", "Beacon")
    assert not candidate.kept
    assert sum(s.weight for s in candidate.signals) < THRESHOLD


def test_a_kept_candidate_reports_its_score() -> None:
    candidate = _candidate("# L\n\n## Terms\n\n- **Beacon**: a ping sent on a timer\n", "Beacon")
    assert candidate.reason == f"score {sum(s.weight for s in candidate.signals)}"


def test_a_nested_term_keeps_its_key_and_shows_its_parent_in_the_context() -> None:
    nested = "# L\n\n## Team\n\n**Leadership:**\n- **Vision**: where the team is going\n"
    alone = "# L\n\n## Team\n\n- **Vision**: where the team is going\n"
    notes = []
    for markdown in (nested, alone):
        item = _candidate(markdown, "Vision").item
        assert item is not None and item.key == "Vision"
        notes.append(render_item(KeyedItem(item, normalize_key(item.key)), "c", "l", "Lesson"))
    context = notes[0].notetype.field_index("Context")
    assert notes[0].fields[context] == "Team › Leadership"
    assert notes[1].fields[context] == "Team"
    assert notes[0].guid == notes[1].guid


def test_the_context_shows_a_sections_name_without_what_only_places_it() -> None:
    """An outline number, a duration or score and emoji place a heading in its lesson; the card's
    context keeps the name (a number that is part of it stays), and the GUID does not change."""
    placed = (
        "# L\n\n## 🧭 4.2 Relay Tuning (45 min)\n\n- **Beacon**: a ping sent on a timer\n\n"
        "## 3. Relay Parts\n\n**Core parts:**\n- **Damper**: slows a relay down\n"
    )
    plain = placed.replace("🧭 4.2 Relay Tuning (45 min)", "Relay Tuning").replace("3. ", "")
    numbered = placed.replace("🧭 4.2 Relay Tuning (45 min)", "10 Relay Tips (Part 2)")
    contexts, guids = [], []
    for markdown in (placed, plain, numbered):
        for term in ("Beacon", "Damper"):
            item = _candidate(markdown, term).item
            assert item is not None
            note = render_item(KeyedItem(item, normalize_key(item.key)), "c", "l", "Lesson")
            contexts.append(note.fields[note.notetype.field_index("Context")])
            guids.append(note.guid)
    assert contexts[:4] == ["Relay Tuning", "Relay Parts › Core parts", *contexts[:2]]
    assert contexts[4] == "10 Relay Tips (Part 2)"
    assert guids[:2] == guids[2:4] == guids[4:]


def test_a_generic_label_under_a_skills_heading_is_a_trait() -> None:
    """`**Collaboration**: ...` under `### Soft Skills` is a trait of a person (`trait-label`);
    the same bullet under another heading is kept, as is a term nested under a parent label
    there, and a name."""
    skills = (
        "# L\n\n## Soft Skills\n\n- **Collaboration**: working well with data scientists\n"
        "- **Leadership**\n  - **Delegation**: handing work to the person best placed\n"
        "- **PagerDuty**: on-call scheduling service\n"
    )
    trait = _candidate(skills, "Collaboration")
    assert not trait.kept and trait.reason.endswith("trait-label")
    assert _candidate(skills, "Delegation").kept
    assert _candidate(skills, "PagerDuty").kept
    elsewhere = skills.replace("Soft Skills", "Team")
    assert _candidate(elsewhere, "Collaboration").kept


_PAGER = "- **PagerDuty**: on-call scheduling service\n"
# (signal, lesson, term, variants that keep the term)
LIST_ROLES = [
    # `This module prepares you for:` above generic labels: what the course does for the
    # reader; in the third person the list is kept.
    (
        "lead-in-addresses-reader",
        "# L\n\n## Applications\n\nThis module prepares you for:\n\n"
        "- **Capacity planning**: predict resource needs from trends\n"
        "- **Incident review**: find why an outage happened\n" + _PAGER,
        "Capacity planning",
        [("This module prepares you for:", "Operators spend time on:")],
    ),
    # A list of four completing a sentence, one item a name: the generic items are aspects.
    # Three items are too few to show it; a list after an instruction holds options.
    (
        "aspect-label",
        "# L\n\n## Intro\n\nThe platform offers a broad set of services for teams:\n\n"
        "- **Enterprise focus**: strong integration with office tools\n"
        "- **Hybrid cloud**: on-premises integration with the cloud\n"
        "- **Global presence**: sixty regions worldwide\n" + _PAGER,
        "Hybrid cloud",
        [
            ("- **Global presence**: sixty regions worldwide\n", ""),
            ("The platform offers", "Pick one of"),
        ],
    ),
]


@pytest.mark.parametrize(("signal", "lesson", "term", "variants"), LIST_ROLES)
def test_a_generic_label_is_dropped_by_what_its_list_is(
    signal: str, lesson: str, term: str, variants: list[tuple[str, str]]
) -> None:
    """The generic label is dropped with `signal`; the name in the same list is kept, and so
    is the label in each variant of the lesson."""
    candidate = _candidate(lesson, term)
    assert not candidate.kept and candidate.reason.endswith(signal)
    assert _candidate(lesson, "PagerDuty").kept
    for old, new in variants:
        assert _candidate(lesson.replace(old, new), term).kept


def test_an_item_of_two_sentences_stands_alone_in_a_list_completing_a_sentence() -> None:
    """Items of a list after `... the following parts:` that are fragments are aspects
    (`aspect-label`); an item explained in two sentences or more is its own explanation, kept
    with `item-stands-alone`, whether a bold lead or a bold term opening its sentence."""
    lesson = (
        "# L\n\n## Parts\n\nA relay desk holds the following parts:\n\n"
        "- **Call queue**: holds the calls not yet answered\n"
        "- **Dispatch board**: shows each open call and who has it\n"
        "- **Night log**: keeps what happened after hours\n"
    )
    assert _candidate(lesson, "Call queue").reason.endswith("aspect-label")
    explained = lesson.replace(
        "holds the calls not yet answered",
        "holds the calls not yet answered, i.e. the waiting ones. It empties as staff pick up.",
    ).replace(
        "- **Night log**: keeps what happened after hours",
        "- **Night log** is the shift's record of events. A supervisor reads it, e.g. on Mondays.",
    )
    for term in ("Call queue", "Night log"):
        candidate = _candidate(explained, term)
        assert candidate.kept
        assert "item-stands-alone" in [signal.name for signal in candidate.signals]
    assert not _candidate(explained, "Dispatch board").kept


def test_a_label_among_numbered_labels_is_a_stage_of_a_schedule() -> None:
    """`**Beyond:**` after `**Months 1-2:**` and `**Months 3-4:**` in one section is the last
    stage of a schedule (`among-numbered-labels`); with one numbered label it is kept."""
    lesson = (
        "# L\n\n## Path\n\n**Months 1-2:** Foundations\n- cloud basics\n\n"
        "**Months 3-4:** Operations\n- pipelines\n\n**Beyond:** specialisation in one area\n"
    )
    candidate = _candidate(lesson, "Beyond")
    assert not candidate.kept and candidate.reason.endswith("among-numbered-labels")
    one = lesson.replace("**Months 3-4:** Operations\n- pipelines\n\n", "")
    assert _candidate(one, "Beyond").kept


def test_a_label_under_a_use_cases_heading_is_a_use_even_when_named() -> None:
    """`**LLM Training**: ...` under `### Common Use Cases` says where something is used
    (`use-case-label`), though the label is a name; under another heading it is kept."""
    lesson = "# L\n\n## GPUs\n\n### Common Use Cases\n\n- **LLM Training**: large language models\n"
    candidate = _candidate(lesson, "LLM Training")
    assert not candidate.kept and candidate.reason.endswith("use-case-label")
    assert _candidate(lesson.replace("Common Use Cases", "Workloads"), "LLM Training").kept


@pytest.mark.parametrize(
    ("heading", "term", "body"),
    [
        ("Prerequisites", "Required", "Python programming"),  # what the learner needs first
        ("Assessment", "Module Quiz", "twenty questions on every lesson"),  # quizzes, marks
    ],
)
def test_a_course_administration_section_holds_no_definitions(
    heading: str, term: str, body: str
) -> None:
    """Course administration: the bullets under the heading are no terms; under another
    heading the same bullet is kept."""
    lesson = f"# L\n\n## {heading}\n\n- **{term}**: {body}\n"
    candidate = _candidate(lesson, term)
    assert not candidate.kept and candidate.reason == "excluded-section"
    assert _candidate(lesson.replace(heading, "Formats"), term).kept


def test_a_bold_term_with_a_gloss_in_parentheses_above_a_list_is_defined_by_it() -> None:
    markdown = (
        "# L\n\n## Storage tiers\n\n**Hot Data** (read often):\n- SSD volumes\n- Caches\n\n"
        "**Cold Data** (archived):\n- Tape\n\n"
        "**train.py** (the script):\n\n```python\nprint(1)\n```\n"
    )
    hot = _candidate(markdown, "Hot Data")
    assert hot.kept and hot.shape == "bold-lead-gloss"
    assert hot.item.body == "Read often.\n\n- SSD volumes\n- Caches"
    assert _candidate(markdown, "Cold Data").kept
    # Above code, a parenthesis that opens with a small word captions the code (see
    # test_a_glossed_label_above_code_is_a_definition_when_it_names_one_kind).
    assert not _candidate(markdown, "train.py").kept


def test_a_gloss_written_otherwise_above_a_list_defines_the_term_too() -> None:
    """`**Lenswise** (The cluster IDE)` without a colon, and `**Wren (Wide Render Engine)**:`
    with the gloss inside the bold, read as `**Hot Data** (read often):`; above code, with a
    qualifier in the parenthesis, or with the colon inside the bold, nothing is defined."""
    markdown = (
        "# L\n\n## Tools\n\n**Lenswise** (The cluster IDE)\n- Visual cluster management\n"
        "- Live metrics\n\n**Quarry Hub** (Pre-trained models)\n\n```python\nx = 1\n```\n\n"
        "**Wren (Wide Render Engine)**:\n- Draws fast\n\n**Page (with urgency)**:\n- Outage\n\n"
        "**Rack-Based (Serving):**\n- Small: r1\n- Large: r4\n"
    )
    glossed = {c.text: c.item for c in _candidates(markdown) if c.kept}
    assert list(glossed) == ["Lenswise", "Wren"]
    assert glossed["Lenswise"].body.startswith("The cluster IDE.\n\n- Visual cluster management")
    assert glossed["Wren"].body.startswith("Wide Render Engine.")
    assert _candidate(markdown, "Wren").shape == "bold-lead-gloss"


def test_a_gloss_above_a_list_opens_the_back_as_a_sentence_not_a_label() -> None:
    """`default:` over a list reads as the list's label, not as what the term is: the gloss is
    written as a sentence of its own. A first word that is no plain lower-case word keeps its
    spelling, and a gloss that already ends a sentence gets no second stop."""
    markdown = (
        "# L\n\n## Relay modes\n\n**Burst mode** (default):\n- Sends in batches\n- Low cost\n\n"
        "**Stream mode** (qctl-driven):\n- Sends at once\n\n"
        "**Drip mode** (rarely used!):\n- Sends one by one\n"
    )
    bodies = {c.text: c.item.body for c in _candidates(markdown) if c.kept}
    assert bodies["Burst mode"] == "Default.\n\n- Sends in batches\n- Low cost"
    assert bodies["Stream mode"].startswith("qctl-driven.\n\n- Sends at once")
    assert bodies["Drip mode"].startswith("Rarely used!\n\n- Sends one by one")


def test_a_check_mark_or_emoji_at_either_end_is_no_part_of_the_card() -> None:
    """`✅`, `❌`, `⚠️`, an arrow or an emoji marks a line in its list; on the card it says
    nothing, so neither the term (and its key) nor a one-line back keeps it at its ends. Marks
    inside, a unit (`°`), a back that is only a mark, and a list's items stay as written."""
    markdown = (
        "# L\n\n## Relay kinds\n\n- **Burst queue ✅**: Holds messages for a burst\n"
        "- **Drip queue**: ✅ Holds messages one by one\n- **Echo queue**: Sends them back ⚠️\n"
        "- **Heat limit**: Stops the relay at 90°\n- **Mirror queue**: A → B copy of a queue\n"
        "- **Null queue**: ❌\n\n**Spool queue** (on disk):\n- Survives restarts ✅\n- Slow ❌\n"
    )
    bodies = {(c.text, c.item.key): c.item.body for c in _candidates(markdown) if c.kept}
    assert bodies[("Burst queue", "Burst queue")] == "Holds messages for a burst"
    assert bodies[("Drip queue", "Drip queue")] == "Holds messages one by one"
    assert bodies[("Echo queue", "Echo queue")] == "Sends them back"
    assert bodies[("Heat limit", "Heat limit")] == "Stops the relay at 90°"
    assert bodies[("Mirror queue", "Mirror queue")] == "A → B copy of a queue"
    assert bodies[("Spool queue", "Spool queue")].endswith("- Survives restarts ✅\n- Slow ❌")
    assert bodies.get(("Null queue", "Null queue"), "❌") == "❌"


@pytest.mark.parametrize("marker", ["a)", "(b)", "c.", "D)", "4."])
def test_a_letter_or_number_ordering_bold_terms_is_no_part_of_the_term(marker: str) -> None:
    """`**b) Relay mode**`: the letter orders the list, as `**1. Relay mode**`'s number does; the
    key (and so the note's identity) is the term alone. An initial (`**J. Quarry**`) stays."""
    markdown = f"# L\n\n## Relays\n\n**{marker} Relay mode** (buffered):\n- Sends in batches\n"
    kept = [c for c in _candidates(markdown) if c.kept]
    assert [(c.text, c.item.key) for c in kept] == [("Relay mode", "Relay mode")]
    initial = "# L\n\n## People\n\n- **J. Quarry**: Wrote the relay\n"
    assert [c.text for c in _candidates(initial)] == ["J. Quarry"]


# (lesson, kept terms, dropped terms with their reasons): a term in code, or only options and
# settings in bold, is no English step, condition, question or statement; the same English in
# bold still is.
CODE_TERMS = [
    (  # `set -x` opens with a verb, `for ...` with a condition word, `$!` ends with `?`
        "# L\n\n## Quick reference\n\n- `set -x` - Trace every command\n"
        "- `for f in *.log; do ... done` - Loop over files\n- `$!` - Last background job\n"
        "- `wait` - Wait for background jobs\n\n## Habits\n\n"
        "- **Set the trace flag**: when a script misbehaves\n- **Why trace?**: to see each step\n",
        ("set -x", "for f in *.log; do ... done", "$!"),
        {"Set the trace flag": "term-is-step", "Why trace?": "term-is-question"},
    ),
    (  # options and a setting in bold list or set; they claim nothing
        "# L\n\n## Reading the plan\n\n- **-X, -Y**: Lines of context\n"
        "- **depth=3**: Levels walked\n- **span=0.5..9.0**: Estimated span\n\n## Notes\n\n"
        "- **Small, fast, cheap**: the three goals\n- **Speed = money**: a saying\n",
        ("-X, -Y", "depth=3", "span=0.5..9.0"),
        {"Small, fast, cheap": "term-is-statement", "Speed = money": "term-is-statement"},
    ),
]


@pytest.mark.parametrize(("markdown", "kept", "dropped"), CODE_TERMS)
def test_a_term_in_code_is_no_english_step_condition_question_or_statement(
    markdown: str, kept: tuple[str, ...], dropped: dict[str, str]
) -> None:
    for term in kept:
        assert _candidate(markdown, term).kept, term
    for term, reason in dropped.items():
        assert _candidate(markdown, term).reason == reason, term


def test_sibling_headings_of_one_kind_are_defined_by_their_first_paragraph() -> None:
    markdown = (
        "# L\n\n## Strategies\n\n### Data Sharding\n\nSplit the data across devices:\n\n"
        "```\ndiagram\n```\n\n### Model Sharding\n\nSplit the model across devices.\n\n"
        "### Installation\n\nRun the installer first.\n\n"
        "### Local Sharding\n\nFor laptops, use one device.\n\n"
        "### Sharding for Clusters\n\nNodes share the work.\n\n"
        "### Large Clusters\n\nThousands of nodes.\n\n"
        "### Core Concepts\n\nIdeas matter.\n\n### Advanced Concepts\n\nHarder ideas.\n"
    )
    data = _candidate(markdown, "Data Sharding")
    assert data.kept and data.shape == "heading-description"
    assert data.source.line == 5  # the heading's line
    assert data.item.body == "Split the data across devices."
    assert "sibling-kinds" in {s.name for s in data.signals}
    assert _candidate(markdown, "Model Sharding").kept
    kept = {c.text for c in _candidates(markdown) if c.kept}
    # A heading without sibling kinds; a paragraph opening with a small word; a title with a
    # qualifier; concept headings: no definition.
    assert kept == {"Data Sharding", "Model Sharding", "Large Clusters"}


def test_a_headings_description_written_as_what_it_does_is_no_instruction() -> None:
    """A heading's short description is a caption: `Run jobs ...` says what the kind does.
    One whose verb acts on the heading's own thing (`Enable edge scheduling ...`) is a task,
    and a bold label's body written so still instructs."""
    markdown = (
        "# L\n\n## Scheduling\n\n### Batch Scheduling\n\nRun jobs in fixed windows.\n\n"
        "### Stream Scheduling\n\nRun jobs as their events arrive.\n\n"
        "### Edge Scheduling\n\nEnable edge scheduling in the console.\n\n"
        "## Tips\n\n- **Windows**: Run jobs at night.\n"
    )
    for term in ("Batch Scheduling", "Stream Scheduling"):
        candidate = _candidate(markdown, term)
        assert candidate.kept, candidate.reason
        assert "body-is-instruction" not in {s.name for s in candidate.signals}
    for term in ("Edge Scheduling", "Windows"):
        assert "body-is-instruction" in {s.name for s in _candidate(markdown, term).signals}


def test_sibling_headings_may_share_the_last_word_of_their_aside() -> None:
    markdown = (
        "# L\n\n## Sizes\n\n#### General Purpose (D-series)\n\nBalanced CPU and memory.\n\n"
        "#### Memory Optimized (E-series)\n\nMore memory per core.\n"
    )
    assert _candidate(markdown, "General Purpose (D-series)").kept
    assert _candidate(markdown, "Memory Optimized (E-series)").kept


def test_a_heading_that_qualifies_its_parents_subject_is_one_kind_of_it() -> None:
    """`## Queue Workflows` / `### Relay Workflow`: one kind of what the parent is about, so its
    short first paragraph defines it, even when that paragraph opens with the noun the heading
    qualifies (`Workflow that ...`); a heading of its own kind, or a task (`### Pushing
    Workflows`), does not."""
    markdown = (
        "# L\n\n## Queue Workflows\n\n### Relay Workflow\n\nThe simplest flow for two teams:\n\n"
        "- a\n\n### Retention\n\nHow long a queue keeps messages.\n\n"
        "## Queue Indexes\n\n### Composite Index\n\nIndex on several message fields.\n\n"
        "### Pushing Indexes\n\nIndexes aren't shared by default.\n"
    )
    for term in ("Relay Workflow", "Composite Index"):
        candidate = _candidate(markdown, term)
        assert candidate.kept
        assert "kind-of-parent" in {s.name for s in candidate.signals}
    kept = {c.text for c in _candidates(markdown) if c.kept}
    assert "Pushing Indexes" not in kept and "Retention" not in kept


def test_a_heading_that_opens_with_a_gerund_is_an_activity_not_a_kind() -> None:
    """`### Reordering Queues` beside `### Draining Queues`: siblings of one kind, but each
    names something to do; `### Queue Sharding` names a practice."""
    markdown = (
        "# L\n\n## Operations\n\n### Reordering Queues\n\nSimply move the lines:\n\n"
        "### Draining Queues\n\nStop the producers first.\n\n"
        "### Queue Sharding\n\nSplit one queue across nodes.\n\n"
        "### Message Sharding\n\nSplit each message across nodes.\n"
    )
    reorder = _candidate(markdown, "Reordering Queues")
    assert not reorder.kept
    assert "heading-is-activity" in {s.name for s in reorder.signals}
    assert _candidate(markdown, "Queue Sharding").kept
    named = markdown.replace("Reordering Queues", "Streaming Queues (SQs)")
    streaming = _candidate(named, "Streaming Queues (SQs)")
    assert streaming.kept and "heading-is-activity" not in {s.name for s in streaming.signals}


def test_a_heading_over_sections_of_its_own_titles_a_group() -> None:
    """`## Relay Modes` over `### Push Mode` and `### Pull Mode`: its paragraph introduces the
    kinds its sections define; a kind without sections of its own is defined by its paragraph."""
    markdown = (
        "# L\n\n## Relay Modes\n\nBeyond plain forwarding, relays know two modes.\n\n"
        "### Push Mode\n\nSends each message at once.\n\n"
        "### Pull Mode\n\nWaits until the consumer asks.\n\n"
        "## Queue Modes\n\nBeyond plain storage, queues keep messages in order.\n"
    )
    group = _candidate(markdown, "Relay Modes")
    assert not group.kept
    assert ("heading-over-sections", "Push Mode") in {(s.name, s.detail) for s in group.signals}
    assert _candidate(markdown, "Push Mode").kept
    assert _candidate(markdown, "Queue Modes").kept


def test_a_description_that_speaks_to_the_reader_defines_no_heading() -> None:
    """`### The Socket Transport` / `Let's walk through ...`, `Suppose you run ...`: the
    paragraph leads the reader into a walkthrough or a step; a kind described, or what it lets
    the reader do (`you can link ...`), is defined."""
    markdown = (
        "# Lecture 2: Relays\n\n## Relay Transports\n\n"
        "### The Socket Transport\n\nLet's walk through two small examples of it.\n\n"
        "### The Ring Transport\n\nSuppose you run two relays on one small host.\n\n"
        "### The Pipe Transport\n\nKeeps messages in a shared memory ring.\n\n"
        "### The Mesh Transport\n\nInstead of a hub, you can link each relay to its peers.\n"
    )
    for heading, voice in (("The Socket Transport", "Let's"), ("The Ring Transport", "you")):
        walkthrough = _candidate(markdown, heading)
        assert not walkthrough.kept
        signal = {s.name: s.detail for s in walkthrough.signals}
        assert signal.get("description-addresses-reader") == voice
    assert _candidate(markdown, "The Pipe Transport").kept
    mesh = _candidate(markdown, "The Mesh Transport")
    assert mesh.kept
    assert "description-addresses-reader" not in {s.name for s in mesh.signals}


def test_a_description_that_says_what_another_name_does_defines_no_heading() -> None:
    """`### Default Routes` / `Relayd automatically creates a route ...`: the paragraph's subject
    is the lesson's tool, the heading a feature of it; a kind described on its own is defined."""
    markdown = (
        "# Lecture 4: Relayd\n\n## Routing\n\n### Default Routes\n\n"
        "Relayd automatically creates a route for each queue:\n\n```\nroute q1\n```\n\n"
        "### Sticky Routes\n\nKeeps a client on one relay.\n"
    )
    default = _candidate(markdown, "Default Routes")
    assert not default.kept
    signal = {s.name: s.detail for s in default.signals}
    assert signal.get("paragraph-about-other-name") == "Relayd"
    assert _candidate(markdown, "Sticky Routes").kept
    # A plural after the name is the heading's own thing, not the name's verb.
    plural = markdown.replace("Relayd automatically creates a route", "Relayd routes hold a hop")
    assert "paragraph-about-other-name" not in {
        s.name for s in _candidate(plural, "Default Routes").signals
    }
    # A paragraph that marks the heading's subject is about it, whoever acts.
    marked = markdown.replace("a route for each queue", "a **default route** for each queue")
    assert "paragraph-about-other-name" not in {
        s.name for s in _candidate(marked, "default route").signals
    }


def test_a_heading_joining_an_instruction_section_is_one() -> None:
    """`## Assessment and Evaluation` is an assessment section, `## Summary and Takeaways`
    still only a summary, whose defining bullets count."""
    lesson = "# L\n\n## Assessment and Evaluation\n\n- **Relay Drill**: build a relay\n"
    candidate = _candidate(lesson, "Relay Drill")
    assert not candidate.kept and candidate.reason == "excluded-section"
    assert _candidate(lesson.replace("Assessment and ", "Drills and "), "Relay Drill").kept
    summary = (
        "# L\n\n## Summary and Key Takeaways\n\n- **Relays** are services that forward messages\n"
    )
    assert _candidate(summary, "Relays").kept


def test_the_file_a_here_document_writes_is_no_part_of_the_lesson() -> None:
    """A fence closed early inside `cat > NOTES.md << 'EOF'` spills the file being written as
    prose; its labels are that file's. After the terminator the lesson goes on."""
    markdown = (
        "# L\n\n## Write the notes\n\n```bash\ncat > NOTES.md << 'EOF'\n# Notes\n```\n\n"
        "## Fields\n\n- **Relay id**: a unique identifier\nEOF\n```bash\nls\n```\n\n"
        "## Terms\n\n- **Relay**: a service that forwards messages\n"
    )
    inside = _candidate(markdown, "Relay id")
    assert not inside.kept and inside.reason == "in-here-document"
    assert _candidate(markdown, "Relay").kept


def test_percent_and_angle_signs_in_code_are_symbols_not_scores() -> None:
    """`` `%h` `` in a format list and a conflict marker in code are symbols to learn; in bold
    prose the same signs still mark a score (`**90-100%**`)."""
    markdown = (
        "# L\n\n## Log format\n\n- `%h` - short hash\n- `%an` - author name\n"
        "- `<<<<<<< ours` - start of our side\n\n## Grades\n\n- **Top >90%**: excellent\n"
    )
    for term in ("%h", "%an", "<<<<<<< ours"):
        assert _candidate(markdown, term).kept
    assert _candidate(markdown, "Top >90%").reason == "term-is-score"


def test_a_short_label_measured_by_its_body_is_a_reading() -> None:
    """`**Throughput**: 1,000 requests per second` records what a lab measures or aims at; a
    name keeps its figure (`**Relayd**: 3x faster ...`), and a number inside a description
    (`a queue that holds 10 jobs`) is no reading. A threshold is a target too (`backlog > 500
    jobs`), unless a longer body explains with it."""
    markdown = (
        "# L\n\n## Drill results\n\n**Throughput**: 1,000 requests per second\n\n"
        "**Drain time**: < 40 s for each batch\n\n**Relayd**: 3x faster with batching\n\n"
        "**Relay pool**: a set of relays that share 10 queues\n\nWe use Relayd here.\n\n"
        "**Queue depth**: backlog > 500 jobs\n\n"
        "**Burst scaling**: add relays when the backlog > 500 jobs for ten minutes\n"
    )
    for term in ("Throughput", "Drain time", "Queue depth"):
        candidate = _candidate(markdown, term)
        assert not candidate.kept and "body-is-measure" in {s.name for s in candidate.signals}
    assert _candidate(markdown, "Relayd").kept
    assert _candidate(markdown, "Relay pool").kept
    assert _candidate(markdown, "Burst scaling").kept


def test_a_list_whose_labels_mostly_take_values_is_a_spec() -> None:
    """`**Retention**: 7 days` beside `**Snapshots**: hourly, kept offsite`: when half the
    labels of a list or more are given a figure, the list specifies the exercise's own system
    and its other labels are its settings too. One figure among described labels is none."""
    markdown = (
        "# L\n\n## Relay settings\n\n- **Retention**: 7 days\n- **Burst limit**: 20 MB/s\n"
        "- **Snapshots**: hourly, kept offsite\n\n## Relay parts\n\n"
        "- **Spooler**: the process that writes messages to disk\n"
        "- **Warden**: the process that restarts a stalled spooler\n"
        "- **Ledger**: 64 KB pages of message offsets\n"
    )
    snapshots = _candidate(markdown, "Snapshots")
    assert not snapshots.kept and "among-measures" in snapshots.reason
    for term in ("Spooler", "Warden"):
        assert _candidate(markdown, term).kept


def test_a_plain_field_label_heads_its_list() -> None:
    """`Examples:` alone above a list heads it as `**Examples:**` does: the list holds that
    field's values (`parent-is-field`). A plain line that only introduces the list
    (`Common placeholders:`) names no field, and its entries stay."""
    markdown = (
        "# L\n\n## Tags\n\nExamples:\n- `relay-v1.0.0`: first stable relay\n"
        "- `relay-v1.1.0`: adds batching\n\n## Format\n\nCommon placeholders:\n"
        "- `%h` - relay host\n- `%an` - author name\n"
    )
    candidate = _candidate(markdown, "relay-v1.0.0")
    assert not candidate.kept and "parent-is-field" in {s.name for s in candidate.signals}
    assert _candidate(markdown, "%h").kept


def test_a_lab_checklist_and_its_step_furniture_hold_no_terms() -> None:
    """A lab's closing checklist ticks off states (`**Relay running**: status shows active`);
    `**Verify**`, `**Instructions**` and `**Recommendation**` are fields of a step."""
    markdown = (
        "# L\n\n## Task 1\n\n**Instructions**: create a relay named `r1`\n\n"
        "**Verify**: the relay appears in the list\n\n"
        "**Recommendation**: keep one relay per zone\n\n"
        "## Verification Checklist\n\n- **Relay running**: status shows active\n"
        "- **Queue drained**: no messages left\n"
    )
    for term in ("Instructions", "Verify", "Recommendation"):
        assert _candidate(markdown, term).reason == "metadata-label"
    for term in ("Relay running", "Queue drained"):
        assert _candidate(markdown, term).reason == "excluded-section"


def test_labels_under_a_numbered_step_heading_are_its_fields() -> None:
    """Under `## Step 2: Reproduce the stall` a generic label is what to look for or what was
    seen; a name there is still explained, and a numbered heading that names a thing (`Step 3 -
    Relay metrics`) or a lecture's bare number (`4.1 Design for Failure`) lists its terms."""
    fields = (
        "**Observation**: the log shows a timeout to the relay\n\n"
        "**Why**: the relay must drain before restart\n\n"
        "**Relayd**: the daemon that forwards queued messages\n\nRun Relayd now.\n"
    )
    step = "# L\n\n## Step 2: Reproduce the stall\n\n```bash\nrelayctl stat\n```\n\n" + fields
    for term in ("Observation", "Why"):
        candidate = _candidate(step, term)
        assert not candidate.kept and "under-step-heading" in {s.name for s in candidate.signals}
    assert _candidate(step, "Relayd").kept
    for heading in ("Step 3 - Relay metrics", "4.1 Design for Failure"):
        lesson = step.replace("Step 2: Reproduce the stall", heading)
        assert "under-step-heading" not in {s.name for s in _candidate(lesson, "Why").signals}


def test_a_paragraph_of_one_word_values_is_a_record() -> None:
    """`**Service**: relay-api` / `**Owner**: platform team` / `**Alert**: RelayStalled`: a
    scenario's fields; a paragraph of short explanations stays."""
    record = (
        "# L\n\n## The Incident\n\n**Service**: relay-api\n**Owner**: platform team\n"
        "**Alert**: RelayStalled\n\nThe relay stalls.\n"
    )
    for term in ("Service", "Owner"):
        candidate = _candidate(record, term)
        assert not candidate.kept and "among-values" in {s.name for s in candidate.signals}
    terms = (
        "# L\n\n## Parts\n\n**Relay**: forwards queued messages\n**Drain**: empties a queue\n"
        "**Spool**: holds messages on disk\n"
    )
    for term in ("Relay", "Drain", "Spool"):
        assert _candidate(terms, term).kept


def test_one_file_among_concepts_is_judged_as_a_term() -> None:
    """A file name makes a listing only beside others: `Cargo.toml` among concepts may be
    what the lesson teaches."""
    markdown = (
        "# L\n\n## Terms\n\n- **`zq.toml`**: the file that configures the queue\n"
        "- **Beacon**: a ping sent on a timer\n- **Drain**: a stop that finishes work\n"
    )
    candidate = _candidate(markdown, "zq.toml")
    assert "term-is-file" not in [s.name for s in candidate.signals]
    assert candidate.kept


@pytest.mark.parametrize(
    "heading",
    [
        "Broker Hygiene Checklist",
        "Relay Project Rubric (20 points)",
        "Community Resources",
        "See Also",
        "Time Commitment",
        "Difficulty Level",
    ],
)
def test_a_list_to_tick_a_pointer_or_a_course_fact_holds_no_terms(heading: str) -> None:
    """A heading ending in `Checklist` or `Rubric` (whatever it checks) lists things to tick
    off; community, see-also and course-fact sections point elsewhere or describe the course."""
    markdown = (
        f"# L\n\n## {heading}\n\n- **Relay Forum**: ask and answer questions\n"
        "- **Beacon**: a ping sent on a timer\n"
    )
    candidate = _candidate(markdown, "Relay Forum")
    assert not candidate.kept
    assert "excluded-section" in candidate.reason


def test_a_checklist_word_inside_a_heading_does_not_make_one() -> None:
    """Only the heading's last word counts: `Checklists and Their Terms` may define terms."""
    markdown = (
        "# L\n\n## Checklist Concepts\n\n- **Beacon**: a ping sent on a timer\n"
        "- **Drain**: a stop that finishes the work in flight\n"
    )
    assert _candidate(markdown, "Beacon").kept


def test_a_heading_whose_paragraph_marks_its_subject_is_defined_there() -> None:
    """`### The Relay Protocol (1998)` / `... designed the **Relay Protocol** ...`: the author
    marks the heading's subject where its first paragraph says what it is; the card's term is
    the one marked, without the heading's date and article."""
    markdown = (
        "# L\n\n## History\n\n### The Relay Protocol (1998)\n\n"
        "Ann Lee designed the **Relay Protocol** to move messages between hosts:\n\n"
        "- one hop at a time\n\n## Message Brokers\n\n"
        "A **message broker** routes messages between services.\n"
    )
    relay = _candidate(markdown, "Relay Protocol")
    assert relay.kept and relay.shape == "heading-description"
    assert relay.source.line == 5
    assert "paragraph-marks-term" in {s.name for s in relay.signals}
    # A paragraph that opens with the marked subject is the prose shapes' candidate.
    assert _candidate(markdown, "message broker").shape == "prose-sentence"
    unmarked = markdown.replace("**Relay Protocol**", "protocol")
    assert "Relay Protocol" not in {c.text for c in _candidates(unmarked) if c.kept}
    # The heading's article is no word of its subject: a paragraph opening with one describes.
    article = "# L\n\n## Logs\n\n### The Relay Log\n\nThe record each relay keeps.\n"
    assert _candidate(article, "The Relay Log").shape == "heading-description"
    # No name and no sibling kinds: the author's mark alone outweighs `heading-without-term`.
    common = (
        "# L\n\n## Storage\n\n### The write-ahead journal (1992)\n\n"
        "Hosts keep a **write-ahead journal** of changes before applying them.\n"
    )
    assert _candidate(common, "write-ahead journal").kept


def test_a_name_and_its_gloss_in_a_heading_define_the_name() -> None:
    """`### ZQL: Zone Query Language`: kept when the part before the colon is a name; a label
    there (`Practical Example`), a name its siblings repeat (examples of one thing), a gloss
    that says when or frames the section make no definition."""
    markdown = (
        "# L\n\n## Tools\n\n### ZQL: Zone Query Language\n\nSelect hosts by tag.\n\n"
        "### Practical Example: Draining a Zone\n\nStop the producers.\n\n"
        "### Relay Hook: Linting\n\nLint each message.\n\n"
        "### Relay Hook: Testing\n\nTest each message.\n\n"
        "### QLOG: When to Use What\n\nPick by size.\n\n### QDB: Overview\n\nA store.\n"
    )
    glossed = {c.text: c for c in _candidates(markdown) if c.shape == "heading-gloss"}
    assert set(glossed) == {"ZQL", "Practical Example"}
    assert glossed["ZQL"].item.body == "Zone Query Language. Select hosts by tag."
    assert not glossed["Practical Example"].kept


def test_a_glossed_label_above_code_is_a_definition_when_it_names_one_kind() -> None:
    markdown = (
        "# L\n\n## Flags\n\n**Brief flags** (single dash prefix):\n\n```\ncmd -v\n```\n\n"
        "**Verbose flags** (double dash prefix):\n\n```\ncmd --verbose\n```\n\n"
        "## Caches\n\n**Warm cache** (filled before the first request):\n\n```\nwarm()\n```\n\n"
        "**Cold start** (nothing cached yet):\n\n```\nstart()\n```\n\n"
        "**Tight Pairing** (Monolith):\n\n```\na <-> b\n```\n\n"
        "**Loose Pairing** (Services):\n\n```\na -> b\n```\n\n"
        "### Task 4: Build Queues\n\n**Public Queue** (shared by tenants):\n\n```\nq\n```\n\n"
        "**Private Queue** (private per tenant):\n\n```\nq\n```\n\n"
        "### Publishing\n\n**Using the registry client** (recommended path):\n\n```\nx\n```\n"
    )
    brief = _candidate(markdown, "Brief flags")
    assert brief.kept and brief.shape == "bold-gloss-above-code"
    assert brief.item.body == "single dash prefix"
    assert "sibling-kinds" in {s.name for s in brief.signals}
    # The section's heading names the noun the label's last word is.
    warm = _candidate(markdown, "Warm cache")
    assert warm.kept and "kind-of-section" in {s.name for s in warm.signals}
    # No sibling or heading says it names a kind: the label only captions its code.
    assert _candidate(markdown, "Cold start").reason == "captions-code"
    # A one-word parenthesis names an example, not what the term is: no candidate.
    assert not [c for c in _candidates(markdown) if c.text == "Tight Pairing" and c.kept]
    # A numbered step's labels caption its commands.
    assert _candidate(markdown, "Public Queue").reason == "captions-code"
    # A gerund names something to do.
    assert _candidate(markdown, "Using the registry client").reason == "captions-code"


def test_an_outline_item_closed_by_a_command_defines_the_command() -> None:
    markdown = (
        "# L\n\n## Outline\n\n#### Saving Work\n\n"
        "- Recording snapshots (`vcs snap`)\n"
        "- Comparing snapshots (`vcs cmp`, `vcs delta`)\n"
        "- Snapshot tooling reference (`man vcs`)\n"
        "- Setup and configuration (`vcs init`)\n\n"
        "#### Reference\n\n- `vcs snap` - record a snapshot\n"
    )
    compare = _candidate(markdown, "vcs cmp")
    assert compare.kept and compare.shape == "command-aside-bullet"
    assert compare.item.body == "Comparing snapshots"
    assert _candidate(markdown, "vcs delta").kept  # each command of the parenthesis
    # Not opened by a gerund: the phrase names a document or a topic, not what the command does.
    assert not [c for c in _candidates(markdown) if c.text in ("man vcs", "vcs init")]
    # The command's own entry elsewhere keeps the card.
    snaps = [c for c in _candidates(markdown) if c.text == "vcs snap"]
    assert [c.shape for c in snaps if c.kept] == ["code-lead-bullet"]
    assert [c.reason for c in snaps if c.shape == "command-aside-bullet"] == ["defined at line 14"]


def test_a_list_of_names_each_glossed_in_parentheses_defines_each_name() -> None:
    markdown = (
        "# L\n\n## Companions\n\n### Viewers\n\n"
        "- Lumen (a desktop viewer for snapshots)\n"
        "- Snap Lens (browser-based history explorer)\n"
        "- qv (terminal snapshot viewer)\n\n"
        "### Mixed\n\n- Prism (graphical diff tool)\n- Install the viewer first\n\n"
        "### Judged\n\n- Halo (good)\n- Spark (fast)\n\n"
        "### Parts\n\n- Unit 01 (core ideas)\n- Unit 02 (advanced usage)\n\n"
        "### Examples\n\n- Photo tools (cropping, resizing)\n- Sound tools (mixing, cutting)\n\n"
        "### Sorted\n\n1. Push (sends snapshots out)\n2. Pull (fetches snapshots in)\n"
        "3. Push (shares a snapshot)\n\n"
        "### Tasks\n\n- Taking snapshots (daily backup habit)\n"
        "- Comparing snapshots (weekly review)\n"
    )
    lens = _candidate(markdown, "Snap Lens")
    assert lens.kept and lens.shape == "glossed-name-list"
    assert lens.item.body == "browser-based history explorer"
    assert _candidate(markdown, "qv").kept
    glossed = {c.text for c in _candidates(markdown) if c.shape == "glossed-name-list"}
    # Only a list whose every item is a name and its gloss; not one-word judgments, a
    # course's numbered parts, examples listed with commas, tasks that open with a gerund, or
    # a name given twice (cases sorted into kinds, as an answer key does).
    assert glossed == {"Lumen", "Snap Lens", "qv"}


def test_a_paragraph_of_terms_with_one_step_among_them_is_no_list_of_steps() -> None:
    """Label lines of one paragraph are steps only when most of them open with a verb."""
    terms = (
        "# L\n\n## Parts\n\n**Beacon**: a timed ping\n**Relay**: forwards pings\n"
        "**Drainer**: empties a queue\n**Pin versions**: builds repeat\n"
    )
    assert _candidate(terms, "Relay").kept


@pytest.mark.parametrize(
    "heading", ["### Relays (Zq 2)", "### Relays (1990s)", "### Relays (90 min) in practice"]
)
def test_a_heading_without_a_closing_duration_is_no_timed_section(heading: str) -> None:
    markdown = f"# L\n\n## Outline\n\n{heading}\n\n- **Zq Failover**: when it triggers\n"
    candidate = _candidate(markdown, "Zq Failover")
    assert "timed-section" not in [s.name for s in candidate.signals]
    assert candidate.kept


def test_a_section_restating_terms_defined_earlier_is_a_recap() -> None:
    # GUIDE.md: a term defined several times in one lesson is one item, at its first
    # definition; a section that restates two such terms recaps them.
    lesson = (
        "# L\n\n## Parts\n\n- **Relay hub**: the node every message passes through\n"
        "- **Tally store**: the table that keeps the counts\n\n"
        "The relay hub feeds the tally store.\n\n## Picture it\n\n"
        "- **Relay hub** = a post office\n- **Tally store** = a ledger\n"
    )
    hubs = [c for c in _candidates(lesson) if c.text == "Relay hub"]
    assert [c.kept for c in hubs] == [True, False]  # the first card stays
    assert hubs[1].reason == "defined at line 5"
    assert "restated" in {s.name for s in hubs[1].signals}
    assert [c.kept for c in _candidates(lesson) if c.text == "Tally store"] == [True, False]


def test_one_term_met_again_in_another_section_stays() -> None:
    # Another sense of the word, maybe: its note is qualified by its section.
    lesson = (
        "# L\n\n## Parts\n\n- **Relay hub**: the node every message passes through\n"
        "- **Tally store**: the table that keeps the counts\n\n"
        "The relay hub feeds the tally store.\n\n## Vendors\n\n"
        "- **Relay hub**: a firm that sells routers\n"
    )
    assert [c.kept for c in _candidates(lesson) if c.text == "Relay hub"] == [True, True]


def test_the_same_label_twice_in_one_section_stays() -> None:
    # Two parents in one section: the label means one thing for each.
    lesson = (
        "# L\n\n## Bits\n\nFor files:\n- `q`: may be queued\n- `z`: may be zipped\n\n"
        "For folders:\n- `q`: may hold a queue\n- `z`: may hold zips\n"
    )
    assert [c.kept for c in _candidates(lesson) if c.text == "z"] == [True, True]


def test_a_label_its_body_defines_by_name_is_no_aspect() -> None:
    # Under the same emphasised question, an item whose body says what its term is
    # (`Latency is the time ...`) defines a concept; its sibling stays an aspect.
    markdown = (
        "# L\n\n## Getting started\n\n*Why learn Quill?*\n\n- **Speed**: it runs fast\n"
        "- **Latency**: Latency is the time a reply takes. Quill keeps it low.\n\n"
        "Watch the latency as you go.\n"
    )
    assert _candidate(markdown, "Latency").kept
    assert not _candidate(markdown, "Speed").kept


def test_a_question_that_is_not_emphasised_whole_heads_no_list() -> None:
    # A plain paragraph, or one emphasised only in part, is prose, not a heading.
    for above in ("So, why learn Quill?", "So, *why* learn Quill?"):
        markdown = f"# L\n\n## Getting started\n\n{above}\n\n- **Speed**: it runs fast\n"
        signals = [signal.name for signal in _candidate(markdown, "Speed").signals]
        assert "aspect-label" not in signals, above


def test_a_label_in_one_copy_of_a_repeated_catalogue_is_a_category() -> None:
    """`- **Messaging**: Alpha Queue, Alpha Bus` beside `**Compute**` and `**Storage**`, which
    the next provider's list uses again: the lists are copies of one catalogue, and the label
    only this copy holds is one of its categories too (`among-template-fields`). A list whose
    bodies describe its labels (each provider's prices) stays."""
    markdown = (
        "# L\n\n## Alpha Cloud\n\nMessaging decouples the services; analytics reads the lake.\n\n"
        "**Core Offerings:**\n\n- **Compute**: Alpha VMs, Alpha Batch\n"
        "- **Storage**: Alpha Blobs, Alpha Disks\n- **Messaging**: Alpha Queue, Alpha Bus\n\n"
        "**Pricing:**\n\n- **On-Demand**: pay per hour with no commitment\n"
        "- **Reserved**: a one-year commitment at a lower rate\n"
        "- **Spot**: spare capacity the provider can reclaim\n\n"
        "## Beta Cloud\n\n**Core Offerings:**\n\n- **Compute**: Beta Machines, Beta Run\n"
        "- **Storage**: Beta Buckets, Beta Volumes\n- **Analytics**: Beta Lake, Beta Streams\n\n"
        "**Pricing:**\n\n- **On-Demand**: pay per second with no commitment\n"
        "- **Reserved**: a three-year commitment at a lower rate\n"
        "- **Preemptible**: spare capacity stopped after a day at most\n"
    )
    for term in ("Messaging", "Analytics"):
        candidate = _candidate(markdown, term)
        assert not candidate.kept and "among-template-fields" in candidate.reason
    for term in ("Spot", "Preemptible"):
        candidate = _candidate(markdown, term)
        assert candidate.kept
        assert "among-template-fields" not in {s.name for s in candidate.signals}


def test_figures_set_in_asides_make_a_list_a_spec() -> None:
    """`**Raw data**: read-only for most users (755)` beside `**Team folders**: ... (2775)`:
    when half the bodies of a list or more set a figure in an aside, each label is given its
    value, and the list is a spec's settings (`values-in-asides`). One figure among described
    terms, a year citing a source, or an estimate measuring the thing described, is none."""
    markdown = (
        "# L\n\n## Share policy\n\n- **Raw data**: read-only for most users (755)\n"
        "- **Trained weights**: owner and group only (640)\n"
        "- **Team folders**: shared with the group (2775)\n- **Scratch space**: open to all\n\n"
        "## Relay parts\n\n- **Spooler**: the process that writes messages to disk (every 5 s)\n"
        "- **Warden**: the process that restarts a stalled spooler\n"
        "- **Ledger**: the file that keeps message offsets\n\n"
        "## Protocols\n\n- **Raft**: a consensus algorithm for replicated logs (2014)\n"
        "- **Paxos**: an older consensus algorithm with many variants (1998)\n"
        "- **Gossip**: a protocol that spreads state from peer to peer (1987)\n\n"
        "## Base images\n\n- **slimbase**: a small image for CPU jobs (~40MB)\n"
        "- **fullbase**: a larger image with build tools (~600MB)\n"
        "- **gpubase**: an image with the GPU runtime (~3GB)\n"
    )
    raw = _candidate(markdown, "Raw data")
    assert not raw.kept and "values-in-asides" in raw.reason
    for term in ("Spooler", "Warden", "Raft", "Gossip", "slimbase", "gpubase"):
        assert _candidate(markdown, term).kept
