"""Every key binding, in one list."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def key_rows(app, bindings) -> list[tuple[str, str]]:
    """(key as shown, what it does) for each Binding: the tooltip's long name, else the label."""
    return [(app.get_key_display(b), b.tooltip or b.description) for b in bindings if isinstance(b, Binding)]


class HelpModal(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss_help", "Close", id="help.close"),
        Binding("question_mark", "dismiss_help", "Close", show=False, id="help.close_again"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static("Keys", classes="dialog-title")
            # Above the list, so a short terminal (80x24) shows it whatever the list's length.
            yield Static("Escape closes. ctrl+p finds any action by name.", classes="dialog-hint")
            with VerticalScroll(id="help-body"):
                for heading, rows in self.sections:
                    yield Static(heading, classes="help-heading")
                    for key, description in rows:
                        yield Static(f"[b]{key:>10}[/b]  {description}", classes="help-row")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
