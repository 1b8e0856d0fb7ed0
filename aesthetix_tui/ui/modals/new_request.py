"""The support console's form: ask an account's owner for Support Access (account, ticket,
reason, days). Errors from the domain show beside their field (InvalidInput.field).
Escape or Cancel asks before typed input is thrown away."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from aesthetix_tui.domain.errors import DomainError, NotFound
from aesthetix_tui.ui.modals.submit_form import SubmitFormModal, show_field_error
from aesthetix_tui.ui.shown import visible

UNSAVED = "The request you typed is not sent yet."
FIELDS = ("account", "ticket", "reason", "days")


@dataclass(frozen=True)
class RequestValues:
    account: str  # as typed (an id or a name)
    ticket: str
    reason: str
    days: str  # as typed: the domain says what is wrong with it

    @property
    def day_count(self) -> int:
        """The days as a number for the domain to check (0 when not a number: it refuses that)."""
        try:
            return int(self.days)
        except ValueError:
            return 0


class NewRequestModal(SubmitFormModal):
    """Calls `submit(values)`; a DomainError it raises shows beside its field.

    Dismisses with what `submit` returned, or None when cancelled.
    """

    unsaved = UNSAVED

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="new_request.cancel"),
        Binding("ctrl+s", "send", "Send", id="new_request.send"),
    ]

    def __init__(self, submit: Callable[[RequestValues], Awaitable[Any]], account: str = "") -> None:
        super().__init__(submit, id="new-request")
        self.account = visible(account)  # the highlighted account, if any
        self.started: RequestValues | None = None

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog request-form"):
            yield Static("Request Support Access", classes="dialog-title")
            yield Static("The account's owner sees your request in their Business Profile and approves "
                         "or declines it.", classes="dialog-hint")
            for field, label, placeholder, length in (
                ("account", "Account", "name or id", 200),
                ("ticket", "Ticket", "e.g. T-1042", 100),
                ("reason", "Reason", "what you need to look at", 500),
                ("days", "Days", "how many days of access", 4),
            ):
                with Horizontal(classes="field"):
                    yield Static(label, classes="field-label")
                    yield Input(self.account if field == "account" else "", placeholder=placeholder, id=field,
                                max_length=length, compact=True, type="integer" if field == "days" else "text")
                yield Static("", id=f"{field}-error", classes="field-error")
            yield Static("", id="form-error", classes="field-error")
            with Horizontal(classes="dialog-buttons"):
                yield Static("ctrl+s send · esc cancel", classes="form-hint")
                yield Button("Cancel", id="cancel", compact=True, action="screen.cancel")
                yield Button("Send request", id="send", variant="primary", compact=True, action="screen.send")

    def on_mount(self) -> None:
        for error in self.query(".field-error"):
            error.display = False
        self.query_one("#ticket" if self.account else "#account", Input).focus()
        self.started = self.values()

    def values(self) -> RequestValues:
        return RequestValues(*(self.query_one(f"#{field}", Input).value.strip() for field in FIELDS))

    # -- errors ------------------------------------------------------------------------

    def show_error(self, field: str, message: str) -> None:
        show_field_error(self.query_one(f"#{field}-error", Static), message)

    def refused(self, error: DomainError) -> None:
        field = field_of(error)
        self.show_error(field, error.message)
        if field in FIELDS:
            self.query_one(f"#{field}", Input).focus()

    @on(Input.Changed)
    def field_changed(self, event: Input.Changed) -> None:
        if event.input.id in FIELDS:
            self.show_error(event.input.id, "")

    @on(Input.Submitted)
    def field_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "days":
            self.action_send()
        else:
            self.focus_next()

    # -- actions -------------------------------------------------------------------------

    def changed(self) -> bool:
        return self.values() != self.started

    @work(exclusive=True, group="new-request")
    async def action_send(self) -> None:
        for field in (*FIELDS, "form"):
            self.show_error(field, "")  # already hidden while a send runs
        await self.send(self.values(), "send")

    @work(exclusive=True, group="new-request-action")  # it may wait for the question
    async def action_cancel(self) -> None:
        await self.cancel()


def field_of(error: DomainError) -> str:
    """Beside the field an InvalidInput names; an account not found beside the account."""
    field = getattr(error, "field", None)
    if field in FIELDS:
        return field
    return "account" if isinstance(error, NotFound) else "form"
