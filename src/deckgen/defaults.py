"""The built-in word lists, read once from the `defaults.yaml` shipped in the package."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

DATA_FILE = "defaults.yaml"


@dataclass(frozen=True)
class Defaults:
    """Every list of `defaults.yaml`; see the file for what each is for."""

    # `deckgen.config.ExtractConfig`'s defaults.
    metadata_labels: tuple[str, ...]
    skip_sections: tuple[str, ...]
    question_headings: tuple[str, ...]
    instruction_sections: tuple[str, ...]
    glossary_headings: tuple[str, ...]
    answer_key_headings: tuple[str, ...]
    skip_table_headers: tuple[str, ...]
    # The extractors' word classes.
    defining_verbs: tuple[str, ...]
    sentence_openers: tuple[str, ...]
    summary_headings: tuple[str, ...]
    document_words: tuple[str, ...]
    glossary_pages: tuple[str, ...]
    heading_frame_words: tuple[str, ...]
    product_reference_words: tuple[str, ...]
    meaning_verbs: tuple[str, ...]
    prose_action_verbs: tuple[str, ...]
    evaluative_words: tuple[str, ...]
    ranking_words: tuple[str, ...]
    count_words: tuple[str, ...]
    condition_words: tuple[str, ...]
    statement_verbs: tuple[str, ...]
    clause_verbs: tuple[str, ...]
    clause_verbs_any_form: tuple[str, ...]
    claim_words: tuple[str, ...]
    relativizers: tuple[str, ...]
    units: tuple[str, ...]
    price_tags: tuple[str, ...]
    place_words: tuple[str, ...]
    clause_openers: tuple[str, ...]
    pointers: tuple[str, ...]
    instruction_verbs: tuple[str, ...]
    definition_labels: tuple[str, ...]
    description_labels: tuple[str, ...]
    aspect_heading_words: tuple[str, ...]
    aspect_label_words: tuple[str, ...]
    example_heading_words: tuple[str, ...]
    trait_heading_words: tuple[str, ...]
    use_case_heading_words: tuple[str, ...]
    reader_pronouns: tuple[str, ...]
    concept_heading_words: tuple[str, ...]
    versus_words: tuple[str, ...]
    reason_words: tuple[str, ...]
    task_verbs: tuple[str, ...]
    recall_verbs: tuple[str, ...]
    stopwords: tuple[str, ...]
    question_frame_words: tuple[str, ...]
    coordinators: tuple[str, ...]
    answer_labels: tuple[str, ...]
    option_answer_labels: tuple[str, ...]
    explanation_labels: tuple[str, ...]
    salary_labels: tuple[str, ...]
    lesson_labels: tuple[str, ...]
    sequence_labels: tuple[str, ...]
    rubric_headers: tuple[str, ...]
    grade_headers: tuple[str, ...]
    rubric_columns: tuple[str, ...]
    schedule_headers: tuple[str, ...]
    tick_list_words: tuple[str, ...]
    settings_languages: tuple[str, ...]


def alternatives(phrases: tuple[str, ...]) -> str:
    """A regex alternation of the phrases, matching any run of white space between words."""
    return "|".join(r"\s+".join(map(re.escape, phrase.split())) for phrase in phrases)


def read_data() -> dict[str, object]:
    """`defaults.yaml` as plain data, `shared:` (the test's declaration of overlaps) included."""
    import yaml  # a build the build cache answers never needs the lists, nor PyYAML

    text = resources.files("deckgen").joinpath(DATA_FILE).read_text(encoding="utf-8")
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, dict):
        raise ValueError(f"{DATA_FILE}: expected a mapping of lists")
    return data


@cache
def defaults() -> Defaults:
    """The lists, checked: each a non-empty list of non-empty strings. Read on first use."""
    data = read_data()
    names = [spec.name for spec in dataclasses.fields(Defaults)]
    unknown = set(data) - {*names, "shared"}
    if unknown:
        raise ValueError(f"{DATA_FILE}: unknown lists {sorted(unknown)}")
    lists: dict[str, tuple[str, ...]] = {}
    for name in names:
        value = data.get(name)
        if not value or not isinstance(value, list):
            raise ValueError(f"{DATA_FILE}: {name}: expected a non-empty list")
        if not all(isinstance(entry, str) and entry.strip() for entry in value):
            raise ValueError(f"{DATA_FILE}: {name}: every entry must be a non-empty string")
        lists[name] = tuple(value)
    return Defaults(**lists)
