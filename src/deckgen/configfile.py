"""Which config file a run uses, and its bytes: all that `deckgen build` needs of it up front.

Kept apart from `deckgen.config`, whose dataclasses cost a build answered from the build cache
more than the rest of what it runs: the cache knows the config by these bytes alone (see
`deckgen.cache.Cache.replay`), and the config is parsed only when something is built.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from deckgen.diagnostics import ConfigError
from deckgen.reader import TooLarge, read_bounded

CONFIG_NAME = "deckgen.yaml"
# A course's config is a few kilobytes; anything past this is not one (`/dev/zero`, a log).
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class ConfigFile:
    """The config a run uses, before it is parsed: which file, and its bytes."""

    path: Path | None  # None: there is no ./deckgen.yaml, the built-in defaults apply
    root: Path  # what relative paths in the config are resolved against
    data: bytes = b""

    @property
    def identity(self) -> str:
        """Names what the config says: equal identities, equal `Config` (same deckgen code)."""
        if self.path is None:
            return f"defaults at {self.root}"
        return f"{self.path.resolve()} {hashlib.sha256(self.data).hexdigest()}"


def find_config(path: Path | None = None) -> ConfigFile:
    """The file `load_config(path)` reads; with no path, `./deckgen.yaml` if present."""
    if path is None:
        candidate = Path(CONFIG_NAME)
        if not candidate.exists():
            return ConfigFile(None, Path.cwd())
        path = candidate
    try:
        data, _ = read_bounded(path, MAX_CONFIG_BYTES)
    except TooLarge as exc:
        raise ConfigError(path, None, f"config is {exc.strerror}") from None
    except OSError as exc:
        raise ConfigError(path, None, f"cannot read config: {exc.strerror or exc}") from None
    return ConfigFile(path, path.resolve().parent, data)
