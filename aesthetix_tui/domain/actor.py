"""Who makes a change: a name and a kind."""

from __future__ import annotations

import getpass
from dataclasses import dataclass

from aesthetix_tui.domain.errors import InvalidInput
from aesthetix_tui.domain.text import hidden

KINDS = ("owner", "support", "system")


MAX_LABEL = 40


@dataclass(frozen=True)
class Actor:
    """`name` is the login that acts (the audit's actor); `label` a name it gave with --actor,
    recorded beside it on SQLite and shown as "LABEL (via LOGIN)", never as the actor."""

    name: str
    kind: str = "owner"
    label: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInput(f"An actor's kind must be one of {', '.join(KINDS)}.")
        check_name(self.name, "An actor's name", 100)
        if self.label is not None:
            check_name(self.label, "The --actor name", MAX_LABEL)

    @property
    def shown(self) -> str:
        """How *_by columns record it."""
        return f"{self.label} (via {self.name})" if self.label else self.name


def check_name(name: str, what: str, longest: int) -> None:
    if not name.strip() or len(name) > longest:
        raise InvalidInput(f"{what} must be 1 to {longest} characters.")
    if hidden(name):
        raise InvalidInput(f"{what} must be printable characters on one line (no control characters).")


SYSTEM = Actor("system", "system")


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):  # no login name in the environment nor in passwd
        return "owner"
