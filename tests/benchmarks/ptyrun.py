"""The benchmarks' programs in a pseudo-terminal: tests/pty_process.py, and the argv of a bare
Textual script beside this file or of the real program."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[2]))
from tests.pty_process import AESTHETIX, PYTHON, PtyProcess  # noqa: F401  (for the benchmarks)

HERE = Path(__file__).parent


def bare(script: str, *args: str) -> list[str]:
    return [PYTHON, str(HERE / script), *args]


def tui(db: Path, *args: str) -> list[str]:
    return [AESTHETIX, "--db", str(db), *args]
