"""Helpers for Business Profile tests: a seeded database and an app on it."""

from __future__ import annotations

from contextlib import asynccontextmanager
from datetime import date, timedelta
from pathlib import Path

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.domain.actor import Actor
from tests.ui.toolkit import make_app

TODAY = date(2026, 11, 26)
OWNER = Actor("alice", "owner")
# Never a real key: snapshots and screenshots show this instead of a secret.
FAKE_LEGACY_KEY = "FAKE-LEGACY-KEY-FOR-SCREENSHOTS-0000"


def seed(path: Path, clock: ManualClock, state: str = "off", legacy: str | None = None,
         request: bool = False) -> None:
    """Put the account in a known state: off, active, ends-soon (tonight), expired or revoked;
    REQUEST: sam (support) has asked for 3 days, pending."""
    from aesthetix_tui.domain import accounts, legacy_key, support_access
    from tests.conftest import opened

    db = opened(path, clock)
    try:
        with db.session() as session:
            account = accounts.resolve(session, None)
            if state in ("active", "expired", "revoked"):
                support_access.enable(session, clock, account.id, TODAY + timedelta(days=7), OWNER,
                                      reason="Ticket #4521: billing sync")
            if state == "ends-soon":  # through today: it ends tonight
                support_access.enable(session, clock, account.id, TODAY, OWNER, reason="Ticket #4521: billing sync")
            if state == "revoked":
                clock.advance(timedelta(hours=2))
                support_access.revoke(session, clock, account.id, OWNER)
            if legacy:
                legacy_key.regenerate(session, clock, account.id, OWNER)
                if legacy == "disabled":
                    legacy_key.disable(session, clock, account.id, OWNER)
            if request:
                from aesthetix_tui.domain import support_requests
                from aesthetix_tui.domain.actor import Actor

                support_requests.make(session, clock, account.id, Actor("sam", "support"), "T-1042",
                                      "Billing sync fails since the last update", 3)
            if state == "expired":
                clock.advance(timedelta(days=9))
    finally:
        db.dispose()


@asynccontextmanager
async def profile_open(path: Path, clock: ManualClock, *state, size: tuple[int, int] = (100, 30), **seeded):
    """Seed (seed's arguments), start the owner's app at SIZE and wait for its profile: (app, pilot)."""
    seed(path, clock, *state, **seeded)
    app = make_app(path, clock)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        yield app, pilot


def current_status(path: Path, clock: ManualClock):
    from aesthetix_tui.domain import accounts, support_access
    from tests.conftest import opened

    db = opened(path, clock)
    try:
        with db.session() as session:
            return support_access.status(session, clock, accounts.resolve(session, None))
    finally:
        db.dispose()


async def ready(pilot) -> None:
    """Wait until the profile has loaded and every worker is idle."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        screen = app.screen
        if getattr(screen, "profile", None) is not None or app.gate.error:
            break
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()
