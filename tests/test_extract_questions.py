"""Questions under every default heading, configured headings and answer-key files; the other
cases are in fixtures/extract/question."""

from __future__ import annotations

import pytest

from deckgen.config import ExtractConfig
from deckgen.defaults import defaults
from deckgen.extract import extract_lesson
from deckgen.extract.pointers import text_words
from deckgen.items import SelfCheckQuestion

from .helpers import items_of, lesson_of

QUIZ_OPTIONS = "A) Lower cost\nB) Elasticity on demand\nC) Faster training\n"


def _questions(markdown: str) -> list[SelfCheckQuestion]:
    return items_of(markdown, SelfCheckQuestion)


@pytest.mark.parametrize("heading", defaults().question_headings)
def test_list_items_under_every_question_heading(heading: str) -> None:
    markdown = (
        f"# L\n\n## Docker\n\nDocker runs containers.\n\n## {heading}\n\n1. What is Docker?\n"
    )
    (question,) = _questions(markdown)
    assert question.question_text == "What is Docker?"
    assert question.answer is None and question.answer_section == ("Docker",)


def test_question_headings_are_configurable() -> None:
    markdown = "# L\n\n## Docker\n\nDocker runs containers.\n\n## Exam Prep\n\n- What is Docker?\n"
    assert _questions(markdown) == []
    config = ExtractConfig(question_headings=("Exam Prep",))
    assert [q.question_text for q in items_of(markdown, SelfCheckQuestion, config)] == [
        "What is Docker?"
    ]


def test_answer_key_file_answers_the_quiz() -> None:
    quiz = lesson_of("# Quiz\n\n### Question 1\nWhat is the main advantage?\n\n" + QUIZ_OPTIONS)
    quiz.answer_key = lesson_of("# Key\n\n## Question 1\n**Answer:** B\n", "quiz-answers.md")
    (keyed,) = extract_lesson(quiz, ExtractConfig()).items
    assert keyed.item.answer == "B) Elasticity on demand"


def _excerpt(section_body: str) -> str:
    markdown = f"# L\n\n## Container tooling\n\n{section_body}\n\n## Self-Check Questions\n\n"
    (question,) = _questions(markdown + "1. Which container tooling exists?\n")
    assert question.answer_section == ("Container tooling",)
    return question.excerpt


def test_an_excerpt_without_a_sentence_end_stops_at_a_word() -> None:
    excerpt = _excerpt("container tooling " * 30)
    assert excerpt.endswith("tooling …") and len(excerpt) <= 242


def test_a_takeaway_is_not_the_lessons_definition_of_a_term() -> None:
    """Takeaways restate the lesson (`**Volumes**: named volumes vs bind mounts`): a question
    about the term is answered by the section search, never as the term's definition."""
    markdown = (
        "# L\n\n## Storage\n\nData outlives a container only on a volume.\n\n"
        "## Key Takeaways\n\n- **Volumes**: named volumes vs bind mounts\n\n"
        "## Self-Check Questions\n\n1. What are volumes?\n"
    )
    (candidate,) = [
        c
        for c in extract_lesson(lesson_of(markdown), ExtractConfig()).candidates
        if c.kind == "question"
    ]
    assert "lesson-defines-term" not in [signal.name for signal in candidate.signals]
    markdown = markdown.replace("## Key Takeaways", "## Key Concepts")
    (candidate,) = [
        c
        for c in extract_lesson(lesson_of(markdown), ExtractConfig()).candidates
        if c.kind == "question"
    ]
    assert "lesson-defines-term" in [signal.name for signal in candidate.signals]


def test_a_past_participle_meets_its_verb() -> None:
    # `How do you share data?` is answered by a section on what is `shared`: to the matcher
    # they are one word, as `distributed` and `distributing` are.
    assert text_words("shared distributed") == text_words("share distributing")
    markdown = (
        "# L\n\n## Self-Check Questions\n\n1. How do you share data?\n\n"
        "## Volumes\n\nData on a volume mounted in two containers is shared by both.\n"
    )
    (question,) = _questions(markdown)
    assert question.answer_section == ("Volumes",)


_COURSE = (
    "# L\n\n## Load Balancers\n\nA load balancer spreads requests across servers, so one busy "
    "server never slows every user.\n\n## Security Groups\n\nA security group is a firewall "
    "for an instance that allows or denies traffic by port.\n\n"
)


def test_a_list_of_topics_under_a_question_heading_is_no_question_list() -> None:
    """`### Knowledge Checks` above `- Security group rules` names what an assessment covers:
    no item asks, so none is a question, though a section could be found for each."""
    topics = _COURSE + "## Knowledge Checks\n\n- Load balancer choices\n- Security group rules\n"
    assert _questions(topics) == []
    candidates = [
        c
        for c in extract_lesson(lesson_of(topics), ExtractConfig()).candidates
        if c.kind == "question"
    ]
    assert {c.reason for c in candidates} == {"topic-not-question"}


@pytest.mark.parametrize(
    "item",
    ["Explain how a load balancer spreads requests", "Load balancers spread ___ across servers"],
)
def test_one_item_that_asks_makes_the_list_a_question_list(item: str) -> None:
    markdown = _COURSE + f"## Knowledge Checks\n\n- {item}\n- Security group rules\n"
    assert len(_questions(markdown)) >= 1


def _marked(markdown: str) -> list[tuple[str, str | None]]:
    return [(q.question_text, q.answer) for q in _questions(markdown)]


def _dropped_marked(markdown: str) -> list[tuple[str, str]]:
    extraction = extract_lesson(lesson_of(markdown), ExtractConfig())
    return [
        (c.reason, next(s.detail for s in c.signals if s.name == "prompt-unanswered"))
        for c in extraction.candidates
        if c.shape == "marked-question" and c.item is None
    ]


MARKED = """# Pebbles

## Sorting

Pebbles sort by size before colour.

✅ Did you notice that the small pebbles weigh more per bag? Can you figure out why? Hint:
more of them fit in a bag, with less air between them.

> 🤔 If colour says nothing of weight, why do we sort by colour at all? It shows the learner
> which pile is which at a glance.

✅ Think of other reasons to sort pebbles. Which would you try first?

✅ Which pile would you weigh first? Take a look at the scale's manual first.
"""


def test_a_marked_paragraph_that_asks_is_a_question_answered_by_the_rest_of_it() -> None:
    assert _marked(MARKED) == [
        (
            "Did you notice that the small pebbles weigh more per bag? Can you figure out why?",
            "Hint:\nmore of them fit in a bag, with less air between them.",
        ),
        (
            "If colour says nothing of weight, why do we sort by colour at all?",
            "It shows the learner\nwhich pile is which at a glance.",
        ),
    ]
    # A prompt that ends on its question, or goes on telling the learner what to do, is a
    # reflection the lesson answers nowhere: no card.
    assert _dropped_marked(MARKED) == [
        ("no-answer-found", "ends on its question"),
        ("no-answer-found", "goes on: Take"),
    ]
    # Without the mark, a question in running prose is the author's own, answered or not.
    assert _marked(MARKED.replace("✅ ", "").replace("🤔 ", "")) == []


def test_a_marked_note_or_list_of_questions_to_ask_is_no_question() -> None:
    note = "# L\n\n## Features\n\n🎓 **Feature selection** How do you pick? You keep the best.\n"
    checklist = (
        "# L\n\n## Triage\n\nWhen a ticket comes in, ask:\n\n✅ Is it urgent?\n"
        "✅ Who owns it? The team or the vendor, say.\n"
    )
    assert _marked(note) == [] and _marked(checklist) == []
