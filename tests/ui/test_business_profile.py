"""Pilot tests for every Business Profile flow."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta

import pytest
from textual.widgets import Button, Checkbox, Input, Static, Switch

from aesthetix_tui.domain.dates import format_day
from tests.processes import cli_argv, clocked_env
from tests.ui.profile_helpers import TODAY, current_status, profile_open, ready, seed
from tests.ui.toolkit import make_app, messages, until


def status_text(app) -> str:
    return str(app.screen.query_one("#support-status", Static).render())


async def test_enable_through_the_picker(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        assert status_text(app) == "Support Access is off"
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("down", "right", "enter")  # today + 8 days
        await pilot.press("enter")  # the focus moved to "Enable through …"
        await ready(pilot)
        until = TODAY + timedelta(days=8)
        assert current_status(ui_db, clock).until_date == until
        assert f"available through {format_day(until)}" in status_text(app)
        assert app.screen.query_one("#support-switch", Switch).value is True


async def test_enable_through_a_preset_with_a_reason(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("shift+tab")  # from the calendar back to the last preset, 30 days
        assert app.focused.id == "preset-30"
        await pilot.press("enter")
        app.screen.query_one("#reason", Input).value = "Ticket 99"
        app.screen.query_one("#submit", Button).press()
        await ready(pilot)
        status = current_status(ui_db, clock)
        assert status.until_date == TODAY + timedelta(days=30)
        assert status.reason == "Ticket 99"
        assert "Reason: Ticket 99" in status_text(app)


async def test_turning_the_switch_on_then_cancelling_leaves_it_off(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        switch = app.screen.query_one("#support-switch", Switch)
        switch.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ChooseDateModal"
        await pilot.press("escape")
        await ready(pilot)
        assert switch.value is False
        assert current_status(ui_db, clock).state == "off"


async def test_extend_asks_for_confirmation_naming_the_date(ui_db, clock):
    async with profile_open(ui_db, clock, "active") as (app, pilot):
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("down", "enter")  # a week after the first allowed day
        await pilot.press("enter")  # Extend through …
        await pilot.pause()
        new_end = TODAY + timedelta(days=8 + 7)
        body = str(app.screen.query(".dialog-body").first().render())
        assert body == f"Support Access will remain active until {format_day(new_end)}."
        assert app.screen.focused.id == "confirm"  # Save: the button drawn as chosen
        await pilot.press("enter")
        await ready(pilot)
        assert current_status(ui_db, clock).until_date == new_end


async def test_extend_cancelled_at_the_confirmation_changes_nothing(ui_db, clock):
    async with profile_open(ui_db, clock, "active") as (_, pilot):
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter", "enter")
        await pilot.pause()
        await pilot.press("escape")
        await ready(pilot)
        assert current_status(ui_db, clock).until_date == TODAY + timedelta(days=7)


async def test_revoke_cancel_then_confirm(ui_db, clock):
    async with profile_open(ui_db, clock, "active") as (app, pilot):
        await pilot.press("r")
        await pilot.pause()
        dialog = app.screen
        assert "immediately ends any ongoing support session" in str(dialog.query_one(".dialog-body", Static).render())
        assert app.focused.id == "cancel"
        assert str(dialog.query_one("#confirm", Button).label) == "Revoke access"
        await pilot.press("escape")
        await ready(pilot)
        assert current_status(ui_db, clock).state == "active"
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("tab", "enter")
        await ready(pilot)
        assert current_status(ui_db, clock).state == "revoked"
        assert status_text(app).startswith("Support Access was revoked on Thu 26 Nov 2026 15:00 by alice")
        assert app.screen.query_one("#support-switch", Switch).value is False


async def test_enable_again_after_revoke(ui_db, clock):
    async with profile_open(ui_db, clock, "revoked") as (_, pilot):
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("right", "enter", "enter")
        await ready(pilot)
        assert current_status(ui_db, clock).state == "active"


async def test_live_expiry_without_a_key_press(ui_db, clock):
    async with profile_open(ui_db, clock, "active") as (app, pilot):
        assert "active" in status_text(app)
        clock.advance(timedelta(days=8))  # past the end of 3 Dec
        # No key press: the screen's own tick notices the new time.
        await until(pilot, lambda: status_text(app).startswith("Support Access expired on"))
        assert app.screen.query_one("#support-switch", Switch).value is False
        assert app.screen.check_action("enable_support", ()) is True


async def test_a_change_by_another_process_appears(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        through = (TODAY + timedelta(days=3)).isoformat()
        # The other process runs on this test's clock (faketime), so "+3 days" is the same day.
        argv = cli_argv("--db", str(ui_db), "support-access", "enable", "--until", through, "--actor", "bob")
        await asyncio.to_thread(subprocess.run, argv, check=True, capture_output=True, env=clocked_env(clock))
        await until(pilot, lambda: "active" in status_text(app))
        assert "available through Sun 29 Nov 2026" in status_text(app)


async def test_regenerate_legacy_key_shows_it_once(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        await pilot.press("g")
        await pilot.pause()
        assert app.screen.focused.id == "confirm"  # "Create key": nothing exists yet to lose
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "ShowSecretModal")
        secret = str(app.screen.query_one("#secret", Static).render())
        await pilot.press("c")
        assert app.clipboard == secret
        await pilot.press("escape")  # asks first
        await pilot.pause()
        assert "Close without storing" in str(app.screen.query_one(".dialog-title", Static).render())
        await pilot.press("escape")  # back to the key
        await pilot.pause()
        app.screen.query_one("#stored", Button).press()
        await ready(pilot)
        from aesthetix_tui.config import resolve_target
        from aesthetix_tui.domain import legacy_key
        from aesthetix_tui.domain.seed import open_database

        db = open_database(resolve_target(db=str(ui_db)), clock)
        with db.session() as session:
            assert legacy_key.verify(session, secret).name == "My Business"
        db.dispose()
        assert secret[-4:] in str(app.screen.query_one("#legacy-status", Static).render())


async def test_disable_and_enable_legacy_key(ui_db, clock):
    async with profile_open(ui_db, clock, legacy="enabled") as (app, pilot):
        await pilot.press("k", "tab", "enter")
        await ready(pilot)
        assert "disabled" in str(app.screen.query_one("#legacy-status", Static).render())
        await pilot.press("k", "enter")  # enabling is safe: the main button is focused
        await ready(pilot)
        assert "enabled" in str(app.screen.query_one("#legacy-status", Static).render())


async def test_features_update_and_leaving_with_unsaved_changes(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        box = app.screen.query_one("#feature-legacy_triggers", Checkbox)
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        assert "1 unsaved change" in str(app.screen.query_one("#unsaved", Static).render())
        await pilot.press("i")  # leaving asks
        await pilot.pause()
        assert app.screen.id == "discard-confirm"
        await pilot.press("escape")  # keep editing
        await pilot.pause()
        assert app.current_mode == "profile" and box.value is True
        await pilot.press("u")
        await ready(pilot)
        assert str(app.screen.query_one("#unsaved", Static).render()) == "No changes to save"
        from aesthetix_tui.config import resolve_target
        from aesthetix_tui.domain import accounts, features
        from aesthetix_tui.domain.seed import open_database

        db = open_database(resolve_target(db=str(ui_db)), clock)
        with db.session() as session:
            saved = {s.feature.key: s.enabled for s in features.settings(session, accounts.resolve(session, None))}
        db.dispose()
        assert saved == {"legacy_campaigns": False, "legacy_triggers": True}
        box.focus()
        await pilot.press("space", "i")
        await pilot.pause()
        await pilot.press("tab", "enter")  # discard
        await pilot.pause()
        assert app.current_mode == "integrations"


def dialog_status(app) -> str:
    return str(app.screen.query_one("#chosen", Static).render())


@pytest.mark.parametrize("typed, message", [
    ("2026-11-20", "Fri 20 Nov 2026 is before today, Thu 26 Nov 2026."),
    ("2026-12-27", "Sun 27 Dec 2026 is after the last allowed day, Sat 26 Dec 2026."),
    ("26/12/2026", "Write the date as YYYY-MM-DD, for example 2026-12-03."),
    ("2026-02-30", "2026-02-30 is not a date."),
])
async def test_bad_typed_dates_are_refused_inline(ui_db, clock, typed, message):
    async with profile_open(ui_db, clock) as (app, pilot):
        await pilot.press("e")
        await pilot.pause()
        picker = app.screen.query_one("#picker")
        picker.query_one(Input).focus()
        await pilot.press(*typed, "enter")
        await pilot.pause()
        assert dialog_status(app) == message
        assert app.screen.query_one("#submit", Button).disabled
        await pilot.press("escape")  # something was typed: it asks first
        await until(pilot, lambda: app.screen.id == "discard-confirm")
        await pilot.press("tab", "enter")  # Discard changes
        await ready(pilot)
        assert current_status(ui_db, clock).state == "off"


async def test_extending_to_an_earlier_date_is_refused(ui_db, clock):
    async with profile_open(ui_db, clock, "active") as (app, pilot):
        await pilot.press("x")
        await pilot.pause()
        picker = app.screen.query_one("#picker")
        picker.query_one(Input).focus()
        await pilot.press(*"2026-12-01", "enter")
        await pilot.pause()
        assert dialog_status(app) == "Tue 1 Dec 2026 is not after the current end, Thu 3 Dec 2026."
        assert app.screen.query_one("#submit", Button).disabled


async def test_help_lists_every_binding(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        await pilot.press("question_mark")
        await pilot.pause()
        text = " ".join(str(s.render()) for s in app.screen.query(".help-row"))
        for binding in list(app.BINDINGS) + list(app.get_screen_stack()[0].BINDINGS):
            assert f"{app.get_key_display(binding)}  {binding.tooltip or binding.description}" in text


async def test_every_action_is_in_the_command_palette(ui_db, clock):
    async with profile_open(ui_db, clock, "active", legacy="enabled") as (app, _):
        titles = {c.title for c in app.get_system_commands(app.screen)}
        for title in ("Extend support access", "Revoke support access", "Regenerate legacy API key",
                      "Disable legacy API key", "Open Private Integrations", "Open audit log", "Show keys"):
            assert title in titles


async def test_bindings_have_ids(ui_db, clock):
    from aesthetix_tui.ui.app import AesthetixApp
    from aesthetix_tui.ui.screens.business_profile import BusinessProfileScreen

    for binding in list(AesthetixApp.BINDINGS) + list(BusinessProfileScreen.BINDINGS):
        assert binding.id, binding


async def test_theme_choice_persists(ui_db, clock, home):
    seed(ui_db, clock)
    settings = home / "settings.json"
    app = make_app(ui_db, clock, settings_path=settings)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.theme = "nord"
        await pilot.pause()
    again = make_app(ui_db, clock, settings_path=settings)
    assert again.theme == "nord"


async def test_a_corrupt_database_gets_one_sentence(home, clock):
    bad = home / "bad.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    app = make_app(bad, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        notice = str(app.screen.query_one("#profile-notice", Static).render())
        assert "damaged or is not an Aesthetix database" in notice
    assert bad.read_bytes().startswith(b"this is not a database")


def test_importing_the_app_does_not_load_the_database_stack():
    code = ("import sys, aesthetix_tui.ui.app; "
            "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'alembic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


async def test_account_option_opens_that_account(ui_db, clock):
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.domain import accounts, support_access
    from aesthetix_tui.domain.seed import open_database
    from tests.ui.profile_helpers import OWNER

    seed(ui_db, clock)
    db = open_database(resolve_target(db=str(ui_db)), clock)
    with db.session() as session:
        shop = accounts.create(session, clock, "Second Shop", "Europe/Paris", OWNER)
        support_access.enable(session, clock, shop.id, TODAY + timedelta(days=2), OWNER)
    db.dispose()
    app = make_app(ui_db, clock, account_ref="Second Shop")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.sub_title.startswith("Second Shop · ")
        assert "available through Sat 28 Nov 2026" in status_text(app)
    # None named (nor remembered) among several: the Accounts screen, the first account behind it.
    first = make_app(ui_db, clock)
    async with first.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: first.current_mode == "accounts" and first.screen.is_loaded())
        assert first.sub_title.startswith("My Business · ")
        await pilot.press("b")
        await ready(pilot)
        assert status_text(first) == "Support Access is off"


async def test_an_unknown_account_gets_one_sentence(ui_db, clock):
    seed(ui_db, clock)
    app = make_app(ui_db, clock, account_ref="Nope")
    async with app.run_test(size=(100, 30)) as pilot:
        # No profile ever loads: wait for the sentence itself.
        await until(pilot, lambda: "There is no account named or numbered 'Nope'" in str(
            app.screen.query_one("#profile-notice", Static).render()))


async def test_the_saved_state_shows_at_once_without_a_reload(ui_db, clock, monkeypatch):
    """Status line, switch and buttons come from the change itself, not from a later reload."""
    from aesthetix_tui.ui.screens.business_profile import BusinessProfileScreen

    async with profile_open(ui_db, clock, size=(80, 24)) as (app, pilot):
        monkeypatch.setattr(BusinessProfileScreen, "load", lambda self: None)  # no reload from now on
        await pilot.press("e")
        await until(pilot, lambda: type(app.screen).__name__ == "ChooseDateModal")
        await pilot.press("down", "enter", "enter")  # pick a day, Enable through …
        await until(pilot, lambda: status_text(app).startswith("Support Access is active"))
        screen = app.screen
        assert screen.query_one("#support-switch", Switch).value is True
        assert screen.query_one("#extend-support").display and not screen.query_one("#enable-support").display


async def test_a_dialog_opens_clear_of_notifications(ui_db, clock):
    async with profile_open(ui_db, clock, "active", size=(80, 24)) as (app, pilot):
        app.notify("Access revoked", timeout=30)
        await pilot.pause()
        await pilot.press("r")
        await until(pilot, lambda: app.screen.id == "revoke-confirm")
        assert messages(app) == []


@pytest.mark.parametrize("keys, says", [
    (("r", "enter"), "Cancelled: Support Access stays on through Thu 3 Dec 2026."),  # Enter on Cancel
    (("r", "escape"), "Cancelled: Support Access stays on through Thu 3 Dec 2026."),
    (("x", "escape"), "Cancelled: Support Access stays on through Thu 3 Dec 2026."),
])
async def test_a_cancel_says_nothing_changed(ui_db, clock, keys, says):
    async with profile_open(ui_db, clock, "active", size=(80, 24)) as (app, pilot):
        await pilot.press(keys[0])
        await until(pilot, lambda: app.screen.id != "business-profile")
        await pilot.press(keys[1])
        await until(pilot, lambda: says in messages(app))
        assert app.screen.id == "business-profile"
        assert current_status(ui_db, clock).until_date == TODAY + timedelta(days=7)
        assert status_text(app).startswith("Support Access is active")


async def test_with_no_key_yet_the_dialog_creates_one(ui_db, clock):
    async with profile_open(ui_db, clock, size=(80, 24)) as (app, pilot):
        assert str(app.screen.query_one("#regenerate-key", Button).label) == "Create key"
        await pilot.press("g")
        await until(pilot, lambda: app.screen.id == "regenerate-confirm")
        text = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "Create a legacy API key?" in text and "stops working" not in text
