"""Other processes on the test's clock: libfaketime pins a child's time to the test's clock.

A test that fixes its clock fixes it for the processes it starts too: `clocked_env(clock)` is
an environment that preloads libfaketime starting at `clock.now()` (and ticking from there),
so a date the test computes is the same date for the child. The program itself has no way to
change its clock; only the operating system's time is faked. The library is preloaded directly
rather than through the `faketime` command, which forks the program (a killed test would leave
it running) and warns when the whole suite already runs under faketime.

Without libfaketime (Debian's `faketime` package) these tests skip, unless
AESTHETIX_REQUIRE_FAKETIME=1 (set by .ci/run), where they fail instead.
"""

from __future__ import annotations

import glob
import os
import sys
from datetime import UTC

import pytest

REQUIRE_ENV = "AESTHETIX_REQUIRE_FAKETIME"
LIBFAKETIME = "/usr/$LIB/faketime/libfaketime.so.1"  # the dynamic linker expands $LIB


def require_libfaketime() -> None:
    if glob.glob("/usr/lib/*/faketime/libfaketime.so.1") or glob.glob("/usr/lib/faketime/libfaketime.so.1"):
        return
    reason = "libfaketime is missing (install Debian's faketime package)"
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"libfaketime is required here ({REQUIRE_ENV}=1) but {reason}", pytrace=False)
    pytest.skip(reason)


def clocked_env(clock) -> dict[str, str]:
    """This process's environment, in UTC, with the child's clock starting at the clock's instant
    (to the second). Any faketime settings of a suite run under faketime are replaced."""
    require_libfaketime()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME")}
    others = [lib for lib in env.get("LD_PRELOAD", "").split() if "faketime" not in lib]
    instant = clock.now().astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    return {**env, "TZ": "UTC", "LD_PRELOAD": " ".join([LIBFAKETIME, *others]), "FAKETIME": f"@{instant}"}


def cli_argv(*args: str) -> list[str]:
    """`python -m aesthetix_tui ARGS`: run it with env=clocked_env(clock)."""
    return [sys.executable, "-m", "aesthetix_tui", *args]
