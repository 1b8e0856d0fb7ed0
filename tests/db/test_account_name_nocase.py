"""Migration 0009: account names unique without case. Accounts that already differ only by
case keep the oldest one's name; later ones are renamed "NAME (id N)"."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aesthetix_tui.config import resolve_target
from aesthetix_tui.db.engine import make_engine
from aesthetix_tui.db.migrate import alembic_config
from aesthetix_tui.domain.seed import open_database

ACCOUNT = ("INSERT INTO account (id, name, timezone, support_max_days, created_at, audit_seq, audit_head) "
           "VALUES (:id, :name, 'UTC', 30, '2026-11-01 10:00:00', 0, '')")


@pytest.fixture(params=["sqlite", "postgresql"])
def old_url(request, tmp_path):
    """An empty database's URL (a SQLite file or a PostgreSQL database), to migrate by hand."""
    if request.param == "postgresql":
        return request.getfixturevalue("pg_empty_url")
    return f"sqlite:///{tmp_path / 'old.db'}"


def test_names_differing_only_by_case_are_renamed_then_indexed(old_url, clock, monkeypatch):
    from alembic import command

    monkeypatch.setenv("TZ", "UTC")
    engine = make_engine(old_url)
    long = "B" * 100
    with engine.begin() as conn:
        config = alembic_config()
        config.attributes["connection"] = conn
        command.upgrade(config, "0007")
        for id_, name in [(1, "Acme"), (2, "ACME"), (3, "acme"), (4, "Acme (id 5)"), (5, "aCme"),
                          (6, long), (7, long.lower())]:
            conn.execute(text(ACCOUNT), {"id": id_, "name": name})
    engine.dispose()
    database = open_database(resolve_target(database_url=old_url), clock)  # migrates to head
    try:
        with database.engine.connect() as conn:
            names = dict(conn.execute(text("SELECT id, name FROM account")).all())
    finally:
        database.dispose()
    assert names == {1: "Acme", 2: "ACME (id 2)", 3: "acme (id 3)", 4: "Acme (id 5)", 5: "aCme (id 5.1)",
                     6: long, 7: "b" * 93 + " (id 7)"}
