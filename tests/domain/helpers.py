"""Helpers for domain tests: read the database behind the ORM's back."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import pytest


def raw_connection(database) -> sqlite3.Connection:
    """A plain sqlite3 connection to the database's file, outside SQLAlchemy."""
    path: Path = database.target.path
    assert path is not None, "these helpers read SQLite files"
    return sqlite3.connect(str(path))


class PgRaw:
    """The few sqlite3.Connection methods the helpers use, over a plain psycopg connection
    (outside SQLAlchemy). `?` placeholders become `%s`, and values come back as SQLite
    holds them (naive UTC text for instants, ISO text for dates, 0/1 for booleans), so the
    same assertions hold on both databases."""

    def __init__(self, database) -> None:
        import psycopg

        url = database.engine.url
        self.con = psycopg.connect(host=url.host, port=url.port, user=url.username,
                                   password=url.password, dbname=url.database)
        # An attacker with superuser powers: no triggers (audit_event's append-only one) for this session.
        self.con.execute("SET session_replication_role = replica")

    def execute(self, sql: str, params: tuple = ()):
        cursor = self.con.execute(sql.replace("%", "%%").replace("?", "%s"), params or None)
        return _PgRows(cursor)

    def commit(self) -> None:
        self.con.commit()

    def close(self) -> None:
        self.con.close()


class _PgRows:
    def __init__(self, cursor) -> None:
        self.cursor = cursor

    def fetchall(self) -> list[tuple]:
        return [tuple(as_sqlite_value(v) for v in row) for row in self.cursor.fetchall()]

    def fetchone(self):
        rows = self.fetchall()
        return rows[0] if rows else None

    def __iter__(self):
        return iter(self.fetchall())


def as_sqlite_value(value):
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def recorded(database, actor) -> tuple[str, str]:
    """(actor, actor_kind) as the audit records a change made by `actor`: SQLite records the
    in-process caller's actor; PostgreSQL the connection's login whatever the caller passes
    (the suite logs in as a superuser in no aesthetix group role: kind "system")."""
    if database.engine.dialect.name == "postgresql":
        return database.engine.url.username, "system"
    return actor.name, actor.kind


def connect(database):
    """A raw connection to either database, outside the ORM."""
    if database.engine.dialect.name == "sqlite":
        return raw_connection(database)
    return PgRaw(database)


TABLES_SQL = {
    "sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    "postgresql": "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' "
                  "AND table_type = 'BASE TABLE' ORDER BY table_name",
}


def snapshot_rows(database) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: compare before and after."""
    con = connect(database)
    try:
        tables = [r[0] for r in con.execute(TABLES_SQL[database.engine.dialect.name])]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def all_text(database) -> str:
    """Every value of every row as one text: what a secret scanner would read."""
    return "\n".join(repr(row) for rows in snapshot_rows(database).values() for row in rows)


def execute(database, sql: str, params: tuple = ()) -> None:
    """Run one statement and commit it, as someone tampering with the file would."""
    con = connect(database)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def query(database, sql: str, params: tuple = ()) -> list[tuple]:
    con = connect(database)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def stored_instant(text: str | None) -> datetime | None:
    """A timestamp as SQLite holds it (naive UTC text), made aware."""
    if text is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@contextmanager
def refused(database, error: type[BaseException], match: str) -> Iterator[pytest.ExceptionInfo]:
    """The block raises `error` with a message matching `match`, and no row changes."""
    before = snapshot_rows(database)
    with pytest.raises(error, match=match) as info:
        yield info
    assert snapshot_rows(database) == before, "a refused operation changed the database"


@contextmanager
def at_revision(path: Path, revision: str):
    """A new SQLite file migrated only up to `revision`: a connection in one transaction, to
    write rows as an older version did (the next open_database migrates them to head)."""
    from alembic import command

    from aesthetix_tui.db.engine import make_engine
    from aesthetix_tui.db.migrate import alembic_config

    engine = make_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            yield conn
    finally:
        engine.dispose()
