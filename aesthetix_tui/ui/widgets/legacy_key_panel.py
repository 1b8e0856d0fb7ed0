"""The legacy API key (API V1) section, with its deprecation banner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from aesthetix_tui.domain.dates import format_instant
from aesthetix_tui.ui.shown import markup_safe
from aesthetix_tui.ui.widgets.deprecation_banner import DeprecationBanner


class LegacyKeyPanel(Vertical):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.border_title = "API key (API V1, legacy)"
        self.status = None

    def compose(self) -> ComposeResult:
        yield DeprecationBanner()
        yield Static("Loading…", id="legacy-status")
        with Horizontal(classes="actions"):
            yield Button("Regenerate key", id="regenerate-key", compact=True, action="screen.regenerate_key")
            yield Button("Disable key", id="toggle-key", compact=True, action="screen.toggle_key")

    def show(self, status, timezone: str) -> None:
        self.status = status
        text = self.query_one("#legacy-status", Static)
        toggle = self.query_one("#toggle-key", Button)
        self.query_one("#regenerate-key", Button).label = "Regenerate key" if status.exists else "Create key"
        if not status.exists:
            text.update("No legacy API key exists.")
            toggle.display = False
            return
        state = f"[b {'$error' if status.disabled else '$success'}]{status.state}[/]"
        text.update(f"Key [b]••••••••{markup_safe(status.hint.lstrip('…'))}[/b] · created "
                    f"{format_instant(status.created_at, timezone)} by {markup_safe(status.created_by)} · {state}")
        toggle.display = True
        toggle.label = "Enable key" if status.allows("enable") else "Disable key"  # LegacyKeyState's rule
