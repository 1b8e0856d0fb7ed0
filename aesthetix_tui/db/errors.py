"""Turn database failures into one clear sentence and a way on."""

from __future__ import annotations

import errno
import re
import shutil
import sqlite3
from urllib.parse import unquote

from sqlalchemy import exc

from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.errors import SLOW, ConnectionLost, DatabaseBusy, DatabaseProblem, SlowRead, TimedOut

BUSY = "The database is busy; try again in a moment."
# PostgreSQL cancelled a statement that waited past a timeout (a lock, or the statement itself).
TIMED_OUT = "The database was busy for more than 2 s; try again."
# A rule the database holds itself refused a change (db/guards.py, check_violation).
REFUSED_BY_RULE = "The database refused the change: {reason}; nothing was changed."
DISK_FULL = "The disk is full; free some space and try again."
DRIVERS = ("sqlalchemy", "sqlite3", "psycopg", "psycopg2", "_sqlite3")
# A number past what a column holds (PostgreSQL's 22003, SQLite's OverflowError): the domain
# refuses such numbers first (account_ref.is_row_id); this is the sentence for any it missed.
TOO_LARGE = "A number given is larger than the database can hold, so nothing has it; nothing was changed."


def explain(error: BaseException, target: DatabaseTarget) -> DatabaseProblem:
    """A DatabaseProblem whose message says what went wrong and what to do."""
    if isinstance(error, DatabaseProblem):
        return error
    problem = explain_raw(error, target)
    return type(problem)(hide_secrets(problem.message, target.url))


def explain_read(error: BaseException, target: DatabaseTarget) -> DatabaseProblem:
    """explain() for a screen's read (ui/database_gate.read, under engine.READ_TIMEOUT_OPTION): a
    read past its timeout is SlowRead (the screen keeps its data and tries again), where a write's
    timeout is TIMED_OUT."""
    problem = explain(error, target)
    if isinstance(problem, TimedOut):
        return SlowRead(SLOW)
    return problem


def explain_raw(error: BaseException, target: DatabaseTarget) -> DatabaseProblem:
    text = str(getattr(error, "orig", None) or error).lower()
    where = target.label
    if is_disk_full(error, text) or is_low_on_space(text, target):
        return DatabaseProblem(f"The disk holding the database {where} is full; free some space and try again.")
    if is_too_large(error, text):
        return DatabaseProblem(TOO_LARGE)
    if timed_out(error, text):
        return TimedOut(TIMED_OUT)
    if "database is locked" in text or "database is busy" in text:
        return DatabaseBusy(BUSY)
    if (rule := refused_by_rule(error)) is not None:
        return DatabaseProblem(REFUSED_BY_RULE.format(reason=rule))
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
    # Before the login's refusal: the server looks for the database only after it accepted the
    # login, and libpq may add a second attempt's refusal (sslmode=prefer retries without SSL).
    missing = re.search(r'database "([^"]*)" does not exist', str(getattr(error, "orig", None) or error))
    if missing:
        return DatabaseProblem(
            f"The database {missing.group(1)!r} named in {where} does not exist on the server; "
            "create it or fix --database-url."
        )
    if "authentication failed" in text or "no password supplied" in text \
            or re.search(r'role "[^"]*" does not exist', text):
        return DatabaseProblem(
            f"The database server for {where} refused the user name or password; check --database-url."
        )
    if "pg_hba.conf" in text:  # no entry for this host, user and database, or one that rejects it
        return DatabaseProblem(
            f"The database server for {where} does not let this login reach that database from this host "
            "(its pg_hba.conf); check --database-url or ask its administrator."
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


def timed_out(error: BaseException, text: str) -> bool:
    """lock_not_available (55P03), or a statement cancelled by its timeout (57014, not a user's ^C)."""
    return sqlstate(error) == "55P03" or "lock timeout" in text or "statement timeout" in text


def refused_by_rule(error: BaseException) -> str | None:
    """The reason of a check_violation raised by db/guards.py ("refused: REASON"), else None."""
    if sqlstate(error) != "23514":
        return None
    text = first_line(error)
    return text.partition("refused: ")[2] or None


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


def is_too_large(error: BaseException, text: str) -> bool:
    code = getattr(getattr(error, "orig", None) or error, "sqlstate", None)
    return isinstance(error, OverflowError) or code == "22003" or "out of range" in text and "integer" in text


LOW_SPACE = 4 * 1024 * 1024  # bytes: below this, SQLite's "disk I/O error" is the disk filling up


def is_low_on_space(text: str, target: DatabaseTarget) -> bool:
    """SQLite reports a full disk while it grows its WAL or shared-memory file as a plain "disk
    I/O error" (SQLITE_IOERR_SHMSIZE, _WRITE, ...), without the OS's ENOSPC: ask the disk."""
    if "disk i/o error" not in text or target.path is None:
        return False
    try:
        return shutil.disk_usage(target.path.parent).free < LOW_SPACE
    except OSError:
        return False


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
    found = re.findall(r"^[^:/]*://[^:/@]*:([^@]*)@", url) + re.findall(r"(?i)[?&]password=([^&]*)", url)
    for secret in found:
        for form in {secret, unquote(secret)}:
            if len(form) >= 4:  # a shorter one would blank out ordinary words
                message = message.replace(form, "***")
    return message
