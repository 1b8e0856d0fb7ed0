"""Who makes a change: a name and a kind."""

from __future__ import annotations

from dataclasses import dataclass

from aesthetix_tui.domain.errors import InvalidInput
from aesthetix_tui.domain.text import is_control

KINDS = ("owner", "support", "system")


@dataclass(frozen=True)
class Actor:
    name: str
    kind: str = "owner"

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInput(f"An actor's kind must be one of {', '.join(KINDS)}.")
        if not self.name.strip() or len(self.name) > 100:
            raise InvalidInput("An actor's name must be 1 to 100 characters.")
        if not self.name.isprintable() or any(is_control(c) for c in self.name):
            raise InvalidInput("An actor's name must be printable characters on one line (no control characters).")


SYSTEM = Actor("system", "system")


def os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:
        return "owner"
