"""Shared fixtures: a fixed clock, a fresh database, an account."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor
from tests.pg_server import ClusterClock, pg_empty_url, pg_own_cluster, pg_server, pg_url  # noqa: F401  (fixtures)

# Thursday 26 November 2026, 15:00 UTC: every test starts here.
START = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)


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
    config.addinivalue_line("markers", "sqlite_only(reason): runs on SQLite only (reads the file itself)")


def pytest_generate_tests(metafunc):
    """Every test on `database` runs on SQLite and on PostgreSQL, except SQLite-file tests:
    those marked sqlite_only, and those that ask for `db_path` (they open the file themselves)."""
    if "db_kind" in metafunc.fixturenames:
        sqlite_only = metafunc.definition.get_closest_marker("sqlite_only") or "db_path" in metafunc.fixturenames
        metafunc.parametrize("db_kind", ["sqlite"] if sqlite_only else ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db_kind(request) -> str:
    return getattr(request, "param", "sqlite")


@pytest.fixture
def database(db_kind, clock, monkeypatch, request):
    from aesthetix_tui.domain.seed import open_database

    monkeypatch.setenv("TZ", "UTC")
    if db_kind == "sqlite":
        db = open_database(resolve_target(db=str(request.getfixturevalue("db_path"))), clock)
    else:
        from aesthetix_tui.config import local_timezone_name
        from aesthetix_tui.domain import accounts
        from aesthetix_tui.domain.actor import SYSTEM

        # A copy of the migrated template: seed it as a first open would.
        db = open_database(resolve_target(database_url=request.getfixturevalue("pg_url")), clock)
        with db.session() as s:
            accounts.ensure_first(s, clock, local_timezone_name(), SYSTEM)
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
