"""A keyboard-first calendar for picking one date inside an allowed range."""

from __future__ import annotations

import calendar
from collections.abc import Callable
from datetime import date, timedelta
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget
from textual.widgets import Input, Static

from aesthetix_tui.domain.dates import MONTH_NAMES, WEEKDAY_NAMES, format_day, parse_date
from aesthetix_tui.domain.errors import InvalidInput

WEEKDAY_HEADER = tuple(name[:2] for name in WEEKDAY_NAMES)  # Mo Tu …

CELL_WIDTH = 4  # " 26 "
GRID_WIDTH = CELL_WIDTH * 7
TITLE_ROWS = 2  # month title + weekday header
WEEK_ROWS = 6


def add_months(day: date, months: int) -> date:
    """Move by whole months, clamping the day to the target month's length."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month += 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def grid_start(month_day: date) -> date:
    """The Monday on or before the 1st of the month containing `month_day`."""
    first = month_day.replace(day=1)
    return first - timedelta(days=first.weekday())


class MonthGrid(Widget):
    """Renders the title, weekday header and 6 week rows of a DatePicker.

    Holds no state of its own: it draws whatever its DatePicker says.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "month-grid--title",
        "month-grid--weekday",
        "month-grid--today",
        "month-grid--picked",
        "month-grid--disabled",
        "month-grid--cursor",
        "month-grid--cursor-blurred",
        "month-grid--cursor-disabled",
    }

    DEFAULT_CSS = """
    MonthGrid {
        width: 28;
        height: 8;
        text-wrap: nowrap;
        & > .month-grid--title { text-style: bold; color: $text; }
        & > .month-grid--weekday { color: $text-muted; }
        & > .month-grid--today { color: $accent; text-style: bold underline; }
        & > .month-grid--picked { color: $text-success; text-style: bold; }
        & > .month-grid--disabled { color: $text-disabled; text-style: strike; }
        & > .month-grid--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: $block-cursor-text-style;
        }
        & > .month-grid--cursor-blurred {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
        }
        & > .month-grid--cursor-disabled {
            background: $error-muted;
            color: $text-error;
        }
        /* 16 colours: $error-muted and $text-error are both red, which hides the digits. */
        /* 16 colours: white on blue reads on a light terminal and on a dark one (not grey on grey). */
        &:ansi > .month-grid--cursor { background: ansi_blue; color: ansi_bright_white; text-style: bold; }
        &:ansi > .month-grid--cursor-disabled { background: ansi_default; color: ansi_red; text-style: strike reverse; }
    }
    """

    def __init__(self, picker: DatePicker) -> None:
        super().__init__()
        self.picker = picker

    def render(self) -> Content:
        picker = self.picker
        cursor = picker.cursor_date
        title = f"{MONTH_NAMES[cursor.month - 1]} {cursor.year}"
        muted = self.get_visual_style("month-grid--weekday")
        title_style = self.get_visual_style("month-grid--title")
        lines = [
            Content.assemble(
                ("‹", muted), (title.center(GRID_WIDTH - 2), title_style), ("›", muted)
            ),
            Content.styled(
                "".join(name.center(CELL_WIDTH) for name in WEEKDAY_HEADER), muted
            ),
        ]
        day = grid_start(cursor)
        for _ in range(WEEK_ROWS):
            cells: list[Content] = []
            for _ in range(7):
                cells.append(self._cell(day))
                day += timedelta(days=1)
            lines.append(Content("").join(cells))
        return Content("\n").join(lines)

    def _cell(self, day: date) -> Content:
        """One 4-column day cell: blank outside the month, styled inside it."""
        picker = self.picker
        if day.month != picker.cursor_date.month:
            return Content(" " * CELL_WIDTH)
        enabled = picker.is_enabled(day)
        marks: list[str] = []  # styles for the digits only
        if day == picker.today:
            marks.append("month-grid--today")
        if day == picker.value:
            marks.append("month-grid--picked")
        if not enabled:
            marks.append("month-grid--disabled")
        cursor: list[str] = []  # styles for the whole cell
        if day == picker.cursor_date:
            if not enabled:
                cursor.append("month-grid--cursor-disabled")
            elif picker.has_focus:
                cursor.append("month-grid--cursor")
            else:
                cursor.append("month-grid--cursor-blurred")
        digits = f"{day.day:>2}"
        if not marks and not cursor:
            return Content(f" {digits} ")
        pad = (" ", self.get_visual_style(*cursor)) if cursor else " "
        return Content.assemble(
            pad, (digits, self.get_visual_style(*marks, *cursor)), pad
        )

    def date_at(self, x: int, y: int) -> date | None:
        """The day of the shown month at a content offset, if any."""
        row, column = y - TITLE_ROWS, x // CELL_WIDTH
        if not (0 <= row < WEEK_ROWS and 0 <= column < 7):
            return None
        day = grid_start(self.picker.cursor_date) + timedelta(days=row * 7 + column)
        return day if day.month == self.picker.cursor_date.month else None


MOVE = "Move by day and week in the calendar"


class DatePicker(Widget, can_focus=True):
    """A month calendar plus a YYYY-MM-DD input for picking one date.

    The calendar and the typed field hold one value: picking a day writes it in the field, and
    typing a date picks it. A day outside [min_date, max_date], or text that is not a date,
    leaves no value and a message saying why.
    Posts `DatePicker.Changed` when the value or the message changes, and `DatePicker.Picked`
    when the user picks an allowed date (Enter, click, or Enter in the field).
    """

    # The tooltips are the help list's words (`?`, "Dialogs and pickers").
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "pick", "Pick", id="date_picker.pick", tooltip="Pick the day"),
        Binding("left", "previous_day", "Prev day", show=False, id="date_picker.previous_day", tooltip=MOVE),
        Binding("up", "previous_week", "Prev week", show=False, id="date_picker.previous_week", tooltip=MOVE),
        Binding("right", "next_day", "Next day", show=False, id="date_picker.next_day", tooltip=MOVE),
        Binding("down", "next_week", "Next week", show=False, id="date_picker.next_week", tooltip=MOVE),
        Binding("pageup", "previous_month", "Prev month", show=False, id="date_picker.previous_month",
                tooltip="Previous / next month"),
        Binding("pagedown", "next_month", "Next month", show=False, id="date_picker.next_month",
                tooltip="Previous / next month"),
        Binding("home", "week_start", "Week start", show=False, id="date_picker.week_start",
                tooltip="Start / end of the week"),
        Binding("end", "week_end", "Week end", show=False, id="date_picker.week_end",
                tooltip="Start / end of the week"),
        Binding("t", "today", "Today", id="date_picker.today", tooltip="Jump to today in the calendar"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    DatePicker {
        width: 30;
        height: auto;
        padding: 0 1;
        background: $surface;
        & > Input {
            width: 28;
            height: 1;
            border: none;
            padding: 0 1;
            background: $panel;
            &:focus { border: none; background-tint: $foreground 10%; }
        }
        & > #message {
            width: 28;
            color: $text-error;
            display: none;
            &.-shown { display: block; }
        }
    }
    """

    class Picked(Message):
        """Posted when the user picks an allowed date."""

        def __init__(self, picker: DatePicker, value: date) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> DatePicker:
            return self.picker

    class Changed(Message):
        """Posted when the value or the message changes."""

        def __init__(self, picker: DatePicker, value: date | None, message: str) -> None:
            super().__init__()
            self.picker = picker
            self.value = value
            self.message = message

        @property
        def control(self) -> DatePicker:
            return self.picker

    cursor_date: reactive[date] = reactive(date(2000, 1, 1), init=False)
    """The highlighted day; may sit on a disabled day."""

    def __init__(
        self,
        today: date,
        min_date: date,
        max_date: date,
        value: date | None = None,
        *,
        explain: Callable[[date], str | None] | None = None,
        show_message: bool = True,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        if min_date > max_date:
            raise ValueError("min_date must not be after max_date")
        self.today = today
        self._min_date = min_date
        self._max_date = max_date
        self._value = value
        self._message = ""
        # The owner's own words for a refused day (None: the picker's); see refusal().
        self.explain = explain
        # False when the owner shows `message` itself (in a dialog's status line).
        self.show_message = show_message
        start = value if value is not None else min(max(today, min_date), max_date)
        self.set_reactive(DatePicker.cursor_date, start)

    @property
    def value(self) -> date | None:
        """The chosen date (picked, or typed in full), or None."""
        return self._value

    @property
    def message(self) -> str:
        """Why there is no value ("" when there is one, or while a date is being typed)."""
        return self._message

    @property
    def text(self) -> str:
        """What the typed-date field holds."""
        return self.query_one(Input).value if self.is_mounted else ""

    @property
    def min_date(self) -> date:
        return self._min_date

    @property
    def max_date(self) -> date:
        return self._max_date

    def compose(self) -> ComposeResult:
        yield MonthGrid(self)
        yield Input(self._value.isoformat() if self._value else "", placeholder="YYYY-MM-DD",
                    max_length=10, id="typed")
        yield Static(id="message", markup=False)

    def is_enabled(self, day: date) -> bool:
        """Whether `day` is inside the allowed range."""
        return self._min_date <= day <= self._max_date

    def refusal(self, day: date) -> str:
        """Why `day` can't be picked (call only for a day outside the range)."""
        if self.explain is not None and (words := self.explain(day)):
            return words
        if day > self._max_date:
            return f"{format_day(day)} is after the last allowed day, {format_day(self._max_date)}."
        if day < self.today <= self._min_date:
            return f"{format_day(day)} is before today, {format_day(self.today)}."
        return f"{format_day(day)} is before the first allowed day, {format_day(self._min_date)}."

    def check(self, text: str) -> tuple[date | None, str]:
        """The allowed date `text` names, or None and why not."""
        try:
            day = parse_date(text)  # the domain's one parser and its messages
        except InvalidInput as error:
            return None, error.message
        if not self.is_enabled(day):
            return None, self.refusal(day)
        return day, ""

    def set_range(self, min_date: date, max_date: date) -> None:
        """Change the allowed window.

        The cursor is moved into the new window, and a picked value that
        falls outside it is cleared.
        """
        if min_date > max_date:
            raise ValueError("min_date must not be after max_date")
        self._min_date, self._max_date = min_date, max_date
        keep = self._value is not None and self.is_enabled(self._value)
        if not keep:
            self._write("")  # a fresh start in the new window
        self._set(self._value if keep else None, "")
        self.cursor_date = min(max(self.cursor_date, min_date), max_date)
        self._refresh_grid()

    def pick(self, day: date) -> bool:
        """Move the cursor to `day`, write it in the field, and pick it if allowed.

        Returns True if picked; otherwise there is no value and `message` says why.
        """
        self.cursor_date = day
        self._write(day.isoformat())
        if not self.is_enabled(day):
            self._set(None, self.refusal(day))
            return False
        self._set(day, "")
        self.post_message(self.Picked(self, day))
        return True

    def pick_typed(self) -> bool:
        """Pick what the field holds, as Enter in the field does.

        Returns True if picked; otherwise there is no value and `message` says why.
        """
        day, problem = self.check(self.text)
        if day is None:
            self._set(None, problem)
            return False
        return self.pick(day)

    def _set(self, value: date | None, message: str) -> None:
        if (value, message) == (self._value, self._message):
            return
        self._value = value
        self._show_message(message)
        self._refresh_grid()
        self.post_message(self.Changed(self, value, message))

    def _write(self, text: str) -> None:
        """Put `text` in the field without treating it as typing."""
        if not self.is_mounted:
            return
        field = self.query_one(Input)
        with field.prevent(Input.Changed):
            field.value = text
        field.cursor_position = len(text)

    # --- rendering -------------------------------------------------------

    def watch_cursor_date(self) -> None:
        self._refresh_grid()

    def _refresh_grid(self) -> None:
        if self.is_mounted:
            self.query_one(MonthGrid).refresh()

    def _show_message(self, text: str) -> None:
        self._message = text
        if not self.is_mounted:
            return
        message = self.query_one("#message", Static)
        message.update(text)
        message.set_class(bool(text) and self.show_message, "-shown")

    def on_focus(self, event: events.Focus) -> None:
        self._refresh_grid()

    def on_blur(self, event: events.Blur) -> None:
        self._refresh_grid()

    # --- keyboard ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Grid keys only apply while the grid itself (not the Input) has focus.
        return action not in _GRID_ACTIONS or self.has_focus

    def _move(self, days: int) -> None:
        try:
            self.cursor_date += timedelta(days=days)
        except OverflowError:
            pass

    def _move_months(self, months: int) -> None:
        try:
            self.cursor_date = add_months(self.cursor_date, months)
        except ValueError:  # beyond year 1..9999
            pass

    def action_previous_day(self) -> None:
        self._move(-1)

    def action_next_day(self) -> None:
        self._move(1)

    def action_previous_week(self) -> None:
        self._move(-7)

    def action_next_week(self) -> None:
        self._move(7)

    def action_previous_month(self) -> None:
        self._move_months(-1)

    def action_next_month(self) -> None:
        self._move_months(1)

    def action_week_start(self) -> None:
        self._move(-self.cursor_date.weekday())

    def action_week_end(self) -> None:
        self._move(6 - self.cursor_date.weekday())

    def action_today(self) -> None:
        self.cursor_date = self.today

    def action_pick(self) -> None:
        self.pick(self.cursor_date)

    # --- mouse and typed input ---------------------------------------------

    def on_click(self, event: events.Click) -> None:
        grid = self.query_one(MonthGrid)
        if event.widget is not grid:
            return
        offset = event.get_content_offset(grid)
        if offset is None:
            return
        if offset.y == 0:  # title row: arrows change month
            if offset.x < 2:
                self.action_previous_month()
            elif offset.x >= GRID_WIDTH - 2:
                self.action_next_month()
            return
        day = grid.date_at(offset.x, offset.y)
        if day is not None:
            self.pick(day)

    @on(Input.Submitted, "#typed")
    def typed(self, event: Input.Submitted) -> None:
        event.stop()  # internal to the picker
        self.pick_typed()

    @on(Input.Changed, "#typed")
    def typing(self, event: Input.Changed) -> None:
        """A whole allowed date is the value at once; anything else leaves none."""
        event.stop()  # internal to the picker
        day, problem = self.check(event.value)
        if day is not None:
            self.cursor_date = day
        # Say what is wrong only once the text is as long as a date.
        self._set(day, problem if len(event.value.strip()) >= len("YYYY-MM-DD") else "")


_GRID_ACTIONS = {
    binding.action for binding in DatePicker.BINDINGS if isinstance(binding, Binding)
}
