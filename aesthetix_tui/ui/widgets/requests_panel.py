"""The owner's Requests line: support agents asking for access, newest first.

Shown only while a request is pending. Approve (y) and Decline (n) answer the first one shown;
the line under it says how many more wait.
"""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from aesthetix_tui.ui.shown import literal


def more_waiting(count: int) -> str:
    if count <= 0:
        return ""
    if count == 1:
        return "1 more request is waiting; it shows once this one is answered."
    return f"{count} more requests are waiting; they show one by one, newest first."


class RequestsPanel(Vertical):
    """The pending requests of one account (support_requests.Request), shown literally."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Support requests"
        self.requests: tuple = ()
        self.timezone = "UTC"
        self.display = False  # until a request is pending

    def compose(self) -> ComposeResult:
        yield Static("", id="request-line")
        yield Static("", id="request-more", classes="muted")
        with Horizontal(classes="actions"):
            yield Button("Approve", id="approve-request", variant="primary", compact=True,
                         action="screen.approve_request", tooltip="Approve the request shown (y)")
            yield Button("Decline", id="decline-request", compact=True, action="screen.decline_request",
                         tooltip="Decline the request shown (n)")

    @property
    def first(self):
        """The request that Approve and Decline answer: the newest still pending, or None."""
        return self.requests[0] if self.requests else None

    def show(self, requests, timezone: str, now: datetime) -> None:
        self.requests = tuple(requests)
        self.timezone = timezone
        self.redraw(now)

    def tick(self, now: datetime) -> bool:
        """Drop the requests that expired by the clock. True when the first one changed."""
        before = self.first
        self.redraw(now)
        return self.first is not before

    def redraw(self, now: datetime) -> None:
        self.requests = tuple(r for r in self.requests if r.expires_at > now)
        first = self.first
        self.display = first is not None
        if first is None:
            return
        self.query_one("#request-line", Static).update(literal(first.sentence(self.timezone)))
        more = self.query_one("#request-more", Static)
        more.update(more_waiting(len(self.requests) - 1))
        more.display = len(self.requests) > 1
