"""Open a database: prepare the file and migrate. The domain seeds the first account
(domain/seed.py passes it in as `after`): storage imports no domain."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.db.engine import (
    BUSY_TIMEOUT_MS,
    Database,
    is_read_only,
    make_engine,
    prepare_sqlite_file,
    read_only_url,
)
from aesthetix_tui.db.errors import explain
from aesthetix_tui.db.migrate import refuse_unless_ours, upgrade
from aesthetix_tui.db.quick import revisions
from aesthetix_tui.errors import DomainError


def open_database(target: DatabaseTarget, *, after: Callable | None = None) -> Database:
    """Ready to use, or a DatabaseProblem with one clear sentence. `after(conn)` runs in the
    migration's own transaction when the schema is created or changed (see migrate.upgrade)."""
    engine = None
    try:
        if target.path is not None and not is_read_only(target.url):  # ?mode=ro creates nothing
            prepare_sqlite_file(target.path, create_folder=target.is_default)
        if target.path is not None:
            check_sqlite_file(target)  # before the engine, which switches the file to WAL
        engine = make_engine(target.url)
        try:
            upgrade(engine, label_of(target), after)
        except Exception as error:
            if not needs_read_only(error, target):
                raise
            # A WAL file in a read-only folder cannot get its -shm beside it: open it read-only
            # (immutable: no one can write there either), so reading works and writes are refused.
            engine.dispose()
            engine = make_engine(read_only_url(target.path))
            upgrade(engine, label_of(target), after)
        return Database(engine, target)
    except DomainError:
        if engine is not None:
            engine.dispose()
        raise
    except Exception as error:  # noqa: BLE001 - every failure to open becomes one sentence
        if engine is not None:
            engine.dispose()
        raise explain(error, target) from None


def label_of(target: DatabaseTarget) -> str:
    return f"The database {target.label}"


def check_sqlite_file(target: DatabaseTarget) -> None:
    """Refuse another program's file, or a newer Aesthetix's, reading it without a write.

    A plain read-only sqlite3 connection: no WAL switch, no -wal/-shm for a file in the
    default journal mode. Anything this cannot read is left to the full open to explain.
    """
    path = target.path
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error:
        return
    try:
        tables = [row[0] for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' ORDER BY name")]
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall() \
            if "alembic_version" in tables else []
    except sqlite3.Error:
        return
    finally:
        conn.close()
    known = revisions()[0] if rows else set()  # the migration files are read only when needed
    refuse_unless_ours(label_of(target), rows[0][0] if rows else None, tables, known)


def needs_read_only(error: BaseException, target: DatabaseTarget) -> bool:
    """The file exists but SQLite cannot open it read-write (e.g. its folder is read-only)."""
    text = str(getattr(error, "orig", None) or error).lower()
    return target.path is not None and target.path.is_file() and "unable to open database" in text
