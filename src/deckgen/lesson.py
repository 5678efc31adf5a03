"""Markdown lesson -> token stream, section tree and line numbers (markdown-it-py).

Only the block structure is parsed up front. Inline Markdown is parsed on demand, for the few
blocks an extractor looks at, which keeps a build close to the cost of parsing alone.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache, partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from deckgen import admonitions, learn, shortcuts
from deckgen.admonitions import Admonition
from deckgen.defaults import alternatives, defaults
from deckgen.diagnostics import ContentError, Diagnostic
from deckgen.fences import FENCE, is_closing, lines_outside_fences

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

# Limits, documented in docs/performance.md. Parsed tokens take about 60 bytes of memory per
# byte of a dense lesson: 10 MB is a few hundred times a real lesson and stays well under a
# gigabyte.
MAX_LESSON_BYTES = 10 * 1024 * 1024
# markdown-it stops nesting blocks (lists, quotes) at this depth and drops what lies deeper,
# which is what keeps a 10,000-deep list from exhausting the stack. Authors get told.
MAX_NESTING = 20
_CONTAINERS = frozenset(
    {"blockquote_open", "bullet_list_open", "ordered_list_open", "list_item_open"}
)

# `Lesson 01: Introduction to ...` is "Lesson 01" in a breadcrumb.
_LESSON_LABEL = re.compile(
    rf"^((?:{alternatives(defaults().lesson_labels)})\s+[\w.-]+)\s*[:\-–—]", re.I
)


def _new_parser() -> MarkdownIt:
    """Imported on first use: a build whose lessons all come from the cache never imports
    markdown-it at all.

    html=True so that `<details>` blocks are recognised as HTML blocks. Nothing rendered from
    these parsers reaches a card: render.py renders with raw HTML disabled.
    """
    from markdown_it import MarkdownIt
    from mdit_py_plugins.deflist import deflist_plugin

    parser = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING}).enable("table")
    # `Term` then `:   explanation`: the glossary syntax of pandoc, PHP Markdown Extra,
    # kramdown and MkDocs' `def_list`, which CommonMark reads as one paragraph.
    parser.use(deflist_plugin)
    _markup_line_above(parser)
    return parser


# A line of markup that shows nothing, on the line above the block it marks: a kramdown
# attribute list (`{:auto_ids}`, `{: .glossary}`), or an empty anchor to link the entry below
# to (`<a id="argument"/>`, as older Carpentries glossaries mark each term).
_MARKUP_LINE = re.compile(
    r"\{:[^}\n]*\}[ \t]*"
    r"|<a\s+(?:id|name)\s*=\s*(?:\"[^\"\n]*\"|'[^'\n]*'|[^\s\"'<>/]+)\s*/?>(?:\s*</a>)?[ \t]*",
    re.I,
)


def _markup_line_above(parser: MarkdownIt) -> None:
    """Read a definition list under a line of markup (`_MARKUP_LINE`), which would otherwise
    take the list's first term into a paragraph (`{:auto_ids}`) or an HTML block (`<a id>`)
    of its own: the line itself makes no token, as it shows nothing.

    The list is the deflist rule's own reading, from the line below.
    """
    ruler = parser.block.ruler
    rules = dict(zip(ruler.get_active_rules(), ruler.getRules(""), strict=True))
    deflist = rules["deflist"]

    def markup_line_above_a_list(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        start, stop = state.bMarks[line] + state.tShift[line], state.eMarks[line]
        if silent or state.src[start] not in "{<" or state.sCount[line] - state.blkIndent >= 4:
            return False
        if _MARKUP_LINE.fullmatch(state.src, start, stop) is None:
            return False
        return bool(deflist(state, line + 1, end, False))

    # Before `html_block`, which takes an anchor's line and every line up to a blank one.
    ruler.before("html_block", "markup_line_above_a_list", markup_line_above_a_list)


_inline_parser = cache(_new_parser)


@cache
def _block_parse(fast: bool) -> Callable[[str, dict[str, Any] | None], list[Token]]:
    """The block stage alone: inline Markdown is parsed on demand (`inline_children`), and
    without it `text_join` has nothing to join. `fast`: with deckgen.shortcuts' block rules."""
    parser = _new_parser().disable(["inline", "text_join"])
    return shortcuts.faster_block_parse(parser) if fast else parser.parse


def _block_tokens(text: str, env: dict[str, Any] | None = None) -> list[Token]:
    """The block tokens of text whose lines end in "\n" only (`_normalized_lines`). The link
    reference definitions it holds go to `env["references"]`."""
    return _block_parse(shortcuts.enabled())(text, env)


@dataclass(frozen=True)
class Section:
    """A heading and the lines it governs, up to the next heading of the same or higher level."""

    title: str
    level: int
    line: int
    path: tuple[str, ...]
    start_token: int
    end_token: int = -1


@dataclass
class Lesson:
    """One Markdown file: its text, block tokens and sections."""

    path: Path
    slug: str
    text: str
    tokens: list[Token]
    title: str
    sections: list[Section] = field(default_factory=list)
    # The `title:` of a Jekyll front matter: it names the page above everything the page holds.
    front_matter_title: str = ""
    # Problems found while reading, reported with the extraction's own warnings.
    warnings: list[Diagnostic] = field(default_factory=list)
    # Indexes of `table_open` tokens that are really code (a table inside a here-document).
    code_tables: frozenset[int] = frozenset()
    # (opening line, terminator line) of each closed here-document, 1-based: a fence closed
    # early inside one spills the file being written (`cat > README.md << 'EOF'`) as prose.
    heredoc_spans: tuple[tuple[int, int], ...] = ()
    # A quiz's answer key from a file of its own, when one sits next to it.
    answer_key: Lesson | None = None
    # Its link reference definitions (`[gnu-make]: https://...`), as markdown-it collects them
    # in `env["references"]`: normalized label -> {"href": ..., "title": ...}.
    references: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    # The Learn platform's challenge blocks (`deckgen.learn`), whose lines `text` holds blank.
    learn_challenges: tuple[learn.Challenge, ...] = ()
    # MkDocs admonitions (`deckgen.admonitions`), which `text` holds rewritten as callouts.
    admonitions: tuple[Admonition, ...] = ()

    @cached_property
    def lines(self) -> list[str]:
        # Lines as markdown-it counts them (`map`): at "\n" only. str.splitlines() also breaks
        # at form feeds, U+2028 and friends, which shifted every source excerpt after one.
        return self.text.split("\n")

    @property
    def label(self) -> str:
        """Short name for breadcrumbs: "Lesson 01" for "Lesson 01: Introduction to ..."."""
        match = _LESSON_LABEL.match(self.title)
        return match.group(1) if match else self.title

    def source(self, start: int, end: int) -> str:
        """Source text of lines [start, end) as markdown-it `map` counts them (0-based)."""
        return "\n".join(self.lines[start:end])

    def walk(self, *types: str) -> Iterator[tuple[int, Token, Section | None]]:
        """Every token, or only those of the given types, with the innermost section that
        contains it. A lesson has tens of thousands of tokens and an extractor reads a few
        kinds: naming them spares a step per token."""
        tokens, sections = self.tokens, self.sections
        # A section ends where a later one starts (or with the file), so the innermost section
        # holding a token is simply the last one to start at or before it. Most tokens come
        # before the next section's start: one comparison each.
        following, innermost = 0, None
        upcoming = sections[0].start_token if sections else len(tokens)
        for index in self.positions(*types) if types else range(len(tokens)):
            if index >= upcoming:
                while following < len(sections) and sections[following].start_token <= index:
                    innermost = sections[following]
                    following += 1
                upcoming = (
                    sections[following].start_token if following < len(sections) else len(tokens)
                )
            if innermost is not None and index >= innermost.end_token:
                innermost = self._enclosing(following - 1, index)
            yield index, tokens[index], innermost

    def section_at(self, index: int) -> Section | None:
        """The innermost section holding token `index`, as `walk` finds it: for a loop over
        `positions` that needs the section of only a few of its tokens."""
        number = bisect_right(self._section_starts, index)
        if not number:
            return None
        section = self.sections[number - 1]
        return section if index < section.end_token else self._enclosing(number - 1, index)

    def _enclosing(self, number: int, index: int) -> Section | None:
        """The innermost of the sections up to the `number`th still open at token `index`:
        an admonition's title heads a section that ends with it (`_admonition_ends`),
        and the text after it is its parent's again."""
        return next(
            (section for section in reversed(self.sections[:number]) if index < section.end_token),
            None,
        )

    @cached_property
    def _section_starts(self) -> list[int]:
        return [section.start_token for section in self.sections]

    def next_section(self, section: Section) -> Section | None:
        """The section whose heading comes next after `section`'s, or None."""
        number = bisect_right(self._section_starts, section.start_token)
        return self.sections[number] if number < len(self.sections) else None

    def siblings(self, section: Section) -> list[Section]:
        """The other sections of the same level under the same headings, in order, each title
        once (where it first stands, `section` aside). A title written again says nothing
        new, and a lesson pasted together from copies has thousands of them."""
        chosen = (
            next(other for other in occurrences if other is not section)
            for occurrences in self._siblings[(section.level, section.path[:-1])].values()
            if occurrences[0] is not section or len(occurrences) > 1
        )
        return sorted(chosen, key=lambda other: other.start_token)

    @cached_property
    def _siblings(self) -> dict[tuple[int, tuple[str, ...]], dict[str, list[Section]]]:
        # Per group, the first two sections of each title: the second stands in for the first
        # when the first is the section asking.
        groups: defaultdict[tuple[int, tuple[str, ...]], dict[str, list[Section]]]
        groups = defaultdict(dict)
        for section in self.sections:
            occurrences = groups[(section.level, section.path[:-1])].setdefault(section.title, [])
            if len(occurrences) < 2:
                occurrences.append(section)
        return groups

    def positions(self, *types: str) -> list[int]:
        """Indexes of the tokens of these types, in order."""
        return sorted(chain.from_iterable(self._positions.get(kind, ()) for kind in types))

    @cached_property
    def _positions(self) -> dict[str, list[int]]:
        # One pass over the tokens per lesson, shared by the checks and every extractor.
        positions: defaultdict[str, list[int]] = defaultdict(list)
        for index, token in enumerate(self.tokens):
            positions[token.type].append(index)
        return positions


def line_of(token: Token) -> int:
    """The 1-based line a block token starts on."""
    return token.map[0] + 1 if token.map else 1


def inline_children(content: str) -> list[Token]:
    """The inline tokens (strong, text, code_inline, link_open...) of one inline source string."""
    plain = shortcuts.inline_children(content)
    return plain if plain is not None else _parsed_inline_children(content)


def _parsed_inline_children(content: str) -> list[Token]:
    tokens = _inline_parser().parseInline(content)
    children = tokens[0].children or [] if tokens else []
    # Emphasis delimiters leave empty text tokens behind; nobody wants to step over them.
    return [child for child in children if child.type != "text" or child.content]


# Headings, table headers and bodies are asked about by several extractors; the inline parse
# behind an answer is the costly part. Both paths give the same answer, so one cache serves.
@lru_cache(maxsize=4096)
def plain_text(content: str) -> str:
    """Inline Markdown as the reader sees it: no `**`, no link targets, one line."""
    joined = shortcuts.plain_text(content)
    return text_of(inline_children(content)) if joined is None else one_line(joined)


def text_of(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(text_of(child.children or []))
    return one_line("".join(parts))


def one_line(text: str) -> str:
    """Runs of white space (line breaks too) as one space, stripped: text as one line reads.

    `re.sub(r"\\s+", " ", text).strip()`, four times quicker: `str.split` parts the text at
    the same white space as `\\s` (tests/test_extract_caches.py)."""
    return " ".join(text.split())


def _normalized_lines(text: str) -> str:
    # CRLF and a lone CR (old Mac) end lines for markdown-it; make them "\n" for `lines` too.
    return text.replace("\r\n", "\n").replace("\r", "\n")


# `---` on the first line, a `key:` line next, and a closing `---` (or YAML's `...`).
_FRONT_MATTER = re.compile(
    r"\A---[ \t]*\n[A-Za-z_][\w-]*:.*\n(?:.*\n)*?(?:---|\.\.\.)[ \t]*(?:\n|\Z)"
)
# The `title:` of front matter, quoted or not. Read by pattern, not by a YAML parser: a title
# is all deckgen takes from it, and a lesson's YAML is untrusted.
_FRONT_MATTER_TITLE = re.compile(r"""^title:[ \t]*(["']?)(.*?)\1[ \t]*$""", re.M)


def _front_matter(text: str) -> tuple[str, str]:
    """(the front matter's title, "" for none; `text` with its front matter as blank lines),
    for `text` whose lines end in "\n" only (`_normalized_lines`).

    Jekyll's and the Carpentries' YAML front matter (`title:`, `questions:`, `keypoints:`) is
    no Markdown: read as such, its closing `---` makes a heading of the lines above it, the
    section every item below is shown under. Its title is what the site names the page, above
    any heading in it (Carpentries episodes have none of level 1). Blank lines keep every
    line's number."""
    front = _FRONT_MATTER.match(text)
    if front is None:
        return "", text
    title = _FRONT_MATTER_TITLE.search(front.group(0))
    blank = "\n" * front.group(0).count("\n")
    return (plain_text(title.group(2)) if title else ""), blank + text[front.end() :]


def lesson_title(text: str) -> str:
    """The title `parse_lesson` finds in `text` ("" for none), parsing only as far as needed
    (see deckgen.shortcuts: `leading_title`, `title_parts`)."""
    front_matter_title, text = _front_matter(_normalized_lines(text))
    if front_matter_title:
        return front_matter_title
    text, _ = _without_learn_challenges(text)
    leading = shortcuts.leading_title(text)
    if leading is not None:
        title = plain_text(leading)
        if title:
            return title
    for part in shortcuts.title_parts(text):
        title = _first_title(_block_tokens(part))
        if title is not None:
            return title
    return ""


def _first_title(tokens: list[Token]) -> str | None:
    """The title as parse_lesson finds it in these tokens: the first level-1 heading with some
    text, if no other heading comes before it ("" if one does); None if no heading decides."""
    for index, token in enumerate(tokens):
        if token.type != "heading_open":
            continue
        if token.tag != "h1":
            return ""
        title = plain_text(tokens[index + 1].content)
        if title:
            return title
    return None


# A Jekyll or Liquid tag opening a link's target, as Carpentries lessons write it:
# `[variable]({{ page.root }}/reference#variable)`. The spaces inside the tag keep CommonMark
# from reading a link at all, so the card would show the brackets and the tag.
_TEMPLATE_TARGET = re.compile(r"(?<=\]\()(\{\{|\{%)([^{}\n]*?)(\}\}|%\})")


def _template_link_targets(text: str) -> str:
    """`text` with the spaces taken out of a template tag that opens a link target, so the
    link reads as one (its anchor is dropped in cards like any relative link's)."""
    if "]({" not in text:
        return text
    return _TEMPLATE_TARGET.sub(lambda tag: tag[1] + "".join(tag[2].split()) + tag[3], text)


# A docs-site macro call as MDN writes it: `{{Glossary("HTML")}}`, `{{cssxref("flex")}}`,
# `{{jsxref("Array.prototype.map()", "map()")}}`, `{{LearnSidebar}}`. No space after `{{`:
# Jinja and Liquid write their variables `{{ page.root }}`, and those are left alone. An inline
# code span is matched first so that a macro quoted in code stays as written.
_QUOTED = r""""[^"\n]*"|'[^'\n]*'"""
_MACRO = re.compile(
    r"(`+)[^`\n]*?\1"
    r"|\{\{([A-Za-z][\w-]*)(?:\(((?:" + _QUOTED + r"""|[^(){}"'\n])*)\))?\}\}"""
)
_ARGUMENT = re.compile(_QUOTED + r"|[^,]+")
# Macros that place a page part (a live-sample frame, a sidebar, a previous/next menu): their
# quoted arguments are page ids, and the page shows no text for them.
_PLACING_MACRO = re.compile(r"embed|sidebar|menu", re.I)
# Macros that link a name to its reference page (`cssxref`, `jsxref`, `domxref`, `htmlelement`):
# the page shows the name as code.
_REFERENCE_MACRO = re.compile(r"xref$|^htmlelement$", re.I)


def _macro_text(call: re.Match[str], alone: bool) -> str:
    """What the page shows for one macro call: the display argument (the second quoted string
    when given, else the first) of a call whose first argument is quoted; nothing for one that
    places a page part, nor for one with no quoted first argument standing alone on its line
    (`{{LearnSidebar}}`). Inside a sentence such a call is the lesson's own text: a template
    placeholder (`{{title}}`, `{{format(date)}}` in a lesson on Handlebars) stays as written.
    A reference macro's name reads as code, as the page shows it; the element macro's as the
    element's bare name (the page shows `<main>`, but a card, like the lesson's annotators,
    keys the element `main`)."""
    if call[1] is not None:
        return call[0]
    name = call[2]
    arguments = [argument.strip() for argument in _ARGUMENT.findall(call[3] or "")]
    quoted = [argument[1:-1] for argument in arguments if argument[:1] in "\"'"]
    if _PLACING_MACRO.search(name):
        return ""
    if not arguments or arguments[0][:1] not in "\"'":
        return "" if alone else call[0]
    shown = quoted[1] if len(quoted) > 1 and arguments[1][:1] in "\"'" else quoted[0]
    if _REFERENCE_MACRO.search(name):
        return f"`{shown}`"
    return shown


# A line of macro calls only (`{{LearnSidebar}}`, `{{Compat}}`): page furniture, not text.
_MACROS_ONLY = re.compile(r"\s*(?:\{\{[^{}\n]*\}\}\s*)+")


# A line of line breaks or rules only (`<br />`, `<hr>`), as authors space out a page. After a
# blank line CommonMark opens an HTML block there, which runs to the next blank line: a heading
# and paragraph written right below would be read as raw HTML and lost. The page's own reader
# (kramdown, docsify) shows them; a card needs no spacing, so such a line reads as blank.
_SPACING_TAGS = re.compile(r" {0,3}(?:<(?:br|hr|wbr)\b[^<>]*>[ \t]*)+", re.I)
# A spacing tag's name, which a line of them holds: most lessons hold a `<` (code, HTML,
# `a < b`) and no macro call nor this, and are not read line by line.
_SPACING_TAG = re.compile(r"<(?:br|hr|wbr)\b", re.I)


def _as_the_page_shows(text: str) -> str:
    """`text` read line by line as its page shows it, outside code fences (every line keeps its
    number): each macro call as the text it shows, and each line of spacing tags that would
    open an HTML block as blank."""
    if "{{" not in text and _SPACING_TAG.search(text) is None:
        return text
    lines = text.split("\n")
    for number in lines_outside_fences(lines):
        line = lines[number]
        if "{{" in line:
            shown = partial(_macro_text, alone=_MACROS_ONLY.fullmatch(line) is not None)
            line = lines[number] = _MACRO.sub(shown, line)
        opens_block = number == 0 or not lines[number - 1].strip()
        if opens_block and "<" in line and _SPACING_TAGS.fullmatch(line):
            lines[number] = ""
    return "\n".join(lines)


def _without_learn_challenges(text: str) -> tuple[str, list[learn.Challenge]]:
    """`text` with the lines of each Learn challenge block blank (every line keeps its number),
    and the blocks. Its marker headings are no sections, its metadata bullets and option lists
    no definitions nor questions: the block is one question, read from the blocks alone
    (`deckgen.extract.learn_challenges`)."""
    if learn.MARK not in text:
        return text, []  # most lessons: no block of the format
    lines = text.split("\n")
    found = learn.challenges(lines, lines_outside_fences(lines))
    for challenge in found:
        lines[challenge.start : challenge.end] = [""] * (challenge.end - challenge.start)
    return "\n".join(lines), found


def _admonitions_as_callouts(text: str) -> tuple[str, list[Admonition]]:
    """`text` with each MkDocs admonition rewritten as a callout, line for line (every line
    keeps its number), and the admonitions: their bodies, indented four spaces, would read as
    code blocks."""
    if not any(mark in text for mark in admonitions.MARKS):
        return text, []  # most lessons: no admonition
    lines, found = admonitions.rewrite(text.split("\n"))
    return "\n".join(lines), found


def parse_lesson(text: str, path: Path, slug: str) -> Lesson:
    front_matter_title, text = _front_matter(_normalized_lines(text))
    text = _as_the_page_shows(_template_link_targets(text))
    text, lengthened = _fence_heredocs(text)
    text, challenges = _without_learn_challenges(text)
    text, found = _admonitions_as_callouts(text)
    env: dict[str, Any] = {}
    tokens = _block_tokens(text, env)
    lesson = Lesson(
        path=path,
        slug=slug,
        text=text,
        tokens=tokens,
        title="",
        front_matter_title=front_matter_title,
        references=env.get("references", {}),
        learn_challenges=tuple(challenges),
        admonitions=tuple(found),
    )
    lesson.warnings.extend(
        Diagnostic(
            path,
            line,
            "a here-document in this code fence holds fences of its own: deckgen reads it to "
            "its terminator, but other Markdown readers end the code block at its first "
            "closing fence (use a longer outer fence)",
        )
        for line in lengthened
    )
    title = ""
    headings: list[tuple[str, int, int, tuple[str, ...], int]] = []
    ends: list[int] = []
    open_headings: list[int] = []  # indexes into `headings`, innermost last
    for index in lesson.positions("heading_open"):
        token = tokens[index]
        level = int(token.tag[1])
        heading = plain_text(tokens[index + 1].content)
        if not title and level == 1 and not headings:
            title = heading
            continue
        while open_headings and headings[open_headings[-1]][1] >= level:
            ends[open_headings.pop()] = index
        parent_path = headings[open_headings[-1]][3] if open_headings else ()
        line = token.map[0] + 1 if token.map else 1
        headings.append((heading, level, line, (*parent_path, heading), index))
        ends.append(len(tokens))
        open_headings.append(len(headings) - 1)
    lesson.title = front_matter_title or title or path.stem
    limits = _admonition_ends(lesson)
    lesson.sections = [
        Section(*heading, end_token=min(end, limits.get(heading[2], end)))
        for heading, end in zip(headings, ends, strict=True)
    ]
    _check_fences(lesson)
    _check_nesting(lesson)
    return lesson


def _admonition_ends(lesson: Lesson) -> dict[int, int]:
    """Where the section each admonition's title heads (`> ###### Title`, `deckgen.admonitions`)
    ends, by the title's line (1-based): with its block quote, as its title names the
    admonition alone, and the lesson's text after it is its enclosing section's again."""
    if not lesson.admonitions:
        return {}
    titled = {admonition.line for admonition in lesson.admonitions if admonition.title}
    return {
        token.map[0] + 1: close_of(lesson.tokens, index) + 1
        for index in lesson.positions("blockquote_open")
        if (token := lesson.tokens[index]).map and token.map[0] in titled
    }


def close_of(tokens: list[Token], index: int) -> int:
    """Index of the token closing the block opened at `index`."""
    opener = tokens[index]
    closing = opener.type.replace("_open", "_close")
    for position in range(index + 1, len(tokens)):
        if tokens[position].type == closing and tokens[position].level == opener.level:
            return position
    return len(tokens) - 1


def _fence_heredocs(text: str) -> tuple[str, list[int]]:
    """`text` with each code fence whose here-document holds fences made longer than those,
    and the line of each such fence, 1-based.

    Exercises write files from the shell: a `cat > README.md << 'EOF'` inside a ```bash fence
    whose document has ```json blocks of its own. CommonMark ends the outer fence at the
    document's first closing fence, and the rest of the document, then the exercise after it,
    read inside out: shell comments become headings, prose becomes code. The here-document's
    terminator says where the author's code really ends, so the outer fence's opening and
    closing lines get a run longer than any inside it. Only fence markup changes: every line
    keeps its number and every code line its text.
    """
    if "<<" not in text:
        return text, []
    lines = text.split("\n")
    fences = _FencedLines(lines)
    lengthened: list[int] = []
    number = 0
    while number < len(lines):
        opener = FENCE.match(lines[number])
        if not opener or (opener.group(1)[0] == "`" and "`" in lines[number][opener.end() :]):
            number += 1
            continue
        run = opener.group(1)
        end, needed = fences.end(number, run)
        if len(needed) > len(run):
            lines[number] = lines[number].replace(run, needed, 1)
            closer = FENCE.match(lines[end])
            assert closer is not None
            lines[end] = needed + lines[end][closer.end() :]
            lengthened.append(number + 1)
        number = end + 1
    return "\n".join(lines), lengthened


class _FencedLines:
    """A lesson's lines, indexed once so that a here-document's end and the fences inside it
    are looked up, not searched for: a lesson of C++ (`std::cout << value;` reads like a
    here-document that never ends) would otherwise scan to the end of the file per fence."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    @cached_property
    def fence_lines(self) -> list[int]:
        return [n for n, line in enumerate(self.lines) if FENCE.match(line)]

    @cached_property
    def terminators(self) -> dict[str, list[int]]:
        """Each line that is one word alone, by the word: the lines a here-document may end on.
        Built when a fence first opens one: most lessons with `<<` have none in a fence."""
        found: dict[str, list[int]] = defaultdict(list)
        for n, line in enumerate(self.lines):
            word = line.strip()
            if word.isidentifier():
                found[word].append(n)
        return found

    def end(self, start: int, run: str) -> tuple[int, str]:
        """(the line that closes the fence opened at `start`, the run that line and the opener
        need). CommonMark's reading, with `run`, unless a here-document inside the fence holds
        fences at least as long as `run` and the fence closes after it: then its real end,
        with a run one longer than the longest inside. CommonMark's reading also stands when
        a document never ends or a new block opens after it (the fence was left open)."""
        lines, first_close, longest = self.lines, None, 0
        number = start + 1
        while number < len(lines):
            line = lines[number]
            if is_closing(line, run):
                if longest >= len(run):
                    return number, run[0] * (longest + 1)
                return (number if first_close is None else first_close), run
            opener = FENCE.match(line)
            if longest and opener and opener.group(1)[0] == run[0]:
                # A new block opens after the document: this fence was left open, and
                # CommonMark's reading stands.
                return (self._closing(number, run) if first_close is None else first_close), run
            match = _HEREDOC.search(line) if "<<" in line else None
            terminator = self._terminator(match.group(2), number) if match else None
            if terminator is None:
                number += 1
                continue
            for inner in self.fence_lines[
                bisect_right(self.fence_lines, number) : bisect_left(self.fence_lines, terminator)
            ]:
                fence = FENCE.match(lines[inner])
                assert fence is not None
                if fence.group(1)[0] == run[0]:
                    longest = max(longest, len(fence.group(1)))
                    if first_close is None and is_closing(lines[inner], run):
                        first_close = inner
            number = terminator + 1
        return (len(lines) - 1 if first_close is None else first_close), run

    def _terminator(self, word: str, after: int) -> int | None:
        """The first line after `after` that is `word` alone: where a here-document ends."""
        indexes = self.terminators.get(word, [])
        position = bisect_right(indexes, after)
        return indexes[position] if position < len(indexes) else None

    def _closing(self, start: int, run: str) -> int:
        """The first line from `start` on that closes a fence opened with `run`, or the last."""
        position = bisect_left(self.fence_lines, start)
        return next(
            (n for n in self.fence_lines[position:] if is_closing(self.lines[n], run)),
            len(self.lines) - 1,
        )


def _check_nesting(lesson: Lesson) -> None:
    """A container opened at the last level the parser nests: whatever it holds was dropped."""
    for index in lesson.positions(*_CONTAINERS):
        token = lesson.tokens[index]
        if token.level >= MAX_NESTING - 1:
            lesson.warnings.append(
                Diagnostic(
                    lesson.path,
                    line_of(token),
                    f"lists or quotes nested deeper than {MAX_NESTING} levels; "
                    "the content below that depth is ignored",
                )
            )
            return


# `<<EOF`, `<<- 'EOF'`; not a here-string (`<<< word`) nor a merge conflict's marker
# (`<<<<<<< HEAD`), which open no document and would leave one open to the end of the file.
_HEREDOC = re.compile(r"(?<!<)<<-?\s*(['\"]?)([A-Za-z_][\w]*)\1")


def _check_fences(lesson: Lesson) -> None:
    """Warn about fences that swallow or spill the file, and tables that are really code.

    markdown-it reads these the only way CommonMark allows; the author meant something else,
    so the warning says where, and extraction goes on with what the parser made of it.
    """
    lines = lesson.lines
    # Only a lesson with `<<` somewhere can open a here-document; the others need no more than
    # their fences looked at (most lessons: it spares a search of every line).
    heredocs = "<<" in lesson.text
    kinds = (
        ("fence", "code_block", "inline", "html_block", "table_open") if heredocs else ("fence",)
    )
    heredoc: tuple[str, int] | None = None  # terminator, line it was opened on
    scanned = 0  # lines before this were already searched for here-documents
    code_tables: set[int] = set()
    spans: list[tuple[int, int]] = []
    for index in lesson.positions(*kinds):
        token = lesson.tokens[index]
        if token.type == "fence" and token.map:
            _check_fence(lesson, token, lines)
        if token.type == "table_open":
            if heredoc is not None:
                code_tables.add(index)
                lesson.warnings.append(
                    Diagnostic(
                        lesson.path,
                        line_of(token),
                        f"table inside the here-document opened at line {heredoc[1]}: not a "
                        "table (a code fence probably closed early)",
                    )
                )
        elif heredocs and token.map:
            # Every cell of a table row maps to the row's line: search each line once, or a
            # row of n cells costs n times its length.
            heredoc = _heredoc_after(token, lines, heredoc, scanned, spans)
            scanned = max(scanned, token.map[1])
    lesson.code_tables = frozenset(code_tables)
    lesson.heredoc_spans = tuple(spans)


def _check_fence(lesson: Lesson, token: Token, lines: list[str]) -> None:
    assert token.map is not None
    start, end = token.map
    run = token.markup
    # A fence in a block quote closes on a quoted line (`> ~~~`, `> > ~~~`).
    last = lines[end - 1].strip().lstrip("> ").strip() if end - 1 > start else ""
    if not (last.startswith(run) and not last.strip(run[0])):  # the run's character only
        lesson.warnings.append(
            Diagnostic(
                lesson.path,
                start + 1,
                "code fence is never closed: the rest of the file is read as code",
            )
        )
    if run not in token.content:
        return  # no line inside can hold a fence at least as long as this one's
    for offset, line in enumerate(token.content.splitlines()):
        stripped = line.strip()
        marker = stripped[: len(stripped) - len(stripped.lstrip(run[0]))]
        if len(marker) >= len(run) and stripped[len(marker) :].strip():
            lesson.warnings.append(
                Diagnostic(
                    lesson.path,
                    start + offset + 2,
                    f"code fence inside the code fence of line {start + 1}: its closing "
                    f"{run} ends the outer one early (use a longer outer fence)",
                )
            )
            return


def _heredoc_after(
    token: Token,
    lines: list[str],
    heredoc: tuple[str, int] | None,
    scanned: int,
    spans: list[tuple[int, int]],
) -> tuple[str, int] | None:
    """The here-document still open after this block's lines from `scanned` on, if any; each
    one closed on the way is added to `spans`."""
    assert token.map is not None
    start, end = token.map
    for number in range(max(start, scanned), min(end, len(lines))):
        line = lines[number]
        if heredoc is not None:
            if line.strip() == heredoc[0]:
                spans.append((heredoc[1], number + 1))
                heredoc = None
            continue
        match = _HEREDOC.search(line) if "<<" in line else None
        if match:
            heredoc = (match.group(2), number + 1)
    return heredoc


def decode_lesson(data: bytes, path: Path, slug: str) -> Lesson:
    return parse_lesson(decode_text(data, path), path, slug)


def decode_text(data: bytes, path: Path) -> str:
    """A lesson's text (UTF-8, BOM and CRLF welcome), or one error naming what is wrong."""
    if len(data) > MAX_LESSON_BYTES:
        raise ContentError(
            path,
            None,
            f"lesson is {len(data) / 2**20:.1f} MiB, over the limit of "
            f"{MAX_LESSON_BYTES / 2**20:.0f} MiB; split it into smaller lessons",
        )
    # NUL is valid UTF-8, but no Markdown file holds one: this is an image, archive, ...
    nul = data.find(b"\0")
    if nul != -1:
        raise ContentError(
            path, _line_at(data, nul), f"binary file (NUL byte at byte {nul}), not a lesson"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ContentError(
            path, _line_at(data, exc.start), f"not valid UTF-8 at byte {exc.start}"
        ) from None
    if not text.strip():
        raise ContentError(path, None, "empty lesson: nothing to make cards from")
    return text


def _line_at(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1
