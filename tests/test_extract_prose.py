"""Definitions in running prose and acronyms with their expansion (`deckgen.extract.prose`):
each shape and each signal on a made-up lesson, kept or dropped, and one item per term."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.config import ExtractConfig
from deckgen.extract import extract_lesson
from deckgen.extract.common import singular
from deckgen.extract.evidence import Candidate
from deckgen.items import Definition
from deckgen.lesson import parse_lesson


def _candidates(markdown: str) -> list[Candidate]:
    lesson = parse_lesson(markdown, Path("lesson.md"), "lesson")
    extraction = extract_lesson(lesson, ExtractConfig())
    return [c for c in extraction.candidates if c.kind == "definition"]


def _about(markdown: str, term: str) -> list[Candidate]:
    return [c for c in _candidates(markdown) if c.text == term]


def _one(markdown: str, term: str) -> Candidate:
    found = _about(markdown, term)
    assert len(found) == 1, [(c.text, c.source.line, c.reason) for c in _candidates(markdown)]
    return found[0]


def _signals(candidate: Candidate) -> set[str]:
    return {signal.name for signal in candidate.signals}


def _assert_kept_by(lesson: str, terms: tuple[str, ...], signal: str) -> None:
    for term in terms:
        candidate = _one(lesson, term)
        assert candidate.kept, term
        assert signal in _signals(candidate), term


def _body(candidate: Candidate) -> str:
    assert isinstance(candidate.item, Definition)
    return candidate.item.body


# --- prose-sentence ------------------------------------------------------------------------


def test_a_named_term_defined_in_a_sentence_is_kept_with_only_that_sentence() -> None:
    lesson = (
        "# L\n\n## Running several services\n\nSome setups need many containers. Docker Compose"
        " is a tool for\nrunning several containers together. It reads one file.\n\n"
        "We start the stack with Docker Compose.\n"
    )
    candidate = _one(lesson, "Docker Compose")
    assert candidate.kept and candidate.shape == "prose-sentence"
    assert candidate.source.line == 5  # where the sentence starts, not the paragraph
    assert _body(candidate) == (
        "Docker Compose is a tool for\nrunning several containers together."
    )
    assert {"in-running-prose", "term-is-name", "body-defines"} <= _signals(candidate)


def test_a_sentence_ending_on_a_colon_takes_its_list_or_ends_there() -> None:
    """The card must not stop on a colon whose list it lost: the list joins the sentence, and a
    code block the card cannot show leaves a sentence that ends with a full stop."""
    lesson = (
        "# L\n\n## Plugins\n\nQuillkit plugins are modules that Quillkit loads at startup:\n"
        "- before rendering\n- after saving\n\nQuillkit plugins live in one folder.\n\n"
        "## Snapshots\n\nSnapshots record the state of a Quillkit page:\n\n```\nqk snap\n```\n\n"
        "Snapshots can be restored.\n"
    )
    listed = _one(lesson, "Quillkit plugins")
    assert listed.kept
    assert _body(listed) == (
        "Quillkit plugins are modules that Quillkit loads at startup:\n\n"
        "- before rendering\n- after saving"
    )
    coded = _one(lesson, "Snapshots")
    assert coded.kept
    assert _body(coded) == "Snapshots record the state of a Quillkit page."


def test_a_lower_case_term_needs_the_lesson_to_title_it_and_use_it_again() -> None:
    titled = "# L\n\n## Pods\n\nA pod is the smallest deployable unit. Every pod gets an IP.\n"
    candidate = _one(titled, "pod")
    assert candidate.kept
    assert "term-in-heading" in _signals(candidate)
    untitled = (
        "# L\n\n## Results\n\nThe outcome is a report for the team. The outcome goes out weekly.\n"
    )
    dropped = _one(untitled, "outcome")
    assert not dropped.kept
    assert dropped.reason.endswith("in-running-prose")


def test_a_term_ending_in_ss_is_titled_by_its_plural_heading() -> None:
    lesson = (
        "# L\n\n## Processes\n\nFirst, some history.\n\nA process is a running copy of a"
        " program. Every process has an ID.\n"
    )
    candidate = _one(lesson, "process")
    assert candidate.kept and "term-in-heading" in _signals(candidate)


def test_a_title_case_phrase_is_a_name_and_so_is_one_opening_with_a_name() -> None:
    lesson = (
        "# L\n\n## Clouds\n\nAmazon Web Services is the largest cloud provider today.\n\n"
        "Grafana panels are the boxes on a dashboard. We open Grafana daily.\n\n"
        "Cloud costs are the sum of every bill. We open the Cloud console to cut cloud spend.\n"
    )
    aws = _one(lesson, "Amazon Web Services")
    assert aws.kept
    assert any(s.name == "term-is-name" and s.detail == "title case" for s in aws.signals)
    panels = _one(lesson, "Grafana panels")
    assert panels.kept
    assert any(s.detail == "opens with Grafana" for s in panels.signals)
    costs = _one(lesson, "Cloud costs")  # `cloud` is written in lower case too: no name
    assert not costs.kept


def test_an_emphasised_or_linked_term_opening_a_sentence_or_clause_is_marked() -> None:
    lesson = (
        "# L\n\n## Basics\n\nA *container* is a running copy of an image. In our cluster,"
        " a **pod** is the smallest unit we deploy.\n\n"
        "[Helm](https://helm.sh) is the package manager we use.\n\n"
        "We like a *fast* build, which is a good thing.\n"
    )
    container, pod = _one(lesson, "container"), _one(lesson, "pod")
    assert container.kept and pod.kept
    assert "term-emphasised" in _signals(container) and "term-emphasised" in _signals(pod)
    assert pod.source.line == 5
    helm = _one(lesson, "Helm")
    assert helm.shape == "prose-sentence"
    assert "term-emphasised" not in _signals(helm)
    assert _about(lesson, "fast") == []


def test_a_linked_word_may_open_a_longer_term() -> None:
    lesson = (
        "# L\n\n## Stores\n\n### Column stores\n\n[Column](https://example.org/c) stores keep"
        " each column together on disk. Column stores scan fast.\n"
    )
    candidate = _one(lesson, "Column stores")
    assert candidate.kept and "names-its-section" in _signals(candidate)
    assert isinstance(candidate.item, Definition)
    assert candidate.item.term == "Column stores"  # the link's text, not the link


def test_an_emphasised_subject_opening_the_sentence_takes_any_verb() -> None:
    lesson = (
        "# L\n\n## Asset Bundles\n\nA **asset bundle** (bundle) packages the compiled code"
        " with its assets. Every asset bundle is signed.\n\n"
        "## Runners\n\nA **runner** is your worker for each job. Each runner is fresh.\n\n"
        "The team launched the **Orbit Project** (Open Runner Bundles) to share them.\n\n"
        "A **stray flag** breaks the build.\n\n"
        "## Runner Pools\n\nA **runner pool** (from lab 2) runs every runner we have. Each runner"
        " pool is shared.\n"
    )
    bundle = _one(lesson, "asset bundle")
    assert bundle.kept and bundle.shape == "prose-sentence"
    assert {"emphasised-subject", "term-emphasised"} <= _signals(bundle)
    assert "body-defines" not in _signals(bundle)  # any verb: the term's place decides
    assert _one(lesson, "runner").kept  # `is your ...`: no article, still its subject
    # Bold inside a sentence about something else only stresses a word.
    assert not [c for c in _about(lesson, "Orbit Project") if c.shape == "prose-sentence"]
    # The subject, said once and in no heading: too little evidence.
    assert not _one(lesson, "stray flag").kept
    # An aside that points elsewhere is no name of the term: not its subject's sentence.
    assert not [c for c in _about(lesson, "runner pool") if c.kept]


def test_italics_opening_a_sentence_mark_its_subject_without_an_article() -> None:
    lesson = (
        "# L\n\n## Model Drift\n\nSome models age badly.\n\n*Drift* creeps in as live data"
        " moves away from the data a model learned. We watch for drift weekly.\n\n"
        "**Batching** helps too.\n"
    )
    drift = _one(lesson, "Drift")
    assert drift.kept and drift.shape == "prose-sentence"
    assert {"emphasised-subject", "term-emphasised"} <= _signals(drift)
    # Bold without an article is the bold shapes' candidate, not a prose sentence's.
    assert not [c for c in _about(lesson, "Batching") if c.shape == "prose-sentence"]


def test_a_hedging_adverb_between_the_copula_and_its_article_still_defines() -> None:
    lesson = (
        "# L\n\n## Tensors\n\nA tensor is simply a grid of numbers with any number of axes."
        " Each tensor has a shape.\n"
    )
    tensor = _one(lesson, "tensor")
    assert tensor.kept
    assert any(s.name == "in-running-prose" and s.detail == "is a" for s in tensor.signals)


def test_a_sentence_that_names_its_term_last_takes_the_one_it_is_about() -> None:
    lesson = (
        "# L\n\n## Packaging\n\nWe bundle an app and all it needs into one unit. This is called"
        " *containerization*.\n\nThe handler is called once per request.\n"
    )
    candidate = _one(lesson, "containerization")
    assert candidate.kept
    assert _body(candidate) == (
        "We bundle an app and all it needs into one unit. This is called *containerization*."
    )
    assert not _one(lesson, "once per request").kept  # no name, not used again


def test_the_sentence_before_joins_the_back_only_when_the_defining_one_refers_back() -> None:
    """`refers-back`: a sentence that opens with a pronoun or a demonstrative (`Such a ...`,
    `The latter ...`, `They ...`), or has no subject (`Also called ...`), takes the one before
    it along; after a lead-in (`You may have noticed ...`) a sentence that opens otherwise
    (`As ...`, `The ...`, `We ...`) is the whole back. The key and the line stay the defining
    sentence's."""
    lesson = (
        "# L\n\n## Sampling\n\nWe draw one marble at a time from the jar. Such a draw is called"
        " a **trial**.\n\nYou may have noticed that the tallies are stepped. As we add more"
        " draws, the tallies settle on the true share (also called **frequency**).\n\nLet's"
        " look at the spread. The value s is called **deviation**, and it grows with noise."
        "\n\nWe tried two jars, one sealed and one open. The latter is known as **an open"
        " draw**.\n\nEach test of a jar ends in a note. They are kept in sections called"
        ' "ledgers".\n\nWe keep the jar on a high shelf. Also called the **loft**.\n'
    )
    joined = {
        "trial": "We draw one marble at a time from the jar. Such a draw is called a **trial**.",
        "open draw": "We tried two jars, one sealed and one open. The latter is known as **an open"
        " draw**.",
        "ledgers": 'Each test of a jar ends in a note. They are kept in sections called "ledgers".',
        "loft": "We keep the jar on a high shelf. Also called the **loft**.",
    }
    alone = {
        "frequency": "As we add more draws, the tallies settle on the true share (also called"
        " **frequency**).",
        "deviation": "The value s is called **deviation**, and it grows with noise.",
    }
    for term, back in (*joined.items(), *alone.items()):
        candidate = _one(lesson, term)
        assert candidate.kept
        assert _body(candidate) == back
        assert ("refers-back" in _signals(candidate)) == (term in joined)
        assert candidate.source.line == lesson[: lesson.index(back)].count("\n") + 1


def test_a_marked_term_called_without_a_copula_is_named_last() -> None:
    """`a method called **X**`, `so-called **X** - ...`, `was called **X**,` name a term the
    author marks (`marked-as-called`); unmarked, or not closing its clause, nothing is named."""
    lesson = (
        "# L\n\n## Relays\n\nWe tune relays with a method called **slow start**. It raises"
        " the rate step by step.\n\nEarly relays used so-called **drop tables** - lists of"
        " routes to skip.\n\nThe first such network was called *Relaynet*, and it ran for"
        " years.\n\nWe ran a script called warmup on each host.\n\nOur tool called **sweep**"
        " clears queues.\n"
    )
    for term in ("slow start", "drop tables", "Relaynet"):
        candidate = _one(lesson, term)
        assert candidate.kept
        assert "marked-as-called" in _signals(candidate)
    terms = {c.text for c in _candidates(lesson)}
    assert not terms & {"warmup", "sweep"}


def test_a_word_linked_to_the_lessons_glossary_page_is_a_term_wherever_it_stands() -> None:
    """`[widget](reference#widget)`, `[sprockets](../glossary.html#sprocket)`: the author links
    the word to its entry in the lesson's glossary (`links-glossary`), whatever the verb; not a
    link to another site, to a heading of the page, or to a neighbour's entry."""
    lesson = (
        "# L\n\n## Parts\n\nWe keep each part in a [widget]({{ page.root }}/reference#widget)"
        " until the line needs it.\n\nThe belt moves [sprockets](../glossary.html#sprocket) one"
        " by one.\n\nEach stage [turns](reference/#turning) the belt once.\n\nA clamp holds"
        " the [gear](https://example.com/reference#gear) still.\n\nRead about the"
        " [frame](#frame) below.\n"
    )
    for term in ("widget", "sprockets"):
        candidate = _one(lesson, term)
        assert candidate.kept and candidate.shape == "prose-sentence"
        assert "links-glossary" in _signals(candidate)
    assert not {c.text for c in _candidates(lesson)} & {"turns", "gear", "frame"}


def test_a_code_span_opening_a_sentence_with_a_verb_after_it_is_a_term() -> None:
    """`` `frob` tells ...``, ``The `--dry` option prints ...``, ``The function `stitch()` joins
    ...``: a code span as the subject, its kind beside it at most, then a verb in -s with an
    object (`code-subject`). A plural noun (`` `knit` variations (...)``), a modal (`` `web` can
    reach ...``) or a verb with nothing after it is no such sentence, and a file name is a file
    to read, as in a command list."""
    lesson = (
        "# L\n\n## Loading rows\n\nThe loader reads a file. `frob` tells the loader to skip"
        " empty rows.\n\nThe `--dry` option prints each row it would load.\n\nThe function"
        " `stitch()` joins two tables into one.\n\nThe `knit` variations (short, long) differ."
        "\n\n`web` can reach `db` at its name.\n\n`purl` works.\n\n`NOTES.md` keeps the"
        " team's remarks.\n"
    )
    for term in ("frob", "--dry", "stitch()"):
        candidate = _one(lesson, term)
        assert candidate.kept and candidate.shape == "prose-sentence"
        assert "code-subject" in _signals(candidate)
    assert not {c.text for c in _candidates(lesson)} & {"knit", "web", "purl"}
    assert not any(c.kept for c in _about(lesson, "NOTES.md"))  # a file to read: `term-is-file`


def test_the_kind_beside_a_code_subject_is_no_part_of_its_term() -> None:
    """``The `.tally()` command allows you to ...``, ``The `spin` function is ...``: the word
    after the code says what kind of code it is (`kind-left-off`); the term is the code alone,
    so the sentence and one that names the same code elsewhere make one term, not two. Another
    word after the code (`` `spin` output``) is part of the term."""
    lesson = (
        "# L\n\n## Counting\n\nThe `.tally()` command allows you to count rows by group.\n\n"
        "The `spin` function is a helper that turns rows around.\n\n"
        "The `spin` output is a table that lists each row once.\n"
    )
    for term in (".tally()", "spin"):
        candidate = _one(lesson, term)
        assert "kind-left-off" in _signals(candidate)
    texts = {c.text for c in _candidates(lesson)}
    assert not texts & {".tally() command", "spin function"}
    assert "spin output" in texts


def test_a_paragraph_opening_with_a_generic_subject_defines_it() -> None:
    """`A sprocket is just a wheel ...` as a paragraph's or a list item's first sentence: the
    indefinite article names the term in general (`generic-subject`), enough with a defining
    predicate though the term is said once (`A flywheel means that ...`). The same sentence
    inside a paragraph, or after `The`, is about one thing the text already spoke of and stays
    below the threshold."""
    lesson = (
        "# L\n\n## Gears\n\nWe build a small machine today.\n\nA sprocket is just a wheel"
        " with teeth that grip a chain.\n\n- A cog is a tooth that meshes with a gear\n- Two"
        " more\n\nOur machine has wheels. A ratchet is a wheel that turns one way.\n\nThe"
        " pawl is the part that holds it.\n\nEach sprocket has a cog; each ratchet a pawl.\n\n"
        "A flywheel means that the shaft keeps turning when the motor stops.\n"
    )
    _assert_kept_by(lesson, ("sprocket", "cog", "flywheel"), "generic-subject")
    for term in ("ratchet", "pawl"):
        candidate = _one(lesson, term)
        assert not candidate.kept and "generic-subject" not in _signals(candidate)


def test_a_sentence_about_the_word_itself_defines_it() -> None:
    """`Drift is defined as ...`, `... is called backflow`: a predicate that says what the word
    means, or names it, speaks of the term itself (`says-what-it-means`), enough with a term the
    lesson uses again; a predicate about the thing (`is the part that ...`) is not."""
    lesson = (
        "# L\n\n## Pipes\n\nOur plant moves water.\n\nFlow drift is defined as a slow change in"
        " the flow rate.\n\nWater can run the wrong way. In our plant this is called backflow."
        "\n\nThe valve is the part that stops it.\n\nWe log flow drift, backflow and each"
        " valve daily.\n"
    )
    _assert_kept_by(lesson, ("Flow drift", "backflow"), "says-what-it-means")
    assert not _one(lesson, "valve").kept


def test_a_step_word_after_an_article_opens_a_noun_phrase() -> None:
    """`A test rig is ...`: an article right before the term makes its first word a noun's
    modifier, not an imperative (`term-is-step` spares it); a term the sentence links to its
    glossary entry carries `links-glossary` though the defining sentence finds it first; and an
    italic lead-in ending in a stop is a sentence of its own, not part of the card's back."""
    lesson = (
        "# L\n\n## Checking\n\n1.  *Compare to a rig.*\n    A [test rig](../reference#test-rig)"
        " is something whose results are trusted.\n\nWe build one test rig per bench.\n\n"
        "**Test the build**: run it twice.\n"
    )
    rig = _one(lesson, "test rig")
    assert rig.kept and "links-glossary" in _signals(rig)
    assert _body(rig).startswith("A [test rig]")
    assert not any(c.kept for c in _about(lesson, "Test the build"))


def test_a_word_pointing_elsewhere_in_the_text_is_no_term() -> None:
    """`Below is a sample ticket.`: the sentence points to what follows and its subject comes
    after the verb, so its first word, though the lesson writes it capitalised again, is no
    term (`term-is-lead-in`); a sentence about a real subject is still kept."""
    lesson = (
        "# L\n\n## Tickets\n\nA ticket is a record of one request to the help desk.\n\n"
        "Below is a sample ticket from the queue.\n\n```\nid: 7\n```\n\n"
        "See Below for more. Below is the reply that closed it.\n\nEach ticket has an owner.\n"
    )
    below = _about(lesson, "Below")
    assert below and not any(c.kept for c in below)
    assert "term-is-lead-in" in _signals(below[0])
    assert _one(lesson, "ticket").kept


@pytest.mark.parametrize(
    ("sentence", "term", "opener"),
    [
        (
            "Since Quill is a compiler, you cannot load it with one script tag.",
            "Since Quill",
            "since",
        ),
        ("Because Quill is the tool in our example, we run it first.", "Because Quill", "because"),
    ],
)
def test_a_subordinate_clause_opening_the_sentence_holds_no_term(
    sentence: str, term: str, opener: str
) -> None:
    """`Since Quill is a compiler, ...`: the words after a clause opener are no term
    (`term-is-lead-in`, detail: the opener), however often the lesson names them; a name that
    opens with `While` (`While loops`) is not taken for one."""
    lesson = (
        f"# L\n\n## Setup\n\n{sentence} Quill builds the page.\n\n"
        "While loops are statements that repeat a block until a test fails.\n"
    )
    found = _about(lesson, term)
    assert found and not any(c.kept for c in found)
    assert [s.detail for s in found[0].signals if s.name == "term-is-lead-in"] == [opener]
    assert "term-is-lead-in" not in _signals(_one(lesson, "While loops"))


def test_a_sentence_that_defines_a_term_beats_an_earlier_link_to_its_glossary_entry() -> None:
    """A link to the glossary page only points at the entry; the sentence that says what the
    term is makes the card, though it comes later. Without such a sentence the link keeps it."""
    lesson = (
        "# L\n\n## Parts\n\nThe frame holds a [widget](../reference.html#widget) and a"
        " [gasket](../reference.html#gasket).\n\nA widget is a small part that turns a"
        " gear.\n\nEach widget needs oil.\n"
    )
    widgets = _about(lesson, "widget")
    assert [c.source.line for c in widgets if c.kept] == [7]
    assert [c.reason for c in widgets if not c.kept] == ["defined at line 7"]
    assert _one(lesson, "gasket").kept


def test_a_code_span_the_sentence_calls_a_function_or_a_method_is_a_term() -> None:
    """``we can use the `tally` function to ...``, ``the method `.trim()` drops ...``: a code span
    named as one function or method anywhere in a sentence is a term (`code-kind`); not a list
    of them (`functions`), another kind (`command`), nor a function the lesson's own code
    defines, an example it writes (`code-defined-here`)."""
    lesson = (
        "# L\n\n## Counting\n\nTo count the rows we can use the `tally` function directly."
        "\n\nBlank cells go away when the method `.trim()` runs first.\n\nWe can call the"
        " `wrap` and `unwrap` functions too.\n\nThe shell has the `ls` command for that.\n\n"
        "~~~\ndef smooth(rows):\n    return rows\n~~~\n\nNow we call the `smooth` function"
        " on each file.\n"
    )
    _assert_kept_by(lesson, ("tally", ".trim()"), "code-kind")
    smooth = _one(lesson, "smooth")
    assert not smooth.kept and "code-defined-here" in _signals(smooth)
    assert not {c.text for c in _candidates(lesson)} & {"wrap", "unwrap", "ls"}


def test_a_function_the_lessons_code_defines_is_no_term_whatever_the_sentence_says() -> None:
    """The lesson's own helpers, however its code defines them (`function`, a Ruby `def` with
    no parameters, a name bound to an arrow function), are examples, not tools to learn
    (`code-defined-here`), also when the sentence says what the code does (`code-subject`);
    a library's function the lesson only calls is still a term."""
    lesson = (
        "# L\n\n## Helpers\n\n```js\nconst tripleIt = (n) => n * 3;\n"
        "function fetchRows(url) {\n  return get(url);\n}\n```\n\n"
        "```ruby\ndef close_ticket\n  @open = false\nend\n```\n\n"
        "`tripleIt` takes a number and returns three times it. We call `tripleIt` twice.\n\n"
        "The `fetchRows` function loads the rows. Then `fetchRows` runs again.\n\n"
        "The `close_ticket` method marks the ticket done. We test `close_ticket` too.\n\n"
        "`JSON.parse` turns a string into an object. We use `JSON.parse` often.\n"
    )
    for name in ("tripleIt", "fetchRows", "close_ticket"):
        helper = _one(lesson, name)
        assert not helper.kept and "code-defined-here" in _signals(helper), name
    assert _one(lesson, "JSON.parse").kept


def test_a_name_the_lessons_code_binds_is_no_term_but_a_name_it_only_uses_is() -> None:
    """A variable the example code assigns, a loop's variable, a name after `with ... as`, and
    a file or folder it makes, writes or enters are the example's own (`code-defined-here`),
    whatever the sentence says they do; a library's name the code only calls or imports, a
    name in capitals (the environment's), and an option a settings file assigns stay terms."""
    lesson = (
        "# L\n\n## Tallying\n\n```python\nfrom collections import Counter\n"
        "tally_by_word = {}\nfor chunk in chunks:\n    tally_by_word[chunk] = len(chunk)\n"
        'with open("tally.txt", "w") as sink:\n    sink.write(json.dumps(tally_by_word))\n'
        "```\n\n```bash\nmkdir ledger-files\ncd ledger-files\nPATH=$PATH:~/bin\n```\n\n"
        "```toml\nwrap_width = 80\n```\n\n"
        "`tally_by_word` holds every word with its count. We print `tally_by_word` at the end."
        "\n\n`chunk` takes each piece of the text in turn. Each `chunk` is short.\n\n"
        "`sink` receives the text as it is written. We close `sink` after.\n\n"
        "The folder `ledger-files` holds the downloaded pages. We list `ledger-files` too.\n\n"
        "`json.dumps` turns an object into a string. We use `json.dumps` again.\n\n"
        "`Counter` counts the items of any list. We import `Counter` once.\n\n"
        "`PATH` lists the folders the shell searches. We print `PATH` to check.\n\n"
        "`wrap_width` sets how long a line may be. We raise `wrap_width` later.\n"
    )
    for name in ("tally_by_word", "chunk", "sink", "ledger-files"):
        example = _one(lesson, name)
        assert not example.kept and "code-defined-here" in _signals(example), name
    for name in ("json.dumps", "Counter", "PATH", "wrap_width"):
        assert _one(lesson, name).kept, name


def test_a_sentence_names_every_term_it_calls() -> None:
    """A sentence that defines its subject, or names one term, may name a second; a symbol
    after the term and a closing parenthesis end the name as a full stop does."""
    lesson = (
        "# L\n\n## Relays\n\nA relay is a node that forwards frames, so-called **hops**."
        "\n\nThis store is also called **cold storage**, because it keeps a copy of what we know"
        " - the so-called *snapshot*.\n\nThe values *u* and *v* are called **weights** &omega;="
        "(u, v). We tune them.\n\nRelays run any ordered task (which is also called"
        " **piping**).\n"
    )
    for term in ("hops", "cold storage", "snapshot", "weights", "piping"):
        assert _one(lesson, term).kept, term
    assert "marked-as-called" in _signals(_one(lesson, "snapshot"))
    assert _one(lesson, "relay").kept


def test_a_name_given_after_called_is_bounded_by_its_marks() -> None:
    """A closing parenthesis ends a marked name as a full stop does (`(so-called **bins**)`); an
    article inside the marks is no part of the name (`known as **the rule of small
    gears**`), which the marks bound however long; and a link after `is called` marks the name
    as bold would (`term-emphasised`, detail `link`)."""
    lesson = (
        "# L\n\n## Gears\n\nWe sort the parts into intervals (so-called **bins**), and count"
        " each one.\n\nSmall gears wear faster than large ones. This is known as **the rule of"
        " small gears**.\n\nA wheel like this is called a [ratchet](https://example.org/r).\n\n"
        "Then the plant stops (which we call a **halt** on purpose).\n"
    )
    for term in ("bins", "rule of small gears", "ratchet"):
        assert _one(lesson, term).kept, term
    ratchet = _one(lesson, "ratchet")
    assert any(s.name == "term-emphasised" and s.detail == "link" for s in ratchet.signals)
    assert not _about(lesson, "halt")  # `we call` is no `called`: nothing is named


def test_a_link_marks_a_term_as_bold_does() -> None:
    """A reference link opening a sentence names its term as an inline link does (`[Gizmo
    Make][gm] is a ...`), and a link or quotes after `called` mark the name the sentence gives
    (`term-emphasised`, detail `link` or `quotes`), as bold would; quotes close the name, so any
    word may follow. A plain word after `called` is no such name."""
    lesson = (
        "# L\n\n## Tools\n\n[Gizmo Make][gm] is a build tool for small shops.\n\nThe kit"
        " ships a package manager called [crate](https://example.org/crate),\nwhich installs"
        " parts. We use crate daily.\n\nIt also has a helper called spool, which we skip.\n\n"
        'The frame holds parts called "spindles" that turn the belt. Each spindle wears out.'
        "\n\n[gm]: https://example.org/gm\n"
    )
    assert _one(lesson, "Gizmo Make").kept
    for term, how in (("crate", "link"), ("spindles", "quotes")):
        found = _one(lesson, term)
        assert found.kept, term
        assert any(s.name == "term-emphasised" and s.detail == how for s in found.signals)
    assert not any(c.kept for c in _about(lesson, "spool"))


def _assert_glossed(lesson: str, term: str, how: str, mark: str) -> None:
    """`term` is kept as `named-by-gloss` (detail `how`), marked as `mark` says (`""`: bold
    or italics; `link`), with the description on its back."""
    candidate = _one(lesson, term)
    assert candidate.kept, term
    assert any(s.name == "named-by-gloss" and s.detail == how for s in candidate.signals)
    assert any(s.name == "term-emphasised" and s.detail == mark for s in candidate.signals)
    assert _body(candidate) != term  # the back holds the description


def test_a_marked_term_named_by_a_gloss() -> None:
    """`named-by-gloss`: a bold or italic term named in parentheses after its description, set
    in apposition, followed by `, which` / `, whose` / `, i.e.` or by a dash and a noun phrase."""
    lesson = (
        "# L\n\n## Routing\n\nA router may keep the route it knows best (**greedy mode**) or"
        " try routes it never took (**probing**).\n\nTwo nodes share the work: one node, the"
        " **sender**, packs frames, while the other, the **receiver**, unpacks them.\n\nEach"
        " frame carries a **checksum**, which lets the receiver spot damage. We check it early."
        "\n\nThe router aims at the **target** - the node a frame must reach.\n\nWe also"
        " keep a **ledger**, whose rows list every frame sent.\n\nMost teams use a **relay"
        " shell**, i.e. a tool built to host relays.\n"
    )
    glossed = (
        ("greedy mode", "parenthesised"),
        ("probing", "parenthesised"),
        ("sender", "apposition"),
        ("receiver", "apposition"),
        ("checksum", "which"),
        ("target", "dash"),
        ("ledger", "which"),
        ("relay shell", "which"),
    )
    for term, how in glossed:
        _assert_glossed(lesson, term, how, "")
    assert "lets the receiver spot damage" in _body(_one(lesson, "checksum"))


def test_emphasis_without_a_gloss_names_nothing() -> None:
    """Stress (`**not**`, `is **empty**, which ...`), a term that glosses a name before it,
    and a gloss inside a sentence a bold term opens make no `named-by-gloss` candidate."""
    lesson = (
        "# L\n\n## Routing\n\nA router does **not** resend frames. The queue is **empty**,"
        " which means we wait. The frame is *lost* - a thing we log."
        "\n\nA good tool is [Relayd](https://example.org) - a **frame router**, which runs on"
        " every host.\n\n- **Fairness** is about *skewed routes*, which come from bad maps.\n"
    )
    named = [c for c in _candidates(lesson) if "named-by-gloss" in _signals(c)]
    # Only the link the sentence names after describing it (`A good tool is [Relayd]`: see
    # test_a_link_the_sentence_names_after_describing_it), not the gloss of that name.
    assert [c.text for c in named] == ["Relayd"], [(c.text, c.reason) for c in named]


def test_a_linked_term_named_by_a_gloss() -> None:
    """`named-by-gloss` with `term-emphasised` (detail `link`): a link marks the term as bold
    does, inline, as a reference or in bold, before `, which` or a dash; and before an
    appositive `, a/an <noun phrase>` (`appositive`). The front is the link's text, the back
    the sentence."""
    lesson = (
        "# L\n\n## Routing\n\nBefore you start, install [Quillpack](https://example.org/q),"
        " a set of routing tools we use in every lab.\n\nThe map splits into"
        " [relay cells](https://example.org/cells), which hold one seed each.\n\nWe plan"
        " each hop with **[hop folding](https://example.org/fold)**, which merges short hops."
        "\n\nThe counts go to [Tallyhub][tally] - a service that sums frames per node.\n\n"
        "[tally]: https://example.org/tally\n"
    )
    glossed = (
        ("Quillpack", "appositive"),
        ("relay cells", "which"),
        ("hop folding", "which"),
        ("Tallyhub", "dash"),
    )
    for term, how in glossed:
        _assert_glossed(lesson, term, how, "link")
        assert term in _body(_one(lesson, term))  # the link shows its text
    assert "a set of routing tools" in _body(_one(lesson, "Quillpack"))


def test_a_link_the_sentence_names_after_describing_it() -> None:
    """`named-by-gloss` (`described`): a sentence that describes a thing of a kind, then names
    it by a link closing the clause (`A good tool for X is [Y](...).`). Not `is a [Y]`, which
    says what kind the subject is. A sentence that says what the linked thing is (`Y is a
    ...`), later, is its card."""
    lesson = (
        "# L\n\n## Routing\n\nA handy tool for tracing frames is [Hopwire](https://example.org/h)."
        " We use it below.\n\nThe router is a [switchbox](https://example.org/s).\n\n"
        "One queue that suits small labs is the [Quebox](https://example.org/q) - it starts"
        " fast.\n\nQuebox is a broker that keeps frames on disk until a node reads them.\n"
    )
    _assert_glossed(lesson, "Hopwire", "described", "link")
    assert not _about(lesson, "switchbox")
    quebox = [c for c in _about(lesson, "Quebox") if c.kept]
    assert len(quebox) == 1 and "keeps frames on disk" in _body(quebox[0])


def test_an_appositive_after_bold_or_a_linked_file_names_nothing() -> None:
    """Only a link takes the appositive `, a/an ...`: after bold it opens the main clause
    (`in case of a **split**, a cluster must ...`) or glosses two words at once (`a **stone**
    or **moss**, a place ...`). A linked file (`[`board.py`](...), which holds ...`) is
    code to read (`term-is-file`)."""
    lesson = (
        "# L\n\n## Routing\n\nIn case of a **split**, a routing cluster must pick a side."
        "\n\nThe board shows a **stone** or **moss**, a place where the walker rests.\n\n"
        "There is a module, [`board.py`](https://example.org/board.py), which holds the"
        " board's code.\n"
    )
    assert not _about(lesson, "split")
    assert not _about(lesson, "moss")
    assert not any(c.kept for c in _about(lesson, "board.py"))
    assert any(c.reason == "term-is-file" for c in _about(lesson, "board.py"))


def test_a_term_marked_inside_a_sentence_under_a_heading_about_it() -> None:
    """`marked-in-sentence`: bold inside a sentence about something else introduces the term
    when the section it stands in (or one above it) is titled by it, each item of a heading
    after a comma or `and` one subject; the card's back is the sentence, and the next one
    when it opens by pointing back at the term (`said-after`)."""
    lesson = (
        "# L\n\n## Tides and Swell\n\nSailors plan around the **swell**. It is the long wave"
        " a distant storm sends. The swell decides when the boats leave port.\n\n"
        "### Ebb, Flood and Slack\n\nTwice a day the harbour sees an **ebb**, when the sea"
        " drains out of the bay, and a **flood** brings it back.\n\nWatch the ebb and the flood"
        " from the pier.\n"
    )
    swell = _one(lesson, "swell")
    assert swell.kept and swell.shape == "prose-sentence"
    assert any(
        s.name == "marked-in-sentence" and s.detail == "Tides and Swell" for s in swell.signals
    )
    assert any(s.name == "said-after" and s.detail == "It" for s in swell.signals)
    assert _body(swell) == (
        "Sailors plan around the **swell**. It is the long wave a distant storm sends."
    )
    for term in ("ebb", "flood"):
        candidate = _one(lesson, term)
        assert candidate.kept, term
        assert "said-after" not in _signals(candidate)
        assert "drains out of the bay" in _body(candidate)


def test_a_headings_own_description_keeps_its_card_over_bold_inside_its_paragraph() -> None:
    """`### The Tide Table (Harbour Log)` over a paragraph that marks `**Tide Table**`: the
    heading's description (`paragraph-marks-term`) is the term's card, and the bold inside
    the sentence, a `marked-in-sentence` candidate too, yields to it (`defined-elsewhere`)."""
    lesson = (
        "# L\n\n## Planning\n\n### Tide Table (Harbour Log)\n\nThe harbour master keeps the"
        " **Tide Table** for every boat that leaves.\n\nSkippers read the Tide Table daily.\n"
    )
    found = _about(lesson, "Tide Table")
    kept = [c for c in found if c.kept]
    assert len(kept) == 1 and kept[0].shape == "heading-description", found
    marked = [c for c in found if "marked-in-sentence" in _signals(c)]
    assert marked and "defined-elsewhere" in _signals(marked[0])


def test_bold_inside_a_sentence_under_no_heading_about_it_stresses() -> None:
    """Bold inside a sentence whose sections' headings do not name it, a word a heading only
    qualifies (`Harbour` of `Harbour Rules`), and a term marked a second time make no
    `marked-in-sentence` candidate: bold there only stresses a word."""
    lesson = (
        "# L\n\n## Harbour Rules\n\nBoats must **never** moor at the **harbour** wall. The"
        " **pilot** boards every ship, and the pilot checks the **harbour** charts.\n\n"
        "## Pilots\n\nThe harbour hires a new **pilot** each spring. The pilot learns fast.\n"
    )
    marked = [c for c in _candidates(lesson) if "marked-in-sentence" in _signals(c)]
    assert not marked, [(c.text, c.reason) for c in marked]


def test_a_term_named_last_may_open_with_a_word_in_ing() -> None:
    # A subject that opens with a gerund is an action (`Pushing code is ...`); a term the
    # sentence names is a noun phrase (`learning rate`, `training set`).
    lesson = (
        "# L\n\n## Learning Rate\n\nThe size of each update step is known as the learning"
        " rate. Tune the learning rate first.\n"
    )
    candidate = _one(lesson, "learning rate")
    assert candidate.kept
    assert "body-defines" in _signals(candidate)


def test_a_plural_without_an_article_defines_with_a_relative_clause() -> None:
    lesson = (
        "# L\n\n## Running pods\n\nPods are groups of containers that share a network. Each pod has"
        " an IP.\n\nLogs are crucial tools that help debugging. We read Logs daily.\n"
    )
    assert _one(lesson, "Pods").kept
    singular = (
        "# L\n\n## Workloads\n\nPods are groups of containers that share a network. Each pod"
        " runs until the pod ends.\n"
    )
    pods = _one(singular, "Pods")
    assert any(s.name == "term-recurs" and s.detail == "singular" for s in pods.signals)
    logs = _one(lesson, "Logs")
    assert not logs.kept
    assert "evaluative-predicate" in _signals(logs)


def test_that_before_the_last_word_points_and_opens_no_clause() -> None:
    lesson = (
        "# L\n\n## Brokers\n\nEvery broker keeps Relays. Relays are thus measured by the"
        " distance to that broker.\n\nWe watch our Relays.\n"
    )
    assert not any(candidate.kept for candidate in _about(lesson, "Relays"))
    clause = lesson.replace("distance to that broker", "worker that drains them")
    assert _one(clause, "Relays").kept


def test_an_aside_between_the_term_and_the_verb_is_passed_over() -> None:
    lesson = (
        "# L\n\n## Nodes\n\nThe Kubelet, which runs on every node, is an agent that starts"
        " pods.\n\nIt reports to the API server, and every Kubelet has a port.\n\n"
        "Helm, also known as the chart tool, is a package manager. We use Helm.\n"
    )
    candidate = _one(lesson, "Kubelet")
    assert candidate.kept
    assert _one(lesson, "Helm").kept


def test_refers_to_and_stands_for_define_without_an_article() -> None:
    lesson = (
        "# L\n\n## Terms\n\nThroughput refers to requests served per second. We track"
        " Throughput daily.\n\nTTL stands for time to live.\n"
    )
    assert _one(lesson, "Throughput").kept
    assert _one(lesson, "TTL").kept


def test_occurs_when_defines_an_event_by_its_condition() -> None:
    lesson = (
        "# L\n\n## Cache Faults\n\nA cache fault occurs when no stored layer matches the step."
        " Every cache fault costs a rebuild.\n\nAn OOMKill happens when memory runs out.\n"
    )
    miss = _one(lesson, "cache fault")
    assert miss.kept
    assert any(s.name == "body-defines" and s.detail == "occurs when" for s in miss.signals)
    assert _one(lesson, "OOMKill").kept


def test_a_name_that_lets_you_do_something_says_what_it_does() -> None:
    lesson = "# L\n\n## Tools\n\nHelm lets you install charts. We use Helm for every release.\n"
    candidate = _one(lesson, "Helm")
    assert candidate.kept
    assert "says-what-it-does" in _signals(candidate)


def test_a_judging_predicate_is_no_definition() -> None:
    lesson = "# L\n\n## Tools\n\nHelm is a great way to ship apps. Helm is everywhere.\n"
    candidate = _one(lesson, "Helm")
    assert not candidate.kept
    assert "evaluative-predicate" in _signals(candidate)


def test_sentences_without_a_term_for_a_subject_make_no_candidate() -> None:
    lesson = (
        "# L\n\n## Pushing\n\nThis is a problem. There are a few fixes. Is Docker a VM?\n\n"
        "Pushing untested code is a process bug. Histograms are the trickiest.\n\n"
        "**Docker** is a platform.\n"
    )
    shapes = [(c.text, c.shape) for c in _candidates(lesson)]
    assert shapes == [("Docker", "bold-term-sentence")]


def test_a_defining_sentence_that_opens_its_own_section_is_kept_on_that_alone() -> None:
    # Said once, in lower case: the heading it opens is the evidence that it is the term.
    lesson = (
        "# L\n\n## Words\n\n### Embeddings\n\nAn embedding is a dense vector that stands for a"
        " word.\n\n### Other\n\nThe sketch is a rough plan of the work.\n"
    )
    embedding = _one(lesson, "embedding")
    assert embedding.kept
    assert {"names-its-section", "body-defines"} <= _signals(embedding)
    # The same sentence under another heading (after `The`: `A sketch is ...` opening its
    # paragraph is kept by `generic-subject`).
    assert not _one(lesson, "sketch").kept


def test_the_first_sentence_under_a_heading_defines_its_subject_with_any_verb() -> None:
    lesson = (
        "# L\n\n## Block Storage for ML\n\nBlock storage provides fast disks for training.\n"
        "Block storage also costs more.\n\n## AWS SageMaker Deep Dive\n\n"
        "SageMaker is AWS's managed ML platform. We use SageMaker below.\n\n"
        "## Data Lakes and Warehouses\n\nData lakes hold raw data at scale. Data lakes grow.\n"
    )
    storage = _one(lesson, "Block storage")
    assert storage.kept and storage.shape == "prose-sentence"
    assert "names-its-section" in _signals(storage)
    assert _body(storage) == "Block storage provides fast disks for training."
    assert _one(lesson, "SageMaker").kept  # a frame word (`Deep Dive`) and a possessive
    assert _one(lesson, "Data lakes").kept  # a plural subject, a verb without `-s`
    # A word of the heading goes on the subject: `options` is no verb.
    options = "# L\n\n## Block Storage Options\n\nBlock storage options vary by cloud.\n"
    assert [c.text for c in _candidates(options)] == ["Block storage options"]


def test_a_sentence_under_a_heading_about_something_else_is_no_definition() -> None:
    lesson = (
        "# L\n\n## Understanding Docker Layer Caching\n\nDocker caches each layer.\n\n"
        "## Pods\n\nWe start small. Pods run containers.\n\n"
        "### Step 7 - Dead letters\n\nDead letters hold failed jobs. Dead letters expire.\n"
    )
    # A modifier of the heading's subject, a later sentence, a numbered step.
    assert [c.text for c in _candidates(lesson) if c.kept] == []


# --- acronym-expansion ---------------------------------------------------------------------


def test_an_expansion_before_or_after_the_acronym_makes_a_card_for_the_acronym() -> None:
    lesson = (
        "# L\n\n## Retrieval\n\nWe ground answers with retrieval-augmented generation (RAG).\n\n"
        "Each node has GPUs (graphics processing units) and a TTL (time to live) cache.\n"
    )
    rag = _one(lesson, "RAG")
    assert rag.kept and rag.shape == "acronym-expansion"
    assert _body(rag) == "retrieval-augmented generation"
    assert "initials-match" in _signals(rag)
    assert _body(_one(lesson, "GPU")) == "graphics processing units"
    assert _one(lesson, "TTL").source.line == 7


def test_initials_may_come_from_capitals_inside_a_word_or_a_small_word() -> None:
    lesson = (
        "# L\n\n## Storage\n\nWe mount BlockVolumes (BV) and keep a JavaSpell Object Format"
        " (JSOF) file.\n\nWe track the Total cost of ownership (TCO) too.\n"
    )
    assert _body(_one(lesson, "BV")) == "BlockVolumes"
    assert _body(_one(lesson, "JSOF")) == "JavaSpell Object Format"
    assert _body(_one(lesson, "TCO")) == "Total cost of ownership"


def test_an_en_dash_or_a_slash_joins_the_parts_of_an_expansion() -> None:
    lesson = (
        "# L\n\n## Loops\n\nWe start a Parse–Check–Run Cycle (PCRC) in the Input/Output Bus"
        " (IOB).\n"
    )
    assert _body(_one(lesson, "PCRC")) == "Parse–Check–Run Cycle"
    assert _body(_one(lesson, "IOB")) == "Input/Output Bus"


def test_parentheses_whose_initials_do_not_spell_it_are_no_expansion() -> None:
    lesson = "# L\n\n## Tools\n\nWe run Kubernetes (K8s) and PromQL (Prometheus query language).\n"
    assert [c.text for c in _candidates(lesson)] == []


def test_only_the_first_expansion_outside_objectives_is_a_candidate() -> None:
    lesson = (
        "# L\n\n## Learning Objectives\n\n- Tune the SLO (service level objective)\n\n"
        "## Targets\n\nEvery SLO (service level objective) has a budget.\n\n"
        "Again, an SLO (service level objective) is watched.\n"
    )
    found = [(c.source.line, c.kept) for c in _about(lesson, "SLO")]
    assert found == [(5, False), (9, True)]


def test_an_acronym_expanded_only_among_objectives_or_resources_is_kept_there() -> None:
    lesson = (
        "# L\n\n## Objectives\n\n- Implement Automatic Mixed Precision (AMP)\n"
        "- Tune the SLO (service level objective)\n\n## Targets\n\n"
        "Every SLO (service level objective) has a budget.\n\n## Resources\n\n"
        "1. **Certified Kube Admin (CKA)**\n   - Link: https://example.com\n\n"
        "## Quiz\n\n1. What does TTL (time to live) mean?\n"
    )
    amp = _one(lesson, "AMP")
    assert amp.kept and amp.source.line == 5
    assert "expanded-aside" in _signals(amp)
    assert _one(lesson, "CKA").kept  # a resources list
    # Expanded again in the lesson's body: that place is the card.
    assert [(c.source.line, c.kept) for c in _about(lesson, "SLO")] == [(6, False), (10, True)]
    assert not _one(lesson, "TTL").kept  # a quiz's question is the question's card


def test_an_acronym_expanded_only_in_a_links_title_is_kept_there() -> None:
    lesson = (
        "# L\n\n## Docs\n\n- [Google Kube Engine (GKE)](https://example.com/gke)\n"
        "- [Azure Kube Service (AKS)](https://example.com/aks)\n\n## Clusters\n\n"
        "We run the Azure Kube Service (AKS) in production.\n"
    )
    gke = _one(lesson, "GKE")
    assert gke.kept and gke.source.line == 5
    assert "expanded-aside" in _signals(gke)
    # Expanded again in prose: that place is the card.
    assert [(c.source.line, c.kept) for c in _about(lesson, "AKS")] == [(6, False), (10, True)]


def test_an_acronyms_card_takes_what_the_section_it_titles_says_of_it() -> None:
    lesson = (
        "# L\n\n## Contents\n\n1. [Window Relay Buffers (WRBs)](#wrbs)\n\n"
        "## 2. Window Relay Buffers (WRBs)\n\n"
        "WRBs hold frames until the relay acknowledges them. They are sized per link.\n\n"
        "## Parts\n\n- **WRBs**: buffers, one per link\n- **Relay**: forwards frames\n"
    )
    wrb = _one(lesson, "WRB")
    assert wrb.kept and wrb.source.line == 5  # the card, and so its identity, stays put
    assert _body(wrb) == (
        "Window Relay Buffers. WRBs hold frames until the relay acknowledges them."
    )
    assert any(s.name == "said-in-section" and s.detail == "line 7" for s in wrb.signals)


def test_a_section_that_opens_on_a_list_or_says_more_than_the_acronym_adds_nothing() -> None:
    lesson = (
        "# L\n\n## Contents\n\n- [Window Relay Buffers (WRBs)](#wrbs)\n"
        "- [Frame Check Codes (FCC)](#fcc)\n\n"
        "## Window Relay Buffers (WRBs)\n\nWRBs come in two sizes:\n\n- small\n- large\n\n"
        "## Tuning FCC Codes\n\nFCC codes catch flipped bits.\n\n"
        "## Frame Check Codes (FCC)\n\nLet us look at one.\n"
    )
    assert _body(_one(lesson, "WRB")) == "Window Relay Buffers"
    assert _body(_one(lesson, "FCC")) == "Frame Check Codes"


# --- acronym-pair --------------------------------------------------------------------------


def test_a_pair_that_opens_a_defining_sentence_is_the_card_with_the_sentence() -> None:
    lesson = (
        "# L\n\n## Scaling\n\nQDSs (Queue Depth Scalers) are how pods gain workers under load.\n\n"
        "- Slow Path Tracing (SPT) has become the backbone of our debugging.\n"
    )
    qds = _one(lesson, "QDS")
    assert qds.kept and qds.shape == "acronym-pair"
    assert isinstance(qds.item, Definition) and qds.item.term == "QDSs (Queue Depth Scalers)"
    assert _body(qds) == "QDSs (Queue Depth Scalers) are how pods gain workers under load."
    opens = [s.detail for s in qds.signals if s.name == "introduces-pair"]
    assert opens == ["opens the sentence"]
    # A claim about the term is no definition of it, and the front already shows the
    # expansion: the expansion stays the card.
    spt = _one(lesson, "SPT")
    assert spt.kept and spt.shape == "acronym-expansion" and _body(spt) == "Slow Path Tracing"


def test_a_pair_is_the_same_term_as_its_expansion() -> None:
    """Keyed by the acronym (a learner's `acronym-expansion` note keeps its GUID), a pair is
    still the same term as its expansion: a bold definition of it is the one card."""
    lesson = (
        "# L\n\n## Mapping\n\nOTBs (Object-Table Bridges) are a layer over tables.\n\n"
        "- **Object-Table Bridges**: the layer that maps rows to objects\n"
    )
    pair = _one(lesson, "OTB")
    assert pair.shape == "acronym-pair" and pair.reason == "defined at line 7"
    (bold,) = _about(lesson, "Object-Table Bridges")
    assert bold.kept


def test_a_pair_that_called_precedes_is_the_card_with_the_sentence() -> None:
    lesson = (
        "# L\n\n## Shells\n\nYou type commands in what is called a Type–Run–Show Loop (TRSL)."
        " It prints each result.\n"
    )
    trsl = _one(lesson, "TRSL")
    assert trsl.kept and trsl.shape == "acronym-pair"
    assert _body(trsl) == (
        "You type commands in what is called a Type–Run–Show Loop (TRSL). It prints each result."
    )
    assert {"introduces-pair", "said-after"} <= _signals(trsl)


def test_a_pair_inside_a_sentence_or_alone_in_an_item_is_an_expansion() -> None:
    lesson = (
        "# L\n\n## Scaling\n\nPods scale with the Queue Depth Scaler (QDS) at night.\n\n"
        "- Write Behind Queue (WBQ)\n\nThe Queue Depth Scaler (QDS) is tuned later.\n"
    )
    qds = _about(lesson, "QDS")
    assert [(c.shape, c.source.line) for c in qds] == [("acronym-expansion", 5)]
    assert _body(qds[0]) == "Queue Depth Scaler"
    assert _one(lesson, "WBQ").shape == "acronym-expansion"
    # Only the first pairing introduces the term.
    assert _about(lesson, "Queue Depth Scaler (QDS)") == []


# --- once per term -------------------------------------------------------------------------


def test_a_bold_definition_keeps_the_card_and_the_prose_one_names_it() -> None:
    lesson = (
        "# L\n\n## Tools\n\n- **Helm**: the package manager of Kubernetes\n\n"
        "Helm is a package manager for Kubernetes charts. We install Helm once.\n"
    )
    bold, prose = _about(lesson, "Helm")
    assert bold.kept and bold.shape == "bold-lead"
    assert not prose.kept
    assert prose.reason == "defined at line 5"
    assert "defined-elsewhere" in _signals(prose)


def test_a_term_defined_twice_in_prose_is_one_card_at_the_first() -> None:
    lesson = (
        "# L\n\n## Tools\n\nHelm is a package manager for Kubernetes.\n\n"
        "Later on: Helm is a tool that installs charts.\n\nHelm is a package manager again.\n"
    )
    found = [(c.source.line, c.kept) for c in _about(lesson, "Helm")]
    assert found == [(5, True), (9, False)]


def test_a_fuller_definition_beats_the_acronyms_bare_expansion() -> None:
    lesson = (
        "# L\n\n## Retrieval\n\nWe use retrieval-augmented generation (RAG) here.\n\n"
        "RAG is a technique that grounds answers in documents.\n"
    )
    acronym, sentence = _about(lesson, "RAG")
    assert sentence.kept and sentence.shape == "prose-sentence"
    assert not acronym.kept and acronym.reason == "defined at line 7"


def test_a_prose_sentence_with_its_acronym_is_one_card() -> None:
    lesson = (
        "# L\n\n## Retrieval\n\nRetrieval-Augmented Generation (RAG) is a technique that"
        " grounds answers.\n"
    )
    kept = [c for c in _candidates(lesson) if c.kept]
    assert [(c.text, c.shape) for c in kept] == [
        ("Retrieval-Augmented Generation", "prose-sentence")
    ]


def test_an_aside_inside_a_term_is_no_second_name() -> None:
    """`LEFT (OUTER) MERGE` and `RIGHT (OUTER) MERGE` share their aside, not their name: each
    heading keeps its card; an aside that closes the term (`Full Name (FN)`) still is one."""
    lesson = (
        "# L\n\n## Merges\n\n### LEFT (OUTER) MERGE\n\nKeeps every row of the left queue.\n\n"
        "### RIGHT (OUTER) MERGE\n\nKeeps every row of the right queue.\n"
    )
    kept = [c.text for c in _candidates(lesson) if c.kept]
    assert kept == ["LEFT (OUTER) MERGE", "RIGHT (OUTER) MERGE"]


# --- in-summary ----------------------------------------------------------------------------


def test_a_summary_bullet_that_defines_a_term_is_kept_once() -> None:
    lesson = (
        "# L\n\n## Views\n\n- **Views**: functions that answer requests\n\n## Summary\n\n"
        "- **Models** are Python classes that represent tables\n"
        "- A *migration* is a script that changes the schema\n"
        "- **Views** are functions that answer requests\n"
        "- **Admin site** - setup and use\n"
        "- Developers are the unsung heroes of the web\n"
        "- **Containers** are lightweight, fast, and isolated\n"
        "- **Caching** is a great idea for every service\n"
    )
    models, migration = _one(lesson, "Models"), _one(lesson, "migration")
    assert models.kept and migration.kept
    assert "in-summary" in _signals(models) and "in-summary" in _signals(migration)
    first, again = _about(lesson, "Views")
    assert first.kept and not again.kept
    assert again.reason == "defined at line 5"
    assert _one(lesson, "Admin site").reason == "excluded-section"
    assert _about(lesson, "Developers")[0].reason == "excluded-section"
    assert _one(lesson, "Containers").reason == "excluded-section"  # it only judges
    assert _one(lesson, "Caching").reason == "excluded-section"


@pytest.mark.parametrize(
    ("plural", "expected"),
    [
        ("Data lakes", "Data lake"),
        ("policies", "policy"),
        ("CPUs", "CPU"),
        ("GPUs", "GPU"),
        ("status", "status"),
        ("class", "class"),
        ("analysis", "analysis"),
        ("gas", "gas"),
    ],
)
def test_singular_keeps_latin_endings_and_drops_acronym_plurals(plural, expected):
    # Both callers (a section's subject, a heading's last word) compare words through this one
    # rule: a lower-cased `cpus` could not tell `CPUs` from `status`.
    assert singular(plural) == expected


def test_a_bold_lead_whose_next_words_point_back_at_it_is_explained() -> None:
    """`**X**. This ...`, `**X**, i.e. ...`, `**X**, which ...` (`bold-lead-back-reference`);
    without the pointer, `**X**. <sentence>` is a topic label and `**X**, <words>` a note."""
    lesson = (
        "# L\n\n## Relays\n\n* **Backfill**. This means replaying old events into a new"
        " store.\n* **Coalescing**, i.e. merging small writes into one.\n* **Hop limit**,"
        " which caps how far a packet travels.\n* **Cheap hosts**, rent by the hour\n"
        "* **Setting up the relay**. We start with one node.\n"
    )
    for term in ("Backfill", "Coalescing", "Hop limit"):
        candidate = _one(lesson, term)
        assert candidate.kept
        assert candidate.shape == "bold-lead-back-reference"
    assert _body(_one(lesson, "Coalescing")) == "i.e. merging small writes into one."
    terms = {c.text for c in _candidates(lesson)}
    assert not terms & {"Cheap hosts", "Setting up the relay"}


def test_a_bold_lead_closed_by_a_full_stop_is_a_sentence_of_its_own() -> None:
    # An item completing the lead-in's sentence is an aspect; `**X**. This ...` already holds
    # two sentences, so a list of such items explains its terms (`item-stands-alone`).
    lesson = (
        "# L\n\n## Relays\n\nRelays face a few problems:\n\n* **Backlog**. By this we mean a"
        " queue that never drains.\n* **Flapping**. This happens when a link goes up and down.\n"
    )
    for term in ("Backlog", "Flapping"):
        candidate = _one(lesson, term)
        assert candidate.kept
        assert "item-stands-alone" in _signals(candidate)
