"""Questions under every common heading, quiz files, and the answers lessons give."""

from __future__ import annotations

import pytest

from deckgen.config import ExtractConfig
from deckgen.defaults import defaults
from deckgen.extract import extract_lesson
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
    markdown = "# L\n\n## Quiz Yourself\n\n- What is Docker?\n"
    assert _questions(markdown) == []
    config = ExtractConfig(question_headings=("Quiz Yourself",))
    assert [q.question_text for q in items_of(markdown, SelfCheckQuestion, config)] == [
        "What is Docker?"
    ]


def test_a_hard_wrapped_question_stays_one_question() -> None:
    markdown = (
        "# L\n\n"
        "## Review Questions\n\n"
        "1. What is the difference between\n   a container and a VM?\n2. Why?\n"
    )
    assert [q.question_text for q in _questions(markdown)] == [
        "What is the difference between a container and a VM?",
        "Why?",
    ]


def test_a_bold_question_label_above_a_nested_list() -> None:
    markdown = (
        "# L\n\n"
        "## Submission\n\n3. **Reflection Questions**\n   - What was hard?\n   - What next?\n"
    )
    assert [q.question_text for q in _questions(markdown)] == ["What was hard?", "What next?"]


def test_quiz_heading_then_question_options_and_answer_letter() -> None:
    markdown = (
        f"# Quiz\n\n### Question 1\nWhat is the main advantage?\n\n{QUIZ_OPTIONS}\n**Answer:** B\n"
    )
    (question,) = _questions(markdown)
    assert question.question_text == "What is the main advantage?"
    assert question.answer == "B) Elasticity on demand"


def test_question_in_the_heading_and_lowercase_options() -> None:
    markdown = "# Quiz\n\n### Q1. What is a VPC for?\n\na) Cost\nb) Isolation\n\n**Answer**: b\n"
    (question,) = _questions(markdown)
    assert (question.question_text, question.answer) == ("What is a VPC for?", "B) Isolation")


def test_several_letters_list_each_option() -> None:
    markdown = (
        f"# Quiz\n\n### Question 2\nWhich apply? (Select all)\n\n{QUIZ_OPTIONS}\n**Answer:** A, C\n"
    )
    (question,) = _questions(markdown)
    assert question.answer == "**A, C**\n\n- A) Lower cost\n- C) Faster training"


def test_q_label_and_marker_lines() -> None:
    markdown = (
        "# Key\n\n## Question 1\n**Q:** Which model gives most control?\n\n"
        "**Answer:** C) IaaS\n\n## Question 2\n**[Short Answer]**\nWhy retrain models?\n"
    )
    first, second = _questions(markdown)
    assert (first.question_text, first.answer) == ("Which model gives most control?", "C) IaaS")
    assert second.answer is None
    assert second.question_text == "Why retrain models?"


def test_details_block_answer_in_one_html_block() -> None:
    markdown = (
        "# Quiz\n\n### Question 1\n**What does FROM do?**\n\n"
        "<details>\n<summary>Answer</summary>\nSets the base image\n</details>\n"
    )
    (question,) = _questions(markdown)
    assert question.question_text == "What does FROM do?"
    assert question.answer == "Sets the base image"


def test_details_block_with_markdown_inside() -> None:
    markdown = (
        "# Quiz\n\n### Question 1\n**Name two things to ignore.**\n\n"
        "<details>\n<summary>Sample Answer</summary>\n\n- `.git/`\n- `data/`\n\n</details>\n"
    )
    (question,) = _questions(markdown)
    assert question.answer == "- `.git/`\n- `data/`"


def test_answer_key_section_with_explanations() -> None:
    markdown = (
        f"# Quiz\n\n### Question 1\nWhat is the main advantage?\n\n{QUIZ_OPTIONS}\n"
        "# Answers and Explanations\n\n**Question 1: B**\nElastic capacity wins.\n"
    )
    (question,) = _questions(markdown)
    assert question.answer == "B) Elasticity on demand\n\nElastic capacity wins."


def test_compact_answer_key() -> None:
    markdown = (
        "# Quiz\n\n### Q1. First?\n\nA) yes\nB) no\n\n### Q2. Second?\n\nA) up\nB) down\n\n"
        "## Answer Key\n\n1. B   2. A\n"
    )
    assert [q.answer for q in _questions(markdown)] == ["B) no", "A) up"]


def test_answer_key_file_answers_the_quiz() -> None:
    quiz = lesson_of("# Quiz\n\n### Question 1\nWhat is the main advantage?\n\n" + QUIZ_OPTIONS)
    quiz.answer_key = lesson_of("# Key\n\n## Question 1\n**Answer:** B\n", "quiz-answers.md")
    (keyed,) = extract_lesson(quiz, ExtractConfig()).items
    assert keyed.item.answer == "B) Elasticity on demand"


def test_empty_answer_label_takes_the_blocks_below() -> None:
    markdown = (
        "# Quiz\n\n### Question 3 (Short Answer)\nName two kinds of debt.\n\n"
        "**Answer (Examples):**\n\n"
        "1. **Data Debt**: unstable sources\n2. **Model Debt**: sprawl\n\n"
        "---\n"
    )
    (question,) = _questions(markdown)
    assert question.answer == "1. **Data Debt**: unstable sources\n2. **Model Debt**: sprawl"


def test_rubric_under_a_numbered_heading_is_not_a_question() -> None:
    markdown = "# Quiz\n\n## Grading\n\n### Question 7 (2 points)\n- **2 points:** Clear answer\n"
    assert _questions(markdown) == []


def test_topic_heading_above_the_question_and_letter_inside_the_bold() -> None:
    markdown = (
        "# Quiz\n\n### Question 1: GPU Architecture\n**Why do GPUs suit ML?**\n\n"
        "A) Clock speed\nB) Many parallel cores\n\n**Answer: B**\n"
    )
    (question,) = _questions(markdown)
    assert (question.question_text, question.answer) == (
        "Why do GPUs suit ML?",
        "B) Many parallel cores",
    )


def test_headings_match_without_emoji_or_section_numbers() -> None:
    markdown = "# L\n\n## 🧠 9. Self-Check Questions\n\n- What is Docker?\n"
    assert [q.question_text for q in _questions(markdown)] == ["What is Docker?"]


def test_numbered_question_paragraphs_under_a_question_heading() -> None:
    markdown = (
        "# L\n\n## Knowledge Check\n\nTry these first.\n\n"
        "**1. What is a container?**\n\nA) A VM\nB) An isolated process\n\n**Answer:** B\n\n"
        "**Q2:** Why pin image tags?\n\n<details><summary>Answer</summary>Reproducible builds"
        "</details>\n"
    )
    assert [(q.question_text, q.answer) for q in _questions(markdown)] == [
        ("What is a container?", "B) An isolated process"),
        ("Why pin image tags?", "Reproducible builds"),
    ]


def test_explanation_follows_the_answer() -> None:
    markdown = (
        "# Key\n\n## Question 1\n**Q:** Which model gives most control?\n\n"
        "**Answer:** C) IaaS\n\n**Explanation:**\nYou manage the OS.\n\n---\n"
    )
    (question,) = _questions(markdown)
    assert question.answer == "C) IaaS\n\nYou manage the OS."


def test_numbered_steps_in_a_solutions_section_answer_nothing() -> None:
    markdown = (
        "# L\n\n## Self-Check Questions\n\n1. What is Docker?\n\n"
        "## Solutions\n\n**1. Install Docker**\nRun the installer.\n"
    )
    (question,) = _questions(markdown)
    assert question.answer is None


def test_a_quarter_heading_is_not_a_quiz_question() -> None:
    markdown = "# L\n\n## Roadmap\n\n### Q4 Planning\n\nWe ship the feature store.\n"
    assert _questions(markdown) == []


def test_a_hint_block_is_not_the_answer() -> None:
    markdown = (
        "# L\n\n## Review Questions\n\n1. Why pin tags?\n\n"
        "   <details><summary>Hint</summary>Think of rebuilds</details>\n\n"
        "   <details><summary>Answer</summary>Reproducible builds</details>\n"
    )
    (question,) = _questions(markdown)
    assert question.answer == "Reproducible builds"


def _excerpt(section_body: str) -> str:
    markdown = f"# L\n\n## Container tooling\n\n{section_body}\n\n## Self-Check Questions\n\n"
    (question,) = _questions(markdown + "1. Which container tooling exists?\n")
    assert question.answer_section == ("Container tooling",)
    return question.excerpt


def test_the_excerpt_skips_headings_and_table_cells() -> None:
    body = (
        "| Tool | Use |\n|---|---|\n| Docker | Containers |\n\n"
        "### Infrastructure & Orchestration\n\n"
        "- **Docker:** Containerization of ML applications\n"
        "- **Kubernetes:** Container orchestration at scale\n"
    )
    assert _excerpt(body) == (
        "Docker: Containerization of ML applications; Kubernetes: Container orchestration at scale"
    )


def test_a_long_excerpt_ends_at_a_sentence() -> None:
    sentence = "Container tooling packages an application with everything it needs to run. "
    excerpt = _excerpt(sentence * 5)
    assert excerpt == (sentence * 3).strip()


def test_an_excerpt_without_a_sentence_end_stops_at_a_word() -> None:
    excerpt = _excerpt("container tooling " * 30)
    assert excerpt.endswith("tooling …") and len(excerpt) <= 242
