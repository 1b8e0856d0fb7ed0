"""Apply the Alembic migrations, which own the schema."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect

from aesthetix_tui.db import security
from aesthetix_tui.db.engine import BUSY_TIMEOUT_MS, WRITE_OPTION
from aesthetix_tui.db.quick import head_revision, revisions
from aesthetix_tui.errors import DatabaseProblem

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
MIGRATION_LOCK = 0x4A657374  # a fixed pg_advisory_xact_lock key: one migrator at a time
MIGRATION_WAIT_MS = 120_000  # SQLite: how long a first open waits for another's migration


def alembic_config(engine: Engine | None = None) -> Config:
    # Alembic only to migrate: opening a database at the newest schema loads none (upgrade)
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def upgrade(engine: Engine, label: str = "The database",
            after: Callable[[Connection], None] | None = None) -> bool:
    """Bring the schema to the newest revision. Returns True when it changed anything.

    `after` runs in the same transaction, under the same lock, once the schema changed (the
    first account's seed): another process sees the schema and the seed together or neither.
    """
    if at_head(engine):
        return False  # the usual case: no Alembic import (~90 ms and ~11 MB) at all
    # Alembic only to migrate (see alembic_config)
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    script = ScriptDirectory.from_config(config)
    head = script.get_current_head()
    with migration_lock(engine) as conn:
        # Another process may have migrated while we waited for the lock.
        current = MigrationContext.configure(conn).get_current_revision()
        if current == head:
            return False
        refuse_unless_ours(label, current, user_tables(conn), known_revisions())
        config.attributes["connection"] = conn
        command.upgrade(config, "head")
        refresh_security(conn)
        if after is not None:
            after(conn)
    return True


def refresh_security(conn: Connection) -> None:
    """PostgreSQL with `roles setup` done: a new table or column gets its grants and policies."""
    if conn.dialect.name != "postgresql":
        return

    if security.roles_exist(conn):
        security.apply(conn)


@contextmanager
def migration_lock(engine: Engine) -> Iterator[Connection]:
    """A transaction that only one migrator at a time holds; the others wait for it."""
    with engine.connect() as conn:
        if conn.dialect.name != "sqlite":
            with conn.begin():
                # Hosts sharing one server may open it at once: one migrates, the others wait
                # (DDL is transactional there) and then find nothing left to do.
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                yield conn
            return
        # SQLite: BEGIN IMMEDIATE takes the write lock first, waiting up to MIGRATION_WAIT_MS.
        raw = conn.connection.dbapi_connection
        raw.execute(f"PRAGMA busy_timeout={MIGRATION_WAIT_MS}")
        try:
            with conn.execution_options(**{WRITE_OPTION: True}).begin():
                yield conn
        finally:
            raw.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")


def user_tables(conn: Connection) -> list[str]:
    return sorted(inspect(conn).get_table_names())


def known_revisions() -> set[str]:
    return revisions()[0]


def refuse_unless_ours(label: str, revision: str | None, tables: list[str], known: set[str]) -> None:
    """A DatabaseProblem for another program's database, or one made by a newer Aesthetix."""
    if revision is None:
        others = [t for t in tables if t != "alembic_version"]
        if others:
            shown = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
            raise DatabaseProblem(f"{label} is not an Aesthetix database: it has the tables {shown}, "
                                  "so it was left untouched.")
    elif revision not in known:
        raise DatabaseProblem(f"{label} was made by a newer version of Aesthetix (schema revision "
                              f"{revision}); upgrade the app to open it.")


def at_head(engine: Engine) -> bool:
    """True when the database's alembic_version is the newest migration (read from the files,
    see quick.head_revision). Any doubt is False: Alembic then decides, as before."""
    head = head_revision()
    if head is None:
        return False
    try:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
    except Exception:  # noqa: BLE001 - any doubt is False: Alembic then decides
        return False
    return [tuple(row) for row in rows] == [(head,)]
