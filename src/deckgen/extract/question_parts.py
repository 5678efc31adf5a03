"""What every question finder shares: the record of a question found (`Question`), the mark
of a sentence that asks, and a question's options, read where the author writes them (`A)`
lines, `A - text` runs, `(i)` numerals, a list right below the question) and found again in
an answer that names one (`B`, `2`, a ticked box). Kept apart because every finder
(`quizzes` and the readers it runs, `challenges`, `marked_prompts`) and the decision
(`questions`) read a question's options the same way, and none should import another's code
to do it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from deckgen.extract import carpentries
from deckgen.extract.answers import OPTION, OPTION_ANSWER, OPTION_SHAPE, close_of
from deckgen.extract.common import CODE_BLOCKS, LIST_OPEN, LineStart
from deckgen.extract.evidence import Signal
from deckgen.lesson import Lesson, Section, plain_text

if TYPE_CHECKING:  # the parser is imported on first use: a no-op build never needs it
    from markdown_it.token import Token


@dataclass
class Question:
    """A question a finder found, with what the lesson writes beside it (its number, options,
    answer), before the decision (`questions`) answers it, points it at a section or drops it."""

    content: str  # inline Markdown
    line: int
    section: Section
    number: str | None  # the number a quiz's answer key refers to it by
    answer: str | None
    options: dict[str, str]  # option letter (upper case) -> its Markdown
    shape: str = "question"
    signals: tuple[Signal, ...] = ()
    marker: str = ""  # `[SELECT ALL]` before the stem: shown on the card, no part of the key
    lettered: bool = True  # False: options from a list without letters (lettered here A, B, ...)
    # The answer is the text after a bold question (`**Do I need a GPU?** No, ...`): a FAQ's in
    # a question section; in a lecture's body, `**Why does it matter?** Because ...` titles
    # what follows, and `- **Need root?** → IaaS` walks a decision tree.
    bold_answered: bool = False
    # The whole block the question stands in, shown on its card in place of `content` (a
    # challenge's context and code around the sentence that asks): no block to look for then.
    body: str = ""
    # The answer names its options by their text (a Learn challenge's), never by a letter or
    # a number: `2` is the option `2`, not the second one.
    answer_as_written: bool = False


# A sentence that asks: `?` closing it, before a space, the line's end or closing markup.
ASKING_SENTENCE = re.compile(r"\?[\"')*_`]*(?:\s|$)")

# A line shaped like an option: `A)`, `b.`, `(c)`, `- [ ] D)`.
OPTION_LINE = re.compile(OPTION_SHAPE, re.M)
# Whether a whole lesson holds such a line, the quick way (`LineStart`; the white space opening
# the line taken whole: no option opens with white space to give any back). Two finders ask it
# of each lesson.
_OPTION_LINE_START = LineStart(r"(?>\s*)" + OPTION_SHAPE.removeprefix(r"^\s*"))


@lru_cache(maxsize=1)
def holds_option_line(text: str) -> bool:
    """`OPTION_LINE.search(text) is not None`."""
    return _OPTION_LINE_START.search(text)


# `A - text` lines, three or more in a row lettered A, B, C: options written with a dash (one
# such line is prose: `A - B testing compares two variants`).
_DASH_OPTION = re.compile(r"^[ \t]*([A-H])[ \t]+[-–—][ \t]+(\S.*)$")
DASH_RUN = re.compile(
    "\n".join(rf"^[ \t]*{letter}[ \t]+[-–—][ \t]+\S.*$" for letter in "ABC"), re.M
)

# The letters an option may have (`OPTION`).
_OPTION_LETTERS = "ABCDEFGH"


def add_option(options: dict[str, str], line: str) -> None:
    match = OPTION.match(line)
    if match:
        letter = match.group(1) or match.group(2)  # plain, or in bold
        # A check mark after the right option is its answer (`ticked_answer`), not on the card.
        options.setdefault(letter.upper(), _CHECK_MARK.sub("", match.group(3)).strip())


# `B) chmod ✅`: a check mark ending an option marks it right, as `[x]` does.
_CHECK_MARK = re.compile(r"\s*(?:\*\*|__)?\s*(?:✅|✔️?|☑️?|✓)\s*(?:\*\*|__)?\s*$")


def options_in(tokens: list[Token]) -> dict[str, str]:
    options: dict[str, str] = {}
    for token in tokens:
        if token.type != "inline":
            continue
        for line in token.content.split("\n"):
            add_option(options, line)
        for letter, text in dash_options(token.content).items():
            options.setdefault(letter, text)
    return options


def dash_options(text: str) -> dict[str, str]:
    """The options of the first run of `A - text`, `B - text`, `C - text`... lines in `text`
    (three at least, `DASH_RUN`), by letter; empty when there is none."""
    run = DASH_RUN.search(text)
    if run is None:
        return {}
    options: dict[str, str] = {}
    for line in text[run.start() :].split("\n"):
        match = _DASH_OPTION.match(line)
        if match is None or match.group(1) != _OPTION_LETTERS[len(options)]:
            break
        options[match.group(1)] = match.group(2).strip()
    return options


def choice_lines(options: dict[str, str], lettered: bool = True) -> list[str]:
    """`A) text` lines for the card, when the options run A, B, ... (two at least); the
    text alone for options the author did not letter."""
    letters = list(options)
    if len(letters) < 2 or letters != [chr(ord("A") + n) for n in range(len(letters))]:
        return []
    return [f"{letter}) {text}" if lettered else text for letter, text in options.items()]


def options_below_question(tokens: list[Token], index: int) -> bool:
    """The list opened at token `index` lists the choices of the question right above it
    (`**Q1. Which command lists containers?**` then `- docker ps` / `- docker ls`): a paragraph
    that asks (ends in `?`) stands just before it, and none of its items asks."""
    if index < 3 or tokens[index - 1].type != "paragraph_close":
        return False
    above = tokens[index - 2]
    if above.type != "inline" or not plain_text(above.content).rstrip().endswith("?"):
        return False
    close = close_of(tokens, index)
    level = tokens[index].level + 3  # list, item, paragraph, then the item's text
    items = [t for t in tokens[index:close] if t.type == "inline" and t.level == level]
    return bool(items) and not any(plain_text(t.content).rstrip().endswith("?") for t in items)


def unlettered_options(tokens: list[Token], index: int) -> dict[str, str]:
    """The items of the list opened at `index` as options (lettered A, B, ... here), when it
    lists the choices of the question right above it (`options_below_question`)."""
    if index >= len(tokens) or tokens[index].type not in LIST_OPEN:
        return {}
    if not options_below_question(tokens, index):
        return {}
    return listed_options(tokens, index)


def listed_options(tokens: list[Token], index: int) -> dict[str, str]:
    """The items of the list opened at `index` as options, lettered A, B, ... here (none when
    it lists more than options are lettered)."""
    close = close_of(tokens, index)
    level = tokens[index].level + 1
    texts = [
        _option_text(tokens, position)
        for position in range(index + 1, close)
        if tokens[position].type == "list_item_open" and tokens[position].level == level
    ]
    texts = [text for text in texts if text]
    if len(texts) > len(_OPTION_LETTERS):
        return {}
    return dict(zip(_OPTION_LETTERS, texts, strict=False))


def _option_text(tokens: list[Token], item: int) -> str:
    """The option the list item opened at token `item` lists: the first line of its text
    (`[ ] git add`: without the box to tick), or, for an item that only holds code (`1.` over a
    fenced command), that code; a line of the format's markup (`{: .language-bash}` under the
    code) is neither."""
    close = close_of(tokens, item)
    for token in tokens[item + 1 : close]:
        if token.type == "inline" and token.level == tokens[item].level + 2:
            first = carpentries.unmarked(token.content).split("\n", 1)[0].strip()
            if first:
                return _BOX.sub("", first, count=1)
    code = next(
        (t for t in tokens[item + 1 : close] if t.type in CODE_BLOCKS and t.content.strip()), None
    )
    return f"~~~\n{code.content.strip()}\n~~~" if code is not None else ""


# `[ ] `, `[x] ` opening an unlettered option: the box the learner ticks, no part of its text.
_BOX = re.compile(r"^\[[ xX]\]\s+")

# Roman numerals as options number them: `(i)`, `(ii)`, `iii)`.
_ROMAN = ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii")
_ROMAN_OPTION = re.compile(r"^\s*\(?(i{1,3}|iv|vi{0,3})\)\s+(\S.*)$")


def roman_options(tokens: list[Token]) -> dict[str, str]:
    """`(i) pwd` / `(ii) ls` lines below a question, two or more numbered in order, as its
    options (lettered A, B, ... here; the card lists them without their numerals)."""
    texts: list[str] = []
    for token in tokens:
        if token.type != "inline":
            continue
        for line in token.content.split("\n"):
            match = _ROMAN_OPTION.match(line)
            if match is not None and match.group(1) == _ROMAN[len(texts) % len(_ROMAN)]:
                texts.append(match.group(2).strip())
    return dict(zip(_OPTION_LETTERS, texts, strict=False)) if len(texts) >= 2 else {}


# `- [x] B) text`: the option the author ticked, the answer.
_TICKED = re.compile(r"^\s*(?:[-*]\s+)?\[[xX]\]\s*\(?([A-Ha-h])[).:]\s+(\S.*)$")
# `- [x] git commit`: an unlettered option the author ticked.
_TICKED_TEXT = re.compile(r"^\s*[-*+]\s+\[[xX]\]\s+(\S.*)$")


def ticked_answer(lesson: Lesson, question: Question) -> str:
    """`B` (or `A, C`) when the question's options are written `- [x] B) text`, the ticked ones
    its answer (unlettered, `- [x] text`: their text); empty when none is ticked, or when every
    option is (a filled-in checklist)."""
    reach = question.line + _OPTIONS_REACH * len(question.options)
    ticked: list[str] = []
    for line in lesson.lines[question.line : reach]:  # the lines below the question's
        if line.lstrip().startswith("#"):
            break  # the next heading: the options are above it
        if not question.lettered:
            # `- [x] git commit` among unlettered options: the answer is its text, no letter.
            text = _TICKED_TEXT.match(line)
            if text is not None and text.group(1).strip() in question.options.values():
                ticked.append(text.group(1).strip())
            continue
        match = _TICKED.match(line)
        letter, text = (match.group(1).upper(), match.group(2).strip()) if match else ("", "")
        option = None if match else OPTION.match(line)
        if option is not None and _CHECK_MARK.search(line):
            letter = (option.group(1) or option.group(2)).upper()
            text = _CHECK_MARK.sub("", option.group(3)).strip()
        if letter in question.options and text == question.options[letter]:
            ticked.append(letter)
    return ", ".join(ticked) if len(ticked) < len(question.options) else ""


# How many lines each option may take below its question (a wrapped option, blank lines).
_OPTIONS_REACH = 4

# An answer that only names options: `B`, `a, c`, `A, B, C, E`.
# Each may stand in bold or in parentheses: `**B**`, `(a)`.
_LETTERS = re.compile(
    r"^\s*(?:\*\*|__)?\(?[A-Ha-h]\)?(?:\s*(?:,|and|&)\s*\(?[A-Ha-h]\)?)*(?:\*\*|__)?\s*\.?\s*$"
)
# `B - because ...`, `**B**: ...`, `B. ...`: an answer opening with an option's letter and
# saying why, not which option it is (`B) Object storage - ...` names it in the author's words).
_LEAD_LETTER = re.compile(r"^(?:\*\*|__)?([A-Ha-h])(?:\*\*|__)?(?:\s*[.:]|\s+[-–—])\s*(.*)$")


def with_option_text(answer: str, options: dict[str, str]) -> str:
    """`B` -> `B) Object storage (S3, GCS)`; `A, C` -> the letters, then each option;
    `B - why` -> the option, then why (the option's text said again is left out)."""
    first, _, rest = answer.partition("\n")
    if not options:
        return answer
    lead = None if _LETTERS.match(first) else _LEAD_LETTER.match(first.strip())
    if lead is not None and lead.group(1).upper() in options:
        letter, said = lead.group(1).upper(), lead.group(2).strip()
        if plain_text(said).rstrip(" .").lower() == plain_text(options[letter]).lower():
            said = ""
        return "\n\n".join(p for p in (f"{letter}) {options[letter]}", said, rest.strip()) if p)
    if not _LETTERS.match(first):
        return answer
    letters = re.findall(r"\b[A-Ha-h]\b", first)  # not the a and d of `B and C`
    known = [letter.upper() for letter in letters if letter.upper() in options]
    if not known:
        return answer
    if len(known) == 1:
        chosen = f"{known[0]}) {options[known[0]]}"
    else:
        listed = "\n".join(f"- {letter}) {options[letter]}" for letter in known)
        chosen = f"**{first.strip()}**\n\n{listed}"
    return f"{chosen}\n\n{rest.strip()}".strip()


# `2`, `2)`, `(2).`, `2 - because ...`: an answer naming an option by its number.
# A roman numeral needs its parenthesis: `i.e. ...` names no option.
_LEAD_NUMBER = re.compile(
    r"^(?:\*\*|__)?(?:\(?(\d{1,2})\)?|\(?([ivx]{1,4})\))(?:\*\*|__)?"
    r"(?:\s*[.:)]\s*|\s+[-–—]\s+|\s*$)(.*)$"
)


def named_option(tokens: list[Token], options: dict[str, str]) -> str | None:
    """The letter of the option a `Correct: git commit` line names by its text, or None."""
    texts = {plain_text(text).strip().lower(): letter for letter, text in options.items()}
    for token in tokens:
        for line in token.content.split("\n") if token.type == "inline" else ():
            label = OPTION_ANSWER.match(line)
            value = plain_text(line[label.end() :]).strip(" *_.").lower() if label else ""
            if value in texts:
                return texts[value]
    return None


def with_numbered_option(answer: str, options: dict[str, str]) -> str:
    """`2` -> `2) ls` for options the author numbered (`1) cd`, `2) ls`): the answer names the
    second, which the card lists without its number; the reason after it stays."""
    first, _, rest = answer.partition("\n")
    lead = _LEAD_NUMBER.match(first.strip())
    texts = list(options.values())
    named = (lead.group(1) or lead.group(2)) if lead else ""
    number = int(named) if named.isdigit() else _ROMAN.index(named) + 1 if named in _ROMAN else 0
    if lead is None or not 1 <= number <= len(texts) or "\n" in texts[number - 1]:
        return answer  # (code the front shows already: the answer's own words name it)
    said = lead.group(3).strip()
    if plain_text(said).rstrip(" .").lower() == plain_text(texts[number - 1]).lower():
        said = ""
    return "\n\n".join(p for p in (f"{named}) {texts[number - 1]}", said, rest.strip()) if p)
