"""deckgen's version and where it is published, in a module of its own: the build cache keys on
the version, and must not import the package facade (which names the modules that import the
cache). pyproject.toml reads the version from here, and `deckgen init` writes its tag."""

__version__ = "0.1.0"

# The name on the package index (`pip install anki-deckgen`): `deckgen` there is another project.
DISTRIBUTION = "anki-deckgen"

# The GitHub repository deckgen is published from, as `owner/name`: the pre-commit hook and the
# GitHub Action that `deckgen init` sets a course up with are fetched from it, at `TAG`.
REPOSITORY = "anki-deckgen/deckgen"
TAG = f"v{__version__}"
