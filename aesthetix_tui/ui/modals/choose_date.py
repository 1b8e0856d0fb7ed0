"""Choose a Support Access end date: presets, a calendar, or a typed date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from aesthetix_tui.domain.dates import format_day
from aesthetix_tui.domain.support_status import not_after_end
from aesthetix_tui.ui.modals.discard import may_discard
from aesthetix_tui.ui.widgets.date_picker import DatePicker

HINT = "Arrows move, Enter picks a day."


@dataclass(frozen=True)
class DateChoice:
    until: date
    reason: str | None


class ChooseDateModal(ModalScreen[DateChoice | None]):
    """For enabling (with a reason) and for extending (dates after the current end).

    The calendar holds the one date; the status line under it says either what was chosen, or
    why nothing is (a refused day, a typed text that is not an allowed date).
    """

    # The keys every dialog answers to, as the help list (`?`) names them; the calendar's own
    # are DatePicker.BINDINGS.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next", show=False, id="choose_date.next", tooltip="Next control"),
        Binding("enter", "press_focused", "Press", show=False, id="choose_date.press",
                tooltip="Press the focused button"),
        Binding("escape", "cancel", "Cancel", id="choose_date.cancel", tooltip="Cancel the dialog",
                key_display="escape"),
        # The app's palette key (a priority binding: it is the app's that runs) works here too.
        Binding("ctrl+p", "app.command_palette", "palette", show=False, id="choose_date.palette",
                tooltip="Command palette: every action by name"),
    ]

    def __init__(self, today: date, window: tuple[date, date], presets: list[tuple[int, date]], *,
                 extend_from: date | None = None, chosen: date | None = None, title: str | None = None,
                 intro=None, submit_label: str | None = None, ask_reason: bool | None = None,
                 id: str | None = None, chosen_words: str | None = None,
                 submit_words: str | None = None) -> None:
        """The window (first and last day allowed) and the presets (days, last day) come from the
        domain's policy (support_status.allowed_window, or extend_window when extending).

        Approving a support request words it its own way: `chosen` (the day picked at the
        start), `title`, `intro` (a line under the title), `submit_label`, and no reason field.

        The main button says what Enter does, with the day: `submit_label` + " through Wed 9 Dec"
        (or `submit_words`, with $day, for another wording)."""
        super().__init__(id=id)
        self.chosen_at_start = chosen
        self.title_text = title
        self.intro = intro
        self.submit_label = submit_label or ("Extend" if extend_from is not None else "Enable")
        self.submit_words = submit_words or f"{self.submit_label} through $day"
        self.ask_reason = (extend_from is None) if ask_reason is None else ask_reason
        # What the status line says of a chosen day ($day), e.g. for a token's expiry.
        self.chosen_words = chosen_words or "Access will be available through [b]$day[/b]."
        self.today = today
        min_date, max_date = window
        self.max_date = max_date
        self.presets = dict(presets)
        self.extend_from = extend_from
        self.min_date = min_date

    @property
    def extending(self) -> bool:
        return self.extend_from is not None

    @property
    def chosen(self) -> date | None:
        return self.query_one("#picker", DatePicker).value

    def compose(self) -> ComposeResult:
        title = self.title_text or ("Extend Support Access" if self.extending else "Enable Support Access")
        with Vertical(classes="dialog date-dialog"):
            yield Static(title, classes="dialog-title")
            if self.intro is not None:
                yield Static(self.intro, classes="dialog-body", id="date-intro")
            elif self.extending:
                yield Static(f"Now available through {format_day(self.extend_from)}. Choose a later date.",
                             classes="dialog-body")
            with Horizontal(id="presets"):
                for days, day in self.presets.items():
                    yield Button(f"{days}d", id=f"preset-{days}", compact=True, action=f"screen.preset({days})",
                                 disabled=not (self.min_date <= day <= self.max_date),
                                 tooltip=f"Through {format_day(day)}")
            yield DatePicker(self.today, self.min_date, self.max_date, self.chosen_at_start, id="picker",
                             explain=self.not_after_current_end, show_message=False)
            if self.ask_reason:
                yield Input(placeholder="Reason or ticket (optional)", id="reason", max_length=500,
                            compact=True)
            yield Static(HINT, id="chosen", classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel", compact=True, action="screen.cancel")
                yield Button(self.submit_label, id="submit",
                             variant="primary", disabled=True, compact=True, action="screen.submit")

    def on_mount(self) -> None:
        self.query_one("#picker", DatePicker).focus()
        if self.chosen_at_start is not None:
            self.show_status()
            submit = self.query_one("#submit", Button)
            if not submit.disabled:
                submit.focus()  # a day already chosen (a request's days): Enter confirms it

    def not_after_current_end(self, day: date) -> str | None:
        """Extending: a day up to the current end is refused for that reason."""
        if self.extend_from is not None and self.today <= day <= self.extend_from:
            return not_after_end(day, self.extend_from)
        return None

    def show_status(self, problem: str = "") -> None:
        """One line: what is wrong, else what was chosen, else how to choose."""
        picker = self.query_one("#picker", DatePicker)
        problem = problem or picker.message
        status = self.query_one("#chosen", Static)
        if problem:
            status.update(problem)
        elif picker.value is not None:
            status.update(Content.from_markup(self.chosen_words, day=format_day(picker.value)))
        else:
            status.update(HINT)
        status.set_class(bool(problem), "-error")
        submit = self.query_one("#submit", Button)
        submit.disabled = picker.value is None
        submit.label = self.submit_text(picker.value)
        submit.refresh(layout=True)  # a Button's width does not follow its label by itself

    def submit_text(self, day: date | None) -> str:
        """What Enter on the main button does: "Enable through Wed 9 Dec" (the year when not this one)."""
        if day is None:
            return self.submit_label
        return self.submit_words.replace("$day", format_day(day, year=day.year != self.today.year))

    @on(DatePicker.Changed, "#picker")
    def date_changed(self, event: DatePicker.Changed) -> None:
        event.stop()
        self.show_status()

    @on(DatePicker.Picked, "#picker")
    def date_picked(self, event: DatePicker.Picked) -> None:
        event.stop()
        self.show_status()
        self.query_one("#submit", Button).focus()

    @on(Input.Submitted, "#reason")
    def reason_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.submit()

    def submit(self) -> None:
        """Close with the choice, or say why there is none."""
        picker = self.query_one("#picker", DatePicker)
        if picker.value is None:
            if picker.text.strip():
                picker.pick_typed()  # says what is wrong with the typed date
            else:
                self.show_status("Pick a day in the calendar or type one first.")
            return
        reason = self.query_one("#reason", Input).value.strip() or None if self.ask_reason else None
        self.dismiss(DateChoice(picker.value, reason))

    def action_preset(self, days: int) -> None:
        self.query_one("#picker", DatePicker).pick(self.presets[days])

    def action_submit(self) -> None:
        self.submit()

    def action_press_focused(self) -> None:
        """Enter presses the focused button (a button takes Enter itself: this is its name in `?`)."""
        if isinstance(self.focused, Button):
            self.focused.press()

    def has_input(self) -> bool:
        """Whether closing would throw away a date or a reason the user gave."""
        picker = self.query_one("#picker", DatePicker)
        if picker.text.strip() and (self.chosen_at_start is None or picker.value != self.chosen_at_start):
            return True
        return self.ask_reason and bool(self.query_one("#reason", Input).value.strip())

    # An "-action" worker, like the screens' ones that wait on a dialog.
    @work(exclusive=True, group="choose-date-action")
    async def action_cancel(self) -> None:
        if self.has_input():
            what = ("The date and reason you chose are not saved yet." if self.ask_reason
                    else "The date you chose is not saved yet.")
            if not await may_discard(self.app, what):
                return
        self.dismiss(None)
