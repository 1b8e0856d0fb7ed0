"""Shared fixtures: a fixed clock, a fresh database, an account."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor

# Thursday 26 November 2026, 15:00 UTC: every test starts here.
START = datetime(2026, 11, 26, 15, 0, tzinfo=timezone.utc)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "aesthetix.db"


@pytest.fixture
def database(db_path, clock, monkeypatch):
    from aesthetix_tui.db.open import open_database

    monkeypatch.setenv("TZ", "UTC")
    db = open_database(resolve_target(db=str(db_path)), clock)
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
