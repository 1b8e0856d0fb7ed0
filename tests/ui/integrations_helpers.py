"""Shared helpers for the Private Integrations screen tests, snapshots and screenshots.

Every token the app issues while these helpers are in use is FAKE_TOKEN: its checksum
is wrong, so it can never verify, and a secret scanner (tokens.find_in_text) skips it.
"""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor
from tests.ui.toolkit import settle

START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thu 26 Nov 2026, 15:00 UTC
FAKE_TOKEN = "pit-" + "X" * 40 + "XXXXXX"  # right shape, wrong checksum
ALICE = Actor("alice", "owner")
BOB = Actor("bob", "owner")

READ = "contacts.readonly"
WRITE = "contacts.write"
CAL = "calendars.readonly"
EVENTS = "calendars/events.readonly"


def fake_tokens(monkeypatch) -> None:
    """Make the domain issue FAKE_TOKEN (it calls tokens.new_pit through the module)."""
    from aesthetix_tui.domain import tokens

    monkeypatch.setattr(tokens, "new_pit", lambda: FAKE_TOKEN)


def make_clock() -> ManualClock:
    """START, for the README's pictures (screenshots/); a test takes the `clock` fixture (tests/conftest.py)."""
    return ManualClock(START)


def target_for(path: Path):
    return resolve_target(db=str(path))


def seed(path: Path, clock: ManualClock, fn) -> object:
    """Open (create) the database and run fn(session, clock, account_id) in one session."""
    from aesthetix_tui.domain import accounts
    from tests.conftest import opened

    database = opened(path, clock)
    try:
        with database.session() as session:
            account = accounts.resolve(session, None)
            return fn(session, clock, account.id)
    finally:
        database.dispose()


def unique_tokens(monkeypatch) -> None:
    """Seeding several integrations needs distinct token hashes: fake, numbered, never valid."""
    from aesthetix_tui.domain import tokens

    counter = iter(range(10**6))
    monkeypatch.setattr(tokens, "new_pit", lambda: "pit-" + "X" * 40 + f"{next(counter):06d}")


def seed_sample(path: Path, clock: ManualClock, monkeypatch) -> None:
    """Three live integrations (one rotating, one used), one revoked: the populated list."""
    from aesthetix_tui.domain import integrations

    unique_tokens(monkeypatch)

    def fill(session, clk, account_id):
        clk.set(START - timedelta(days=40))
        integrations.create(session, clk, account_id, "CRM Sync", [READ, WRITE, CAL], BOB,
                            "Nightly contact sync with the CRM")
        clk.set(START - timedelta(days=20))
        integrations.create(session, clk, account_id, "Booking widget", [CAL, EVENTS], ALICE,
                            "Shows free slots on the website")
        clk.set(START - timedelta(days=10))
        integrations.create(session, clk, account_id, "Old reporting", [READ], ALICE)
        integrations.create(session, clk, account_id, "Zapier", ["contacts.readonly", "conversations.readonly",
                                                                   "payments/orders.readonly"], BOB)
        clk.set(START - timedelta(days=2))
        integrations.revoke(session, clk, account_id, "Old reporting", ALICE)
        integrations.rotate(session, clk, account_id, "Booking widget", ALICE, "7d")
        session.commit()
        clk.set(START - timedelta(hours=3))
        from sqlmodel import select

        from aesthetix_tui.db.models import Integration

        crm = session.exec(select(Integration).where(Integration.name == "CRM Sync")).one()
        crm.last_used_at = clk.now()
        session.add(crm)
        session.commit()
        clk.set(START)

    seed(path, clock, fill)
    fake_tokens(monkeypatch)


def seed_many(path: Path, clock: ManualClock, count: int) -> None:
    """count integrations in one bulk insert, with distinct fake hashes (no audit events)."""
    from aesthetix_tui.db.models import Integration

    def fill(session, clk, account_id):
        now = clk.now()
        session.add_all([
            Integration(account_id=account_id, name=f"Integration {n:05d}", description="",
                        scopes=READ if n % 3 else f"{READ} {WRITE} {CAL}",
                        token_hash=f"{n:064x}", token_hint=f"pit-{n % 10000:04d}",
                        created_at=now - timedelta(minutes=n), created_by="loader")
            for n in range(count)
        ])
        session.commit()

    seed(path, clock, fill)


def screen_of(app):
    from aesthetix_tui.ui.screens.integrations import IntegrationsScreen

    screen = app.screen
    assert isinstance(screen, IntegrationsScreen), f"expected the integrations screen, got {screen!r}"
    return screen


def names_shown(app) -> list[str]:
    return [row.name for row in screen_of(app).shown]


async def move_to(app, pilot, name: str) -> None:
    """Move the list's cursor to the integration with that name."""
    from textual.widgets import DataTable

    names = names_shown(app)
    table = app.screen.query_one(DataTable)
    table.move_cursor(row=names.index(name))
    await pilot.pause()
    assert screen_of(app).current_row().name == name


async def open_integrations(app, pilot) -> None:
    """Press i and wait for the list to load."""
    await pilot.pause()
    await pilot.press("i")
    await settle(pilot)


@asynccontextmanager
async def integrations_open(app, size: tuple[int, int] = (100, 30)):
    """Start APP at SIZE and open Private Integrations, its list loaded: the pilot."""
    async with app.run_test(size=size) as pilot:
        await open_integrations(app, pilot)
        yield pilot


def steps(*keys: str, then=None):
    """A snapshot's run_before: open the screen, press keys (settling after each), then `then(pilot)`."""

    async def run_before(pilot) -> None:
        app = pilot.app
        await open_integrations(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)

    return run_before
