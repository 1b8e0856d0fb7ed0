"""Benchmark 11 (issue 15): open the Accounts screen with 10,000 accounts (each with a Support
Access grant and 5 integrations), against a plain DataTable of the same rows. Target: ≤ 1.5×.

In-process with Pilot (headless, 120x40), like benchmarks 3 and 5, so that "open" is told by
the app's state, not by bytes: from pressing `A` (the app on its Business Profile, data loaded)
until the first paint at which the current screen is `accounts-screen`, it says it is loaded and
`#accounts-table` holds one row per account (10,000 + the default account). A paint is the
screen's compositor update handed to App._display; headless Textual drops it there, so the hook
also turns it into terminal bytes (render_segments), as a real terminal would cost.

Baseline: a bare Textual app that, on `A`, pushes a screen that reads the same overview
(domain/accounts_overview.overview, through the same DatabaseGate thread, same database file)
and adds it to a plain DataTable as plain strings, one column per AccountSummary field;
measured the same way (first paint with all its rows). Only the rendering differs.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest
from seeding import account_db
from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Label

from aesthetix_tui.clock import SystemClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.ui.run import make_app
from tests.ui.toolkit import until

COUNT = 10_000
INTEGRATIONS = 5  # per account
RUNS = 5
SIZE = (120, 40)
TIMEOUT = 60.0
ZONES = ("UTC", "America/New_York", "Europe/Paris", "Asia/Tokyo")


def add_client_accounts(path: Path, count: int, integrations: int = INTEGRATIONS) -> None:
    """`count` more accounts in bulk inserts (no audit events): each has one grant (every 10th
    expired, the rest on for 7 days) and `integrations` integrations (one revoked, one stale,
    the others used yesterday)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    stamp = lambda when: when.isoformat(" ", timespec="microseconds")
    con = sqlite3.connect(str(path))
    try:
        with con:
            con.executemany(
                "INSERT INTO account (name, timezone, support_max_days, created_at, audit_seq, audit_head, "
                "settings_version, agent_policy) VALUES (?, ?, 30, ?, 0, '', 0, 'read-only')",
                [(f"Client {n:05d}", ZONES[n % len(ZONES)], stamp(now - timedelta(days=300))) for n in range(count)])
            ids = [row[0] for row in con.execute("SELECT id FROM account WHERE name LIKE 'Client %' ORDER BY id")]
            until_on = (now + timedelta(days=7)).date()
            until_off = (now - timedelta(days=3)).date()
            grants = []
            for n, account_id in enumerate(ids):
                until = until_off if n % 10 == 0 else until_on
                grants.append((account_id, until.isoformat(),
                               stamp(datetime.combine(until, datetime.min.time()) + timedelta(days=1)),
                               stamp(now - timedelta(days=10 if n % 10 == 0 else 1))))
            con.executemany(
                "INSERT INTO support_grant (account_id, until_date, ends_at, reason, enabled_at, enabled_by, "
                "version) VALUES (?, ?, ?, 'bench', ?, 'bench', 1)", grants)
            created_old, created_new = stamp(now - timedelta(days=200)), stamp(now - timedelta(days=30))
            used, revoked = stamp(now - timedelta(days=1)), stamp(now - timedelta(days=2))
            rows = []
            for account_id in ids:
                for k in range(integrations):
                    number = account_id * integrations + k
                    rows.append((account_id, f"Integration {k}", "contacts.readonly", f"{number:064x}",
                                 f"pit-{number % 10000:04d}", created_old if k == 1 else created_new,
                                 None if k == 1 else used, revoked if k == 0 else None,
                                 "loader" if k == 0 else None))
            con.executemany(
                "INSERT INTO integration (account_id, name, description, scopes, token_hash, token_hint, "
                "created_at, created_by, last_used_at, revoked_at, revoked_by) "
                "VALUES (?, ?, '', ?, ?, ?, ?, 'loader', ?, ?, ?)", rows)
    finally:
        con.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    path = account_db(tmp_path_factory.mktemp("accounts") / "aesthetix.db", active=True)
    add_client_accounts(path, COUNT)
    return path


def read_overview(session, clock):
    """The same domain call as the Accounts screen, in the gate's thread."""
    from aesthetix_tui.domain.accounts_overview import overview

    return overview(session, clock)


# -- the baseline: a plain DataTable of the same rows ------------------------------------------

FIELDS = ("id", "name", "timezone", "created_at", "support", "session", "active_integrations",
          "stale_integrations", "legacy_key_exists", "legacy_key_on", "features_on")


def plain(row) -> tuple[str, ...]:
    """One AccountSummary as plain strings, one per field."""
    return (str(row.id), row.name, row.timezone, str(row.created_at), row.support_state,
            row.session.agent if row.session else "", str(row.active_integrations), str(row.stale_integrations),
            str(row.legacy_key_exists), str(row.legacy_key_on), " ".join(row.feature_keys))


class OverviewRows(Screen):
    def __init__(self) -> None:
        super().__init__(id="overview-screen")

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="overview-table", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @work(exclusive=True)
    async def load(self) -> None:
        rows = await self.app.gate.call(read_overview, self.app.clock)
        table = self.query_one(DataTable)
        table.add_columns(*FIELDS)
        table.add_rows([plain(row) for row in rows])
        table.focus()


class BareOverviewApp(App):
    TITLE = "Bare Textual"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("A", "rows", "Rows")]

    def __init__(self, path: Path) -> None:
        from aesthetix_tui.ui.database_gate import DatabaseGate

        super().__init__()
        self.clock = SystemClock()
        self.gate = DatabaseGate(resolve_target(db=str(path)), self.clock)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("A bare Textual app: the floor for the benchmarks.")
        yield Footer()

    def on_mount(self) -> None:
        self.run_worker(self.gate.open(), exclusive=True)

    def on_unmount(self) -> None:
        self.gate.close()

    def action_rows(self) -> None:
        self.push_screen(OverviewRows())


# -- measuring ---------------------------------------------------------------------------------

def watch_paints(app: App, done) -> list[float]:
    """Wrap app._display: the time of the first paint at which done() holds is appended."""
    painted: list[float] = []
    original = app._display

    def display(screen, renderable) -> None:
        original(screen, renderable)
        if renderable is None or painted:
            return
        if hasattr(renderable, "render_segments"):  # what a terminal would be sent
            renderable.render_segments(app.console)
        if done():
            painted.append(time.perf_counter())

    app._display = display
    return painted


def rows_in(app: App, screen_id: str, table_id: str) -> int:
    screen = app.screen
    if screen.id != screen_id:
        return -1
    try:
        return screen.query_one(table_id, DataTable).row_count
    except NoMatches:
        return -1


STEP = 0.002  # until()'s steps: the wait is measured


async def wait_painted(painted: list[float], timeout: float = TIMEOUT) -> None:
    """Plain sleeps (not pilot.pause, which forces a refresh): the app paints on its own."""
    deadline = time.perf_counter() + timeout
    while not painted:
        assert time.perf_counter() < deadline, "the screen never painted all its rows"
        await asyncio.sleep(0.002)


async def open_accounts(path: Path, expected: int) -> float:

    # The first account named: with several and none named the app would open on Accounts itself.
    app = make_app(path, SystemClock(), actor_name="bench", account_ref="1")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: getattr(app.screen, "profile", None) is not None, TIMEOUT, STEP)
        await app.workers.wait_for_complete()
        await pilot.pause()
        painted = watch_paints(app, lambda: rows_in(app, "accounts-screen", "#accounts-table") == expected
                               and app.screen.is_loaded())
        began = time.perf_counter()
        await pilot.press("A")
        await wait_painted(painted)
        took = painted[0] - began
    return took * 1000


async def open_bare(path: Path, expected: int) -> float:
    app = BareOverviewApp(path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.gate.ready.is_set(), TIMEOUT, STEP)
        assert app.gate.database is not None, app.gate.error
        await app.workers.wait_for_complete()
        await pilot.pause()
        painted = watch_paints(app, lambda: rows_in(app, "overview-screen", "#overview-table") == expected)
        began = time.perf_counter()
        await pilot.press("A")
        await wait_painted(painted)
        took = painted[0] - began
    return took * 1000


def overview_ms(path: Path) -> tuple[int, float]:
    """The domain read alone (for the report): rows and milliseconds."""
    from aesthetix_tui.domain.seed import open_database

    database = open_database(resolve_target(db=str(path)), SystemClock())
    try:
        with database.session() as session:
            began = time.perf_counter()
            rows = read_overview(session, SystemClock())
            return len(rows), (time.perf_counter() - began) * 1000
    finally:
        database.dispose()


async def test_open_ten_thousand_accounts(database, bench_record):
    expected, read = overview_ms(database)
    assert expected == COUNT + 1
    samples, base = [], []
    for _ in range(RUNS):
        base.append(await open_bare(database, expected))
        samples.append(await open_accounts(database, expected))
    print(f"\n11 open Accounts: TUI {[round(s) for s in samples]} ms, bare DataTable {[round(b) for b in base]} ms;"
          f" the overview read alone {read:.0f} ms; ratio of medians"
          f" {statistics.median(samples) / statistics.median(base):.2f}")
    bench_record(f"11 open Accounts, {COUNT // 1000}k accounts (Pilot)", "ms", samples, base, "≤ 1.5×")
