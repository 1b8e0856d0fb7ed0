"""Revoke a Private Integration: type its name to enable the button. The name field is focused;
Enter with a name that does not match says what is expected and changes nothing."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from aesthetix_tui.ui.modals.buttons import cancel_and
from aesthetix_tui.ui.modals.typed_confirm import TypedConfirmModal
from aesthetix_tui.ui.shown import literal, visible

WARNING = ("Apps that use this token stop working at once, and any old token from a rotation "
           "stops too. This cannot be undone: a revoked integration stays revoked.")


def mismatch_text(name: str) -> str:
    """What to type, said exactly: `Type the name exactly as shown: “Zapier” (capital letters count).`"""
    shown = visible(name)
    capitals = " (capital letters count)" if shown.lower() != shown.upper() else ""  # it has letters
    return f"Type the name exactly as shown: “{shown}”{capitals}."


class RevokeIntegrationModal(TypedConfirmModal):
    input_id = "confirm-name"
    button_id = "revoke"

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="revoke_integration.cancel")]

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
            yield cancel_and(Button("Revoke", id="revoke", variant="error", compact=True, disabled=True,
                                    action="screen.confirm"))

    def expected(self) -> tuple[str, ...]:
        return (self.integration_name, visible(self.integration_name))

    def mismatch(self) -> Text:
        return literal(mismatch_text(self.integration_name))
