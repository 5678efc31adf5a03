"""The build's time: now, or `SOURCE_DATE_EPOCH` for reproducible builds, checked before use.

Cheap to import: `build` and `check` check the variable before the build cache answers.
"""

from __future__ import annotations

import os
import time

from deckgen.diagnostics import ConfigError

# A note's `mod` is this time in seconds, and ids taken from it are milliseconds in a signed
# 64-bit integer; dates are shown as calendar years of four digits. The end of year 9999 fits
# all of them, where a larger value written once into a deck would fail every later read.
LATEST = 253_402_300_799  # 9999-12-31T23:59:59Z


def build_time() -> int:
    """Now, or `SOURCE_DATE_EPOCH`: whole seconds since 1970, from 0 to `LATEST`."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return int(time.time())
    try:
        seconds = int(epoch)
    except ValueError:
        raise ConfigError("SOURCE_DATE_EPOCH", None, f"not an integer: {epoch!r}") from None
    if not 0 <= seconds <= LATEST:
        message = (
            f"out of range: {epoch.strip()} (seconds since 1970, "
            f"from 0 to {LATEST}, the end of year 9999)"
        )
        raise ConfigError("SOURCE_DATE_EPOCH", None, message)
    return seconds
