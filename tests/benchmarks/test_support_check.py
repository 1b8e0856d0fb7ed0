"""Benchmark 7: `aesthetix-tui support check ACCOUNT` as a whole process, against
`python -c "import sqlite3"` (the same interpreter), alternating, in the same run."""

from __future__ import annotations

import subprocess
import time

import pytest
from ptyrun import AESTHETIX, PYTHON
from seeding import account_db

RUNS = 15


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return account_db(tmp_path_factory.mktemp("check") / "aesthetix.db")


def timed(argv: list[str], expect: int = 0) -> float:
    began = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    took = time.perf_counter() - began
    assert result.returncode == expect, result.stderr
    return took * 1000


def test_support_check_process(database, bench_record):
    check = [AESTHETIX, "--db", str(database), "support", "check", "1"]
    floor = [PYTHON, "-c", "import sqlite3"]
    out = subprocess.run(check, capture_output=True, text=True, check=False)
    assert out.returncode == 0 and "Support Access to" in out.stdout, out.stderr
    samples, base = [], []
    for _ in range(RUNS):
        samples.append(timed(check))
        base.append(timed(floor))
    bench_record("7 `support check` process", "ms", samples, base, "≤ 4×")
