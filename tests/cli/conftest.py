"""CLI fixtures: `db` (a SQLite file or a PostgreSQL database as the first command leaves it), `run(*args)` and
`db_run(*args)` on it, and `cli_run(*args)`, which invokes aesthetix-tui in-process on a SQLite
file as the first command leaves a new one."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli
from tests.conftest import migrated_sqlite


@pytest.fixture
def db(tmp_path, monkeypatch, db_kind, clock, request):
    """A SQLite file path (--db), or on PostgreSQL a database's URL (--database-url), as the first
    command leaves a new one: migrated and seeded ('My Business' at START, in UTC), a copy of a
    template with its own ids. `@pytest.mark.empty_db`: a new file's path or an empty database,
    which the first command migrates and seeds (tests of that first run). File-level tests are
    marked sqlite_only."""
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("AESTHETIX_DB", raising=False)
    monkeypatch.delenv("AESTHETIX_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # never touch the real default
    empty = request.node.get_closest_marker("empty_db") is not None
    if db_kind == "postgresql":
        return request.getfixturevalue("pg_empty_url" if empty else "pg_seeded_url")
    path = tmp_path / "x.db"
    if not empty:
        migrated_sqlite(path, seed=True)
    return path


@pytest.fixture
def run(db, clock):
    """`run(*args)`: aesthetix-tui in-process on `db`, on the tests' clock."""
    runner = CliRunner()
    option = ["--database-url", db] if isinstance(db, str) else ["--db", str(db)]

    def run(*args: str, input: str | None = None, env: dict | None = None, db_option: bool = True):
        argv = (option if db_option else []) + list(args)
        return runner.invoke(cli, argv, input=input, env=env, catch_exceptions=False, obj=clock)

    return run


@pytest.fixture
def cli_run(tmp_path, monkeypatch, clock):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("AESTHETIX_DB", raising=False)
    monkeypatch.delenv("AESTHETIX_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    path = tmp_path / "x.db"
    migrated_sqlite(path, seed=True)  # as the first command leaves it (see `db`)

    def run(*args: str):
        return CliRunner().invoke(cli, ["--db", str(path), *args], obj=clock, catch_exceptions=False)

    return run


@pytest.fixture
def db_run(db, db_kind, clock):
    """`db_run(*args)`: aesthetix-tui in-process on `db` (a SQLite file or a PostgreSQL URL), on the
    tests' clock. `db_run.agent`: the words a support request needs to name its agent (SQLite only)."""
    option = ["--database-url", db] if db_kind == "postgresql" else ["--db", str(db)]

    def run(*args: str):
        return CliRunner().invoke(cli, [*option, *args], catch_exceptions=False, obj=clock)

    run.agent = [] if db_kind == "postgresql" else ["--agent", "sam"]
    return run
