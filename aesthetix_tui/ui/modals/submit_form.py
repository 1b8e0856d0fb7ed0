"""What the request dialogs share: hand the typed values to `submit` and dismiss with its result;
a DomainError it raises goes to `refused` and the form stays. Cancel asks before typed input
is thrown away, and dismisses with None."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from textual.screen import ModalScreen
from textual.widgets import Button, Static

from aesthetix_tui.domain.errors import DomainError
from aesthetix_tui.ui.modals.discard import may_discard
from aesthetix_tui.ui.shown import literal


def show_field_error(widget: Static, message: str) -> None:
    """`✗ message` under a field, or hidden when the message is empty."""
    widget.update(literal(f"✗ {message}" if message else ""))
    widget.display = bool(message)


class SubmitFormModal(ModalScreen[Any]):
    unsaved = ""  # what Cancel would throw away, for the discard question

    def __init__(self, submit: Callable[[Any], Awaitable[Any]], id: str) -> None:
        super().__init__(id=id)
        self.submit = submit
        self.saving = False

    def changed(self) -> bool:
        """True when something typed would be lost."""
        raise NotImplementedError

    def refused(self, error: DomainError) -> None:
        raise NotImplementedError

    async def send(self, values: Any, button_id: str) -> None:
        """Call from a worker: submit, with the button disabled meanwhile."""
        if self.saving:
            return
        self.saving = True
        self.query_one(f"#{button_id}", Button).disabled = True
        try:
            result = await self.submit(values)
        except DomainError as error:
            self.refused(error)
            return
        finally:
            self.saving = False
            self.query_one(f"#{button_id}", Button).disabled = False
        self.dismiss(result)

    async def cancel(self) -> None:
        """Call from a worker (it may wait for the question)."""
        if self.saving:
            return
        if not self.changed() or await may_discard(self.app, self.unsaved):
            self.dismiss(None)
