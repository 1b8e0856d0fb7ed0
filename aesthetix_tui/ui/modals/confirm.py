"""A yes/no question. Enter presses the focused button, which is the one drawn as chosen: the
main button, or Cancel when the action is dangerous. Escape cancels."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from aesthetix_tui.ui.shown import literal


class ConfirmModal(ModalScreen[bool]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="confirm.cancel")]

    def __init__(self, title: str, body: str, confirm_label: str, *, danger: bool = False,
                 cancel_label: str = "Cancel", id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text = title
        self.body = body
        self.confirm_label = confirm_label
        self.danger = danger
        self.cancel_label = cancel_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog" + (" danger" if self.danger else "")):
            yield Static(literal(self.title_text), classes="dialog-title")
            yield Static(literal(self.body), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.cancel_label, id="cancel", compact=True, action="screen.cancel")
                yield Button(self.confirm_label, id="confirm",
                             variant="error" if self.danger else "primary", compact=True,
                             action="screen.confirm")

    def on_mount(self) -> None:
        self.query_one("#cancel" if self.danger else "#confirm", Button).focus()

    def action_confirm(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
