"""The stale defaults have one home, domain/stale.py: the model's and the migrated schema's agree."""

from __future__ import annotations

from sqlalchemy import inspect

from aesthetix_tui.db.models import Account
from aesthetix_tui.domain.stale import DEFAULT_NEW_DAYS, DEFAULT_UNUSED_DAYS

STALE = {"stale_unused_days": DEFAULT_UNUSED_DAYS, "stale_new_days": DEFAULT_NEW_DAYS}


def test_the_model_defaults_are_the_domain_s():
    columns = Account.__table__.columns
    for name, days in STALE.items():
        assert columns[name].default.arg == days
        assert columns[name].server_default.arg == str(days)


def test_the_migrated_server_defaults_are_the_domain_s(database):
    """Migration 0007 gave the columns their server defaults (on SQLite and PostgreSQL)."""
    found = {c["name"]: c["default"] for c in inspect(database.engine).get_columns("account")}
    assert {name: found[name].strip("'") for name in STALE} == {name: str(days) for name, days in STALE.items()}
