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


SLOW = "The database is slow to answer; still trying."


class SlowRead(DatabaseProblem):
    """A read ran past its statement timeout (PostgreSQL): nothing was read; a screen keeps what
    it shows and tries again."""


class DatabaseBusy(DatabaseProblem):
    """Another writer held the lock past the wait (SQLite's busy timeout): nothing was changed,
    so trying again is safe (ui/database_gate.py does, with backoff)."""


class TimedOut(DatabaseBusy):
    """PostgreSQL cancelled a statement that waited past a timeout (a lock, or the statement
    itself): nothing was changed. On a screen's read it becomes SlowRead (db/errors.explain_read)."""


class ConnectionLost(DatabaseProblem):
    """The database server cannot be reached or the connection broke: nothing was half-applied,
    and a retry may work once the server is back."""
