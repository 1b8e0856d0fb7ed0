"""Database fixtures: `shared`, the roles tests' shared PostgreSQL database (tests/db/roles_helpers.py)."""

from __future__ import annotations

import pytest

from tests.db.roles_helpers import make_shared


@pytest.fixture
def shared(pg_server, monkeypatch):
    """A fresh shared database (make_shared), dropped afterwards."""
    monkeypatch.setenv("TZ", "UTC")
    made = make_shared(pg_server)
    yield made
    pg_server.give_back(made.name)
