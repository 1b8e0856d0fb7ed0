"""Benchmark 5: open the audit log (`a`) and jump to its oldest page (`end`) with 1,000,000
events; baseline: the same with 10,000 events. Target: flat (≤ 1.5×).

In-process with Pilot (headless): from pressing `a` until the newest page is shown, plus from
pressing `end` until the oldest page is shown (both measured on the screen's state)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from seeding import account_db

from aesthetix_tui.clock import SystemClock
from aesthetix_tui.ui.run import make_app

sys.path.insert(0, str(Path(__file__).parents[2]))
from tests.ui.test_audit_log import fill_audit
from tests.ui.toolkit import until

RUNS = 5
SIZE = (120, 40)


STEP = 0.002  # until()'s steps: the wait is measured


@pytest.fixture(scope="module")
def databases(tmp_path_factory):
    folder = tmp_path_factory.mktemp("audit")
    made = {}
    for count in (10_000, 1_000_000):
        path = account_db(folder / f"audit-{count}.db", active=False)
        fill_audit(path, count)
        made[count] = path
    return made


async def open_and_jump(path: Path, count: int) -> float:
    from aesthetix_tui.ui.screens.audit_log import AuditLogScreen

    def page():
        s = app.screen
        return s.page if isinstance(s, AuditLogScreen) and not s.fetching else None

    app = make_app(path, SystemClock(), actor_name="bench")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: getattr(app.screen, "profile", None) is not None, 30.0, STEP)
        await app.workers.wait_for_complete()
        await pilot.pause()
        began = time.perf_counter()
        await pilot.press("a")
        await until(pilot, lambda: page() is not None and page().events[0].seq == count, 30.0, STEP)
        await pilot.press("end")
        await until(pilot, lambda: page() is not None and page().events[-1].seq == 1, 30.0, STEP)
        took = time.perf_counter() - began
    return took * 1000


async def test_audit_open_and_oldest(databases, bench_record):
    samples, base = [], []
    for _ in range(RUNS):
        base.append(await open_and_jump(databases[10_000], 10_000))
        samples.append(await open_and_jump(databases[1_000_000], 1_000_000))
    bench_record("5 audit: open + oldest page, 1M events", "ms", samples, base, "≤ 1.5× (vs 10k)")
