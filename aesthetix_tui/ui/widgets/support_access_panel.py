"""The Support Access section: a switch, the status line, and its actions."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Button, Static, Switch

from aesthetix_tui.domain.dates import format_instant
from aesthetix_tui.domain.support_status import OFF, SupportAccessStatus, sentence, status_of
from aesthetix_tui.ui.shown import literal, visible
from aesthetix_tui.ui.widgets.on_off_switch import OnOffSwitch


class SupportAccessPanel(Vertical):
    """Shows a grant's status, recomputed from the clock on every tick."""

    class SwitchFlipped(Message):
        def __init__(self, on: bool) -> None:
            super().__init__()
            self.on = on

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "Support Access"
        self.grant = None
        self.support_session = None
        self.extended_for: str | None = None
        self.timezone = "UTC"
        self.status = SupportAccessStatus(OFF)

    def compose(self) -> ComposeResult:
        with Horizontal(classes="status-row"):
            yield OnOffSwitch(id="support-switch", animate=False, tooltip="Turn Support Access on or off")
            with Vertical(classes="status-text"):
                yield Static("Loading…", id="support-status")
                yield Static("", id="support-detail", classes="muted")
                yield Static("", id="support-session")
        with Horizontal(classes="actions"):
            yield Button("Enable access", id="enable-support", compact=True, action="screen.enable_support")
            yield Button("Extend access", id="extend-support", compact=True, action="screen.extend_support")
            yield Button("Revoke access", id="revoke-support", variant="error", compact=True,
                         action="screen.revoke_support")

    def show(self, grant, timezone: str, now: datetime, support_session=None,
             extended_for: str | None = None) -> None:
        self.grant = grant
        self.extended_for = extended_for  # an approved request's ticket that extended this grant
        self.support_session = support_session
        self.timezone = timezone
        self.tick(now)

    def tick(self, now: datetime) -> bool:
        """Recompute from the clock. Returns True when the state changed."""
        status = status_of(self.grant, now)
        changed = status.state != self.status.state
        self.status = status
        self.query_one("#support-status", Static).update(literal(sentence(status, self.timezone)))
        self.query_one("#support-detail", Static).update(literal(self.detail(status)))
        line = self.session_line(status)
        session_line = self.query_one("#support-session", Static)
        session_line.update(line)
        session_line.display = bool(line.plain)
        switch = self.query_one("#support-switch", Switch)
        with switch.prevent(Switch.Changed):
            switch.value = status.is_active
        for action in ("enable", "extend", "revoke"):  # the buttons of what applies (SupportState)
            self.query_one(f"#{action}-support").display = status.allows(action)
        self.set_class(status.is_active, "-active")
        self.set_class(status.ends_soon, "-ends-soon")
        return changed

    def detail(self, status: SupportAccessStatus) -> str:
        if status.enabled_at is None:
            return ("Support cannot see this account. Turn this on to let the vendor's support team in "
                    "until a date you choose; it is separate from team users and roles.")
        enabled = f"Enabled by {status.enabled_by} on {format_instant(status.enabled_at, self.timezone)}"
        if status.is_active:
            extended = self.extended_for
            return enabled + (f". Extended for ticket {extended}." if extended else ".")
        return enabled + ". Enable it again to let support back in."

    def session_line(self, status: SupportAccessStatus) -> Content:
        """"Support session in progress — AGENT since TIME", while an agent is in under this grant."""
        open_session = self.support_session
        if open_session is None or not status.is_active or open_session.grant_id != status.grant_id:
            return Content("")
        return Content.from_markup("[b $text-warning]Support session in progress[/] — $agent since $time",
                                   agent=visible(open_session.agent),
                                   time=format_instant(open_session.started_at, self.timezone))

    def reset_switch(self) -> None:
        """Put the switch back where the status says (after a cancelled flip)."""
        switch = self.query_one("#support-switch", Switch)
        with switch.prevent(Switch.Changed):
            switch.value = self.status.is_active

    def on_switch_changed(self, event: Switch.Changed) -> None:
        event.stop()
        self.post_message(self.SwitchFlipped(event.value))
