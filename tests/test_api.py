"""The library's names: each one loads on first use, and none is hidden by a submodule."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import deckgen


def test_every_public_name_is_what_it_says_even_after_all_submodules_load() -> None:
    # Importing `deckgen.x` sets the package attribute `x` to the module: a module named like a
    # public function would replace the function.
    for module in pkgutil.walk_packages(deckgen.__path__, "deckgen."):
        if module.name != "deckgen.__main__":  # that one runs the CLI
            importlib.import_module(module.name)
    for name in deckgen.__all__:
        value = getattr(deckgen, name)
        assert not inspect.ismodule(value), name
        if name != "__version__":
            assert value.__name__ == name, name
