"""The errors both layers raise: storage (db/) and the rules (domain/). Each message is one
sentence fit to show a user. Import them from domain/errors.py, which re-exports them."""


class DomainError(Exception):
    """An operation was refused; nothing was changed."""

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else "The operation was refused."


class NotFound(DomainError):
    """The thing named does not exist."""


class DatabaseProblem(DomainError):
    """The database cannot be opened, read or written."""


class ConnectionLost(DatabaseProblem):
    """The database server cannot be reached or the connection broke: nothing was half-applied,
    and a retry may work once the server is back."""
