"""Stale integrations on the Private Integrations screen: the "stale" mark, S to show only the
stale ones, X (and the palette) to revoke them all after typing their count, refused when the
list moved meanwhile; and the Accounts screen's words for them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from textual.widgets import Button, Static

from aesthetix_tui.ui.modals.revoke_stale import RevokeStaleModal
from tests.ui.integrations_helpers import (
    ALICE,
    READ,
    START,
    fake_tokens,
    names_shown,
    open_integrations,
    screen_of,
    seed,
    seed_sample,
    steps,
)

WIDE, NARROW = (100, 30), (80, 24)
from tests.ui.toolkit import make_app, messages, settle, until


def add_stale(db, clock, monkeypatch) -> None:
    """Two stale integrations beside the sample's: one never used (45 days), one unused 120 days.
    Their tokens are fake (wrong checksum), numbered apart from the sample's."""
    from aesthetix_tui.domain import integrations, tokens
    from aesthetix_tui.domain.token_check import record_use

    numbers = iter(range(900, 1000))
    monkeypatch.setattr(tokens, "new_pit", lambda: "pit-" + "X" * 40 + f"{next(numbers):06d}")

    def fill(session, clk, account_id):
        clk.set(START - timedelta(days=45))
        integrations.create(session, clk, account_id, "Legacy export", [READ], ALICE, "Monthly CSV export")
        clk.set(START - timedelta(days=200))
        issued = integrations.create(session, clk, account_id, "Old webhook", [READ], ALICE)
        session.commit()
        clk.set(START - timedelta(days=120, hours=4))  # its last use (the server's clock too)
        record_use(session, issued.integration.id, clk.now())
        clk.set(START)

    seed(db, clock, fill)
    fake_tokens(monkeypatch)


@pytest.fixture
def stale_app(ui_db, clock, monkeypatch):
    seed_sample(ui_db, clock, monkeypatch)
    add_stale(ui_db, clock, monkeypatch)
    return make_app(ui_db, clock)


def status(app) -> str:
    return str(app.screen.query_one("#list-status", Static).render())



def live_names(db, clock) -> list[str]:
    from aesthetix_tui.domain import accounts, integrations

    return seed(db, clock, lambda session, clk, account_id: [
        i.name for i in integrations.list_for(session, accounts.get(session, account_id))])


async def open_revoke_stale(app, pilot) -> None:
    """Open the list, press X and wait for the dialog."""
    await open_integrations(app, pilot)
    await pilot.press("X")
    await until(pilot, lambda: isinstance(app.screen, RevokeStaleModal))


async def test_stale_rows_are_marked_and_S_shows_only_them(stale_app):
    app = stale_app
    async with app.run_test(size=WIDE) as pilot:
        await open_integrations(app, pilot)
        screen = screen_of(app)
        assert names_shown(app) == ["Booking widget", "CRM Sync", "Legacy export", "Old webhook", "Zapier"]
        last_used = {row.name: str(screen.cell_cache[row.id][4]) for row in screen.shown}
        assert last_used["Legacy export"] == "never · stale"
        assert last_used["Old webhook"].endswith(" · stale")
        assert "stale" not in last_used["Zapier"] and "stale" not in last_used["CRM Sync"]
        assert "2 stale (S)" in status(app)
        assert screen.check_action("only_stale", ()) and not screen.check_action("every_integration", ())
        await pilot.press("S")
        await settle(pilot)
        assert names_shown(app) == ["Legacy export", "Old webhook"]
        assert "only stale: 2 (S: all)" in status(app)
        titles = [title for title, _, _ in screen.palette_commands()]
        assert "Show every integration" in titles and "Show only stale integrations" not in titles
        await pilot.press("S")
        await settle(pilot)
        assert len(names_shown(app)) == 5
        assert "Show only stale integrations" in [title for title, _, _ in screen.palette_commands()]


async def test_revoke_stale_needs_the_typed_count(stale_app, ui_db, clock):
    app = stale_app
    async with app.run_test(size=WIDE) as pilot:
        await open_revoke_stale(app, pilot)
        modal = app.screen
        assert modal.focused.id == "confirm-count"
        body = " ".join(str(s.render()) for s in modal.query(".stale-item"))
        assert "Legacy export" in body and "Old webhook" in body and "Zapier" not in body
        revoke = modal.query_one("#revoke-stale-button", Button)
        assert revoke.disabled and str(revoke.label) == "Revoke 2"
        await pilot.press("3", "enter")
        await pilot.pause()
        assert app.screen is modal and revoke.disabled
        assert str(modal.query_one("#confirm-error", Static).render()) == (
            "Type 2, the number of integrations listed, or press Escape.")
        await pilot.press("backspace", "2")
        await pilot.pause()
        assert not revoke.disabled
        await pilot.press("enter")
        await until(pilot, lambda: screen_of(app) is app.screen and "Legacy export" not in names_shown(app))
        await settle(pilot)
        assert names_shown(app) == ["Booking widget", "CRM Sync", "Zapier"]
        assert any(m.startswith("Revoked 2 stale integrations: their tokens no longer work.") for m in messages(app))
        assert not screen_of(app).check_action("revoke_stale", ())
    assert live_names(ui_db, clock) == ["Booking widget", "CRM Sync", "Zapier"]


async def test_revoke_stale_cancelled_by_escape(stale_app, ui_db, clock):
    app = stale_app
    async with app.run_test(size=WIDE) as pilot:
        await open_revoke_stale(app, pilot)
        await pilot.press("2", "escape")
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert "Cancelled: no integration was revoked." in messages(app)
    assert len(live_names(ui_db, clock)) == 5


async def test_revoke_stale_refused_when_one_was_used_meanwhile(stale_app, ui_db, clock):
    from aesthetix_tui.db.engine import end_transaction
    from aesthetix_tui.domain.token_check import record_use

    app = stale_app
    async with app.run_test(size=WIDE) as pilot:
        await open_integrations(app, pilot)
        used = next(r.id for r in screen_of(app).shown if r.name == "Old webhook")
        await pilot.press("X")
        await until(pilot, lambda: isinstance(app.screen, RevokeStaleModal))
        def use(session, clk, account_id):
            end_transaction(session)  # seed resolved the account: a read transaction is open
            record_use(session, used, START)

        seed(ui_db, clock, use)
        await pilot.press("2", "enter")
        await until(pilot, lambda: any("nothing was revoked" in m for m in messages(app)))
        assert ("The account now has 1 stale integration, not the 2 you confirmed; nothing was revoked, so review "
                "the list and confirm again.") in messages(app)
    assert len(live_names(ui_db, clock)) == 5


async def test_with_none_stale_X_says_so(ui_db, clock, monkeypatch):
    seed_sample(ui_db, clock, monkeypatch)
    app = make_app(ui_db, clock)
    async with app.run_test(size=WIDE) as pilot:
        await open_integrations(app, pilot)
        screen = screen_of(app)
        assert not screen.check_action("revoke_stale", ()) and not screen.check_action("only_stale", ())
        assert screen.why_not(  # what the palette says when run anyway
            "integrations.revoke_stale") == "No integration is stale (unused 90 days, or never used 30 days after creation)."
        assert "stale" not in status(app)
        screen.action_revoke_stale()  # the list may be out of date: the action reads again
        await until(pilot, lambda: bool(messages(app)))
        assert messages(app) == [
            "No integration is stale (unused 90 days, or never used 30 days after creation): nothing to revoke."]
        assert screen_of(app) is app.screen


async def test_the_palette_offers_revoke_stale(stale_app):
    app = stale_app
    async with app.run_test(size=WIDE) as pilot:
        await open_integrations(app, pilot)
        titles = [title for title, _, _ in screen_of(app).palette_commands()]
        assert {"Revoke stale integrations", "Show only stale integrations"} <= set(titles)
        system = [c.title for c in app.get_system_commands(app.screen)]
        assert "Revoke stale integrations" in system


# -- snapshots --------------------------------------------------------------------------------------------

def test_snapshot_only_stale(snap_compare, stale_app):
    assert snap_compare(stale_app, terminal_size=WIDE, run_before=steps("S"))


def test_snapshot_revoke_stale_dialog(snap_compare, stale_app):
    async def run_before(pilot) -> None:
        await open_revoke_stale(pilot.app, pilot)
        await pilot.press("2")

    assert snap_compare(stale_app, terminal_size=NARROW, run_before=run_before)
