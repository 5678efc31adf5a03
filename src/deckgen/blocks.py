"""markdown-it's block parser made faster for whole lessons, with the same tokens.

tests/test_fast_paths.py compares the tokens with the stock parser's, on the corpus and on
random mixtures of block syntax.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.parser_block import ParserBlock, RuleFuncBlockType
from markdown_it.ruler import Ruler
from markdown_it.rules_block import StateBlock
from markdown_it.token import Token
from markdown_it.utils import EnvType


def faster_blocks(parser: MarkdownIt) -> MarkdownIt:
    """`parser`, its block stage sped up (see `_ask_only_possible_rules` and `_LineState`)."""
    _ask_only_possible_rules(parser)
    parser.block = _LineStateParser(parser.block.ruler)
    return parser


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


def _ask_only_possible_rules(parser: MarkdownIt) -> None:
    """Put a rule first that tries, for each block, only the rules its first character allows.

    markdown-it tries its block rules one after another at the start of every block, and most
    blocks start with a letter, where only table, setext heading and paragraph can match: the
    other eight each cost a call and a debug log call, about 15% of parsing a lesson. The rules
    asked are markdown-it's own, in its order, so the tokens are the same
    (tests/test_fast_paths.py compares them with the stock parser's).
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


def _only_before_an_underline(lheading: RuleFuncBlockType) -> RuleFuncBlockType:
    """markdown-it's setext heading rule, asked only where an underline may follow.

    The rule reads ahead through what would be a paragraph, trying every rule that may end a
    paragraph on each line, looking for a `===` or `---` line; then, nearly always, the
    paragraph rule reads the same lines again. It can only match if one of the lines before
    the next blank one is all `=` or all `-`, which is much quicker to rule out.
    """

    def if_an_underline_may_follow(state: StateBlock, line: int, end: int, silent: bool) -> bool:
        src, begins, shifts, ends = state.src, state.bMarks, state.tShift, state.eMarks
        for following in range(line + 1, end):
            start, stop = begins[following] + shifts[following], ends[following]
            if start >= stop:
                return False  # a blank line: what starts at `line` ends before it
            marker = src[start]
            if marker in "-=" and not src[start:stop].rstrip(" \t").lstrip(marker):
                return lheading(state, line, end, silent)
        return False

    return if_an_underline_may_follow


class _LineState(StateBlock):
    """markdown-it's block state, its line table made from whole lines at a time.

    StateBlock walks every line's leading whitespace one character at a time, in Python: 15%
    of parsing a lesson. Here `str.split` and `lstrip` find lines and indents, and only
    indents with a tab are counted column by column.
    """

    def __init__(self, src: str, md: MarkdownIt, env: EnvType, tokens: list[Token]) -> None:
        super().__init__("", md, env, tokens)  # every other field, as markdown-it sets it
        self.src = src
        begins, ends, shifts, columns = self.bMarks, self.eMarks, self.tShift, self.sCount
        del begins[:], ends[:], shifts[:], columns[:]  # the entry for the end, added again below
        start = 0
        for line in src.split("\n"):
            end = start + len(line)
            text = line.lstrip(" \t")
            indent = len(line) - len(text)
            if not text and end == len(src):
                break  # no entry for a last line of blanks without a line break (markdown-it's)
            begins.append(start)
            ends.append(end)
            shifts.append(indent)
            columns.append(_columns(line[:indent]) if "\t" in line[:indent] else indent)
            start = end + 1
        # And an entry for the end of the text, which markdown-it's rules rely on.
        begins.append(len(src))
        ends.append(len(src))
        shifts.append(0)
        columns.append(0)
        self.bsCount = [0] * len(begins)
        self.lineMax = len(begins) - 1


def _columns(indent: str) -> int:
    """The width of an indent of spaces and tabs, a tab stop every 4 columns."""
    width = 0
    for character in indent:
        width += 4 - width % 4 if character == "\t" else 1
    return width


class _LineStateParser(ParserBlock):
    """markdown-it's block parser, parsing with a `_LineState`."""

    def __init__(self, ruler: Ruler[RuleFuncBlockType]) -> None:
        super().__init__()
        self.ruler = ruler  # the rules as the parser was configured

    def parse(
        self, src: str, md: MarkdownIt, env: EnvType, outTokens: list[Token]
    ) -> list[Token] | None:
        if not src:
            return None
        state = _LineState(src, md, env, outTokens)
        self.tokenize(state, state.line, state.lineMax)
        return state.tokens
