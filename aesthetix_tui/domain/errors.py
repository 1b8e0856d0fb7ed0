"""Domain errors. Each message is one sentence fit to show a user."""


class DomainError(Exception):
    """An operation was refused; nothing was changed."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else "The operation was refused."


class InvalidInput(DomainError):
    """The input is malformed or out of range."""


class NotFound(DomainError):
    """The thing named does not exist."""


class Conflict(DomainError):
    """The operation does not fit the current state."""


class StaleWrite(Conflict):
    """The record changed since it was read: the write was based on a stale copy.

    The message names who changed it and when; nothing was changed.
    """


class AccessDenied(DomainError):
    """A token or key was refused."""


class DatabaseProblem(DomainError):
    """The database cannot be opened, read or written."""


class ConnectionLost(DatabaseProblem):
    """The database server cannot be reached or the connection broke: nothing was half-applied,
    and a retry may work once the server is back."""
