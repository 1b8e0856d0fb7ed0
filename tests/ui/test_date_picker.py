"""Tests for the calendar DatePicker widget and the dialog built on it, ChooseDateModal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.app import App, ComposeResult
from textual.widgets import Button, Footer, Input, Static

from aesthetix_tui.ui.modals.choose_date import ChooseDateModal
from aesthetix_tui.ui.widgets.date_picker import DatePicker, MonthGrid
from tests.ui.profile_helpers import current_status, ready, seed
from tests.ui.toolkit import make_app, until

TODAY = date(2026, 11, 26)  # a Thursday
MAX = TODAY + timedelta(days=30)  # Sat 26 Dec 2026
AFTER_LAST = "is after the last allowed day, Sat 26 Dec 2026."
BEFORE_TODAY = "is before today, Thu 26 Nov 2026."


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


async def test_enter_on_disabled_date_says_why() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.press("left", "enter")
        assert app.picker.cursor_date == date(2026, 11, 25)
        assert app.picked == []
        assert app.picker.value is None
        assert app.picker.text == "2026-11-25"  # the field holds the refused day
        assert app.picker.message == f"Wed 25 Nov 2026 {BEFORE_TODAY}"
        message = app.picker.query_one("#message", Static)
        assert message.display
        assert str(message.content) == app.picker.message

        # Browsing keeps the reason; picking an allowed day replaces it.
        await pilot.press("right")
        assert app.picker.message == f"Wed 25 Nov 2026 {BEFORE_TODAY}"
        await pilot.press("enter")
        assert picked_values(app) == [TODAY]
        assert app.picker.message == ""
        assert not message.display


async def test_enter_after_max_date_does_not_pick() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.press("pagedown", "right", "enter")
        assert app.picker.cursor_date == date(2026, 12, 27)
        assert app.picked == []
        assert app.picker.message == f"Sun 27 Dec 2026 {AFTER_LAST}"


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
        assert app.picker.message == f"Mon 23 Nov 2026 {BEFORE_TODAY}"


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


async def test_typed_out_of_range_says_why() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await type_date(pilot, app, "2027-01-01")
        assert app.picked == []
        assert app.picker.cursor_date == TODAY
        assert app.picker.message == f"Fri 1 Jan 2027 {AFTER_LAST}"

        # Editing the text clears the message.
        await pilot.press("backspace")
        assert app.picker.message == ""


async def test_picking_in_the_calendar_rewrites_the_field() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await type_date(pilot, app, "2026-12-05")
        app.picker.focus()
        await pilot.press("right", "enter")
        assert app.picker.value == date(2026, 12, 6)
        assert app.picker.text == "2026-12-06"
        app.picker.pick(date(2026, 12, 1))  # as a preset button does
        await pilot.pause()
        assert app.picker.text == "2026-12-01"
        assert picked_values(app) == [date(2026, 12, 5), date(2026, 12, 6), date(2026, 12, 1)]


async def test_typing_a_whole_date_is_the_value_and_anything_else_is_none() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        await pilot.press("enter")
        assert app.picker.value == TODAY
        field = app.picker.query_one(Input)
        field.focus()  # selects the text, as tabbing in does
        await pilot.press(*"2026-12-1")
        assert (app.picker.value, app.picker.message) == (None, "")  # still typing: no reason yet
        await pilot.press("0")
        assert app.picker.value == app.picker.cursor_date == date(2026, 12, 10)
        assert field.has_focus  # typing never moves the focus away
        await pilot.press("backspace", "9")
        assert app.picker.value == date(2026, 12, 19)
        assert app.picker.cursor_date == date(2026, 12, 19)
        assert picked_values(app) == [TODAY]  # Enter picks; typing only sets the value


async def test_the_owner_may_word_the_refusal() -> None:
    app = PickerApp()
    async with app.run_test() as pilot:
        app.picker.explain = lambda day: "Not that one." if day.day == 25 else None
        await pilot.press("left", "enter")
        assert app.picker.message == "Not that one."
        await pilot.press("left", "enter")
        assert app.picker.message == f"Tue 24 Nov 2026 {BEFORE_TODAY}"


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
            "Sat 26 Dec 2026 is before the first allowed day, Sun 27 Dec 2026."
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


# --- the Enable / Extend Support Access dialog ----------------------------------------

DIALOG_SIZE = (80, 24)


async def open_dialog(pilot) -> ChooseDateModal:
    """From the Business Profile, open the Enable Support Access dialog."""
    await ready(pilot)
    pilot.app.clear_notifications()
    await pilot.press("e")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChooseDateModal))
    await pilot.pause()
    return pilot.app.screen


async def open_extend_dialog(pilot) -> ChooseDateModal:
    """From the Business Profile with access on, open the Extend dialog."""
    await ready(pilot)
    await pilot.press("x")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChooseDateModal))
    await pilot.pause()
    return pilot.app.screen


def status_line(dialog: ChooseDateModal) -> str:
    return str(dialog.query_one("#chosen", Static).render())


def submit_button(dialog: ChooseDateModal) -> Button:
    return dialog.query_one("#submit", Button)


async def type_in(pilot, field: Input, text: str) -> None:
    """Type `text` in place of what the field holds."""
    field.focus()
    await pilot.pause()
    await pilot.press("end", "ctrl+u", *text)


async def test_issue_sequence_typed_date_beyond_the_window(ui_db, clock) -> None:
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        dialog = await open_dialog(pilot)
        picker = dialog.query_one(DatePicker)
        await pilot.press("down", "enter")  # Thu 3 Dec
        assert picker.value == date(2026, 12, 3)
        assert picker.text == "2026-12-03"
        assert status_line(dialog) == "Access will be available through Thu 3 Dec 2026."
        assert app.focused is submit_button(dialog)

        await type_in(pilot, picker.query_one(Input), "2027-01-05")
        await pilot.press("enter")
        assert dialog.chosen is None
        assert status_line(dialog) == f"Tue 5 Jan 2027 {AFTER_LAST}"  # the reason only
        assert not picker.query_one("#message", Static).display  # the dialog's line is the one
        assert submit_button(dialog).disabled
        assert picker.cursor_date == date(2026, 12, 3)
        assert app.screen is dialog  # nothing was submitted

        await type_in(pilot, picker.query_one(Input), "2026-12-10")
        assert picker.cursor_date == picker.value == date(2026, 12, 10)
        assert not submit_button(dialog).disabled
        assert status_line(dialog) == "Access will be available through Thu 10 Dec 2026."
        await pilot.press("enter")  # Enter in the field: the date is picked, the focus moves on
        assert app.focused is submit_button(dialog)
        await pilot.press("enter")
        await ready(pilot)
        assert current_status(ui_db, clock).until_date == date(2026, 12, 10)


async def test_the_focused_button_says_what_enter_does_with_the_day(ui_db, clock) -> None:
    """Issue 24: Enter on Wed 9 Dec, then Tab wrapping to a preset and Enter there: the date
    changes only where the user pressed, and the button always names the day it enables."""
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        dialog = await open_dialog(pilot)
        assert str(submit_button(dialog).label) == "Enable"
        await pilot.press("down", "down", "left", "enter")  # Wed 9 Dec
        assert app.focused is submit_button(dialog)
        assert str(submit_button(dialog).label) == "Enable through Wed 9 Dec"
        await pilot.press("tab")  # wraps to the "1d" preset: the user moved there
        assert app.focused is dialog.query_one("#preset-1", Button)
        assert dialog.chosen == date(2026, 12, 9)  # moving the focus changes no date
        await pilot.press("enter")
        assert dialog.chosen == date(2026, 11, 27)
        assert str(submit_button(dialog).label) == "Enable through Fri 27 Nov"
        await pilot.press("enter")
        await ready(pilot)
    assert current_status(ui_db, clock).until_date == date(2026, 11, 27)


async def test_extend_names_its_day_on_the_button(ui_db, clock) -> None:
    seed(ui_db, clock, "active")  # through Thu 3 Dec
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        dialog = await open_extend_dialog(pilot)
        await pilot.press("right", "enter")  # Sat 5 Dec
        assert app.focused is submit_button(dialog)
        assert str(submit_button(dialog).label) == "Extend through Sat 5 Dec"


async def test_approve_names_its_day_on_the_button(ui_db, clock) -> None:
    from tests.ui.requests_helpers import answer_dialog, asked_app

    app = asked_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_dialog(pilot, "y", "approve-request")
        assert app.focused is submit_button(app.screen)
        assert str(submit_button(app.screen).label) == "Approve through Sun 29 Nov"


async def test_enter_on_a_struck_day_says_why(ui_db, clock) -> None:
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press("left", "enter")
        assert status_line(dialog) == f"Wed 25 Nov 2026 {BEFORE_TODAY}"
        await pilot.press("pagedown", "pagedown", "enter")  # Mon 25 Jan 2027
        assert status_line(dialog) == f"Mon 25 Jan 2027 {AFTER_LAST}"
        assert submit_button(dialog).disabled
        assert dialog.query_one(DatePicker).has_focus  # the focus stays to pick another day


async def test_extending_refuses_days_up_to_the_current_end(ui_db, clock) -> None:
    seed(ui_db, clock, "active")  # through Thu 3 Dec
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        dialog = await open_extend_dialog(pilot)
        await pilot.press("left", "enter")  # the cursor starts on the first allowed day, Fri 4 Dec
        assert status_line(dialog) == (
            "Thu 3 Dec 2026 is not after the current end, Thu 3 Dec 2026."
        )


async def test_a_preset_rewrites_the_field(ui_db, clock) -> None:
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press("down", "enter")
        await pilot.click("#preset-7")
        picker = dialog.query_one(DatePicker)
        assert picker.text == "2026-12-03"
        assert picker.value == picker.cursor_date == date(2026, 12, 3)
        await pilot.click("#preset-14")
        assert picker.text == "2026-12-10"
        assert app.focused is submit_button(dialog)


async def test_enter_in_the_reason_with_a_bad_typed_date_says_why(ui_db, clock) -> None:
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        dialog = await open_dialog(pilot)
        picker = dialog.query_one(DatePicker)
        await type_in(pilot, picker.query_one(Input), "2026-12")
        assert status_line(dialog) == "Arrows move, Enter picks a day."  # still typing
        await type_in(pilot, dialog.query_one("#reason", Input), "Ticket 7")
        await pilot.press("enter")
        assert app.screen is dialog
        assert status_line(dialog) == "Write the date as YYYY-MM-DD, for example 2026-12-03."
        assert current_status(ui_db, clock).state == "off"


async def test_escape_with_a_reason_asks_first(ui_db, clock) -> None:
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        dialog = await open_dialog(pilot)
        reason = dialog.query_one("#reason", Input)
        await type_in(pilot, reason, "Ticket 7")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.id == "discard-confirm")
        await pilot.click("#cancel")  # Keep editing
        await until(pilot, lambda: app.screen is dialog)
        assert reason.value == "Ticket 7"

        await pilot.click("#cancel")  # the dialog's Cancel asks too
        await until(pilot, lambda: app.screen.id == "discard-confirm")
        await pilot.click("#confirm")  # Discard changes
        await until(pilot, lambda: not isinstance(app.screen, ChooseDateModal)
                    and app.screen.id != "discard-confirm")
        await ready(pilot)
        assert current_status(ui_db, clock).state == "off"


async def test_escape_with_a_picked_date_asks_first(ui_db, clock) -> None:
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.press("down", "enter", "escape")
        await until(pilot, lambda: app.screen.id == "discard-confirm")
        await pilot.press("escape")  # Escape on the question keeps editing
        await until(pilot, lambda: app.screen is dialog)
        assert dialog.chosen == date(2026, 12, 3)


async def test_escape_with_nothing_typed_closes_at_once(ui_db, clock) -> None:
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=DIALOG_SIZE) as pilot:
        await open_dialog(pilot)
        await pilot.press("right", "left", "escape")  # browsing is not input
        await until(pilot, lambda: not isinstance(app.screen, ChooseDateModal))
        assert app.screen.id != "discard-confirm"


def dialog_app(ui_db, clock, theme: str | None = None):
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    if theme:
        app.theme = theme
    return app


def test_snapshot_dialog_at_rest(snap_compare, ui_db, clock) -> None:
    assert snap_compare(dialog_app(ui_db, clock), terminal_size=DIALOG_SIZE,
                        run_before=open_dialog)


def test_snapshot_dialog_invalid_typed_date(snap_compare, ui_db, clock) -> None:
    async def typed_beyond_the_window(pilot) -> None:
        dialog = await open_dialog(pilot)
        await pilot.press("down", "enter")
        await type_in(pilot, dialog.query_one(DatePicker).query_one(Input), "2027-01-05")

    assert snap_compare(dialog_app(ui_db, clock), terminal_size=DIALOG_SIZE,
                        run_before=typed_beyond_the_window, press=["enter"])


def test_snapshot_dialog_disabled_day_message(snap_compare, ui_db, clock) -> None:
    assert snap_compare(dialog_app(ui_db, clock), terminal_size=DIALOG_SIZE,
                        run_before=open_dialog, press=["pagedown", "right", "enter"])


def test_snapshot_dialog_ansi_theme(snap_compare, ui_db, clock) -> None:
    # 16 colours: the typed-date placeholder, the reason's, and the digits under the cursor on a
    # struck day (Sun 27 Dec) must all stay readable.
    assert snap_compare(dialog_app(ui_db, clock, "aesthetix-16"), terminal_size=DIALOG_SIZE,
                        run_before=open_dialog, press=["pagedown", "right"])


def test_snapshot_dialog_day_on_the_button(snap_compare, ui_db, clock) -> None:
    # Issue 24: the focused main button names the day Enter enables.
    assert snap_compare(dialog_app(ui_db, clock), terminal_size=DIALOG_SIZE,
                        run_before=open_dialog, press=["down", "down", "left", "enter"])
