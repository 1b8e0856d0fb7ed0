"""Rotate a token: keep the old one for the overlap (integration_state.ROTATION_OVERLAP, 7 days), or
end it now (for a leak).

The safe choice (the overlap) has the focus, so Enter does what the screen shows as chosen."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from aesthetix_tui.domain.integration_state import EXPIRE_LATER as LATER
from aesthetix_tui.domain.integration_state import EXPIRE_NOW as NOW
from aesthetix_tui.domain.integration_state import OVERLAP_WORDS
from aesthetix_tui.ui.shown import literal, markup_safe


class RotateChoiceModal(ModalScreen[str | None]):
    """Dismisses with LATER ("7d"), NOW ("now"), or None. "Expire the old token in 7 days" is
    focused; Escape cancels."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="rotate_choice.cancel")]

    def __init__(self, name: str, hint: str, later_until: str) -> None:
        super().__init__(id="rotate-choice")
        self.integration_name = name
        self.hint = hint
        self.later_until = later_until

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog rotate-dialog"):
            yield Static(literal(f"Rotate the token of “{self.integration_name}”?"), classes="dialog-title")
            yield Static(
                f"A new token is issued and shown once. Choose when the current token ({markup_safe(self.hint)}) "
                "stops working:",
                classes="dialog-body",
            )
            with Horizontal(classes="choice"):
                yield Button(f"Expire the old token in {OVERLAP_WORDS}", id="later", variant="primary", compact=True,
                             action=f"screen.choose({LATER!r})")
            yield Static(f"Time to update every app: the old token works until {self.later_until}.",
                         classes="choice-note")
            with Horizontal(classes="choice"):
                yield Button("Expire it now", id="now", variant="error", compact=True,
                             action=f"screen.choose({NOW!r})")
            yield Static("For a leaked token: apps still using it stop working at once.",
                         classes="choice-note")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel", compact=True, action="screen.cancel")

    def on_mount(self) -> None:
        self.query_one("#later", Button).focus()

    def action_choose(self, when: str) -> None:
        self.dismiss(when)

    def action_cancel(self) -> None:
        self.dismiss(None)
