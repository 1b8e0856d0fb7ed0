"""Issue 23: an open app's read is one statement. Reads run in autocommit under a statement
timeout the connection keeps (engine.attach_read_timeout), writes under none; a connection is
pinged only after sitting idle (engine.ping_when_idle), and one the server dropped meanwhile is
still replaced before use."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aesthetix_tui.config import resolve_target
from aesthetix_tui.db import engine
from aesthetix_tui.db.errors import TIMED_OUT, explain, explain_read
from aesthetix_tui.domain.errors import SLOW, SlowRead, TimedOut
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



def timeout_of(db, read_ms=None, rollback: bool = False) -> str:
    with db.session(read_ms) as session:
        value = session.execute(text("SHOW statement_timeout")).scalar()
        if rollback:
            session.rollback()
        else:
            session.commit()
    return value


def test_reads_run_under_their_timeout_and_writes_under_none(pg_url, clock):
    db = open_database(resolve_target(database_url=pg_url), clock)
    try:
        assert timeout_of(db, 300) == "300ms"
        assert timeout_of(db) == "0"
        assert timeout_of(db, 300) == "300ms"
        assert timeout_of(db, rollback=True) == "0"  # its SET is undone with the transaction...
        assert timeout_of(db, 300) == "300ms"  # ...and sent again
        assert timeout_of(db) == "0"
        with db.session(300) as session:
            session.execute(text("SELECT 1"))
            assert session.execute(text("SELECT now() = statement_timestamp()")).scalar()  # autocommit
    finally:
        db.dispose()


def test_a_read_past_its_timeout_is_the_slow_sentence(pg_url, clock):
    db = open_database(resolve_target(database_url=pg_url), clock)
    try:
        with pytest.raises(Exception) as info, db.session(100) as session:
            session.execute(text("SELECT pg_sleep(5)"))
        problem = explain_read(info.value, db.target)
        assert isinstance(problem, SlowRead) and problem.message == SLOW
        # the same cancellation in a write (no read timeout there) is the write's sentence
        assert (type(explain(info.value, db.target)), explain(info.value, db.target).message) == \
            (TimedOut, TIMED_OUT)
        with db.session() as session:  # the connection is fine, and a write has no timeout
            assert session.execute(text("SHOW statement_timeout")).scalar() == "0"
    finally:
        db.dispose()


def test_a_write_keeps_the_logins_own_timeout(pg_url, pg_server, clock):
    """An agent login's statement_timeout (db/guards.AGENT_SETTINGS) is its backstop: a write
    session goes back to it after a read set its own (RESET, not 0)."""
    db = open_database(resolve_target(database_url=pg_url), clock)
    try:
        pg_server.admin(f'ALTER DATABASE "{db.engine.url.database}" SET statement_timeout = \'7s\'')
        db.engine.dispose()  # new connections start with the database's setting
        assert timeout_of(db) == "7s"
        assert timeout_of(db, 300) == "300ms"
        assert timeout_of(db) == "7s"
    finally:
        db.dispose()
