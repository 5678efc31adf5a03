"""Tool entries of a resource list: a link for a term or a body that opens with a link, and
text that says what the tool is.

`**[Terraform](https://...)** - Multi-cloud IaC` and `**uv** — [docs.astral.sh/uv](...).
Modern Python package manager` point somewhere, but their text is a definition a teacher
keeps (GUIDE.md: a tool entry whose text says what the tool is). `described` turns such a
candidate, which the vetoes `term-is-resource` and `body-points-elsewhere` would drop, into one
whose term is the link's text and whose body is that description; an entry with no description,
one that only advises or judges, or one that restates its name stays vetoed. `listed_tool` lets
through a skipped section's entry that names a tool and says what it is without a link
(`- **Prometheus**: Time-series metrics database` under `## Resources`).
"""

from __future__ import annotations

import re
from dataclasses import replace

from deckgen.defaults import alternatives, defaults
from deckgen.extract.common import LIST_MARKER
from deckgen.extract.definition_signals import Found
from deckgen.extract.evidence import Signal
from deckgen.items import SourceRef
from deckgen.lesson import plain_text

_WORDS = defaults()

# Vetoes a described resource entry lifts.
LIFTED = frozenset({"term-is-resource", "body-points-elsewhere"})

_LINK = re.compile(r"\[(?P<text>[^\[\]\n]*)\]\([^()\s]*\)")
# What may stand between a leading link and the description: `. `, ` - `, `: `, ` — `.
_AFTER_LINK = re.compile(r"^[\s.,:;–—-]*")
_ADDRESS = re.compile(r"^(?:https?://|www\.)\S*\s*", re.I)
_DOCUMENTS = frozenset(_WORDS.document_words)
_SPEC = re.compile(r"^[a-z]+\d")  # `a100`, `p4d`: a machine type
_WORD = re.compile(r"\w[\w'+#.-]*")
# A description opening with one of these advises, judges or says what it is for, not what the
# tool is (`For comparison; still widely deployed`, `Read once`).
_NOT_DESCRIBING = frozenset(_WORDS.stopwords) - {"a", "an", "the"}
_INSTRUCTIONS = frozenset(_WORDS.instruction_verbs)


def described(found: Found, veto: str) -> Found | None:
    """The resource entry with its link's text for a term and its description for a body, or
    None when the veto stands."""
    if veto not in LIFTED:
        return None
    term, term_text = found.term, found.term_text
    link = _LINK.fullmatch(term.strip())
    if link is not None:
        term = term_text = link.group("text").strip()
    product = _product(term_text)
    if product:
        term = term_text = product
    first_line, _, more = found.body.strip().partition("\n")
    # Only as an item of the body's list: an address on the term's own line
    # (`- **Main Documentation**: https://...`) names a page to read.
    address_line = _ADDRESS_ITEM.match(first_line) is not None and bool(more.strip())
    if address_line:
        # `**Minikube**` / `- URL: https://...` / `- Local Kubernetes cluster`: the address is
        # where the tool lives; the line after it says what the tool is.
        if not _tool_name(term_text):
            return None
        first_line, _, more = more.strip().partition("\n")
        first_line = LIST_MARKER.sub("", first_line)
        described_field = _DESCRIPTION_FIELD.match(first_line)
        if described_field is not None:
            first_line = first_line[described_field.end() :]
        elif _FIELD.match(first_line):
            return None  # `- Duration: 4 weeks`: a record of the resource, not what it is
    opening = _LINK.match(first_line)
    if opening is not None:
        first_line = first_line[opening.end() :]
    description = _AFTER_LINK.sub("", first_line, count=1)
    description = _AFTER_LINK.sub("", _ADDRESS.sub("", description, count=1), count=1).strip()
    if not _describes(term_text, description):
        return None
    detail = f"{veto}, after its address" if address_line else veto
    signals = (Signal("resource-described", 0, detail), *_product_signal(product))
    body = f"{description}\n{more}".strip()
    return replace(found, term=term, term_text=term_text, body=body, facts=(*found.facts, *signals))


# A list item that is only an address, bare or as a field (`- URL: https://...`,
# `- **Link**: https://...`).
_ADDRESS_ITEM = re.compile(
    r"^\s*(?:[-*+]|\d+[.)])\s+(?:\**[\w ]{1,20}\**:\s*\**\s*)?(?:https?://|www\.)\S*\s*$", re.I
)
# `Duration: 4 weeks`, `**Level**: Beginner`: a field of a catalogue entry.
_FIELD = re.compile(r"^\**[\w /-]{1,25}\**:\**\s")
_DESCRIPTION_FIELD = re.compile(
    rf"^\**(?:{alternatives(_WORDS.description_labels)})\**:\**\s*", re.I
)

_EXAMPLES = frozenset(_WORDS.example_heading_words)
_ACRONYM_ASIDE = re.compile(r"\(([A-Z][A-Z0-9]{1,5})s?\)\s*$")


def _tool_name(term_text: str) -> bool:
    """The entry above an address names a tool, not a collection of examples to read
    (`Kubernetes by Example`) nor a title spelled out with its acronym (`Certified Kubernetes
    Administrator (CKA)`), whose acronym card already says what it is."""
    words = {word.lower() for word in _WORD.findall(term_text)}
    return not words & _EXAMPLES and _ACRONYM_ASIDE.search(term_text) is None


_PRODUCT_REFERENCE = frozenset(_WORDS.product_reference_words)


def _product(name: str) -> str:
    """`PyTorch documentation` -> `PyTorch`: the product whose own reference the entry names,
    or ""."""
    words = name.split()
    if len(words) > 1 and words[-1].lower() in _PRODUCT_REFERENCE:
        return " ".join(words[:-1])
    return ""


def _product_signal(product: str) -> tuple[Signal, ...]:
    return (Signal("names-product", 0, product),) if product else ()


def _describes(term_text: str, description: str) -> bool:
    """The text says what the named thing is: not a remark, a spec, advice, a document's
    blurb, nor the name again."""
    words = [word.lower() for word in _WORD.findall(plain_text(description))]
    if not term_text or term_text[0] in "@/" or _LINK.search(description):
        return False  # an account to follow (`@awscloud`), or links only
    # `(admin/admin)`, `P4d instances`: a remark or a spec, not what the tool is.
    if not words or description.startswith("(") or _SPEC.match(words[0]):
        return False
    if words[0] in _NOT_DESCRIBING or words[0] in _INSTRUCTIONS:
        return False
    named = {word.lower() for word in _WORD.findall(term_text)}
    if named & _DOCUMENTS or set(words) & _DOCUMENTS:
        return False  # `CUDA Toolkit Documentation`, `Step-by-step DDP guide`: a document
    # `AWS Workshops`: the text restates the name.
    return not all(word in named or word in _NOT_DESCRIBING for word in words)


# `- [NCCL](https://...) - Collective communications library`: a link, a separator, its text.
_LINK_LEAD = re.compile(
    r"^\[(?P<term>[^\[\]\n]+)\]\([^()\s]*\)\s*(?::|\s[-–—]|[-–—]\s)\s*(?P<text>\S.*)$", re.S
)


def link_entry(content: str, source: SourceRef) -> Found | None:
    """`- [GLUE](https://...) - NLP benchmark suite`: a list item that opens with a link and
    says what the linked thing is."""
    match = _LINK_LEAD.match(content)
    if match is None:
        return None
    term = plain_text(match.group("term"))
    product = _product(term)
    term = product or term
    description = match.group("text").strip()
    if not _describes(term, description.partition("\n")[0]):
        return None
    signals = (Signal("resource-described", 0, "link-lead"), *_product_signal(product))
    return Found("link-lead-bullet", source, term, term, description, True, facts=signals)


# `- **Prometheus**: Time-series metrics database` under `### Tools` of `## Resources`.
_MAX_DESCRIPTION_WORDS = 12
# The kind of section (`definitions._Walk.excluded`) whose described tools `listed_tool` keeps.
TOOL_SECTION = "skipped section"


def listed_tool(found: Found, excluded: str) -> Found | None:
    """A bold entry of a skipped section (resources, further reading) that names a tool and says
    what it is, in a few words and no link: a definition, with `tool-described`. An entry with
    a link, a quoted title or an address is a thing to visit or read (the section's veto
    stands), and so is one whose text advises, judges or restates the name."""
    if excluded != TOOL_SECTION or found.shape != "bold-lead" or "\n" in found.body.strip():
        return None
    term, body = found.term_text, found.body.strip()
    if "](" in found.term or "](" in body or _ADDRESS_ANYWHERE.search(body) or term[:1] in '"“':
        return None
    words = _WORD.findall(plain_text(body))
    if len(words) > _MAX_DESCRIPTION_WORDS or not _describes(term, body):
        return None
    return replace(found, facts=(*found.facts, Signal("tool-described", 0, excluded)))


_ADDRESS_ANYWHERE = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|org|io|dev|ai)\b", re.I)
