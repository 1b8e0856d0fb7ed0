"""The support console (Pilot): the list, a session, and its end after a revoke made by another
process, or after expiry by the clock. Snapshots of each, and of the owner's line. How soon the
session ends (within 2 seconds) is measured by `make bench`, not here."""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor
from tests.processes import cli_argv, clocked_env
from tests.ui.profile_helpers import FAKE_LEGACY_KEY, ready
from tests.ui.requests_helpers import console, console_ready
from tests.ui.toolkit import make_app, until

START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
OWNER = Actor("alice", "owner")
REVOKED = "Support Access to My Business was revoked by the account owner; this session has ended"
EXPIRED = "Support Access to My Business expired on Fri 4 Dec 2026 00:00; this session has ended"


@pytest.fixture
def fake_secrets(monkeypatch):
    """Never a real secret on screen: numbered fake tokens, and the fake legacy key."""
    from aesthetix_tui.domain import tokens

    counter = iter(range(10**6))
    monkeypatch.setattr(tokens, "new_pit", lambda: "pit-" + "X" * 40 + f"{next(counter):06d}")
    monkeypatch.setattr(tokens, "new_legacy_key", lambda: FAKE_LEGACY_KEY)


def database(path: Path, clock):
    from aesthetix_tui.domain.seed import open_database

    return open_database(resolve_target(db=str(path)), clock)


def seed(path: Path, clock: ManualClock) -> None:
    """My Business (access through Thu 3 Dec, two integrations, a key, a feature on),
    Zen Spa (access through Sat 28 Nov, Paris), Closed Co (no access)."""
    from aesthetix_tui.domain import accounts, features, integrations, legacy_key, support_access

    today = clock.now().date()
    db = database(path, clock)
    try:
        with db.session() as s:
            mine = accounts.resolve(s, None)
            spa = accounts.create(s, clock, "Zen Spa", "Europe/Paris", OWNER)
            accounts.create(s, clock, "Closed Co", "UTC", OWNER)
            support_access.enable(s, clock, mine.id, today + timedelta(days=7), OWNER,
                                  reason="Ticket #4521: billing sync")
            support_access.enable(s, clock, spa.id, today + timedelta(days=2), Actor("carol"))
            integrations.create(s, clock, mine.id, "Zapier", ["contacts.readonly", "calendars.readonly"], OWNER)
            integrations.create(s, clock, mine.id, "Old reporting", ["contacts.readonly"], OWNER)
            integrations.revoke(s, clock, mine.id, "Old reporting", OWNER)
            legacy_key.regenerate(s, clock, mine.id, OWNER)
            features.update(s, clock, mine.id, {"legacy_campaigns": True}, OWNER)
    finally:
        db.dispose()


def screen_name(app) -> str:
    return type(app.screen).__name__


def listed(app) -> list[str]:
    table = app.screen.query_one("#accounts", DataTable)
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def open_first(pilot) -> None:
    await console_ready(pilot)
    await pilot.press("enter")
    await until(pilot, lambda: screen_name(pilot.app) == "SessionScreen" and pilot.app.screen.snapshot is not None)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@asynccontextmanager
async def console_open(path: Path, clock, then=open_first, size: tuple[int, int] = (100, 30)):
    """Seed, start bob's console at SIZE and run THEN (open_first: the first account's session)."""
    seed(path, clock)
    app = console(path, clock)
    async with app.run_test(size=size) as pilot:
        await then(pilot)
        yield app, pilot


def audit_actions(path: Path, clock, account: str = "My Business") -> list[str]:
    from aesthetix_tui.domain import accounts, audit

    db = database(path, clock)
    try:
        with db.session() as s:
            return [e.action for e in reversed(audit.recent(s, accounts.resolve(s, account), limit=1000))]
    finally:
        db.dispose()


def session_rows(path: Path, clock) -> list[tuple]:
    from sqlmodel import select

    from aesthetix_tui.db.models import SupportSession

    db = database(path, clock)
    try:
        with db.session() as s:
            return [(r.account_id, r.agent, r.end_reason) for r in s.exec(select(SupportSession)).all()]
    finally:
        db.dispose()


def revoke_in_process(path: Path, clock, account: str = "My Business") -> None:
    from aesthetix_tui.domain import accounts, support_access

    db = database(path, clock)
    try:
        with db.session() as s:
            support_access.revoke(s, clock, accounts.resolve(s, account).id, OWNER)
    finally:
        db.dispose()


async def wait_for_notice(pilot) -> None:
    """Until the termination notice is on screen, with no key pressed."""
    await until(pilot, lambda: screen_name(pilot.app) == "AccessEndedScreen"
                and bool(pilot.app.screen.query("#ended-message")))


def notice_text(app) -> str:
    return str(app.screen.query_one("#ended-message", Static).render())


# -- the list ----------------------------------------------------------------------------------

async def test_the_list_shows_only_accounts_with_active_access(home, ui_db, clock, fake_secrets):
    async with console_open(ui_db, clock, console_ready) as (app, pilot):
        table = app.screen.query_one("#accounts", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert rows == [["My Business", "Thu 3 Dec 2026", "7 days", "Ticket #4521: billing sync"],
                        ["Zen Spa", "Sat 28 Nov 2026", "2 days", "—"]]
        clock.set(datetime(2026, 11, 28, 23, 0, tzinfo=UTC))  # Zen Spa's end, in Paris
        await until(pilot, lambda: listed(app) == ["My Business"])


async def test_opening_an_account_starts_a_recorded_read_only_session(home, ui_db, clock, fake_secrets):
    async with console_open(ui_db, clock) as (app, pilot):
        assert session_rows(ui_db, clock) == [(1, "bob", None)]
        access = str(app.screen.query_one("#view-access", Static).render())
        assert "Support Access is active — available through Thu 3 Dec 2026" in access
        for key in ("2", "3", "4"):
            await pilot.press(key)
            await pilot.pause()
        await app.workers.wait_for_complete()
        table = app.screen.query_one("#view-integrations", DataTable)
        assert [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)] == [
            ["Old reporting", "contacts.readonly", "pit-…0001", "revoked"],
            ["Zapier", "calendars.readonly contacts.readonly", "pit-…0000", "active"]]
        assert "on" in str(app.screen.query_one("#view-features", Static).render())
        key = str(app.screen.query_one("#view-legacy-key", Static).render())
        assert "enabled" in key and "…" + FAKE_LEGACY_KEY[-4:] in key and FAKE_LEGACY_KEY not in key
        actions = audit_actions(ui_db, clock)
        assert actions[-5:] == ["support_session.started"] + ["support_session.viewed"] * 4
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "AccountListScreen")
        assert session_rows(ui_db, clock) == [(1, "bob", "closed")]
        assert audit_actions(ui_db, clock)[-1] == "support_session.ended"
        assert listed(app) == ["My Business", "Zen Spa"]  # closing is not losing access


async def test_quitting_ends_the_open_session(home, ui_db, clock, fake_secrets):
    async with console_open(ui_db, clock) as (_, pilot):
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert session_rows(ui_db, clock) == [(1, "bob", "closed")]


# -- termination ----------------------------------------------------------------------------------

async def test_a_revoke_from_another_process_ends_the_session(home, ui_db, clock, fake_secrets):
    async with console_open(ui_db, clock) as (app, pilot):
        # The other process runs on this test's clock (faketime), as a real owner's would.
        process = await asyncio.create_subprocess_exec(
            *cli_argv("--db", str(ui_db), "support-access", "revoke", "--yes",
                      "--account", "My Business", "--actor", "alice"),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=clocked_env(clock))
        # The console keeps running (and polling) while the other process works.
        await wait_for_notice(pilot)
        _out, err = await process.communicate()
        assert process.returncode == 0, err.decode()
        assert notice_text(app) == REVOKED
        actions = audit_actions(ui_db, clock)
        start = actions.index("support_session.started")
        ended = actions.index("support_session.ended")
        revoked = actions.index("support_access.revoked")
        assert start < ended < revoked
        assert actions.count("support_session.ended") == 1
        assert session_rows(ui_db, clock) == [(1, "bob", "revoked")]
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "AccountListScreen")
        await until(pilot, lambda: listed(app) == ["Zen Spa"])


async def test_expiry_by_the_clock_ends_the_session(home, ui_db, clock, fake_secrets):
    async with console_open(ui_db, clock) as (app, pilot):
        clock.set(datetime(2026, 12, 4, 0, 0, tzinfo=UTC))
        await wait_for_notice(pilot)
        assert notice_text(app) == EXPIRED
        actions = audit_actions(ui_db, clock)
        assert actions.index("support_session.started") < actions.index("support_session.ended")
        assert session_rows(ui_db, clock) == [(1, "bob", "expired")]
        await pilot.press("enter")
        await until(pilot, lambda: screen_name(app) == "AccountListScreen")
        await until(pilot, lambda: listed(app) == [])
        assert app.screen.query_one("#accounts-empty").display


async def test_a_stale_list_after_a_revoke_opens_nothing(home, ui_db, clock, fake_secrets):
    async with console_open(ui_db, clock, console_ready) as (app, pilot):
        assert listed(app)[0] == "My Business"
        revoke_in_process(ui_db, clock)
        # The agent picks the row the list still showed (the stale choice, made deterministic).
        app.screen.open_account(1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen_name(app) == "AccountListScreen"
        assert session_rows(ui_db, clock) == []
        assert "support_session.started" not in audit_actions(ui_db, clock)
        await until(pilot, lambda: listed(app) == ["Zen Spa"])


# -- the owner's side -------------------------------------------------------------------------------

def start_session(path: Path, clock, agent: str = "bob") -> int:
    from aesthetix_tui.domain import accounts, support_sessions

    db = database(path, clock)
    try:
        with db.session() as s:
            return support_sessions.start(s, clock, accounts.resolve(s, "My Business").id, agent).id
    finally:
        db.dispose()


def owner_line(app) -> str:
    widget = app.screen.query_one("#support-session", Static)
    return str(widget.render()) if widget.display else ""


async def test_the_owner_sees_the_session_and_revoking_ends_it(home, ui_db, clock):
    from tests.ui.profile_helpers import seed as seed_owner

    seed_owner(ui_db, clock, state="active")
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert owner_line(app) == ""
        start_session(ui_db, clock)
        await until(pilot, lambda: owner_line(app) == "Support session in progress — bob since Thu 26 Nov 2026 15:00")
        await pilot.press("r")
        await until(pilot, lambda: app.screen.id == "revoke-confirm")
        await pilot.press("tab", "enter")  # "Revoke access"
        await until(pilot, lambda: owner_line(app) == "")
    assert session_rows(ui_db, clock) == [(1, "bob", "revoked")]


# -- snapshots ---------------------------------------------------------------------------------------

SIZE = (80, 24)


def test_snapshot_console_account_list(snap_compare, home, ui_db, clock, fake_secrets):
    seed(ui_db, clock)
    assert snap_compare(console(ui_db, clock), terminal_size=SIZE, run_before=console_ready)


def test_snapshot_open_session(snap_compare, home, ui_db, clock, fake_secrets):
    seed(ui_db, clock)
    assert snap_compare(console(ui_db, clock), terminal_size=SIZE, run_before=open_first)


def test_snapshot_open_session_integrations(snap_compare, home, ui_db, clock, fake_secrets):
    seed(ui_db, clock)

    async def run_before(pilot):
        await open_first(pilot)
        await pilot.press("2")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(console(ui_db, clock), terminal_size=SIZE, run_before=run_before)


def test_snapshot_termination_notice(snap_compare, home, ui_db, clock, fake_secrets):
    seed(ui_db, clock)

    async def run_before(pilot):
        await open_first(pilot)
        revoke_in_process(ui_db, clock)
        await wait_for_notice(pilot)
        await pilot.pause()

    assert snap_compare(console(ui_db, clock), terminal_size=SIZE, run_before=run_before)


def test_snapshot_owner_session_in_progress(snap_compare, home, ui_db, clock):
    from tests.ui.profile_helpers import seed as seed_owner
    from tests.ui.profile_states import quiet_start

    seed_owner(ui_db, clock, state="active")
    start_session(ui_db, clock)

    async def run_before(pilot):
        await quiet_start(pilot)
        await until(pilot, lambda: owner_line(pilot.app) != "")

    assert snap_compare(make_app(ui_db, clock), terminal_size=SIZE, run_before=run_before)


def test_snapshot_open_session_in_16_colours(snap_compare, home, ui_db, clock, fake_secrets, monkeypatch):
    monkeypatch.setenv("TERM", "linux")  # the console picks the ANSI theme by itself
    monkeypatch.delenv("COLORTERM")
    seed(ui_db, clock)
    app = console(ui_db, clock)
    assert app.theme == "aesthetix-16"
    assert snap_compare(app, terminal_size=SIZE, run_before=open_first)


async def test_help_and_the_palette_are_there_for_agents(home, ui_db, clock, fake_secrets):
    from aesthetix_tui.ui.widgets.key_bar import KeyBar

    async with console_open(ui_db, clock, size=(80, 24)) as (app, pilot):
        assert str(app.screen.query_one(KeyBar).render()).rstrip().endswith("? Help ^p palette")
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"End the support session and go back to the accounts", "Private Integrations (no secrets)"} <= titles
        await pilot.press("question_mark")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpModal")
        rows = " ".join(str(s.render()) for s in app.screen.query(".help-row"))
        assert "End the support session" in rows and "Show every key" in rows
        await pilot.press("escape")
        await until(pilot, lambda: screen_name(app) == "SessionScreen")
        await pilot.press("ctrl+p")
        await until(pilot, lambda: app.screen.id == "--command-palette")
        await pilot.press(*"integrations", "enter")
        await until(pilot, lambda: screen_name(app) == "SessionScreen"
                    and app.screen.query_one("#session-tabs").active == "integrations")
