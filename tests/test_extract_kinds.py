"""`extract.kinds` is checked against the extractor registry, naming the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.config import Config, ExtractConfig, load_config
from deckgen.diagnostics import ConfigError
from deckgen.extract import EXTRACTORS, check_kinds


def test_an_unknown_kind_names_its_own_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "course.yaml"  # `--config course.yaml`: not the default name
    path.write_text("course:\n  id: c\nextract:\n  kinds:\n    - definition\n    - salry\n")
    with pytest.raises(ConfigError) as raised:
        check_kinds(load_config(path))
    assert str(raised.value) == (
        f"{path}:6: extract.kinds[1]: unknown value 'salry' (did you mean 'salary'?); "
        f"known: {', '.join(EXTRACTORS)}"
    )


def test_every_registered_kind_passes(tmp_path: Path) -> None:
    path = tmp_path / "deckgen.yaml"
    path.write_text(f"extract:\n  kinds: [{', '.join(reversed(EXTRACTORS))}]\n")
    check_kinds(load_config(path))


def test_a_config_made_in_code_names_the_file_it_would_be(tmp_path: Path) -> None:
    config = Config(root=tmp_path, extract=ExtractConfig(kinds=("glossary",)))
    with pytest.raises(ConfigError, match=r"extract\.kinds\[0\]: unknown value 'glossary'"):
        check_kinds(config)
    assert config.where("extract.kinds[0]") == (tmp_path / "deckgen.yaml", None)
