"""Revoke a Private Integration: type its name to enable the button. The name field is focused;
Enter with a name that does not match says what is expected and changes nothing."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from aesthetix_tui.ui.shown import literal, visible

WARNING = ("Apps that use this token stop working at once, and any old token from a rotation "
           "stops too. This cannot be undone: a revoked integration stays revoked.")


def mismatch_text(name: str) -> str:
    """What to type, said exactly: `Type the name exactly as shown: “Zapier” (capital letters count).`"""
    shown = visible(name)
    capitals = " (capital letters count)" if shown.lower() != shown.upper() else ""  # it has letters
    return f"Type the name exactly as shown: “{shown}”{capitals}."


class RevokeIntegrationModal(ModalScreen[bool]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="revoke_integration.cancel")]

    def __init__(self, name: str) -> None:
        super().__init__(id="revoke-integration")
        self.integration_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog danger revoke-dialog"):
            yield Static(literal(f"Revoke “{self.integration_name}”?"), classes="dialog-title")
            yield Static(f"! {WARNING}", classes="dialog-warning")
            yield Static("Type the integration's name to confirm:", classes="dialog-body confirm-label")
            yield Input(placeholder=visible(self.integration_name), id="confirm-name", compact=True)
            yield Static("", id="confirm-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel", compact=True, action="screen.cancel")
                yield Button("Revoke", id="revoke", variant="error", compact=True, disabled=True,
                             action="screen.revoke")

    def on_mount(self) -> None:
        self.query_one("#confirm-error").display = False
        self.query_one("#confirm-name", Input).focus()

    def matches(self) -> bool:
        return self.query_one("#confirm-name", Input).value.strip() in (self.integration_name, visible(self.integration_name))

    @on(Input.Changed, "#confirm-name")
    def typed(self) -> None:
        matched = self.matches()
        self.query_one("#revoke", Button).disabled = not matched
        if matched:
            self.query_one("#confirm-error").display = False

    @on(Input.Submitted, "#confirm-name")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.matches():
            self.dismiss(True)
            return
        error = self.query_one("#confirm-error", Static)
        error.update(literal(mismatch_text(self.integration_name)))
        error.display = True

    def action_revoke(self) -> None:
        if self.matches():
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
