"""Benchmarks 4 and 8, in a real pty, with 10,000 integrations.

4: from pressing `i` until the first rows are on screen and a key pressed then is handled
   (`?` opens the keys dialog); baseline: a plain DataTable app given the same 10,000 rows
   from memory, the same keys. 8: the TUI's peak memory (max RSS) after opening
   Private Integrations (VmHWM, read just before quitting); baseline: the bare Textual app (Header, Label, Footer).
"""

from __future__ import annotations

import pytest
from ptyrun import PtyProcess, bare, tui
from seeding import account_db, add_integrations

COUNT = 10_000
RUNS = 5
QUIT = b"\x11"  # ctrl+q


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = account_db(tmp_path_factory.mktemp("integrations") / "aesthetix.db")
    add_integrations(path, COUNT)
    return path


def open_list(app: PtyProcess, ready: str, help_text: str) -> float:
    """Seconds from `i` to the first rows shown and then `?` answered."""
    app.read_until(ready)
    app.drain(0.3)
    mark, sent = app.press("i")
    app.until_after(mark, sent, "Integration 00000")
    app.press("?")
    return app.until_after(mark, sent, help_text)


def test_open_ten_thousand_integrations(database, bench_record):
    samples, base, rss = [], [], []
    for _ in range(RUNS):
        with PtyProcess(tui(database)) as app:
            # the full profile is loaded (the database is open) when the features panel shows
            samples.append(open_list(app, "Deprecated features", "Escape closes") * 1000)
            app.drain(0.2)
            rss.append(app.peak_rss_mb())
            app.press(QUIT)
            app.wait_exit()
        with PtyProcess(bare("bare_app.py", "--rows", str(COUNT))) as app:
            base.append(open_list(app, "Bare Textual", "Bare help keys") * 1000)
    bench_record("4 open Private Integrations, 10k rows (pty)", "ms", samples, base, "≤ 1.5×")
    pytest.bench_tui_rss = rss


def test_peak_memory(database, bench_record):
    rss = getattr(pytest, "bench_tui_rss", None)
    if rss is None:  # run alone: measure the TUI here
        rss = []
        for _ in range(3):
            with PtyProcess(tui(database)) as app:
                open_list(app, "Deprecated features", "Escape closes")
                app.drain(0.2)
                rss.append(app.peak_rss_mb())
    base = []
    for _ in range(3):
        with PtyProcess(bare("bare_app.py")) as app:
            app.read_until("Bare Textual")
            app.drain(0.3)
            base.append(app.peak_rss_mb())
    bench_record("8 peak memory, TUI with 10k integrations", "MB", rss, base, "≤ 2×")
