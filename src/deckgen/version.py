"""deckgen's version, in a module of its own: the build cache keys on it, and must not import
the package facade (which names the modules that import the cache)."""

__version__ = "0.1.0"
