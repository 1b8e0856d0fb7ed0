"""The Accounts screen: every account at a glance, filter, sort, changes made elsewhere, switching
the whole app to another account (remembered between runs), and revoking support everywhere."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input, Static

from tests.ui.accounts_helpers import (
    NARROW,
    TODAY,
    WIDE,
    fail_in,
    failed_summary,
    no_accounts_left,
    open_accounts,
    remove_account,
    seed_accounts,
    to_accounts,
)
from tests.ui.integrations_helpers import ALICE, target_for
from tests.ui.toolkit import make_app, messages, palette_search, settle, until


def table(app) -> DataTable:
    return app.screen.query_one("#accounts-table", DataTable)


def detail_text(app) -> str:
    return str(app.screen.query_one("#account-detail", Static).render())


def current(app):
    return app.screen.current_row()


def names(app) -> list[str]:
    return [row.name for row in app.screen.shown]


async def open_revoke_dialog(pilot):
    """The Accounts screen, then R: the revoke-everywhere dialog."""
    await open_accounts(pilot)
    await pilot.press("R")
    # The dialog shown and composed: on a busy machine its id comes before its widgets.
    await until(pilot, lambda: pilot.app.screen.id == "revoke-everywhere"
                and bool(pilot.app.screen.query("#revoke-all-affects")))
    return pilot.app.screen


async def revoke_everything(pilot):
    """Revoke everywhere, typing the phrase; the dialog once it shows the summary."""
    dialog = await open_revoke_dialog(pilot)
    await pilot.press(*"revoke all", "enter")
    await until(pilot, lambda: dialog.summary is not None)
    return dialog


@pytest.fixture
def seeded(ui_db, clock):
    return seed_accounts(ui_db, clock)


async def test_A_opens_the_accounts_screen_with_every_account(ui_db, clock, seeded):
    app = make_app(ui_db, clock)
    async with app.run_test(size=WIDE) as pilot:
        await open_accounts(pilot)
        assert sorted(names(app)) == sorted(seeded)
        bravo = next(r for r in app.screen.shown if r.name == "Bravo Dental")
        assert bravo.support_active and bravo.session.agent == "sam"
        assert app.current_mode == "accounts"
        row = names(app).index("Bravo Dental")
        drawn = [str(cell) for cell in table(app).get_row_at(row)]
        assert drawn[:3] == ["Bravo Dental", "through 10 Dec (14 days left)", "sam since 15:00"]
        table(app).move_cursor(row=row)
        await pilot.pause()
        assert detail_text(app) == (
            "Bravo Dental (UTC) · Support Access on through Thu 10 Dec 2026 (14 days left) · sam in a support "
            "session since Thu 26 Nov 2026 15:00 · 1 active integration · legacy API key none · deprecated "
            "features on: none")


async def test_filter_and_sort(ui_db, clock, seeded):
    app = make_app(ui_db, clock)
    async with app.run_test(size=WIDE) as pilot:
        await open_accounts(pilot)
        await pilot.press("slash", *"spa")
        await until(pilot, lambda: names(app) == ["Charlie Spa"])
        await pilot.press("escape")
        await until(pilot, lambda: len(names(app)) == len(seeded))
        assert not app.screen.query_one("#accounts-filter", Input).display
        await pilot.press("s")  # timezone
        assert app.screen.view.sort_key == "timezone"
        assert names(app)[0] == "Charlie Spa"  # Europe/Paris before UTC
        await pilot.press("s")  # support: active first
        assert app.screen.view.sort_key == "support"
        assert names(app)[0] == "Bravo Dental"
        await pilot.press("o")
        assert names(app)[-1] == "Bravo Dental"


async def test_a_change_made_by_another_process_shows(ui_db, clock, seeded):
    from aesthetix_tui.domain import support_access
    from aesthetix_tui.domain.seed import open_database

    app = make_app(ui_db, clock)
    async with app.run_test(size=WIDE) as pilot:
        await open_accounts(pilot)
        database = open_database(target_for(ui_db), clock)
        try:
            with database.session() as session:
                support_access.enable(session, clock, seeded["Charlie Spa"], TODAY + timedelta(days=5), ALICE)
        finally:
            database.dispose()

        def charlie_on() -> bool:
            return any(r.name == "Charlie Spa" and r.support_active for r in app.screen.shown)

        await until(pilot, charlie_on, timeout=10)


async def test_enter_switches_the_whole_app_and_is_remembered(ui_db, clock, seeded, home):
    settings = home / "settings.json"
    app = make_app(ui_db, clock, settings_path=settings)
    async with app.run_test(size=WIDE) as pilot:
        await open_accounts(pilot)
        first = app.account
        index = names(app).index("Charlie Spa")
        table(app).move_cursor(row=index)
        await pilot.press("enter")
        await until(pilot, lambda: app.current_mode == "profile" and app.account.name == "Charlie Spa")
        await until(pilot, lambda: getattr(app.screen, "profile", None) is not None)
        assert "Charlie Spa" in app.sub_title
        assert app.screen.profile.account.id == seeded["Charlie Spa"] if hasattr(app.screen.profile, "account") else True
        await pilot.press("a")
        await until(pilot, lambda: app.current_mode == "audit")
        assert first.name != "Charlie Spa"
    assert json.loads(settings.read_text())["account"] == str(seeded["Charlie Spa"])

    again = make_app(ui_db, clock, settings_path=settings)
    async with again.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: again.account is not None)
        assert again.account.name == "Charlie Spa"
        assert "Charlie Spa" in again.sub_title


async def test_a_remembered_account_that_is_gone_falls_back_to_the_first(ui_db, clock, seeded, home):
    settings = home / "settings.json"
    settings.write_text(json.dumps({"account": "999999"}))
    app = make_app(ui_db, clock, settings_path=settings)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: app.current_mode == "accounts" and app.screen.is_loaded())
        assert app.account.id == min(seeded.values())


async def test_revoke_all_refuses_wrong_text_then_revokes(ui_db, clock, seeded):
    app = make_app(ui_db, clock)
    async with app.run_test(size=WIDE) as pilot:
        dialog = await open_revoke_dialog(pilot)
        assert "1 account with Support Access on, and 1 live support session" in str(
            dialog.query_one("#revoke-all-affects").render())
        assert dialog.query_one("#confirm-phrase", Input).has_focus
        await pilot.press(*"revoke", "enter")
        assert app.screen is dialog and dialog.summary is None
        assert "Type revoke all exactly" in str(dialog.query_one("#revoke-all-message").render())
        await pilot.press(*" all", "enter")
        await until(pilot, lambda: dialog.summary is not None)
        assert dialog.summary.sentence().startswith("Revoked in 1 account (1 live session ended)")
        assert "Revoked in 1 account" in str(dialog.query_one("#revoke-all-message").render())
        await pilot.press("enter")  # Close
        await until(pilot, lambda: app.screen.id == "accounts-screen")
        await until(pilot, lambda: not any(r.support_active for r in app.screen.shown))


def test_palette_offers_accounts_commands():
    from aesthetix_tui.ui.screens.registry import screen_class

    titles = [command.palette_title for command in screen_class("accounts").commands()]
    assert "Revoke support access in every account" in titles


def status_text(app) -> str:
    return str(app.screen.query_one("#accounts-status", Static).render())


async def test_an_account_removed_elsewhere_disappears(ui_db, clock, seeded):
    app = make_app(ui_db, clock)
    async with app.run_test(size=WIDE) as pilot:
        await open_accounts(pilot)
        remove_account(ui_db, seeded["Charlie Spa"])
        await until(pilot, lambda: "Charlie Spa" not in names(app), timeout=10)
        assert app.current_mode == "accounts" and app.account.name == "My Business"
        assert status_text(app).startswith("2 accounts")


async def test_the_open_account_removed_returns_to_accounts(ui_db, clock, seeded):
    app = make_app(ui_db, clock, account_ref="Bravo Dental")
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: getattr(app.screen, "profile", None) is not None)
        remove_account(ui_db, seeded["Bravo Dental"])
        await until(pilot, lambda: app.current_mode == "accounts" and app.screen.is_loaded(), timeout=10)
        assert app.account is None and "no account open" in app.sub_title
        assert "Bravo Dental" not in names(app)
        assert "The account Bravo Dental was removed from the database. Choose another one." in messages(app)
        # Business Profile now opens another account, made afresh (none of Bravo's state is kept).
        index = names(app).index("Charlie Spa")
        table(app).move_cursor(row=index)
        await pilot.press("enter")
        await until(pilot, lambda: app.current_mode == "profile" and getattr(app.screen, "profile", None)
                    is not None and app.screen.profile.account.name == "Charlie Spa")


async def test_the_open_account_removed_while_on_accounts(ui_db, clock, seeded):
    app = make_app(ui_db, clock)
    async with app.run_test(size=WIDE) as pilot:
        await open_accounts(pilot)
        remove_account(ui_db, app.account.id)
        await until(pilot, lambda: app.account is None and "My Business" not in names(app), timeout=10)
        assert app.current_mode == "accounts"
        await pilot.press("b")  # the first account there is now
        await until(pilot, lambda: getattr(app.screen, "profile", None) is not None)
        assert app.account.name == "Bravo Dental" and "Bravo Dental" in app.sub_title


async def test_no_accounts_left(ui_db, clock, seeded):
    app = make_app(ui_db, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_accounts(pilot)
        for account_id in seeded.values():
            remove_account(ui_db, account_id)
        empty = app.screen.query_one("#accounts-empty", Static)
        await until(pilot, lambda: empty.display, timeout=10)
        assert "There are no accounts yet; create one with `accounts create NAME`." in str(empty.render())
        assert not table(app).display and status_text(app) == "0 accounts · Support Access on: 0 · in session: 0"
        await pilot.press("R", "enter", "s")  # nothing to do: nothing happens, nothing breaks
        assert app.screen.id == "accounts-screen"


async def test_the_columns_fit_when_the_scrollbar_comes_after_the_layout(ui_db, clock, monkeypatch):
    """The table laid out while it was empty (a slow read), then more rows than it shows: the
    vertical scrollbar takes its room, and the columns fit again, with no horizontal scrollbar
    (seen once on a loaded machine)."""
    import threading

    from aesthetix_tui.ui.screens import accounts as accounts_screen

    seed_accounts(ui_db, clock, many=40)
    release = threading.Event()
    read_overview = accounts_screen.read_overview
    monkeypatch.setattr(accounts_screen, "read_overview",
                        lambda *args: release.wait(30) and read_overview(*args))
    app = make_app(ui_db, clock)
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: app.account is not None)
        await pilot.press("A")
        await until(pilot, lambda: app.current_mode == "accounts" and table(app).size.width > 0)
        assert not table(app).show_vertical_scrollbar  # laid out, empty
        release.set()
        await until(pilot, lambda: app.screen.is_loaded() and table(app).row_count == 43
                    and table(app).show_vertical_scrollbar)
        await settle(pilot)
        grid = table(app)
        used = sum(column.get_render_width(grid) for column in grid.columns.values())
        assert not grid.show_horizontal_scrollbar
        assert used <= grid.scrollable_content_region.width
        # Right at once: the widths counted the scrollbar's place from the rows, not from the
        # scrollbar shown at the time, so no second fill had to correct them (a picture taken
        # before that correction showed a horizontal scrollbar).
        assert grid.fills == 1


async def test_the_columns_fit_the_width(ui_db, clock, seeded):
    app = make_app(ui_db, clock)
    async with app.run_test(size=NARROW) as pilot:
        await open_accounts(pilot)
        shown = [column.key.value for column in table(app).columns.values()]
        assert shown == ["name", "support", "session", "legacy"]
        assert table(app).virtual_size.width <= table(app).scrollable_content_region.width
        await pilot.resize_terminal(140, 30)
        await until(pilot, lambda: len(table(app).columns) == 7)
        assert table(app).virtual_size.width <= table(app).scrollable_content_region.width


async def test_several_accounts_none_named_open_on_accounts(ui_db, clock, seeded, home):
    app = make_app(ui_db, clock, settings_path=home / "settings.json")
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: app.current_mode == "accounts" and app.screen.is_loaded())
        assert current(app).name == "My Business"  # the cursor on the account behind it


async def test_A_is_in_the_footer_and_open_accounts_in_the_palette(ui_db, clock, seeded):
    from aesthetix_tui.ui.widgets.key_bar import KeyBar

    app = make_app(ui_db, clock, account_ref="My Business")
    async with app.run_test(size=WIDE) as pilot:
        await until(pilot, lambda: getattr(app.screen, "profile", None) is not None)
        assert "A Accounts" in str(app.screen.query_one(KeyBar).render())
        await palette_search(pilot, "open accounts", expect="Open accounts")
        await pilot.press("enter")
        await until(pilot, lambda: app.current_mode == "accounts" and app.screen.is_loaded())


async def test_revoke_all_names_a_failed_account_and_again_finishes(ui_db, clock, home, monkeypatch):
    from aesthetix_tui.domain import support_access

    seeded = seed_accounts(ui_db, clock, many=3)  # Bravo and Client 00 have access on
    real = support_access.revoke
    fail_in(monkeypatch, "Client 00")
    app = make_app(ui_db, clock)
    async with app.run_test(size=WIDE) as pilot:
        dialog = await revoke_everything(pilot)
        message = str(dialog.query_one("#revoke-all-message").render())
        assert message.splitlines() == [
            "Revoked in 1 account (1 live session ended); 4 already off; 1 failed: Client 00.",
            "Failed: Client 00: The database is busy; try again in a moment.",
            "Run it again to finish the job."]
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.id == "accounts-screen")
        await until(pilot, lambda: [r.name for r in app.screen.shown if r.support_active] == ["Client 00"])

        monkeypatch.setattr(support_access, "revoke", real)
        dialog = await revoke_everything(pilot)
        assert not dialog.summary.failed and [r.name for r in dialog.summary.revoked] == ["Client 00"]
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.id == "accounts-screen")
        await until(pilot, lambda: not any(r.support_active for r in app.screen.shown))
        await pilot.press("R")  # safe to run again: nothing left to do, no dialog
        await until(pilot, lambda: "Support Access is already off in every account: nothing to revoke."
                    in messages(app))
        assert app.screen.id == "accounts-screen"
    assert len(seeded) == 6


# -- snapshots -----------------------------------------------------------------------------

@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["100x30", "80x24"])
def test_snapshot_few_accounts(snap_compare, ui_db, size, clock):
    seed_accounts(ui_db, clock)
    assert snap_compare(make_app(ui_db, clock), terminal_size=size, run_before=to_accounts())


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["100x30", "80x24"])
def test_snapshot_many_accounts(snap_compare, ui_db, size, clock):
    seed_accounts(ui_db, clock, many=40)
    assert snap_compare(make_app(ui_db, clock), terminal_size=size, run_before=to_accounts())


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["100x30", "80x24"])
def test_snapshot_revoke_all_dialog(snap_compare, ui_db, size, clock):
    seed_accounts(ui_db, clock)
    assert snap_compare(make_app(ui_db, clock), terminal_size=size, run_before=to_accounts("R"))


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["100x30", "80x24"])
def test_snapshot_no_accounts(snap_compare, ui_db, size, clock):
    ids = seed_accounts(ui_db, clock)
    assert snap_compare(make_app(ui_db, clock), terminal_size=size, run_before=no_accounts_left(ui_db, ids))


@pytest.mark.parametrize("size", [WIDE, NARROW], ids=["100x30", "80x24"])
def test_snapshot_failed_summary(snap_compare, ui_db, size, monkeypatch, clock):
    seed_accounts(ui_db, clock, many=3)
    fail_in(monkeypatch, "Client 00")
    assert snap_compare(make_app(ui_db, clock), terminal_size=size, run_before=failed_summary)
