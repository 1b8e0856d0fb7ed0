"""Show a secret once: copy it, then say it is stored. Escape asks first."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from aesthetix_tui.ui.modals.confirm import ConfirmModal


class ShowSecretModal(ModalScreen[None]):
    BINDINGS = [
        Binding("c", "copy", "Copy", id="secret.copy"),
        Binding("escape", "close", "Close", id="secret.close"),
    ]

    def __init__(self, title: str, secret: str, what: str, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.secret = secret
        self.what = what  # "key" or "token"
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog secret-dialog"):
            yield Static(self.title_text, classes="dialog-title")
            if self.note:
                yield Static(self.note, classes="dialog-body")
            yield Static(self.secret, id="secret", classes="secret")
            yield Static(
                f"⚠ Treat this {self.what} like a password. It will not be shown again: "
                "copy it now and store it in a password manager or secret store.",
                classes="dialog-warning",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy", id="copy", compact=True)
                yield Button("I have stored it", id="stored", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#copy", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "copy":
            self.action_copy()
        else:
            self.dismiss(None)

    def action_copy(self) -> None:
        self.app.copy_to_clipboard(self.secret)
        self.notify(f"The {self.what} is on the clipboard.", title="Copied", timeout=3)

    @work
    async def action_close(self) -> None:
        leave = await self.app.push_screen_wait(ConfirmModal(
            f"Close without storing the {self.what}?",
            f"This {self.what} will never be shown again. If you have not stored it, "
            f"you will have to issue a new one.",
            "Close anyway", danger=True, cancel_label="Go back",
        ))
        if leave:
            self.dismiss(None)
