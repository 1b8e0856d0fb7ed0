"""Write an export file safely: never over the database, never a partial file."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TextIO

from sqlmodel import Session

from aesthetix_tui.domain.errors import Conflict, InvalidInput
from aesthetix_tui.domain.text import check_line

DATABASE_FILES = ("", "-wal", "-shm", "-journal")


def database_files(session: Session) -> list[str]:
    """The real paths of the SQLite database and its -wal, -shm and -journal files (none on a server)."""
    connection = session.connection()
    if connection.dialect.name != "sqlite":
        return []
    rows = connection.exec_driver_sql("PRAGMA database_list").all()
    return [os.path.realpath(row[2] + suffix) for row in rows if row[2] for suffix in DATABASE_FILES]


def write_file(path: Path, write: Callable[[TextIO], int], protected: list[str], force: bool = False) -> int:
    """Write through `write` into a temporary file beside `path`, then rename it over `path`.

    Refuses the protected files (the database) always, and an existing file unless `force`."""
    check_line(str(path), "export path", 4096)  # it is shown back in every message below
    path = Path(path)
    real = os.path.realpath(path)
    if is_protected(real, protected):
        raise InvalidInput(f"{path} is a file of the database itself; choose another path.")
    folder = os.path.dirname(real)
    if not os.path.isdir(folder):
        raise InvalidInput(f"The folder {path.parent} does not exist; create it or choose another path.")
    if os.path.isdir(real):
        raise InvalidInput(f"{path} is a folder; give a file name, e.g. {path / 'audit.csv'}.")
    kind = not_a_file(real)
    if kind:
        raise InvalidInput(f"{path} is {kind}, not a regular file, and only a regular file is ever replaced; "
                           "choose another path.")
    if os.path.lexists(path) and not force:
        raise Conflict(f"{path} already exists; choose another path, or add --force to replace it.")
    try:
        return write_and_rename(real, write)
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise InvalidInput(f"The disk is full, so {path} was not written; free some space and try again.") \
                from None
        reason = (error.strerror or str(error)).lower()
        raise InvalidInput(f"Cannot write {path} ({reason}); choose another path.") from None


KINDS = ((stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
         (stat.S_ISSOCK, "a socket"))


def not_a_file(real: str) -> str | None:
    """What stands at `real` (symbolic links followed) when it is neither a regular file nor absent."""
    try:
        mode = os.stat(real).st_mode
    except OSError:
        return None  # nothing there (or a dangling link): a new file is made
    return next((kind for test, kind in KINDS if test(mode)), None if stat.S_ISREG(mode) else "not a file")


def is_protected(real: str, protected: list[str]) -> bool:
    """The same path, or (for a hard link) the same file."""
    if real in protected:
        return True
    with suppress(OSError):
        stat = os.stat(real)
        return any(os.path.exists(p) and os.path.samestat(stat, os.stat(p)) for p in protected)
    return False


def write_and_rename(real: str, write: Callable[[TextIO], int]) -> int:
    fd, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".part",
                                     dir=os.path.dirname(real))
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as out:
            count = write(out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, real)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    return count
