"""Benchmark 9: how soon an open support session ends once access ends (target: within 2 s).

The agents' console (Pilot, headless) has a session open; access then ends, by a revoke written
from another connection or by the clock passing its end, and we time until the full-screen
notice is on screen. Median of RUNS each. The baseline is the console's poll interval (1 s),
so the ratio says how many poll intervals the end took.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from aesthetix_tui.clock import ManualClock
from tests.conftest import START
from tests.ui.test_support_console import console, open_first, revoke_in_process, screen_name, seed

RUNS = 5
POLL_MS = 1000.0


async def time_to_notice(pilot) -> float:
    began = time.perf_counter()
    while not (screen_name(pilot.app) == "AccessEndedScreen" and pilot.app.screen.query("#ended-message")):
        assert time.perf_counter() - began < 30, "the session never ended"
        await pilot.pause(0.01)
    return (time.perf_counter() - began) * 1000


async def one_run(path, end_access) -> float:
    clock = ManualClock(START)
    seed(path, clock)
    app = console(path, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first(pilot)
        end_access(path, clock)
        elapsed = await time_to_notice(pilot)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return elapsed


def by_revoke(path, clock) -> None:
    revoke_in_process(path, clock)


def by_expiry(path, clock) -> None:
    clock.set(datetime(2026, 12, 4, 0, 0, tzinfo=UTC))


async def test_session_ends_soon_after_access_ends(tmp_path, monkeypatch, bench_record):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TZ", "UTC")
    for label, end_access in (("revoke", by_revoke), ("expiry", by_expiry)):
        samples = [await one_run(tmp_path / f"{label}-{i}.db", end_access) for i in range(RUNS)]
        row = bench_record(f"9 session ends after {label}", "ms", samples, [POLL_MS], "≤ 2000 ms")
        print(f"\n{row['benchmark']}: median {row['median']:.0f} ms, max {max(samples):.0f} ms")
