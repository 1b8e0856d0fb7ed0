"""The audit log's filter dialog: action, actor and a date range.

The domain's parser (`domain.audit_query.parse_filters`) is imported only when the
dialog applies, so opening the audit screen does not load the database stack.
Its styles are in ui/audit_log.tcss, loaded by the audit screen that opens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Static

from aesthetix_tui.domain.errors import DomainError
from aesthetix_tui.ui.modals.discard import CancelAsks
from aesthetix_tui.ui.shown import literal


@dataclass(frozen=True)
class FilterText:
    """What the user typed in the filter dialog."""

    action: str = ""
    actor: str = ""
    from_text: str = ""
    to_text: str = ""


class AuditFilterModal(CancelAsks, ModalScreen):
    """Action, actor and a date range. Dismisses with AuditFilters, or None when cancelled."""

    unsaved = "The filters you typed are not applied yet."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="audit_filter.cancel"),
        Binding("ctrl+s", "apply", "Apply", id="audit_filter.apply"),
    ]

    def __init__(self, current, timezone: str, actions: list[str], actors: list[str]) -> None:
        super().__init__(id="audit-filter")
        self.current = current
        self.timezone = timezone
        self.actions = actions
        self.actors = actors

    def compose(self) -> ComposeResult:
        c = self.current
        with Vertical(classes="dialog audit-dialog"):
            yield Static("Filter the audit log", classes="dialog-title")
            with Horizontal(classes="audit-field"):
                yield Static("Action", classes="audit-label")
                yield Input(c.action if c else "", placeholder="e.g. support_access.enabled", id="filter-action",
                            compact=True, suggester=SuggestFromList(self.actions, case_sensitive=False))
            yield Static("exact, or a prefix such as support_access.", classes="audit-hint")
            with Horizontal(classes="audit-field"):
                yield Static("Actor", classes="audit-label")
                yield Input(c.actor if c else "", placeholder="e.g. alice", id="filter-actor", compact=True,
                            suggester=SuggestFromList(self.actors, case_sensitive=True))
            with Horizontal(classes="audit-field"):
                yield Static("From", classes="audit-label")
                yield Input(c.from_date.isoformat() if c and c.from_date else "", placeholder="YYYY-MM-DD",
                            id="filter-from", compact=True)
            with Horizontal(classes="audit-field"):
                yield Static("To", classes="audit-label")
                yield Input(c.to_date.isoformat() if c and c.to_date else "", placeholder="YYYY-MM-DD",
                            id="filter-to", compact=True)
            yield Static(f"days in {self.timezone}; both ends included", classes="audit-hint")
            yield Static("", id="filter-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Clear filters", id="filter-clear", compact=True, action="screen.clear")
                yield Button("Cancel", id="filter-cancel", compact=True, action="screen.cancel")
                yield Button("Apply", id="filter-apply", variant="primary", compact=True, action="screen.apply")

    def on_mount(self) -> None:
        self.query_one("#filter-error").display = False
        self.query_one("#filter-action", Input).focus()
        self.start = self.typed()  # Escape asks before throwing away anything typed since

    def typed(self) -> FilterText:
        return FilterText(*(self.query_one(f"#filter-{name}", Input).value
                            for name in ("action", "actor", "from", "to")))

    def action_apply(self) -> None:
        from aesthetix_tui.domain.audit_query import parse_filters

        text = self.typed()
        try:
            filters = parse_filters(text.action, text.actor, text.from_text, text.to_text)
        except DomainError as error:
            message = self.query_one("#filter-error", Static)
            message.update(literal(error.message))
            message.display = True
            return
        self.dismiss(filters)

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_apply()

    def action_clear(self) -> None:
        from aesthetix_tui.domain.audit_query import NO_FILTERS

        self.dismiss(NO_FILTERS)
