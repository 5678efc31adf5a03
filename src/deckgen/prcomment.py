"""The pull-request comment and job summary of deckgen's GitHub Action, made safe to post.

The Markdown that `deckgen check --format markdown` gives quotes lesson text, which anyone who
opens a pull request writes: posted as is, it could mention people (`@name`), reference other
repositories' issues (`owner/repo#1` notifies them), or load images. Each is defused with an
invisible zero-width joiner, and the text is cut, at a line, to fit GitHub's size limit, saying
how much was cut. Run as `python -m deckgen.prcomment LIMIT < check.md > comment.md`.
"""

from __future__ import annotations

import re
import sys

# Starts the comment, so the action finds its own comment again and updates it.
MARKER = "<!-- deckgen-check -->"
COMMENT_LIMIT = 65_536  # GitHub's cap on a comment's body, in characters
_SMALLEST_LIMIT = 1_000  # room for the marker, the note of what was cut, and a few lines

_JOINER = "\u200d"  # zero width: the reader sees the same text, GitHub sees no reference
_DEFUSED = re.compile(
    r"(?<![A-Za-z0-9_.+-])(?P<at>@)(?=[A-Za-z0-9_-])"  # @user, @org/team; not in an e-mail
    r"|(?P<hash>#)(?=\d)"  # #12, owner/repo#12
    r"|(?P<bang>!)(?=\\?\[)"  # ![alt](url): an image fetched when the comment is shown
    r"|(?P<tag><)(?=(?:img|picture|video|source|image)\b)",  # the same in HTML
    re.IGNORECASE,
)


def defuse(markdown: str) -> str:
    """`markdown` with no live mention, issue reference or image."""

    def replace(match: re.Match[str]) -> str:
        if match.group("tag"):
            return "&lt;"
        return match.group() + _JOINER

    return _DEFUSED.sub(replace, markdown)


def cut(text: str, limit: int) -> str:
    """`text` whole if it fits in `limit` characters, else its first lines and a note of how
    many were left out, all within `limit`."""
    if len(text) <= limit:
        return text
    lines = text.splitlines(keepends=True)
    kept: list[str] = []
    size = 0
    # The note's length, with room for the largest counts it can name.
    room = limit - len(_cut_note(len(lines), len(text)))
    for line in lines:
        if size + len(line) > room:
            break
        kept.append(line)
        size += len(line)
    note = _cut_note(len(lines) - len(kept), len(text) - size)
    return "".join(kept) + note


def _cut_note(lines: int, characters: int) -> str:
    return (
        f"\n\n**Cut to fit GitHub's size limit: {lines} more lines ({characters} characters) "
        "are not shown.** Run `deckgen check` for the whole diff.\n"
    )


def comment(markdown: str, limit: int = COMMENT_LIMIT) -> str:
    """The body the action posts: its marker, then `markdown` defused and cut to `limit`."""
    head = MARKER + "\n"
    if not markdown.strip():  # deckgen stopped before its report: the reason is in the log
        markdown = "deckgen check gave no report: its reason is in the job's log.\n"
    return head + cut(defuse(markdown), limit - len(head))


def main(argv: list[str]) -> int:
    """`python -m deckgen.prcomment [LIMIT]`: stdin's Markdown as a comment on stdout."""
    limit = int(argv[0]) if len(argv) == 1 and argv[0].isdigit() else COMMENT_LIMIT
    if len(argv) > 1 or limit < _SMALLEST_LIMIT or (argv and not argv[0].isdigit()):
        print(
            f"usage: python -m deckgen.prcomment [LIMIT >= {_SMALLEST_LIMIT}] "
            "< check.md > comment.md",
            file=sys.stderr,
        )
        return 2
    sys.stdout.write(comment(sys.stdin.read(), limit))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
