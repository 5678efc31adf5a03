"""Questions a pictograph marks in running text (`marked-question`): `✅ Did you notice ...?`,
a course's inline check on the learner, answered by the rest of its paragraph.

Separate from the other question finders because it reads any paragraph of a lesson, not a
quiz or a question section, by its mark alone, and answers it only from its own paragraph
(the block after it goes on with the lesson). Docs: docs/extraction.md, `marked-question`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from deckgen.config import ExtractConfig
from deckgen.extract.answers import ASKING_OPENER
from deckgen.extract.common import bold_lead, is_question_scope, source_ref
from deckgen.extract.evidence import Candidate, Signal, drop
from deckgen.extract.prose import sentences
from deckgen.extract.question_parts import ASKING_SENTENCE, Question
from deckgen.lesson import Lesson, line_of, plain_text

# `✅ What would you use ...?`, `> 🤔 Why ...?`: a pictograph (a symbol from U+2600 on: check
# marks, dingbats, emoji; not arrows nor box drawing) opening a paragraph marks it as a prompt
# to the learner, as a course's inline knowledge check.
_PICTOGRAPH = "\u2600-\u27bf\U0001f000-\U0001faff"
_PROMPT_MARK = re.compile(rf"^\s*([{_PICTOGRAPH}][\ufe0f\u200d]*)\s*")
_ANY_MARK = re.compile(f"[{_PICTOGRAPH}]")
# `Hint:`, `Answer:`: a label of at most two words the author sets an answer apart with.
_ANSWER_SET_APART = re.compile(r"^\W*[A-Z]\w*(?:\s\w+)?:\s+(?=\S)")
_MARKED = "marked-question"


def marked_questions(lesson: Lesson, config: ExtractConfig) -> Iterator[Question | Candidate]:
    """A paragraph a pictograph opens (`✅`, `🤔`) that asks, in running text: a check the
    course puts to the learner. Its question runs up to its last sentence that asks, and the
    rest of the paragraph answers it (`answer-follows`) when that is a statement, or text the
    author sets apart with a label (`Hint: Try scaling ...`); a prompt that ends on its
    question, or goes on telling the learner what to do (`Take a look at ...`), is a reflection
    the lesson answers nowhere: no card (`prompt-unanswered`). Not when a bold lead follows the
    mark (`🎓 **Feature Selection** How do you ...?` titles a note), nor when several lines of
    the paragraph open with one (`✅ **Is this training?**` / `✅ **What type ...?**`: a list
    of questions to ask someone else)."""
    if _ANY_MARK.search(lesson.text) is None:
        return  # most lessons: no pictograph anywhere
    for index, token, section in lesson.walk("paragraph_open"):
        content = lesson.tokens[index + 1].content
        mark = _PROMPT_MARK.match(content)
        if mark is None or section is None or is_question_scope(section, config):
            continue
        if bold_lead(content) is not None:
            continue
        if sum(_PROMPT_MARK.match(line) is not None for line in content.split("\n")) > 1:
            continue
        text = content[mark.end() :]
        asked = [
            offset + len(sentence)
            for offset, sentence in sentences(text)
            if ASKING_SENTENCE.search(plain_text(sentence.strip()) + " ")
        ]
        if not asked:
            continue
        question, rest = text[: asked[-1]].strip(), text[asked[-1] :].strip()
        signals = [Signal("marked-paragraph", 1, mark.group(1))]
        unlabelled = _ANSWER_SET_APART.sub("", rest, count=1) == rest
        instructs = unlabelled and ASKING_OPENER.match(plain_text(rest)) is not None
        if not rest or instructs:
            detail = f"goes on: {plain_text(rest).split()[0]}" if rest else "ends on its question"
            source = source_ref(lesson, line_of(token), section)
            against = Signal("prompt-unanswered", -1, detail)
            yield drop(
                "question",
                source,
                plain_text(question),
                _MARKED,
                "no-answer-found",
                *signals,
                against,
            )
            continue
        signals.append(Signal("answer-follows", 1, "in its paragraph"))
        yield Question(question, line_of(token), section, None, rest, {}, _MARKED, tuple(signals))
