"""The command palette finds every action of every screen by its plain name, from anywhere."""

from __future__ import annotations

from tests.ui import integrations_helpers as integrations_ui
from tests.ui.profile_helpers import current_status, profile_open, ready
from tests.ui.toolkit import make_app, messages, palette_search, until

PROFILE_ACTIONS = ("Enable support access", "Extend support access", "Revoke support access",
                   "Regenerate legacy API key", "Disable legacy API key", "Enable legacy API key",
                   "Update deprecated features")
OTHER_ACTIONS = ("Create private integration", "Rotate token", "Revoke private integration",
                 "Verify integrity", "Export audit log")


def titles(app) -> set[str]:
    return {command.title for command in app.get_system_commands(app.screen)}


async def test_every_action_is_offered_on_every_screen(ui_db, clock):
    async with profile_open(ui_db, clock, "active", legacy="enabled", size=(80, 24)) as (app, pilot):
        for key in ("b", "i", "a"):
            await pilot.press(key)
            await pilot.pause()
            offered = titles(app)
            missing = [t for t in PROFILE_ACTIONS + OTHER_ACTIONS if t not in offered]
            assert missing == [], f"on {app.current_mode}: {missing}"


async def test_feature_update_is_found_by_a_word_of_its_name(ui_db, clock):
    async with profile_open(ui_db, clock, size=(80, 24)) as (_, pilot):
        assert "Update deprecated features" in await palette_search(pilot, "feat")


async def test_extend_chosen_on_integrations_opens_the_profile_and_its_dialog(ui_db, clock):
    async with profile_open(ui_db, clock, "active", size=(80, 24)) as (app, pilot):
        await pilot.press("i")
        await until(pilot, lambda: app.current_mode == "integrations" and app.screen.is_loaded())
        assert "Extend support access" in await palette_search(pilot, "extend")
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "ChooseDateModal")
        assert app.current_mode == "profile"
        assert app.screen.extending


async def test_rotate_chosen_on_the_profile_opens_integrations_and_rotates(ui_db, clock, monkeypatch):
    integrations_ui.seed_sample(ui_db, clock, monkeypatch)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert "Rotate token" in await palette_search(pilot, "rotate token")
        await pilot.press("enter")  # the first row, Booking widget, is being rotated already
        await until(pilot, lambda: any("is being rotated" in said for said in messages(app)))
        assert app.current_mode == "integrations" and app.screen.id == "integrations-screen"
        await pilot.press("down")  # CRM Sync
        await palette_search(pilot, "rotate token")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.id == "rotate-choice")


async def test_an_action_that_does_not_apply_says_why_and_changes_nothing(ui_db, clock):
    async with profile_open(ui_db, clock, "active", size=(80, 24)) as (app, pilot):
        assert "Enable support access" in await palette_search(pilot, "enable support")
        await pilot.press("enter")
        await until(pilot, lambda: any("already active" in said for said in messages(app)))
        assert app.screen.id == "business-profile"  # no dialog opened
        assert current_status(ui_db, clock).state == "active"


async def test_no_screen_actions_are_offered_over_a_dialog(ui_db, clock):
    async with profile_open(ui_db, clock, "active", size=(80, 24)) as (app, pilot):
        await pilot.press("r")
        await until(pilot, lambda: app.screen.id == "revoke-confirm")
        offered = titles(app)
        assert "Extend support access" not in offered and "Rotate token" not in offered
