"""Other processes on the test's clock: libfaketime pins a child's time to the test's clock.

A test that fixes its clock fixes it for the processes it starts too: `cli_argv(clock, ...)`
runs the real `aesthetix-tui` entry point under `faketime`, starting at `clock.now()` (and
ticking from there), so a date the test computes is the same date for the child. The program
itself has no way to change its clock; only the operating system's time is faked.

Without the `faketime` command (Debian's `faketime` package) these tests skip, unless
AESTHETIX_REQUIRE_FAKETIME=1 (set by .ci/run), where they fail instead.
"""

from __future__ import annotations

import os
import shutil
import sys
from datetime import timezone

import pytest

REQUIRE_ENV = "AESTHETIX_REQUIRE_FAKETIME"


def faketime_argv(clock) -> list[str]:
    """The prefix that starts a command at the clock's instant (UTC, to the second)."""
    command = shutil.which("faketime")
    if command is None:
        reason = "the faketime command is missing (install Debian's faketime package)"
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"faketime is required here ({REQUIRE_ENV}=1) but {reason}", pytrace=False)
        pytest.skip(reason)
    instant = clock.now().astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
    return [command, "-f", f"@{instant}"]


def clocked_env() -> dict[str, str]:
    """The child's environment: UTC, so faketime reads the instant as UTC."""
    return {**os.environ, "TZ": "UTC"}


def cli_argv(clock, *args: str) -> list[str]:
    """`python -m aesthetix_tui ARGS` at the clock's instant."""
    return [*faketime_argv(clock), sys.executable, "-m", "aesthetix_tui", *args]
