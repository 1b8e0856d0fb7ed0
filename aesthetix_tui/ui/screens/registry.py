"""The owner's screens, written once: each one's mode, key, names, palette entry and loader.

The app's keys (`bindings`), its `MODES`, the palette's "Open …" entries, the help list's titles
and the screen classes the palette reads all come from `SCREENS`. A loader imports its screen's
module when first called, never before: the screens stay off the first frame's import path but
the one it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.binding import Binding
from textual.screen import Screen


def business_profile() -> type[Screen]:
    from aesthetix_tui.ui.screens.business_profile import BusinessProfileScreen

    return BusinessProfileScreen


def integrations() -> type[Screen]:
    from aesthetix_tui.ui.screens.integrations import IntegrationsScreen

    return IntegrationsScreen


def audit_log() -> type[Screen]:
    from aesthetix_tui.ui.screens.audit_log import AuditLogScreen

    return AuditLogScreen


def accounts() -> type[Screen]:
    from aesthetix_tui.ui.screens.accounts import AccountsScreen

    return AccountsScreen


@dataclass(frozen=True)
class ScreenEntry:
    mode: str
    key: str
    label: str
    """The footer's word for the key."""
    title: str
    """The screen's name: the help list's heading, and where a palette command runs."""
    tooltip: str
    """The key's long name (help list)."""
    binding_id: str
    opens: str
    """The palette's entry that opens the screen."""
    help: str
    """The line under it."""
    loader: Callable[[], type[Screen]]
    one_account: bool = True
    """Shows one account's data: made afresh when the app switches accounts."""

    def screen_class(self) -> type[Screen]:
        return self.loader()

    def make(self) -> Screen:
        """A new screen (a mode's factory: Textual calls it when the mode first opens)."""
        return self.loader()()

    def binding(self) -> Binding:
        return Binding(self.key, f"open('{self.mode}')", self.label, id=self.binding_id, tooltip=self.tooltip)


SCREENS = (
    ScreenEntry("profile", "b", "Profile", "Business Profile", "Business Profile", "app.business_profile",
                "Open Business Profile", "Support Access, legacy API key, deprecated features", business_profile),
    ScreenEntry("integrations", "i", "Integrations", "Private Integrations", "Private Integrations",
                "app.private_integrations", "Open Private Integrations", "Scoped tokens for integrations",
                integrations),
    ScreenEntry("audit", "a", "Audit", "Audit log", "Audit log", "app.audit_log", "Open audit log",
                "Every change, hash-chained", audit_log),
    ScreenEntry("accounts", "A", "Accounts", "Accounts", "All accounts", "app.accounts", "Open accounts",
                "Every account at a glance; switch between them", accounts, one_account=False),
)
BY_MODE = {entry.mode: entry for entry in SCREENS}
MODES = {entry.mode: entry.make for entry in SCREENS}
ACCOUNT_MODES = tuple(entry.mode for entry in SCREENS if entry.one_account)


def bindings() -> list[Binding]:
    """The keys that open the screens, in their order."""
    return [entry.binding() for entry in SCREENS]


def screen_class(mode: str) -> type[Screen]:
    """MODE's screen class (imported when first asked, like the screen itself)."""
    return BY_MODE[mode].screen_class()
