"""The legacy API key's state, and what the owner can do to it in each: the one home of the
rule, asked by the domain (legacy_key.py), the CLI and the TUI. Pure Python, no database."""

from __future__ import annotations

from enum import StrEnum


class LegacyKeyState(StrEnum):
    """Equal to its plain text ("enabled", ...), so printed values are unchanged."""

    NONE = "none"  # never created
    ENABLED = "enabled"
    DISABLED = "disabled"

    @property
    def allowed_actions(self) -> frozenset[str]:
        """regenerate (create, when there is none) always; disable when enabled; enable when disabled."""
        return _ALLOWED[self]

    def why_not(self, action: str) -> str | None:
        """The owner's ACTION (regenerate, disable, enable) in this state: None when it applies,
        else one sentence why not."""
        if action not in ACTIONS:
            raise ValueError(f"not a legacy API key action: {action!r}")
        if action in self.allowed_actions:
            return None
        if self is LegacyKeyState.NONE:
            return NO_KEY
        return f"The legacy API key is already {self}."


ACTIONS = frozenset({"regenerate", "disable", "enable"})
NO_KEY = "There is no legacy API key; regenerate one first, or better, use a Private Integration."
_ALLOWED = {
    LegacyKeyState.NONE: frozenset({"regenerate"}),
    LegacyKeyState.ENABLED: frozenset({"regenerate", "disable"}),
    LegacyKeyState.DISABLED: frozenset({"regenerate", "enable"}),
}


def state_of(exists: bool, disabled: bool) -> LegacyKeyState:
    if not exists:
        return LegacyKeyState.NONE
    return LegacyKeyState.DISABLED if disabled else LegacyKeyState.ENABLED
