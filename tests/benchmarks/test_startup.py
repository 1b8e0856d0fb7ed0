"""Benchmarks 1 and 2: process start to the first painted frame, and to the Support Access
status, in a real pty; the baseline is a bare Textual app (Header, Label, Footer) started the
same way in the same run. Neither program is told it is measured: we read the terminal."""

from __future__ import annotations

import pytest
from ptyrun import PtyProcess, bare, tui
from seeding import account_db

RUNS = 9


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    return account_db(tmp_path_factory.mktemp("startup") / "aesthetix.db")


def test_start_to_first_frame_and_status(database, bench_record):
    first, status, floor = [], [], []
    for _ in range(RUNS):
        with PtyProcess(tui(database)) as app:
            first.append(app.read_until("Aesthetix TUI"))  # the header's title: the first frame
            status.append(app.read_until("Support Access is"))
        with PtyProcess(bare("bare_app.py")) as app:
            floor.append(app.read_until("Bare Textual"))
    ms = lambda xs: [x * 1000 for x in xs]
    bench_record("1 start → first frame (pty)", "ms", ms(first), ms(floor), "≤ 1.3×")
    bench_record("2 start → Support Access status (pty)", "ms", ms(status), ms(floor), "≤ 2.0×")
