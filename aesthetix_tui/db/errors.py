"""Turn database failures into one clear sentence and a way on."""

from __future__ import annotations

import errno
import re
import sqlite3

from sqlalchemy import exc

from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.errors import SLOW, ConnectionLost, DatabaseProblem, SlowRead

BUSY = "The database is busy; try again in a moment."
DISK_FULL = "The disk is full; free some space and try again."
DRIVERS = ("sqlalchemy", "sqlite3", "psycopg", "psycopg2", "_sqlite3")


def explain(error: BaseException, target: DatabaseTarget) -> DatabaseProblem:
    """A DatabaseProblem whose message says what went wrong and what to do."""
    if isinstance(error, DatabaseProblem):
        return error
    problem = explain_raw(error, target)
    return type(problem)(hide_secrets(problem.message, target.url))


def explain_raw(error: BaseException, target: DatabaseTarget) -> DatabaseProblem:
    text = str(getattr(error, "orig", None) or error).lower()
    where = target.label
    if is_disk_full(error, text):
        return DatabaseProblem(f"The disk holding the database {where} is full; free some space and try again.")
    if sqlstate(error) == "57014" and "statement timeout" in text:
        return SlowRead(SLOW)  # a read past engine.READ_TIMEOUT_OPTION's limit
    if "database is locked" in text or "database is busy" in text or "lock timeout" in text:
        return DatabaseProblem(BUSY)
    if "file is not a database" in text or "malformed" in text or "corrupt" in text:
        return DatabaseProblem(
            f"The database file {where} is damaged or is not an Aesthetix database; "
            "restore it from a backup or point --db at another file."
        )
    if "readonly" in text or "read-only" in text:
        return DatabaseProblem(
            f"The database {where} is read-only, so changes cannot be saved; "
            "check the permissions of the file and its folder."
        )
    if "unable to open database" in text:
        return DatabaseProblem(
            f"The database {where} cannot be opened; check that its folder exists and is writable."
        )
    if isinstance(error, exc.ArgumentError) or "could not parse" in text:
        return DatabaseProblem(f"The database URL {where} is not valid; check --database-url.")
    if isinstance(error, ModuleNotFoundError):
        return DatabaseProblem(
            f"The driver for {where} is not installed; install it or use another database URL."
        )
    server = not target.url.startswith("sqlite")  # a SQLite file has no connection to lose
    if server and lost_connection(error, text):
        return ConnectionLost(
            f"The connection to the database server for {where} was lost; try again once it is back."
        )
    if "authentication failed" in text or "no password supplied" in text \
            or re.search(r'role "[^"]*" does not exist', text):
        return DatabaseProblem(
            f"The database server for {where} refused the user name or password; check --database-url."
        )
    if re.search(r'database "[^"]*" does not exist', text):
        return DatabaseProblem(
            f"The database named in {where} does not exist on the server; create it or fix --database-url."
        )
    if server and (isinstance(error, (exc.OperationalError, exc.InterfaceError)) or "connection" in text):
        # retryable: the TUI keeps trying until the server is back
        return ConnectionLost(f"The database server for {where} cannot be reached; check that it is running.")
    if server and refused_by_privileges(error, text):
        return DatabaseProblem(PERMISSION_DENIED)
    if isinstance(error, (sqlite3.DatabaseError, exc.DatabaseError)):
        return DatabaseProblem(f"The database {where} reported an error: {first_line(error)}.")
    return DatabaseProblem(f"The database {where} cannot be used: {first_line(error)}.")


PERMISSION_DENIED = ("The database refused: your login may not do this here (its roles and row-level "
                     "security do not allow it); nothing was changed.")


def refused_by_privileges(error: BaseException, text: str) -> bool:
    """PostgreSQL's insufficient_privilege (42501): a privilege, a policy or our own functions."""
    return sqlstate(error) == "42501" or "permission denied" in text or "row-level security" in text


def sqlstate(error: BaseException) -> str | None:
    return getattr(getattr(error, "orig", None) or error, "sqlstate", None)


LOST = (
    "server closed the connection", "terminating connection", "connection is lost", "connection is closed",
    "consuming input failed", "the connection was closed", "connection reset", "ssl syscall error",
    "server conn crashed", "connection has been closed", "lost synchronization",
)


def lost_connection(error: BaseException, text: str) -> bool:
    """A connection that was working broke (the server stopped or restarted)."""
    if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
        return True
    return any(sign in text for sign in LOST)


def first_line(error: BaseException) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0].rstrip(".") if text else type(error).__name__


def is_disk_full(error: BaseException, text: str) -> bool:
    """SQLite says SQLITE_FULL as "database or disk is full"; the OS says ENOSPC."""
    code = getattr(getattr(error, "orig", None) or error, "errno", None)
    return code == errno.ENOSPC or "disk is full" in text or "no space left" in text


def is_database_error(error: BaseException) -> bool:
    """An error raised by SQLAlchemy or a database driver (by the module that defines it)."""
    return any(kind.__module__.split(".")[0] in DRIVERS for kind in type(error).__mro__)


def explain_os_error(error: OSError) -> str:
    """One sentence for a file or stream the operating system refused."""
    if error.errno == errno.ENOSPC:
        return DISK_FULL
    reason = (error.strerror or str(error) or type(error).__name__).rstrip(".")
    if error.filename:
        return f"The file {error.filename} cannot be used ({reason.lower()}); nothing more was changed."
    return f"The operating system refused: {reason}; nothing more was changed."


def hide_secrets(message: str, url: str) -> str:
    """A driver's own text may repeat the URL's password: never show it."""
    from urllib.parse import unquote

    found = re.findall(r"^[^:/]*://[^:/@]*:([^@]*)@", url) + re.findall(r"(?i)[?&]password=([^&]*)", url)
    for secret in found:
        for form in {secret, unquote(secret)}:
            if len(form) >= 4:  # a shorter one would blank out ordinary words
                message = message.replace(form, "***")
    return message
