"""Shared fixtures: a fixed clock, a fresh database, an account."""

from __future__ import annotations

import functools
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor
from tests import css_cache
from tests.pg_server import (  # noqa: F401  (fixtures)
    ClusterClock,
    pg_empty_url,
    pg_own_cluster,
    pg_seeded_url,
    pg_server,
    pg_url,
)

# Thursday 26 November 2026, 15:00 UTC: every test starts here.
START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> ManualClock:
    """START, moved only by the test; the test cluster's server runs on it too (tests/pg_server.py)."""
    return ClusterClock(START)


@pytest.fixture(autouse=True)
def witness_file(tmp_path_factory, monkeypatch):
    """Every test's own witness file (aesthetix_tui/witness.py), never the real data folder's;
    children started by the test inherit it."""
    path = tmp_path_factory.mktemp("witness") / "witness.json"
    monkeypatch.setenv("AESTHETIX_WITNESS", str(path))
    return path


@pytest.fixture(autouse=True)
def true_colour_terminal(monkeypatch):
    """The app picks its theme from the terminal (ui/terminal.py): every test starts on a
    true-colour one, whatever terminal runs the suite; a test asks for 16 colours itself."""
    monkeypatch.setenv("COLORTERM", "truecolor")
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TEXTUAL_COLOR_SYSTEM", raising=False)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "aesthetix.db"


def pytest_configure(config):
    css_cache.install()  # one parse of each stylesheet per test process
    config.addinivalue_line("markers", "sqlite_only(reason): runs on SQLite only (reads the file itself)")
    config.addinivalue_line("markers", "empty_db: tests/cli's `db` is empty, the first command migrates and seeds it")
    config.addinivalue_line("markers", "slow: a long test, started first (pytest_collection_modifyitems)")


def pytest_collection_modifyitems(items):
    """The long tests (marked slow) first, after pytest-randomly's shuffle: xdist hands them out
    at the start, so none of them runs alone at the end of the run."""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_generate_tests(metafunc):
    """Every test on `database` runs on SQLite and on PostgreSQL, except SQLite-file tests:
    those marked sqlite_only, and those that ask for `db_path` (they open the file themselves)."""
    if "db_kind" in metafunc.fixturenames:
        sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") or "db_path" in metafunc.fixturenames
        metafunc.parametrize("db_kind", ["sqlite"] if sqlite_only else ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db_kind(request) -> str:
    return getattr(request, "param", "sqlite")


@functools.cache
def sqlite_template(seed: bool = False) -> bytes:
    """A SQLite file at the newest migration, without the seeded account: migrated once per test
    process instead of once per test. `seed`: as the first command leaves a new file, seeded by
    the app's own open ('My Business' at START, in UTC)."""
    from aesthetix_tui.config import local_timezone_name
    from aesthetix_tui.domain.seed import open_database

    assert not seed or local_timezone_name() == "UTC", "the CLI tests' first command runs in UTC"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "template.db"
        open_database(resolve_target(db=str(path)), ManualClock(START), seed=seed).dispose()
        assert not path.with_name(path.name + "-wal").exists()  # closing the last connection checkpointed
        return path.read_bytes()


def migrated_sqlite(path, seed: bool = False) -> None:
    """A new SQLite file at `path` as the migrations make it, not seeded (open it with `seeded`;
    `seed`: as the first command leaves it): a copy of sqlite_template(), 0600 as the app makes a
    file, with its own ids (migration 0008's database id, the accounts' uid) as a new file has."""
    import sqlite3
    from uuid import uuid4

    descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(sqlite_template(seed))
    conn = sqlite3.connect(path)
    try:
        with conn:
            conn.execute("UPDATE database_identity SET id = ?", (uuid4().hex,))
            for (account_id,) in conn.execute("SELECT id FROM account").fetchall():
                conn.execute("UPDATE account SET uid = ? WHERE id = ?", (uuid4().hex, account_id))
    finally:
        conn.close()


def opened(path, clock):
    """The app's open of the SQLite file at `path`, for a helper that fills a test's file: a file
    not yet made, at START in UTC, is first a copy of what that first open makes (migrated and
    seeded, with its own ids), so no migration runs per test; anything else is opened as it is."""
    from aesthetix_tui.config import local_timezone_name
    from aesthetix_tui.domain.seed import open_database

    path = Path(path)
    if path.parent.is_dir() and not path.exists() and clock.now() == START and local_timezone_name() == "UTC":
        migrated_sqlite(path, seed=True)
    return open_database(resolve_target(db=str(path)), clock)


def seeded(target, clock):
    """Open a migrated database and seed it as a first open would ('My Business', in TZ's zone)."""
    from aesthetix_tui.config import local_timezone_name
    from aesthetix_tui.domain import accounts
    from aesthetix_tui.domain.actor import SYSTEM
    from aesthetix_tui.domain.seed import open_database

    db = open_database(target, clock)
    with db.session() as s:
        accounts.ensure_first(s, clock, local_timezone_name(), SYSTEM)
    return db


@pytest.fixture
def database(db_kind, clock, monkeypatch, request):
    monkeypatch.setenv("TZ", "UTC")
    # A copy of a migrated template (SQLite's file, PostgreSQL's database), seeded per test.
    if db_kind == "sqlite":
        path = request.getfixturevalue("db_path")
        migrated_sqlite(path)
        target = resolve_target(db=str(path))
    else:
        target = resolve_target(database_url=request.getfixturevalue("pg_url"))
    db = seeded(target, clock)
    yield db
    db.dispose()


@pytest.fixture
def session(database):
    with database.session() as s:
        yield s


@pytest.fixture
def account(session):
    from aesthetix_tui.domain import accounts

    return accounts.resolve(session, None)


@pytest.fixture
def owner() -> Actor:
    return Actor("alice", "owner")
