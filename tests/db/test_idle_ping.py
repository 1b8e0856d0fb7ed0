"""Issue 23: an open app's connection is pinged only after sitting idle (engine.ping_when_idle),
so its heartbeat is one statement; a connection the server dropped meanwhile is still replaced
before use, and the read works."""

from __future__ import annotations

from sqlalchemy import text

from aesthetix_tui.config import resolve_target
from aesthetix_tui.db import engine
from aesthetix_tui.domain.seed import open_database


def terminate_others(pg_server, name: str) -> None:
    pg_server.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")


def test_an_idle_connection_the_server_dropped_is_replaced_before_use(pg_url, pg_server, clock, monkeypatch):
    db = open_database(resolve_target(database_url=pg_url), clock)
    try:
        with db.session() as session:
            first = session.execute(text("SELECT pg_backend_pid()")).scalar()
        terminate_others(pg_server, db.engine.url.database)
        monkeypatch.setattr(engine, "PING_IDLE_SECONDS", 0.0)  # it has sat idle long enough
        with db.session() as session:
            assert session.execute(text("SELECT pg_backend_pid()")).scalar() != first
    finally:
        db.dispose()

