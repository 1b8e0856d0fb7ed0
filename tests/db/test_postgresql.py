"""PostgreSQL-only behaviour: failures told as one sentence, and the same schema as on SQLite."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.errors import ConnectionLost, DatabaseProblem, TimedOut
from aesthetix_tui.domain.seed import open_database
from tests.pg_server import free_port


def url_on(pg_server, database: str, user: str = "postgres") -> str:
    if user == "postgres":
        return pg_server.url(database)
    return f"postgresql+psycopg://{user}:s3cret@127.0.0.1:{pg_server.port}/{database}"


def test_first_open_migrates_and_seeds_an_empty_database(pg_empty_url, clock, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    db = open_database(resolve_target(database_url=pg_empty_url), clock)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT name, timezone FROM account")).all() == [("My Business", "UTC")]
            assert conn.execute(text("SELECT action FROM audit_event")).scalars().all() == ["account.created"]
    finally:
        db.dispose()
    again = open_database(resolve_target(database_url=pg_empty_url), clock)  # no second seed
    try:
        with again.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM account")).scalar() == 1
    finally:
        again.dispose()


def test_an_unknown_user_is_one_sentence(pg_server, clock):
    target = resolve_target(database_url=url_on(pg_server, "postgres", user="nobody"))
    with pytest.raises(DatabaseProblem, match="refused the user name or password; check --database-url") as info:
        open_database(target, clock)
    assert "s3cret" not in info.value.message and "://***@" in info.value.message


def test_an_unknown_database_is_one_sentence(pg_server, clock):
    target = resolve_target(database_url=url_on(pg_server, "no_such_db"))
    with pytest.raises(DatabaseProblem, match="does not exist on the server; create it or fix --database-url"):
        open_database(target, clock)


def test_a_server_that_is_down_is_one_sentence(clock):
    target = resolve_target(database_url=f"postgresql+psycopg://app:s3cret@127.0.0.1:{free_port()}/crm")
    with pytest.raises(ConnectionLost, match="cannot be reached; check that it is running") as info:
        open_database(target, clock)
    assert "s3cret" not in info.value.message


@pytest.fixture
def pg_database(pg_url, clock):
    db = open_database(resolve_target(database_url=pg_url), clock)
    yield db
    db.dispose()


def test_a_lost_connection_is_one_sentence(pg_database, pg_server):
    from aesthetix_tui.db.errors import explain

    database = pg_database
    name = database.engine.url.database
    with database.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
        pg_server.admin(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        with pytest.raises(Exception) as info:
            conn.execute(text("SELECT 1"))
    problem = explain(info.value, database.target)
    assert isinstance(problem, ConnectionLost)
    assert "connection to the database server" in problem.message and "was lost" in problem.message
    with database.engine.connect() as conn:  # the pool hands out a working connection again
        assert conn.execute(text("SELECT 1")).scalar() == 1


def test_both_databases_are_at_the_same_revision_with_the_same_tables(database):
    from sqlalchemy import inspect
    from sqlmodel import SQLModel

    tables = set(inspect(database.engine).get_table_names())
    assert set(SQLModel.metadata.tables) | {"alembic_version"} == tables


def test_hosts_opening_an_empty_database_at_once_migrate_and_seed_it_once(pg_empty_url, clock, monkeypatch):
    import threading

    monkeypatch.setenv("TZ", "UTC")
    barrier = threading.Barrier(4)
    problems: list = []

    def open_one() -> None:
        barrier.wait(timeout=30)
        try:
            open_database(resolve_target(database_url=pg_empty_url), clock).dispose()
        except Exception as error:  # noqa: BLE001 - reported below
            problems.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert problems == []
    db = open_database(resolve_target(database_url=pg_empty_url), clock)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM account")).scalar() == 1
    finally:
        db.dispose()


@pytest.mark.parametrize("driver_text, kind, sentence", [
    ('connection failed: FATAL:  password authentication failed for user "app"', DatabaseProblem,
     "refused the user name or password; check --database-url."),
    ('connection failed: FATAL:  database "crm" does not exist', DatabaseProblem,
     "does not exist on the server; create it or fix --database-url."),
    ("connection failed: Connection refused\n\tIs the server running on that host?", ConnectionLost,
     "cannot be reached; check that it is running."),
    ("server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally",
     ConnectionLost, "was lost; try again once it is back."),
    ("terminating connection due to administrator command", ConnectionLost,
     "was lost; try again once it is back."),
])
def test_postgresql_failures_are_one_sentence(driver_text, kind, sentence):
    """The driver's texts, as psycopg words them, without needing a server."""
    from sqlalchemy import exc

    from aesthetix_tui.db.errors import explain

    target = resolve_target(database_url="postgresql+psycopg://app:s3cret@db.example/crm")
    error = exc.OperationalError("SELECT 1", {}, Exception(driver_text))
    problem = explain(error, target)
    assert type(problem) is kind
    assert problem.message.endswith(sentence) and "\n" not in problem.message
    assert "s3cret" not in problem.message and "://***@db.example" in problem.message


@pytest.mark.parametrize("driver_text", [
    "canceling statement due to statement timeout",
    "canceling statement due to lock timeout\nCONTEXT:  PL/pgSQL function aesthetix_lock_account(integer)",
])
def test_a_statement_cancelled_by_a_timeout_is_one_sentence(driver_text):
    from sqlalchemy import exc

    from aesthetix_tui.db.errors import TIMED_OUT, explain

    target = resolve_target(database_url="postgresql+psycopg://app:s3cret@db.example/crm")
    problem = explain(exc.OperationalError("SELECT 1", {}, Exception(driver_text)), target)
    assert (type(problem), problem.message) == (TimedOut, TIMED_OUT)


def test_a_rule_the_database_holds_is_one_sentence():
    """db/guards.py refuses with check_violation and "refused: REASON"."""
    from sqlalchemy import exc

    from aesthetix_tui.db.errors import explain

    class CheckViolation(Exception):
        sqlstate = "23514"

    target = resolve_target(database_url="postgresql+psycopg://app:s3cret@db.example/crm")
    error = exc.IntegrityError("UPDATE support_grant", {}, CheckViolation(
        "refused: Support Access grant 4 was revoked, and a revocation is final\nCONTEXT:  PL/pgSQL function"))
    assert explain(error, target).message == ("The database refused the change: Support Access grant 4 was revoked, "
                                              "and a revocation is final; nothing was changed.")
