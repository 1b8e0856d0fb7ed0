"""Issue 23: a screen never has two statements in flight, and a slow database costs it nothing
but one sentence.

The gate is slowed from inside (its thread waits on an event, as a statement held by a lock
would), and every read it runs is counted: however many seconds tick, a screen starts no second
read while its first is still running. On PostgreSQL a real lock makes a read run past its
statement timeout.
"""

from __future__ import annotations

import threading

import psycopg
import pytest

from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.errors import SLOW
from aesthetix_tui.ui import database_gate
from tests.ui.profile_helpers import ready
from tests.ui.toolkit import listen, make_app, until


class SlowGate:
    """Wraps app.gate._run: counts the reads in flight (and the most at once); while `held`,
    each waits until released."""

    def __init__(self, gate) -> None:
        self.run = gate._run
        self.open = threading.Event()
        self.open.set()
        self.lock = threading.Lock()
        self.in_flight = self.most = self.started = 0
        gate._run = self

    def __call__(self, *args):
        with self.lock:
            self.in_flight += 1
            self.started += 1
            self.most = max(self.most, self.in_flight)
        try:
            self.open.wait(60)
            return self.run(*args)
        finally:
            with self.lock:
                self.in_flight -= 1


class Ticks:
    """Counts a screen's ticks (its clock_moved runs once a second once loaded)."""

    def __init__(self, screen) -> None:
        self.count = 0
        self.moved = screen.clock_moved
        screen.clock_moved = self

    def __call__(self) -> None:
        self.count += 1
        self.moved()


@pytest.mark.parametrize("mode", ["profile", "accounts"])
async def test_a_screen_never_has_two_reads_in_flight(database, clock, home, mode):
    app = make_app(database.target, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        if mode != "profile":
            app.switch_mode(mode)
            await until(pilot, lambda: app.screen.id == "accounts-screen" and app.screen.is_loaded())
        screen = app.screen
        await app.workers.wait_for_complete()
        ticks = Ticks(screen)
        slow = SlowGate(app.gate)
        slow.open.clear()
        await until(pilot, lambda: slow.started == 1)  # the next poll, held
        held_at = ticks.count
        screen.load()  # asked for meanwhile (a change elsewhere): waits for the poll
        screen.load()
        await until(pilot, lambda: ticks.count >= held_at + 3)
        assert (slow.started, slow.most) == (1, 1)
        slow.open.set()
        # The poll ends, then the one load asked for runs; polling goes on, one at a time.
        await until(pilot, lambda: slow.started >= 3 and not screen.reading)
        assert slow.most == 1
        assert screen.is_loaded()


async def test_the_console_list_never_has_two_reads_in_flight(database, clock, home):
    from aesthetix_tui.ui.console.app import SupportConsoleApp

    app = SupportConsoleApp(database.target, agent="sam", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.id == "console-accounts" and app.screen.loaded)
        screen = app.screen
        slow = SlowGate(app.gate)
        slow.open.clear()
        await until(pilot, lambda: slow.started == 1)
        for _ in range(3):  # three more seconds' polls (as its timer calls it), and a refresh
            screen.poll()
        await pilot.press("r")
        await pilot.pause()
        assert (slow.started, slow.most) == (1, 1)
        slow.open.set()
        await until(pilot, lambda: slow.started >= 3)
        assert slow.most == 1


@pytest.fixture
def locked(pg_url):
    """A second connection that locks the account table (as a long migration would) until released."""
    url = pg_url.replace("postgresql+psycopg://", "postgresql://")
    conn = psycopg.connect(url)
    yield conn
    conn.rollback()
    conn.close()


async def test_a_timed_out_read_keeps_the_data_says_one_sentence_and_retries(pg_url, locked, clock, home,
                                                                            monkeypatch):
    from aesthetix_tui.config import local_timezone_name
    from aesthetix_tui.domain import accounts
    from aesthetix_tui.domain.actor import SYSTEM
    from aesthetix_tui.domain.seed import open_database

    target = resolve_target(database_url=pg_url)
    db = open_database(target, clock)
    with db.session() as s:
        accounts.ensure_first(s, clock, local_timezone_name(), SYSTEM)
    db.dispose()
    monkeypatch.setattr(database_gate, "READ_TIMEOUT_MS", 200)
    app = make_app(target, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        screen = app.screen
        shown = screen.profile
        slow, said = SlowGate(app.gate), listen(app)
        locked.execute("LOCK TABLE account IN ACCESS EXCLUSIVE MODE")
        await until(pilot, lambda: app.gate.slow)
        await until(pilot, lambda: slow.started >= 3)  # it keeps trying, one read at a time
        assert said.count(SLOW) == 1, said
        assert screen.profile is shown and slow.most == 1
        locked.rollback()
        await until(pilot, lambda: not app.gate.slow)
        assert screen.profile is not None and slow.most == 1


async def test_the_console_says_once_that_the_database_is_slow(pg_url, locked, clock, home, monkeypatch):
    from aesthetix_tui.domain.seed import open_database
    from aesthetix_tui.ui.console.app import SupportConsoleApp

    target = resolve_target(database_url=pg_url)
    open_database(target, clock).dispose()
    monkeypatch.setattr(database_gate, "READ_TIMEOUT_MS", 200)
    app = SupportConsoleApp(target, agent="sam", clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.id == "console-accounts" and app.screen.loaded)
        slow, said = SlowGate(app.gate), listen(app)
        locked.execute("LOCK TABLE support_grant IN ACCESS EXCLUSIVE MODE")
        await until(pilot, lambda: app.gate.slow and slow.started >= 3)
        assert said.count(SLOW) == 1 and slow.most == 1, said
        locked.rollback()
        await until(pilot, lambda: not app.gate.slow)
