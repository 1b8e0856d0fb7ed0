"""Another program's database, or a newer Aesthetix's, is refused and left exactly as it was."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import create_engine, inspect, text

from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain import accounts
from aesthetix_tui.domain.errors import DatabaseProblem
from aesthetix_tui.domain.seed import open_database

FOREIGN_TABLES = ("notes", "tags", "people")


def make_foreign_file(path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        for table in FOREIGN_TABLES:
            conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, body TEXT)")
        conn.execute("INSERT INTO notes (body) VALUES ('keep me')")
    conn.close()


def journal_mode(path) -> str:
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA journal_mode").fetchone()[0]
    finally:
        conn.close()


def test_another_programs_sqlite_file_is_refused_and_left_alone(tmp_path, clock):
    path = tmp_path / "notes.db"
    make_foreign_file(path)
    before = (path.read_bytes(), path.stat().st_mtime_ns)

    with pytest.raises(DatabaseProblem) as refused:
        open_database(resolve_target(db=str(path)), clock)

    message = refused.value.message
    assert "is not an Aesthetix database" in message and "notes, people, tags" in message, message
    assert message.count(". ") == 0 and message.endswith(".")
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert journal_mode(path) == "delete"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]  # no -wal, no -shm


def test_a_file_from_a_newer_version_is_refused_naming_the_revision(tmp_path, clock):
    path = tmp_path / "newer.db"
    open_database(resolve_target(db=str(path)), clock).dispose()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("UPDATE alembic_version SET version_num = '0099_future'")
    conn.close()

    with pytest.raises(DatabaseProblem) as refused:
        open_database(resolve_target(db=str(path)), clock)
    assert "0099_future" in refused.value.message and "upgrade the app" in refused.value.message


@pytest.mark.parametrize("existing", [True, False])
def test_an_empty_file_or_a_new_path_is_still_set_up(tmp_path, clock, existing):
    path = tmp_path / "fresh.db"
    if existing:
        path.touch()
    db = open_database(resolve_target(db=str(path)), clock)
    try:
        with db.session() as session:
            assert [a.name for a in accounts.list_accounts(session)] == [accounts.DEFAULT_NAME]
    finally:
        db.dispose()
    assert journal_mode(path) == "wal"


# -- PostgreSQL: the same rule for a database on a shared server ------------------------------

def run_sql(url: str, *statements: str) -> None:
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def table_names(url: str) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return sorted(inspect(conn).get_table_names())
    finally:
        engine.dispose()


def test_a_postgresql_database_with_other_tables_is_refused_and_left_alone(pg_empty_url, clock):
    run_sql(pg_empty_url, "CREATE TABLE notes (id serial PRIMARY KEY, body text)",
            "CREATE TABLE tags (id serial PRIMARY KEY)")

    with pytest.raises(DatabaseProblem) as refused:
        open_database(resolve_target(database_url=pg_empty_url), clock)

    assert "is not an Aesthetix database: it has the tables notes, tags" in refused.value.message
    assert table_names(pg_empty_url) == ["notes", "tags"]


def test_a_postgresql_database_from_a_newer_version_is_refused(pg_empty_url, clock):
    open_database(resolve_target(database_url=pg_empty_url), clock).dispose()
    run_sql(pg_empty_url, "UPDATE alembic_version SET version_num = '0099_future'")

    with pytest.raises(DatabaseProblem) as refused:
        open_database(resolve_target(database_url=pg_empty_url), clock)
    assert "0099_future" in refused.value.message and "upgrade the app" in refused.value.message
