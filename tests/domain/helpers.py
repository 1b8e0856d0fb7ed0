"""Helpers for domain tests: read the database behind the ORM's back."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest


def raw_connection(database) -> sqlite3.Connection:
    """A plain sqlite3 connection to the database's file, outside SQLAlchemy."""
    path: Path = database.target.path
    assert path is not None, "these helpers read SQLite files"
    return sqlite3.connect(str(path))


def snapshot_rows(database) -> dict[str, list[tuple]]:
    """Every row of every table, in a stable order: compare before and after."""
    con = raw_connection(database)
    try:
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        con.close()


def all_text(database) -> str:
    """Every value of every row as one text: what a secret scanner would read."""
    return "\n".join(repr(row) for rows in snapshot_rows(database).values() for row in rows)


def execute(database, sql: str, params: tuple = ()) -> None:
    """Run one statement and commit it, as someone tampering with the file would."""
    con = raw_connection(database)
    try:
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def query(database, sql: str, params: tuple = ()) -> list[tuple]:
    con = raw_connection(database)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def stored_instant(text: str | None) -> datetime | None:
    """A timestamp as SQLite holds it (naive UTC text), made aware."""
    if text is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@contextmanager
def refused(database, error: type[BaseException], match: str) -> Iterator[pytest.ExceptionInfo]:
    """The block raises `error` with a message matching `match`, and no row changes."""
    before = snapshot_rows(database)
    with pytest.raises(error, match=match) as info:
        yield info
    assert snapshot_rows(database) == before, "a refused operation changed the database"
