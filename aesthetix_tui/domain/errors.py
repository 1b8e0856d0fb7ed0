"""Domain errors. Each message is one sentence fit to show a user.

The ones storage raises too live in aesthetix_tui/errors.py (db/ may not import the domain)
and are re-exported here, so every error is imported from this module."""

from aesthetix_tui.errors import (
    SLOW,
    ConnectionLost,
    DatabaseBusy,
    DatabaseProblem,
    DomainError,
    NotFound,
    SlowRead,
    TimedOut,
)

__all__ = [
    "SLOW",
    "AccessDenied",
    "AccountGone",
    "Conflict",
    "ConnectionLost",
    "DatabaseBusy",
    "DatabaseProblem",
    "DomainError",
    "InvalidInput",
    "NotFound",
    "SessionEnded",
    "SlowRead",
    "StaleWrite",
    "TimedOut",
]


class InvalidInput(DomainError):
    """The input is malformed or out of range.

    field: which input was refused ("name", "description", "scopes"...), for a form to show the
    message beside it; None when it is no one field's. The message is the same either way.
    """

    def __init__(self, *args: object, field: str | None = None) -> None:
        super().__init__(*args)
        self.field = field


class Conflict(DomainError):
    """The operation does not fit the current state."""


class StaleWrite(Conflict):
    """The record changed since it was read: the write was based on a stale copy.

    The message names who changed it and when; nothing was changed.
    """


class SessionEnded(Conflict):
    """The support session was closed (by its agent, or by the same agent opening the account
    again elsewhere): it cannot be read or used any more."""


class AccessDenied(DomainError):
    """A token or key was refused."""


class AccountGone(NotFound):
    """The account being read or changed (by its id) is no longer in the database."""
