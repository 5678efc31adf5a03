"""Every shortcut past markdown-it, behind one switch: `DECKGEN_NO_SHORTCUTS=1` turns all off.

Each public function here answers a question the parser answers (a lesson's block tokens, a
line's inline tokens or plain text, a bold lead, whether a text is one link, a field's HTML) for
the inputs where CommonMark's rules leave no doubt, and returns None for the others: the caller
then asks markdown-it, which is always complete on its own. With the switch set every function
returns None, so the whole pipeline runs on the stock parser. tests/test_fast_paths.py compares
each shortcut with the parser on the corpus and on random mixtures, and
tests/test_shortcuts_off.py builds the corpus both ways and finds the same decks.

The switch is an environment variable, read on every question (no state is kept here): it
reaches the workers of a parallel build and the processes the manifest check and benchmarks
start, and needs no option threaded through the pipeline. Caches in front of a question (an
`lru_cache` on `plain_text`, say) hold answers both paths agree on.

markdown-it is extended only through its public rule API (`Ruler.before`); its state and
parser classes are used as they are.
"""

from __future__ import annotations

import html
import os
import re
import string
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it import MarkdownIt
    from markdown_it.parser_block import RuleFuncBlockType
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

SWITCH = "DECKGEN_NO_SHORTCUTS"


def enabled() -> bool:
    """True unless `DECKGEN_NO_SHORTCUTS` is set to something other than "" or "0"."""
    return os.environ.get(SWITCH, "") in ("", "0")


# --- Block parsing ------------------------------------------------------------------------


def faster_block_parse(
    parser: MarkdownIt,
) -> Callable[[str, dict[str, Any] | None], list[Token]]:
    """`parser.parse` (a parser whose block stage is all it runs), sped up: each block is
    offered only the rules its first character allows (`_ask_only_possible_rules`), and
    markdown-it's `normalize` is left out for text whose lines already end in "\\n" only.

    `normalize` runs a regular expression over every line end of a lesson; the lesson's lines
    are normalized anyway (they are what `Lesson.lines` counts), which leaves NUL for a
    `str.replace`, and only when there is one.
    """
    _ask_only_possible_rules(parser.disable("normalize"))

    def parse(text: str, env: dict[str, Any] | None = None) -> list[Token]:
        return parser.parse(text.replace("\0", "\ufffd") if "\0" in text else text, env)

    return parse


# The characters a block can start with, for markdown-it's block rules that need a particular
# one; the other rules (table, code, lheading, paragraph) may start with anything.
_OPENING_CHARACTERS = {
    "fence": "`~",
    "blockquote": ">",
    "hr": "*-_",
    "list": "*-+0123456789",
    "reference": "[",
    "html_block": "<",
    "heading": "#",
}


# Where a line may open another block, which may end a paragraph (`-` also underlines). In a
# definition list's description, a `:` (or `~`) line opens the next description and ends the
# paragraph above it: passed over, each paragraph of a long list read ahead to its end.
_MAY_OPEN_A_BLOCK = frozenset("".join(_OPENING_CHARACTERS.values()) + ":~")


def _ask_only_possible_rules(parser: MarkdownIt) -> None:
    """Put a rule first that tries, for each block, only the rules its first character allows.

    markdown-it tries its block rules one after another at the start of every block, and most
    blocks start with a letter, where only table, setext heading and paragraph can match: the
    other eight each cost a call and a debug log call, about 15% of parsing a lesson. The rules
    asked are markdown-it's own, in its order, so the tokens are the same.
    """
    ruler = parser.block.ruler
    rules = [
        (name, _only_before_an_underline(rule) if name == "lheading" else rule)
        for name, rule in zip(ruler.get_active_rules(), ruler.getRules(""), strict=True)
    ]

    def possible(character: str | None) -> list[RuleFuncBlockType]:
        """The rules a block may match that starts with `character` (None: a character no
        rule needs, such as a letter). Indented code is left to the full chain (see
        `first_possible`), so it is never asked here."""
        return [
            rule
            for name, rule in rules
            if name != "code"
            and (
                name not in _OPENING_CHARACTERS
                or (character is not None and character in _OPENING_CHARACTERS[name])
            )
        ]

    by_character = {c: possible(c) for c in "".join(_OPENING_CHARACTERS.values())}
    otherwise = possible(None)

    def first_possible(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        start = state.bMarks[line] + state.tShift[line]
        # Indented four columns, a block may be code whatever its first character: the full
        # chain decides. So it does for an empty line, which markdown-it never hands over.
        if state.sCount[line] - state.blkIndent >= 4 or start >= state.eMarks[line]:
            return False
        for rule in by_character.get(state.src[start], otherwise):
            if rule(state, line, end, silent):
                return True
        return False

    ruler.before(rules[0][0], "deckgen_first_possible", first_possible)
    _guard_terminators(parser)


# The chains of rules markdown-it's block rules ask whether a line ends their block: a
# paragraph (and a setext heading's), a reference, a block quote (and a table), a list item.
_TERMINATOR_CHAINS = ("paragraph", "reference", "blockquote", "list")


def _guard_terminators(parser: MarkdownIt) -> None:
    """Let each rule that needs a particular first character turn down any other line itself.

    A paragraph asks every rule of its chain about each of its lines whether the line ends it
    (`first_possible` sees only where blocks start), and a list item and a block quote do the
    same: in a lesson, over a hundred thousand calls, each logging its entry and reading the
    line before it looks at the one character that rules most lines out. Each rule reads that
    character at the same place (the line's first non-space one), so the guard's answer is the
    rule's own; the rule keeps its place in every chain. An empty line is left to the rule.
    """
    ruler = parser.block.ruler
    members = {chain: ruler.getRules(chain) for chain in _TERMINATOR_CHAINS}
    for name, rule in zip(ruler.get_active_rules(), ruler.getRules(""), strict=True):
        if name in _OPENING_CHARACTERS:
            alt = [chain for chain in _TERMINATOR_CHAINS if rule in members[chain]]
            ruler.at(name, _first_character_guard(rule, _OPENING_CHARACTERS[name]), {"alt": alt})


def _first_character_guard(rule: RuleFuncBlockType, opening: str) -> RuleFuncBlockType:
    def guarded(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        start = state.bMarks[line] + state.tShift[line]
        if start < state.eMarks[line] and state.src[start] not in opening:
            return False
        return rule(state, line, end, silent)

    return guarded


def _only_before_an_underline(lheading: RuleFuncBlockType) -> RuleFuncBlockType:
    """markdown-it's setext heading rule, asked only where an underline may follow.

    The rule reads ahead through what would be a paragraph, trying every rule that may end a
    paragraph on each line, looking for a `===` or `---` line; then, nearly always, the
    paragraph rule reads the same lines again. It can only match if one of the lines before
    the next blank one is all `=` or all `-`, which is much quicker to rule out.

    A line that may open another block (`- item`, `> quote`) may end the paragraph there, which
    only the rule's own reading decides: from such a line on, the rule is asked. Ruling out up
    to the next blank line instead made each item of a tight list read every item after it.
    """

    def if_an_underline_may_follow(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        src, begins, shifts, ends = state.src, state.bMarks, state.tShift, state.eMarks
        for following in range(line + 1, end):
            start, stop = begins[following] + shifts[following], ends[following]
            if start >= stop:
                return False  # a blank line: what starts at `line` ends before it
            marker = src[start]
            if marker in _MAY_OPEN_A_BLOCK or (
                marker == "=" and not src[start:stop].rstrip(" \t").lstrip(marker)
            ):
                return lheading(state, line, end, silent)
        return False

    return if_an_underline_may_follow


# --- Titles -------------------------------------------------------------------------------

# `# Title` on the first line: a heading whatever follows (without a `|` it cannot head a
# table), and without a `#` in it no closing sequence is cut off.
_LEADING_TITLE = re.compile(r"# ([^#|\n\r\0]*)(?:\n|$)")


def leading_title(text: str) -> str | None:
    """The inline content of a level-1 heading on the first line of `text`, or None.

    Most index pages open with their title, and a module's index page is read only for it."""
    if not enabled():
        return None
    leading = _LEADING_TITLE.match(text)
    if leading is None:
        return None
    from markdown_it.common.utils import mdTrim

    return mdTrim(leading.group(1))


def title_parts(text: str) -> Iterator[str]:
    """Leading parts of `text` (lines ending in "\\n" only) to look for its title in, each
    longer than the last, the last the whole text; only the whole text when switched off.

    Index pages are long. Each part ends before a blank line: markdown-it makes the same
    headings of the lines before a blank line whatever follows it (a blank line ends
    paragraphs, so no later line can turn one into a heading or a table; a fence or list left
    open at the cut only stops earlier).
    """
    if not enabled():
        yield text
        return
    lines = text.split("\n")
    wanted = 64
    while True:
        cut = next((n for n in range(wanted, len(lines)) if not lines[n].strip()), len(lines))
        if cut >= len(lines):
            yield text
            return
        yield "\n".join(lines[:cut])
        wanted = cut * 4


# --- Inline Markdown ----------------------------------------------------------------------

# What may start inline syntax for the lesson parser and the field parser (linkify off, and no
# strikethrough in CommonMark): a string without any of it is one run of text. `!` matters
# only before `[` (an image), `&` only where it may begin an entity (`&amp;`, `&#123;`),
# `<` only before what may begin a tag or an autolink (`<b>`, `<https://...>`, `<a@b.c>`;
# never white space): `W&B`, `Done!` and `< 400 MB` are plain.
_ENTITY = r"&(?:#|[A-Za-z0-9]+;)"
_SYNTAX_IN_A_LINE = r"[\r\0\\`*_\[\]]|" + _ENTITY + r"|<(?=\S)"
_INLINE_SYNTAX = re.compile(r"\n|" + _SYNTAX_IN_A_LINE)
# Between a paragraph's lines, a line break is white space to everything but its own rule.
_LINE_SYNTAX = re.compile(_SYNTAX_IN_A_LINE)
# What _simple_inline leaves to the parser in a whole text, by whether a `>` and a `](` stand in
# it: underscores are judged one run at a time (`_inert_underscores`); `<` opens a tag or an
# autolink only where a `>` follows; a bracket opens a link only with `](` (a text parsed on
# its own has no link reference definitions for `[x]` or `[x][y]` to name).
_TEXT_SYNTAX = {
    (tags, links): re.compile(
        (r"[\r\0\\`*\[\]]|" if links else r"[\r\0\\`*]|") + _ENTITY + (r"|<(?=\S)" if tags else "")
    )
    for tags in (False, True)
    for links in (False, True)
}


def inline_children(content: str) -> list[Token] | None:
    """The parser's inline tokens of `content` when they are one text token, else None.

    Extractors ask about many plain lines (is it one link?)."""
    if not (enabled() and content) or _INLINE_SYNTAX.search(content):
        return None
    from markdown_it.token import Token

    text = Token("text", "", 0)
    text.content = content
    return [text]


def plain_text(content: str) -> str | None:
    """The text of `content`'s inline tokens joined as `lesson.text_of` joins them before it
    makes one line of them, or None. Headings, cells and bold terms are mostly plain runs,
    code spans and `**` pairs (`_simple_inline`)."""
    pieces = _simple_inline(content) if enabled() else None
    return None if pieces is None else "".join(value for _, value in pieces)


# Plain runs, `code` spans (single backticks, one line) and `**` runs of exactly two: what most
# bold lines, headings, cells and fields hold. A backtick or asterisk no alternative takes is
# left over.
_SIMPLE_PIECE = re.compile(r"(?<!`)`([^`\n\r\0]+)`(?!`)|(?<!\*)\*\*(?!\*)|[^`*]+")


def _simple_inline(content: str, alone: bool = True) -> list[tuple[str, str]] | None:
    """Inline Markdown of plain runs, code spans and `**strong**` pairs as the parser reads it:
    ("text", text), ("code", contents), ("strong_open", ""), ("strong_close", ""); None for
    anything else.

    Each `**` must be a pure opener (can open, cannot close) where no pair is open, and a pure
    closer where one is: the parser's pairing then is simply one after the other, and nothing
    inside a pair can be a delimiter. Which side a run flanks is decided with markdown-it's
    own character classes, as its `scanDelims` does. Code span contents are literal (no
    escapes, entities or emphasis inside), trimmed of one space as the parser trims them.
    A text run may hold line breaks: the caller knows what white space around them does
    (`plain_text` makes one line of it all). Underscores that can neither open nor close
    (`snake_case`, `______`), a `<` with no `>` after it and brackets without a `](` are
    text, as the parser reads them in a text of their own; not `alone` (a slice of a longer
    text, whose neighbours change what they can do), they are left to the parser.
    """
    syntax = _TEXT_SYNTAX[">" in content, "](" in content] if alone else _LINE_SYNTAX
    if "*" not in content and "`" not in content:
        # One run of text (or none), as the loop below would find it.
        if syntax.search(content) or ("_" in content and not _inert_underscores(content)):
            return None
        return [("text", content)] if content else []
    pieces: list[tuple[str, str]] = []
    opened = False
    position = 0
    for match in _SIMPLE_PIECE.finditer(content):
        if match.start() != position:
            return None  # a lone backtick or asterisk, a longer run
        position = match.end()
        code = match.group(1)
        piece = match.group()
        if code is not None:
            if code.startswith(" ") and code.endswith(" ") and code.strip(" "):
                code = code[1:-1]
            pieces.append(("code", code))
        elif piece == "**":
            if _delimiter_sides(content, match.start(), position) != (not opened, opened):
                return None
            pieces.append(("strong_close" if opened else "strong_open", ""))
            opened = not opened
        elif syntax.search(piece) or (
            "_" in piece and not _inert_underscores(content, match.start(), position)
        ):
            return None
        else:
            pieces.append(("text", piece))
    if position != len(content) or opened:
        return None
    return pieces


def _delimiter_sides(text: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether the `*` run text[start:end] can open and can close emphasis (CommonMark's
    left- and right-flanking rules; the ends of the text count as white space)."""
    return _flanking(text, start, end)[:2]


def _flanking(text: str, start: int, end: int) -> tuple[bool, bool, bool, bool]:
    """Whether the delimiter run text[start:end] is left- and right-flanking, and whether
    punctuation stands before and after it, with markdown-it's own character classes."""
    from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace

    last = text[start - 1] if start > 0 else " "
    following = text[end] if end < len(text) else " "
    last_punct = isMdAsciiPunct(ord(last)) or isPunctChar(last)
    next_punct = isMdAsciiPunct(ord(following)) or isPunctChar(following)
    last_space, next_space = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    left = not (next_space or (next_punct and not (last_space or last_punct)))
    right = not (last_space or (last_punct and not (next_space or next_punct)))
    return left, right, last_punct, next_punct


_UNDERSCORES = re.compile("_+")


def _inert_underscores(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether no `_` run in text[start:end] can open or close emphasis (an underscore run
    opens only if left-flanking and not right-flanking or after punctuation, and closes only
    if right-flanking and not left-flanking or before punctuation): neither flanking, or both
    between two letters or digits."""
    for run in _UNDERSCORES.finditer(text, start, len(text) if end is None else end):
        left, right, last_punct, next_punct = _flanking(text, run.start(), run.end())
        if left != right or (left and (last_punct or next_punct)):
            return False
    return True


# --- Bold leads and links -----------------------------------------------------------------

# `[label](https://...)` at the start, nothing in the label that could nest or hide a bracket,
# a destination without white space, control characters, brackets or escapes: a link.
_PLAIN_LINK = re.compile(r"\[([^\[\]\\`<\n]+)\]\(https?://[^\x00-\x20\x7f()<>\\`]+\)")
_PUNCTUATION = frozenset(string.punctuation)
# What may follow a closing run and count as white space: the end, a space, a tab, or the end
# of the line in a paragraph of several (`**Explanation:**` alone on its line).
_SPACE_AFTER = ("", " ", "\t", "\n")


def bold_lead(content: str, start: int, marker: str) -> tuple[str, str, str] | None:
    """The bold span opening at content[start] with `marker` (`**` or `__`) as the parser
    reads it: (its Markdown, its tokens' text joined before making one line of it, the
    Markdown after it); or None, for the parser to decide.

    Only taken where CommonMark's rules leave no doubt: the term does not open with white
    space (so the opening run, at the start of what the parser reads, can open) and holds no
    delimiter or other inline syntax but whole code spans (so the first closing run is the one
    that closes it), and the closing run is exactly two markers that can close: after a letter
    or digit, or after ASCII punctuation when white space, a line's end or more punctuation
    follows (for `__`, a letter or digit must not follow: underscores inside words do not
    close). Nothing after the closing run can undo the pair.
    """
    if not enabled():
        return None
    close = content.find(marker, start + 2)
    term = content[start + 2 : close]
    if close == -1 or not term or term[0].isspace():
        return None
    # `**`POST /v1/predict`**`: code spans in a `**` term are read as the parser reads them;
    # a `**` inside one leaves its backtick unmatched in the term, and the parser decides.
    pieces = None
    if _INLINE_SYNTAX.search(term):
        if marker != "**":
            return None
        pieces = _simple_inline(term, alone=False)
        if pieces is None:
            pieces = _link_pieces(term)  # `**[Trivy](https://...)** - scanner`
        if pieces is None:
            return None
    after = content[close + 2 : close + 3]
    if after == marker[0]:
        return None  # `**term***`: a longer run, left to the parser
    last = term[-1]
    if last.isalnum():
        closes = marker == "**" or after in _SPACE_AFTER or after in _PUNCTUATION
    else:
        closes = last in _PUNCTUATION and (after in _SPACE_AFTER or after in _PUNCTUATION)
    if not closes:
        return None
    text = "".join(value for _, value in pieces) if pieces else term
    return term, text, content[close + 2 :]


def _link_pieces(term: str) -> list[tuple[str, str]] | None:
    """`[Trivy](https://...)`, a resource list's usual bold term: one link whose label is
    plain text, read as its label; None for anything else. The link can only be a link (see
    _PLAIN_LINK, and the parser accepts any http(s) destination), and nothing in it is a
    delimiter."""
    link = _PLAIN_LINK.fullmatch(term)
    if link is None or _INLINE_SYNTAX.search(link.group(1)):
        return None
    return [("text", link.group(1))]


# `[ ] Done`, `[x] Done`: brackets followed by neither `(` nor `[` open no link in a line read
# on its own (a reference link needs a definition, and the line holds none).
_BRACKETS_ONLY = re.compile(r"\[[^\[\]\\`<\n]*\](?![(\[])")


def only_link(text: str) -> bool | None:
    """Whether stripped `text` is one link and nothing else, or None for the parser to say."""
    if not enabled():
        return None
    if not text.startswith(("[", "<")):
        return False  # the parser opens a link only at `[` (or an autolink at `<`)
    link = _PLAIN_LINK.match(text)
    if link is not None:
        return link.end() == len(text)  # whatever follows the link makes a token after it
    if _BRACKETS_ONLY.match(text):
        return False  # the text opens with a bracket of plain text
    return None


# --- Fields -------------------------------------------------------------------------------


def inline_html(text: str) -> str | None:
    """One stripped line of Markdown as the field parser renders it inline, or None.

    Plain runs, code spans and clear `**strong**` pairs (`_simple_inline`): markdown-it escapes
    `&<>"` but not `'`."""
    return _simple_html(text) if enabled() and "\n" not in text else None


def block_html(text: str) -> str | None:
    """Stripped Markdown as render.block_html makes it (a lone paragraph without its <p>), or
    None: blocks between blank lines that are each a plain paragraph
    (`_plain_paragraphs_html`) or a plain tight list (`_plain_list_html`).

    `Any three of these:`, a blank line, then a numbered list: a blank line ends a paragraph,
    and a line that is not indented ends a list, so each block renders on its own. Two lists
    in a row are left to the parser (a blank line between items makes one loose list).
    """
    if not enabled():
        return None
    parts = text.split("\n\n")
    blocks = []
    after_list = False
    for part in parts:
        listing = _plain_list_html(part)
        if listing is not None:
            if after_list:
                return None
            blocks.append(listing)
        else:
            paragraph = _plain_paragraphs_html(part)
            if paragraph is None:
                return None
            blocks.append(paragraph if len(parts) == 1 else f"<p>{paragraph}</p>")
        after_list = listing is not None
    return "\n".join(blocks)


def _simple_html(text: str) -> str | None:
    """`_simple_inline`'s pieces of `text` rendered as the field parser renders them, or None.

    The field parser's math rules (deckgen.texmath) start at a `$` or a backslash: a text with
    a `$` is left to it (`_simple_inline` leaves every backslash to the parser already)."""
    if "$" in text:
        return None
    pieces = _simple_inline(text)
    if pieces is None:
        return None
    if len(pieces) == 1 and pieces[0][0] == "text":
        return _escaped(pieces[0][1])  # most fields: one run of text
    return "".join([_piece_html(kind, value) for kind, value in pieces])


def _piece_html(kind: str, value: str) -> str:
    if kind == "code":
        return f"<code>{_escaped(value)}</code>"
    if kind == "strong_open":
        return "<strong>"
    return "</strong>" if kind == "strong_close" else _escaped(value)


def _escaped(text: str) -> str:
    return html.escape(text, quote=False).replace('"', "&quot;")


# An ordered list's marker: a line opening with one is not a paragraph.
_LIST_NUMBER = re.compile(r"\d+[.)]")


def _opens_no_block(line: str) -> bool:
    """A line that neither opens nor interrupts a block: it starts a paragraph or continues one.

    A letter or digit (but no list number) opens no heading, quote, list, rule, fence or
    table; nor does `**` before anything but white space or a third `*` (not a bullet, not
    a rule), nor a lone backtick (a fence takes three).
    """
    first = line[:1]
    if first.isalnum():
        return not _LIST_NUMBER.match(line)
    marker = "**" if line.startswith("**") else "`" if first == "`" else ""
    after = line[len(marker) : len(marker) + 1]
    return bool(marker and after) and not after.isspace() and after != first


def _plain_paragraphs_html(text: str) -> str | None:
    """The field HTML of stripped text whose paragraphs' lines are plain; None otherwise.

    Quiz answers are often a line, a blank line and an explanation. No line opens or
    interrupts a block (`_opens_no_block`), and none starts or ends in white space (two
    spaces would make a hard break), so each paragraph is its lines as they stand and a line
    break in one renders as itself, as markdown-it renders soft breaks. A lone paragraph
    loses its <p>.
    """
    paragraphs = []
    for paragraph in text.split("\n\n"):
        for line in paragraph.split("\n"):
            if not (line and not line[-1].isspace() and _opens_no_block(line)):
                return None  # a blank line of spaces, a list, a heading...: the parser decides
        rendered = _simple_html(paragraph)
        if rendered is None:
            return None
        paragraphs.append(rendered)
    if len(paragraphs) == 1:
        return paragraphs[0]
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


# An ordered item's marker as markdown-it reads it: at most nine ASCII digits, then `.`.
_ORDERED_MARKER = re.compile(r"[0-9]{1,9}\. ")


def _plain_list_html(text: str) -> str | None:
    """The field HTML of stripped text that is a tight list of one-line plain items: `- `
    items, or `1. ` then `<number>. ` items; else None.

    Every line is a marker and text that opens no block (`_opens_no_block`: no nested list,
    quote, heading or rule) and ends in no white space, so each line starts a sibling item
    and none continues one; without blank lines the list is tight, and markdown-it renders
    each item's text without <p>. An ordered list numbered from 1 has no `start`; the later
    numbers do not matter.
    """
    ordered = text.startswith("1. ")
    items = []
    for line in text.split("\n"):
        if ordered:
            marker = _ORDERED_MARKER.match(line)
            item = line[marker.end() :] if marker else ""
        else:
            item = line[2:] if line.startswith("- ") else ""
        if not (item and not item[-1].isspace()):
            return None
        rendered = _simple_html(item) if _opens_no_block(item) else None
        if rendered is None:
            return None
        items.append(f"<li>{rendered}</li>\n")
    tag = "ol" if ordered else "ul"
    return f"<{tag}>\n{''.join(items)}</{tag}>"
