"""A dangerous confirmation that works only once the expected text is typed.

The subclass composes an Input (`input_id`), a hidden Static `#confirm-error` and the button
(`button_id`, action `screen.confirm`); it says what counts (`expected`) and what Enter with
anything else shows (`mismatch`). Dismissed with True to go ahead, False when cancelled.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class TypedConfirmModal(ModalScreen[bool]):
    input_id = ""
    button_id = ""

    def expected(self) -> tuple[str, ...]:
        raise NotImplementedError

    def mismatch(self) -> str | Text:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.query_one("#confirm-error").display = False
        self.query_one(f"#{self.input_id}", Input).focus()

    def matches(self) -> bool:
        return self.query_one(f"#{self.input_id}", Input).value.strip() in self.expected()

    @on(Input.Changed)
    def typed(self) -> None:
        matched = self.matches()
        self.query_one(f"#{self.button_id}", Button).disabled = not matched
        if matched:
            self.query_one("#confirm-error").display = False

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.matches():
            self.dismiss(True)
            return
        error = self.query_one("#confirm-error", Static)
        error.update(self.mismatch())
        error.display = True

    def action_confirm(self) -> None:
        if self.matches():
            self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)
