"""Choose a Support Access end date: presets, a calendar, or a typed date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from aesthetix_tui.domain.dates import format_day
from aesthetix_tui.domain.support_status import PRESET_DAYS
from aesthetix_tui.ui.widgets.date_picker import DatePicker


@dataclass(frozen=True)
class DateChoice:
    until: date
    reason: str | None


class ChooseDateModal(ModalScreen[DateChoice | None]):
    """For enabling (with a reason) and for extending (dates after the current end)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choose_date.cancel")]

    def __init__(self, today: date, max_date: date, *, extend_from: date | None = None) -> None:
        super().__init__()
        self.today = today
        self.max_date = max_date
        self.extend_from = extend_from
        self.min_date = max(today, extend_from + timedelta(days=1)) if extend_from else today
        self.chosen: date | None = None

    @property
    def extending(self) -> bool:
        return self.extend_from is not None

    def compose(self) -> ComposeResult:
        title = "Extend Support Access" if self.extending else "Enable Support Access"
        with Vertical(classes="dialog date-dialog"):
            yield Static(title, classes="dialog-title")
            if self.extending:
                yield Static(f"Now available through {format_day(self.extend_from)}. Choose a later date.",
                             classes="dialog-body")
            with Horizontal(id="presets"):
                for days in PRESET_DAYS:
                    day = self.today + timedelta(days=days)
                    yield Button(f"{days}d", id=f"preset-{days}", compact=True,
                                 disabled=not (self.min_date <= day <= self.max_date),
                                 tooltip=f"Through {format_day(day)}")
            yield DatePicker(self.today, self.min_date, self.max_date, id="picker")
            if not self.extending:
                yield Input(placeholder="Reason or ticket (optional)", id="reason", max_length=500,
                            compact=True)
            yield Static("Arrows move, Enter picks a day.", id="chosen", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel", compact=True)
                yield Button("Continue" if self.extending else "Enable access", id="submit",
                             variant="primary", disabled=True, compact=True)

    def on_mount(self) -> None:
        self.query_one("#picker", DatePicker).focus()

    def choose(self, day: date) -> None:
        self.chosen = day
        self.query_one("#chosen", Static).update(
            f"Access will be available through [b]{format_day(day)}[/b]."
        )
        submit = self.query_one("#submit", Button)
        submit.disabled = False
        submit.focus()

    def on_date_picker_picked(self, event: DatePicker.Picked) -> None:
        event.stop()
        self.choose(event.value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id or ""
        if button.startswith("preset-"):
            day = self.today + timedelta(days=int(button.removeprefix("preset-")))
            self.query_one("#picker", DatePicker).pick(day)
        elif button == "submit" and self.chosen is not None:
            reason = None if self.extending else self.query_one("#reason", Input).value.strip() or None
            self.dismiss(DateChoice(self.chosen, reason))
        elif button == "cancel":
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
