"""Definitions in every spelling real lessons use, and the bold text that is not one."""

from __future__ import annotations

import pytest

from deckgen.items import Definition

from .helpers import items_of


def _terms(markdown: str) -> dict[str, str]:
    return {d.term_text: d.body for d in items_of(markdown, Definition)}


@pytest.mark.parametrize(
    "bullet",
    [
        "- **Docker**: Containers for apps",
        "- **Docker:** Containers for apps",
        "- **Docker** - Containers for apps",
        "- **Docker** – Containers for apps",
        "- **Docker** — Containers for apps",
        "* 🐳 **Docker**: Containers for apps",
        "1. **Docker** - Containers for apps",
    ],
)
def test_bullet_spellings(bullet: str) -> None:
    assert _terms(f"# L\n\n## Tools\n\n{bullet}\n") == {"Docker": "Containers for apps"}


def test_inline_code_in_the_term() -> None:
    found = items_of("# L\n\n- **`kubectl` apply**: Applies a manifest\n", Definition)
    assert [(d.term_text, d.term) for d in found] == [("kubectl apply", "`kubectl` apply")]


def test_defining_verb_keeps_the_sentence() -> None:
    found = _terms("# L\n\n**Kubernetes (K8s)** is a container orchestrator.\n")
    assert found == {"Kubernetes (K8s)": "**Kubernetes (K8s)** is a container orchestrator."}


def test_aside_between_term_and_separator_stays_with_the_term() -> None:
    found = items_of("# L\n\n- **GCS** (Cloud Storage): Object storage\n", Definition)
    assert [(d.term_text, d.term, d.body) for d in found] == [
        ("GCS", "GCS (Cloud Storage)", "Object storage")
    ]


def test_bold_term_with_a_nested_list() -> None:
    found = _terms(
        """
        # L

        1. **Canary Deployment**
           - Route a little traffic first
           - Roll back on errors
        """
    )
    assert found == {"Canary Deployment": "- Route a little traffic first\n- Roll back on errors"}


def test_bold_title_paragraph_above_a_list_with_its_number_dropped() -> None:
    found = _terms("# L\n\n**1. Psychological Safety**\n- No blame\n- Learn from failure\n")
    assert found == {"Psychological Safety": "- No blame\n- Learn from failure"}


def test_a_label_with_a_colon_only_introduces_its_list() -> None:
    assert _terms("# L\n\n**Strengths:**\n- Mature\n- Big ecosystem\n") == {}


def test_joined_label_lines_in_one_paragraph() -> None:
    found = _terms("# L\n\n**Latency:** time per request\n**Throughput:** requests per second\n")
    assert found == {"Latency": "time per request", "Throughput": "requests per second"}


@pytest.mark.parametrize(
    "markdown",
    [
        "**Duration:** 2 hours\n**Total Questions:** 30\n",  # metadata labels
        "- **27-30 correct (90-100%)**: Excellent\n",  # a score band
        "- **2 points:** Clearly distinguishes inputs\n",  # a rubric line
        "1. **Build a portfolio** - Put projects on GitHub\n",  # an instruction
        "> **Academic integrity:** Do it yourself first\n",  # a note in a block quote
        "- **Step 3:** Deploy\n",  # a numbered label
        "```\n- **Docker**: in code\n```\n",  # code is not prose
    ],
)
def test_not_definitions(markdown: str) -> None:
    assert _terms(f"# L\n\n## Notes\n\n{markdown}") == {}


@pytest.mark.parametrize("heading", ["Requirements", "Grading Rubric", "Question 3", "Answer Key"])
def test_no_definitions_in_instruction_question_or_answer_sections(heading: str) -> None:
    assert _terms(f"# L\n\n## {heading}\n\n- **Mission**: one paragraph\n") == {}


def test_plain_term_bullets_in_a_glossary_section() -> None:
    markdown = "# L\n\n## Glossary\n\n- Pod: the smallest deployable unit\n- `kubectl` – the CLI\n"
    assert _terms(markdown) == {"Pod": "the smallest deployable unit", "kubectl": "the CLI"}
    assert _terms(markdown.replace("## Glossary", "## Tools")) == {}


def test_a_bold_statement_is_not_a_term() -> None:
    markdown = "# L\n\n## Lifecycle\n\n1. **ML lifecycle is continuous** - Not one-time\n"
    assert _terms(markdown) == {}


def test_a_bold_item_among_steps_is_a_step_and_rankings_are_no_terms() -> None:
    markdown = (
        "# L\n\n## Review process\n\n"
        "1. **Audit existing dashboards**\n   - Are they used?\n"
        "2. **Identify gaps**\n   - What is missing?\n"
        "3. **Cleanup**\n   - Delete stale ones\n\n"
        "## Options\n\n- **Most Common**: IaaS\n- **Docker**: containers\n"
    )
    assert _terms(markdown) == {"Docker": "containers"}


@pytest.mark.parametrize(
    "bullet",
    [
        "- **[AWS Podcast](https://aws.amazon.com/podcasts/)** - Official AWS podcast",
        "- 🎧 **[The Cloudcast](https://example.com)**: Weekly cloud talk",
        '- **"Docker Deep Dive" by Nigel Poulton** - A practical book',
        "- **“Site Reliability Engineering”** - The SRE book",
    ],
)
def test_a_linked_or_quoted_title_is_a_resource_not_a_term(bullet: str) -> None:
    assert _terms(f"# L\n\n## Podcasts\n\n{bullet}\n") == {}


def test_a_term_with_a_link_inside_stays_a_term() -> None:
    found = _terms("# L\n\n- **[MLflow](https://mlflow.org) tracking**: Logs runs\n")
    assert found == {"MLflow tracking": "Logs runs"}


@pytest.mark.parametrize(
    "heading", ["Bonus Challenges", "Stretch Goals", "Additional Challenges", "Extensions"]
)
def test_tasks_beyond_the_exercise_are_not_terms(heading: str) -> None:
    markdown = f"# L\n\n## {heading}\n\n1. **Package to PyPI**\n   - Add pyproject\n   - Publish\n"
    assert _terms(markdown) == {}


def test_takeaways_restate_the_lesson() -> None:
    markdown = (
        "# L\n\n## Serving\n\n- **Model serving**: Making models answer requests\n\n"
        "## Key Takeaways\n\n1. **Model serving** is making models available\n"
        "2. **Optimization** - Batching, quantization, caching\n"
    )
    assert _terms(markdown) == {"Model serving": "Making models answer requests"}


def test_an_exercise_scenario_names_problems_not_concepts() -> None:
    markdown = (
        "# Exercise\n\n## Business Context\n\n"
        "**Real-World Scenario**: Your team deploys to 5 regions."
        "\n\n- **Slow deployments**: Pulling images takes 8 minutes\n"
        "- **No audit trail**: Can't track which images were deployed\n"
    )
    assert _terms(markdown) == {}


@pytest.mark.parametrize(
    "markdown",
    [
        "**Full Stack Deep Learning**\n- [Course Link](https://fsdl.example)\n- Production ML\n",
        "- **Airbnb Engineering**\n  - [Blog](https://medium.example/airbnb)\n  - ML posts\n",
        "- **SRE Weekly**\n  - Link: https://sreweekly.example/\n  - Frequency: Weekly\n",
        "- **Google Colab**: https://colab.example/ - Free GPU notebooks\n",
    ],
)
def test_an_entry_that_opens_with_a_link_is_a_resource(markdown: str) -> None:
    assert _terms(f"# L\n\n## Learning\n\n{markdown}") == {}


def test_a_link_later_in_the_body_keeps_the_definition() -> None:
    found = _terms("# L\n\n- **DVC**: Data version control, see [docs](https://dvc.example)\n")
    assert list(found) == ["DVC"]


@pytest.mark.parametrize("heading", ["Podcasts", "Newsletters", "YouTube Channels", "Free Courses"])
def test_resource_sections_hold_no_terms(heading: str) -> None:
    markdown = f"# L\n\n## {heading}\n\n- **MLOps Newsletter** - Weekly MLOps updates\n"
    assert _terms(markdown) == {}


@pytest.mark.parametrize(
    "bullet",
    [
        "- **Not all tasks benefit from GPUs** - understand the workload",
        "- **PyTorch abstracts CUDA** - but you still need to know it",
        "- **Handle errors gracefully** - OOM, NaN",
        "- **Warps execute together** - avoid divergence",
        "- **Scale matters**: millions of requests",
        "- **Always use eval mode**: `model.eval()`",
        "- **Port 8000 already in use**: stop the other process",
        "- **Helm install hangs** — check the hooks",
        "- **Heavy approval = ignored** — keep it light",
        "- **Supports multiple parallelism strategies**: data, tensor, pipeline",
        "**Profile first, optimize second**: measure before you change code.",
    ],
)
def test_a_bold_clause_is_a_statement_not_a_term(bullet: str) -> None:
    assert _terms(f"# L\n\n## Lessons from production\n\n{bullet}\n") == {}


@pytest.mark.parametrize(
    "term",
    [
        "Data version control",
        "Carbon-aware computing",
        "ELK Stack",
        "Scope creep",
        "No SLOs",
        "Self-serve docs that lie",
        "Free tier (Always Free)",
        "Memory leaks",
        "Kubernetes Services Overview",
    ],
)
def test_a_named_thing_stays_a_term(term: str) -> None:
    assert list(_terms(f"# L\n\n## Concepts\n\n- **{term}**: Worth knowing\n")) == [term]


@pytest.mark.parametrize(
    "line",
    [
        "**Time to finish:** 7 hours (including hands-on exercise)",
        "- **Estimated effort**: 3-4 days (part-time)",
    ],
)
def test_a_figure_with_a_remark_is_metadata(line: str) -> None:
    assert _terms(f"# L\n\n## Summary\n\n{line}\n") == {}


def test_a_pointer_to_a_lesson_is_no_explanation() -> None:
    markdown = "# L\n\n## Study more\n\n- **Alerting**: Lesson 06\n- **Tracing**: see Module 5\n"
    assert _terms(markdown) == {}


@pytest.mark.parametrize("heading", ["Troubleshooting", "Common Issues and Solutions"])
def test_troubleshooting_entries_are_symptoms_not_terms(heading: str) -> None:
    markdown = (
        f"# Lab\n\n## {heading}\n\n"
        "- **Pods stuck in Pending**: Node has insufficient resources.\n"
        "- **ErrImagePull / ImagePullBackOff**: You forgot `kind load docker-image`.\n\n"
        "## Common pitfalls\n\n- **Scope creep** — Every PM wants a custom dashboard.\n"
    )
    assert list(_terms(markdown)) == ["Scope creep"]


def test_an_exercise_background_still_defines_terms() -> None:
    markdown = "# Exercise\n\n## Background\n\n- **Error budget**: `1 - SLO`, failures allowed\n"
    assert list(_terms(markdown)) == ["Error budget"]


@pytest.mark.parametrize(
    "line",
    [
        '- **Issue: "Permission denied"**\n  - Solution: chown the files',
        "- **✅ Checkpoint**: Test locally",
        "- **Validation**: Measure first-request latency on a fresh pod",
    ],
)
def test_exercise_and_troubleshooting_labels_are_metadata(line: str) -> None:
    assert _terms(f"# Exercise\n\n## Step 3\n\n{line}\n") == {}


def test_labels_joined_with_a_ranking_are_a_ranking() -> None:
    markdown = "# L\n\n## Adoption\n\n**Most Common**: IaaS\n**Growing**: Managed ML services\n"
    assert _terms(markdown) == {}
