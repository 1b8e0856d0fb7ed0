"""Show a secret once: copy it or save it to a file, then say it is stored. Escape asks first.

Copying is OSC 52, which no terminal acknowledges, so the secret stays on screen and the
modal says only that it was sent; saving to a file is the way that cannot fail silently."""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from aesthetix_tui.secret_file import SecretFileError, save_secret
from aesthetix_tui.ui.modals.buttons import cancel_and
from aesthetix_tui.ui.modals.confirm import ConfirmModal
from aesthetix_tui.ui.modals.path_field import select_all

COPY_SENT = ("Sent to your terminal's clipboard (OSC 52); if your terminal ignores it, "
             "select the text or save it to a file.")


class ShowSecretModal(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "copy", "Copy", id="secret.copy"),
        Binding("s", "save", "Save to file", id="secret.save"),
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
            yield Static(self.secret, id="secret", classes="secret", markup=False)
            yield Static(
                f"! Treat this {self.what} like a password. It will not be shown again: "
                "copy or save it now and store it in a password manager or secret store.",
                classes="dialog-warning",
            )
            yield Static("", id="secret-status", classes="dialog-hint", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Copy (c)", id="copy", compact=True, action="screen.copy")
                yield Button("Save to file (s)", id="save", compact=True, action="screen.save")
                yield Button("I have stored it", id="stored", variant="primary", compact=True,
                             action="screen.stored")

    def on_mount(self) -> None:
        self.query_one("#secret-status").display = False
        self.query_one("#copy", Button).focus()

    def say(self, text: str) -> None:
        status = self.query_one("#secret-status", Static)
        status.update(text)
        status.display = True

    def action_copy(self) -> None:
        # OSC 52 has no acknowledgement: say it was sent, not that it arrived. The secret stays.
        self.app.copy_to_clipboard(self.secret)
        self.say(COPY_SENT)

    @work
    async def action_save(self) -> None:
        saved = await self.app.push_screen_wait(SaveSecretModal(self.secret, self.what))
        if saved is not None:
            self.say(f"Saved to {saved} (readable only by you).")

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

    def action_stored(self) -> None:
        """Only the "I have stored it" button closes without asking."""
        self.dismiss(None)


class SaveSecretModal(ModalScreen[str | None]):
    """Ask for a new file and write the secret there (mode 0600). Dismisses with its path, or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="save_secret.cancel")]

    def __init__(self, secret: str, what: str) -> None:
        super().__init__()
        self.secret = secret
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(f"Save the {self.what} to a file", classes="dialog-title")
            yield Static("A new file, readable only by you; an existing file is never replaced.",
                         classes="dialog-body")
            # Pre-filled and selected, as in a file dialog: Enter takes it, typing replaces it.
            yield Input(f"~/aesthetix-{self.what}.txt", id="save-path")
            yield Static("", id="save-error", classes="dialog-warning", markup=False)
            yield cancel_and(Button("Save", id="save-file", variant="primary", compact=True, action="screen.save"),
                             cancel_id="save-cancel")

    def on_mount(self) -> None:
        self.query_one("#save-error").display = False
        select_all(self.query_one("#save-path", Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        try:
            path = save_secret(self.query_one("#save-path", Input).value, self.secret)
        except SecretFileError as error:
            message = self.query_one("#save-error", Static)
            message.update(error.message)
            message.display = True
            return
        self.dismiss(str(path))

    def action_cancel(self) -> None:
        self.dismiss(None)
