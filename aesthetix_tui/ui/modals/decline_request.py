"""Decline a support agent's access request, with an optional note the agent will read.

Calls `submit(note)`; a DomainError it raises shows under the note. Dismisses with what
`submit` returned, or None when cancelled (Escape asks first when a note was typed).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from aesthetix_tui.domain.errors import DomainError
from aesthetix_tui.ui.modals.buttons import cancel_and
from aesthetix_tui.ui.modals.submit_form import SubmitFormModal, show_field_error
from aesthetix_tui.ui.shown import literal

UNSAVED = "The note you typed is not saved yet."


class DeclineRequestModal(SubmitFormModal):
    unsaved = UNSAVED

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="decline_request.cancel"),
    ]

    def __init__(self, request_sentence: str, submit: Callable[[str | None], Awaitable[Any]]) -> None:
        super().__init__(submit, id="decline-request")
        self.request_sentence = request_sentence

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog decline-dialog"):
            yield Static("Decline support request?", classes="dialog-title")
            yield Static(literal(self.request_sentence), classes="dialog-body", id="decline-request-text")
            yield Static("Support Access stays as it is. The agent sees that you declined, with your note.",
                         classes="dialog-hint")
            yield Input(placeholder="Note for the agent (optional)", id="note", max_length=500, compact=True)
            yield Static("", id="note-error", classes="field-error")
            yield cancel_and(Button("Decline", id="decline", variant="error", compact=True, action="screen.decline"))

    def on_mount(self) -> None:
        self.query_one("#note-error").display = False
        self.query_one("#note", Input).focus()

    def show_error(self, message: str) -> None:
        show_field_error(self.query_one("#note-error", Static), message)

    def changed(self) -> bool:
        return bool(self.query_one("#note", Input).value.strip())

    def refused(self, error: DomainError) -> None:
        self.show_error(error.message)
        self.query_one("#note", Input).focus()

    @on(Input.Changed, "#note")
    def note_changed(self) -> None:
        self.show_error("")

    @on(Input.Submitted, "#note")
    def note_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_decline()

    @work(exclusive=True, group="decline-request")
    async def action_decline(self) -> None:
        await self.send(self.query_one("#note", Input).value.strip() or None, "decline")

    @work(exclusive=True, group="decline-request-action")  # it may wait for the question
    async def action_cancel(self) -> None:
        await self.cancel()
