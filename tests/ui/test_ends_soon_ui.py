"""The 24-hour warning on Business Profile: it appears as the clock moves, in a warning style."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from tests.conftest import START
from tests.ui.profile_helpers import ready, seed
from tests.ui.toolkit import make_app, until


def status_line(app) -> str:
    return str(app.screen.query_one("#support-status", Static).render())


async def test_the_warning_comes_when_a_day_is_left(ui_db):
    from aesthetix_tui.clock import ManualClock

    clock = ManualClock(START)
    seed(ui_db, clock, "active")  # through TODAY + 7 days
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        panel = app.screen.query_one("#support-panel")
        assert "available through" in status_line(app) and not panel.has_class("-ends-soon")
        clock.set(START + timedelta(days=7, hours=1))  # Thu 3 Dec 16:00: 8 h left
        await until(pilot, lambda: panel.has_class("-ends-soon"))
        assert status_line(app).startswith("Support Access is active — ends in 8 h (Thu 3 Dec, 23:59)")
        clock.set(START + timedelta(days=8))  # past the end
        await until(pilot, lambda: not panel.has_class("-ends-soon") and "expired" in status_line(app))
