"""Tests for the calendar DatePicker widget."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Footer, Input, Static

from aesthetix_tui.ui.widgets.date_picker import DatePicker, MonthGrid

TODAY = date(2026, 11, 26)  # a Thursday
MAX = TODAY + timedelta(days=30)  # Sat 26 Dec 2026
RANGE_MESSAGE = "Pick a date from Thu 26 Nov 2026 to Sat 26 Dec 2026."


class PickerApp(App):
    """Mounts one DatePicker with fixed dates and records Picked messages."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, min_date: date = TODAY, max_date: date = MAX) -> None:
        super().__init__()
        self.min_date = min_date
        self.max_date = max_date
        self.picked: list[DatePicker.Picked] = []

    def compose(self) -> ComposeResult:
        yield DatePicker(TODAY, self.min_date, self.max_date, id="until")
        yield Footer()

    def on_date_picker_picked(self, event: DatePicker.Picked) -> None:
        self.picked.append(event)

    @property
    def picker(self) -> DatePicker:
        return self.query_one(DatePicker)


def picked_values(app: PickerApp) -> list[date]:
    return [event.value for event in app.picked]


async def test_starts_on_today_with_grid_focused() -> None:
    app = PickerApp()
    async with app.run_test():
        assert app.picker.has_focus
        assert app.picker.cursor_date == TODAY
        assert app.picker.value is None
        assert app.picker.message == ""


@pytest.mark.parametrize(
    ("start", "key", "expected"),
    [
        (TODAY, "left", date(2026, 11, 25)),
        (TODAY, "right", date(2026, 11, 27)),
        (TODAY, "up", date(2026, 11, 19)),
        (TODAY, "down", date(2026, 12, 3)),
        (TODAY, "pageup", date(2026, 10, 26)),
        (TODAY, "pagedown", date(2026, 12, 26)),
        (TODAY, "home", date(2026, 11, 23)),  # Monday
        (TODAY, "end", date(2026, 11, 29)),  # Sunday
        # Month and year boundaries.
        (date(2026, 11, 30), "right", date(2026, 12, 1)),
        (date(2026, 12, 1), "left", date(2026, 11, 30)),
        (date(2026, 12, 29), "down", date(2027, 1, 5)),
        (date(2026, 12, 1), "home", date(2026, 11, 30)),
        (date(2026, 11, 30), "end", date(2026, 12, 6)),
        # Month moves clamp the day to the target month's length.
        (date(2027, 3, 31), "pageup", date(2027, 2, 28)),
        (date(2027, 1, 31), "pagedown", date(2027, 2, 28)),
        (date(2028, 3, 31), "pageup", date(2028, 2, 29)),
        (date(2026, 12, 15), "pagedown", date(2027, 1, 15)),
    ],
)
async def test_keys_move_cursor(start: date, key: str, expected: date) -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        app.picker.cursor_date = start
        await pilot.press(key)
        assert app.picker.cursor_date == expected
        assert app.picked == []


async def test_t_returns_to_today() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.press("pagedown", "pagedown", "down", "left")
        assert app.picker.cursor_date != TODAY
        await pilot.press("t")
        assert app.picker.cursor_date == TODAY


async def test_enter_picks_enabled_date() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.press("right", "enter")
        assert picked_values(app) == [date(2026, 11, 27)]
        assert app.picked[0].control is app.picker
        assert app.picker.value == date(2026, 11, 27)
        assert app.picker.message == ""


async def test_range_edges_are_pickable() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.press("enter", "pagedown", "enter")
        assert picked_values(app) == [TODAY, MAX]


async def test_enter_on_disabled_date_shows_message() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.press("left", "enter")
        assert app.picker.cursor_date == date(2026, 11, 25)
        assert app.picked == []
        assert app.picker.value is None
        assert app.picker.message == RANGE_MESSAGE
        message = app.picker.query_one("#message", Static)
        assert message.display
        assert str(message.content) == RANGE_MESSAGE

        # Moving on clears the hint.
        await pilot.press("right")
        assert app.picker.message == ""
        assert not message.display


async def test_enter_after_max_date_does_not_pick() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.press("pagedown", "right", "enter")
        assert app.picker.cursor_date == date(2026, 12, 27)
        assert app.picked == []
        assert app.picker.message == RANGE_MESSAGE


async def test_click_picks_enabled_day() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        # November 2026 starts on a Sunday, so Fri 27 Nov is row 4, column 4.
        await pilot.click(MonthGrid, offset=(4 * 4 + 1, 2 + 4))
        assert picked_values(app) == [date(2026, 11, 27)]


async def test_click_on_disabled_day_does_not_pick() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        # Mon 23 Nov is row 4, column 0.
        await pilot.click(MonthGrid, offset=(1, 2 + 4))
        assert app.picked == []
        assert app.picker.cursor_date == date(2026, 11, 23)
        assert app.picker.message == RANGE_MESSAGE


async def test_click_focuses_grid_and_title_arrows_change_month() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        app.picker.query_one(Input).focus()
        await pilot.pause()
        await pilot.click(MonthGrid, offset=(27, 0))  # "›"
        assert app.picker.has_focus
        assert app.picker.cursor_date == date(2026, 12, 26)
        await pilot.click(MonthGrid, offset=(0, 0))  # "‹"
        assert app.picker.cursor_date == TODAY
        assert app.picked == []


async def type_date(pilot, app: PickerApp, text: str) -> None:
    app.picker.query_one(Input).focus()
    await pilot.pause()
    await pilot.press(*text, "enter")


async def test_typed_valid_date_moves_cursor_and_picks() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await type_date(pilot, app, "2026-12-05")
        assert app.picker.cursor_date == date(2026, 12, 5)
        assert picked_values(app) == [date(2026, 12, 5)]
        assert app.picker.message == ""


WRITE_DATE = "Write the date as YYYY-MM-DD, for example 2026-12-03."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026/12/05", WRITE_DATE),
        ("5 Dec 2026", WRITE_DATE),
        ("2026-1-05", WRITE_DATE),
        ("20261203", WRITE_DATE),
        ("2026-W49-4", WRITE_DATE),
        ("", WRITE_DATE),
        ("2026-02-30", "2026-02-30 is not a date."),  # the domain's message, as the CLI says it
    ],
)
async def test_typed_invalid_date_shows_the_domain_message(text: str, message: str) -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await type_date(pilot, app, text)
        assert app.picked == []
        assert app.picker.cursor_date == TODAY
        assert app.picker.message == message
        assert str(app.picker.query_one("#message", Static).render()) == message


async def test_typed_out_of_range_shows_range_message() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await type_date(pilot, app, "2027-01-01")
        assert app.picked == []
        assert app.picker.cursor_date == TODAY
        assert app.picker.message == RANGE_MESSAGE

        # Editing the text clears the message.
        await pilot.press("backspace")
        assert app.picker.message == ""


async def test_grid_keys_do_not_fire_while_typing() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        app.picker.query_one(Input).focus()
        await pilot.press("up", "pagedown", "t", "home")
        assert app.picker.cursor_date == TODAY
        assert app.picker.query_one(Input).value == "t"


async def test_set_range_moves_cursor_and_limits_picking() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert app.picker.value == TODAY

        new_min, new_max = MAX + timedelta(days=1), MAX + timedelta(days=30)
        app.picker.set_range(new_min, new_max)
        await pilot.pause()
        assert (app.picker.min_date, app.picker.max_date) == (new_min, new_max)
        assert app.picker.cursor_date == new_min
        assert app.picker.value is None  # the old pick is outside the new window

        await pilot.press("left", "enter")
        assert app.picker.message == (
            "Pick a date from Sun 27 Dec 2026 to Mon 25 Jan 2027."
        )
        await pilot.press("right", "enter")
        assert picked_values(app) == [TODAY, new_min]


async def test_set_range_rejects_inverted_window() -> None:
    app = PickerApp()
    async with app.run_test():
        with pytest.raises(ValueError):
            app.picker.set_range(MAX, TODAY)


def test_snapshot_at_rest(snap_compare) -> None:
    assert snap_compare(PickerApp(), terminal_size=(40, 16))


def test_snapshot_disabled_day_message(snap_compare) -> None:
    # Dec 27 is one day past the window: the cursor shows it, Enter explains why.
    assert snap_compare(
        PickerApp(), terminal_size=(40, 16), press=["pagedown", "right", "enter"]
    )
