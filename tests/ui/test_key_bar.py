"""The footer at 80 columns: the screen's keys that fit, with ? and ^p always shown."""

from __future__ import annotations

import pytest

from aesthetix_tui.ui.widgets.key_bar import KeyBar
from tests.ui import integrations_helpers as integrations_ui
from tests.ui.profile_helpers import profile_open, ready
from tests.ui.toolkit import make_app, until


def bar_text(app) -> str:
    return str(app.screen.query_one(KeyBar).render())


@pytest.mark.parametrize("width", [60, 80, 100])
async def test_help_and_palette_are_always_shown(ui_db, clock, monkeypatch, width):
    integrations_ui.seed_sample(ui_db, clock, monkeypatch)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(width, 24)) as pilot:
        await ready(pilot)
        for key in ("b", "i", "a"):
            await pilot.press(key)
            await until(pilot, lambda: app.screen.is_loaded())
            text = bar_text(app)
            assert len(text) == width, text
            assert text.rstrip().endswith("? Help ^p palette"), text


async def test_the_screen_keys_come_first_and_whole(ui_db, clock, monkeypatch):
    integrations_ui.seed_sample(ui_db, clock, monkeypatch)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await until(pilot, lambda: app.screen.is_loaded())
        text = bar_text(app)
        # the selected row (Booking widget) is being rotated: its keys, then the app's that fit
        assert text.startswith(" enter Detail n New e Edit c Cancel rotation x Expire old "), text
        await pilot.press("down")  # CRM Sync: live, not rotating
        await pilot.pause()
        assert bar_text(app).startswith(" enter Detail n New e Edit r Rotate "), bar_text(app)


async def test_a_click_on_a_key_presses_it(ui_db, clock):
    async with profile_open(ui_db, clock, size=(80, 24)) as (app, pilot):
        bar = app.screen.query_one(KeyBar)
        start = next(x for x, _end, key in bar.places if key == "question_mark")
        await pilot.click(KeyBar, offset=(start + 1, 0))
        await until(pilot, lambda: type(app.screen).__name__ == "HelpModal")


async def test_help_stays_in_the_footer_while_typing_in_the_filter(ui_db, clock, monkeypatch):
    """Issue 24: in the `/` filter, ? is typed; the footer then offers f1 for help."""
    integrations_ui.seed_sample(ui_db, clock, monkeypatch)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("i", "slash", "c", "question_mark")
        await until(pilot, lambda: app.screen.is_loaded() and app.screen.filter_box().value == "c?")
        assert bar_text(app).rstrip().endswith("f1 Help ^p palette"), bar_text(app)
        await pilot.press("f1")
        await until(pilot, lambda: type(app.screen).__name__ == "HelpModal")


@pytest.mark.parametrize("size, keys", [((100, 30), ("question_mark",)), ((80, 24), ("question_mark",)),
                                        ((80, 24), ("i", "n"))], ids=["help-100x30", "help-80x24", "create-80x24"])
async def test_a_tall_dialog_leaves_the_header_and_the_footer_in_sight(ui_db, clock, monkeypatch, size, keys):
    integrations_ui.seed_sample(ui_db, clock, monkeypatch)
    app = make_app(ui_db, clock)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        screen = app.screen
        for key in keys:
            await pilot.press(key)
            await until(pilot, lambda screen=screen: app.screen is not screen
                        and getattr(app.screen, "is_loaded", lambda: True)())
            screen = app.screen
        dialog = app.screen.query_one(".dialog").region
        assert dialog.y >= 1 and dialog.bottom <= size[1] - 1, dialog  # row 0 the header, the last the keys
