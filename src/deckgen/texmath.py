"""Math in lesson text, for the field parser: `$…$`, `$$…$$`, `\\(…\\)` and `\\[…\\]` arrive in a
card as MathJax's `\\(…\\)` and `\\[…\\]`, which Anki typesets, with their TeX untouched.

Without these rules CommonMark reads `\\(x\\)` as an escaped parenthesis, `(x)`, and `_` inside
`$a_i$ … $b_i$` as emphasis. Dollars follow pandoc's strict rule, so prices stay text: no
space after the opening `$`, none before the closing one, and no digit right after it
(`$107k-$230k`, `costs $5 and $10`). The TeX is HTML-escaped like any text (`<` becomes
`&lt;`); MathJax reads the text the browser decodes.

Only cards are rendered with these rules. The lesson parser reads math as CommonMark does, so
keys and excerpts, and so every GUID, are what they were.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from markdown_it.common.utils import escapeHtml
from mdit_py_plugins.dollarmath import dollarmath_plugin

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.renderer import RendererProtocol
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token
    from markdown_it.utils import EnvType, OptionsDict

# The MathJax delimiters of dollarmath's token types, and of ours for `\[…\]` in a paragraph.
_INLINE, _DISPLAYED = ("\\(", "\\)"), ("\\[", "\\]")
_DELIMITERS = {
    "math_inline": _INLINE,
    "math_inline_double": _DISPLAYED,
    "math_block": _DISPLAYED,
    "math_display": _DISPLAYED,
}
# `\(` closes with `\)`, `\[` with `\]`; the token type each makes.
_BACKSLASH_MATH = {"(": ("\\)", "math_inline"), "[": ("\\]", "math_display")}


def math_plugin(parser: MarkdownIt) -> None:
    """Teach `parser` the four ways lesson text writes math, each rendered for MathJax."""
    dollarmath_plugin(
        parser,
        allow_labels=False,  # `$$x$$ (1)`: an anchor to an equation means nothing on a card
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,  # TeX allows none; an unclosed `$$` must not eat the text
        double_inline=True,  # `$$x$$` inside a paragraph is displayed, as pandoc does
    )
    # Before `escape`, which would read `\(` as a literal parenthesis.
    parser.inline.ruler.before("escape", "backslash_math", _backslash_math)
    parser.inline.ruler.before("math_inline", "anki_math_brackets", _anki_math_brackets)
    for kind in _DELIMITERS:
        parser.add_render_rule(kind, _render)


# Anki's own LaTeX markers, `[$]…[/$]` and `[$$]…[/$$]`: text (render.neutralized keeps Anki
# from reading them), never the `$` of a formula. A link `[$](…)` stays a link.
_ANKI_MATH_BRACKETS = re.compile(r"\[/?\$\$?\](?![(\[])")


def _anki_math_brackets(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[":
        return False
    found = _ANKI_MATH_BRACKETS.match(state.src, state.pos, state.posMax)
    if found is None:
        return False
    if not silent:
        state.pending += found.group()
    state.pos = found.end()
    return True


def _backslash_math(state: StateInline, silent: bool) -> bool:
    """`\\(…\\)` or `\\[…\\]`, closed within the same inline text (a paragraph, a cell)."""
    start = state.pos
    if state.src[start] != "\\" or start + 1 >= state.posMax:
        return False
    found = _BACKSLASH_MATH.get(state.src[start + 1])
    if found is None:
        return False
    closer, kind = found
    end = _closing(state.src, closer, start + 2, state.posMax)
    if end is None or not state.src[start + 2 : end].strip():
        return False
    if not silent:
        token = state.push(kind, "math", 0)
        token.content = state.src[start + 2 : end]
        token.markup = state.src[start : start + 2]
    state.pos = end + len(closer)
    return True


def _closing(src: str, closer: str, start: int, stop: int) -> int | None:
    """Where the first `closer` in src[start:stop] starts, if any."""
    closers = _closers(src, closer)
    found = bisect_left(closers, start)
    if found == len(closers) or closers[found] + len(closer) > stop:
        return None
    return closers[found]


@lru_cache(maxsize=8)
def _closers(src: str, closer: str) -> tuple[int, ...]:
    """Where each `closer` in `src` starts whose backslash is not itself escaped: in `\\(a\\\\)`
    the `\\\\` is TeX's line break, and the `)` after it closes nothing.

    Found once per text, so a paragraph of a thousand unclosed `\\(` is read once, not a
    thousand times."""
    found = []
    position = src.find(closer)
    while position != -1:
        run = position  # the backslashes before this one: each belongs to one closer only
        while run > 0 and src[run - 1] == "\\":
            run -= 1
        if (position - run) % 2 == 0:
            found.append(position)
        position = src.find(closer, position + 1)
    return tuple(found)


def _render(
    renderer: RendererProtocol,
    tokens: Sequence[Token],
    index: int,
    options: OptionsDict,
    env: EnvType,
) -> str:
    token = tokens[index]
    opening, closing = _DELIMITERS[token.type]
    math = f"{opening}{escapeHtml(token.content.strip())}{closing}"
    return f"{math}\n" if token.block else math
