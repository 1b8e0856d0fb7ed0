"""The Accounts screen's test states, shared by its tests (tests/ui/test_accounts_screen.py) and
the README's pictures (screenshots/accounts_states.py)."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from tests.ui.integrations_helpers import ALICE
from tests.ui.steady import steady
from tests.ui.toolkit import until

WIDE, NARROW = (100, 30), (80, 24)
TODAY = date(2026, 11, 26)


def seed_accounts(path: Path, clock, many: int = 0) -> dict[str, int]:
    """The default account plus Bravo (access on, a session, an integration), Charlie (Paris,
    legacy key on, legacy Campaigns on, two integrations of which one is stale), and MANY
    numbered ones; returns name -> id."""
    from aesthetix_tui.clock import ManualClock
    from aesthetix_tui.domain import accounts, features, integrations, legacy_key, support_access, support_sessions
    from tests.conftest import opened

    database = opened(path, clock)
    try:
        with database.session() as session:
            first = accounts.resolve(session, None)
            bravo = accounts.create(session, clock, "Bravo Dental", "UTC", ALICE)
            charlie = accounts.create(session, clock, "Charlie Spa", "Europe/Paris", ALICE)
            ids = {first.name: first.id, "Bravo Dental": bravo.id, "Charlie Spa": charlie.id}
            support_access.enable(session, clock, bravo.id, TODAY + timedelta(days=14), ALICE)
            support_sessions.start(session, clock, bravo.id, "sam")
            legacy_key.regenerate(session, clock, charlie.id, ALICE)
            features.update(session, clock, charlie.id, {"legacy_campaigns": True}, ALICE)
            long_ago = ManualClock(clock.now() - timedelta(days=120))  # never used since: stale
            integrations.create(session, long_ago, charlie.id, "Old sync", ["contacts.readonly"], ALICE)
            integrations.create(session, clock, charlie.id, "Zapier", ["contacts.readonly"], ALICE)
            integrations.create(session, clock, bravo.id, "Booking widget", ["calendars.readonly"], ALICE)
            for n in range(many):
                extra = accounts.create(session, clock, f"Client {n:02d}", "America/New_York", ALICE)
                ids[extra.name] = extra.id
                if n % 3 == 0:
                    support_access.enable(session, clock, extra.id, TODAY + timedelta(days=3 + n % 20), ALICE)
        return ids
    finally:
        database.dispose()


async def open_accounts(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: app.account is not None or app.gate.error)
    await pilot.press("A")
    await until(pilot, lambda: app.current_mode == "accounts" and app.screen.is_loaded())
    await pilot.pause()


def remove_account(path: Path, account_id: int) -> None:
    """What another client, or a direct write, does: the account and (cascade) all it holds go."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("DELETE FROM account WHERE id = ?", (account_id,))
        connection.commit()
    finally:
        connection.close()


def fail_in(monkeypatch, name: str) -> None:
    """support_access.revoke fails (a busy database) in the account called NAME. MONKEYPATCH:
    anything with pytest's setattr(target, name, value)."""
    from aesthetix_tui.domain import support_access
    from aesthetix_tui.domain.errors import DatabaseProblem

    real = support_access.revoke

    def busy(session, clock, account_id, actor, expected_version=None):
        from aesthetix_tui.db.models import Account

        if session.get(Account, account_id).name == name:
            raise DatabaseProblem("The database is busy; try again in a moment.")
        return real(session, clock, account_id, actor, expected_version)

    monkeypatch.setattr(support_access, "revoke", busy)


def to_accounts(*keys: str):
    async def run_before(pilot) -> None:
        await open_accounts(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        if keys and keys[-1] == "R":
            await until(pilot, lambda: pilot.app.screen.id == "revoke-everywhere")
        await steady(pilot)

    return run_before


def no_accounts_left(path: Path, ids: dict[str, int]):
    """Run before a picture: every account removed while the Accounts screen is open."""
    async def run_before(pilot) -> None:
        await open_accounts(pilot)
        for account_id in ids.values():
            remove_account(path, account_id)
        # Empty, and the notice about the open account given: then the notices are cleared.
        await until(pilot, lambda: pilot.app.screen.query_one("#accounts-empty").display
                    and pilot.app.account is None, timeout=10)
        await steady(pilot)  # every worker that could still say something has finished
        pilot.app.clear_notifications()
        await steady(pilot)

    return run_before


async def failed_summary(pilot) -> None:
    """Run before a picture: revoke everywhere, with one account failing (fail_in)."""
    await to_accounts("R")(pilot)
    dialog = pilot.app.screen
    await pilot.press(*"revoke all", "enter")
    await until(pilot, lambda: dialog.summary is not None)
    await steady(pilot)
