"""The engine: connection settings, transactions, and opening a database."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from sqlalchemy import Engine, create_engine, event, exc
from sqlmodel import Session

from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.errors import DatabaseProblem

BUSY_TIMEOUT_MS = 5000
WRITE_OPTION = "aesthetix_write"
# PostgreSQL: milliseconds each statement of a read session may run (attach_read_timeout); the
# TUI's reads carry it (Database.session(read_timeout_ms)).
READ_TIMEOUT_OPTION = "aesthetix_read_timeout_ms"
TIMEOUT_SET = "aesthetix_statement_timeout"  # a pooled connection's info: the statement_timeout it has


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        url = read_only_uri(url)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        attach_sqlite_settings(engine)
        return engine
    engine = create_engine(url)
    ping_when_idle(engine)
    attach_read_timeout(engine)
    return engine


PING_IDLE_SECONDS = 10.0  # a pooled connection unused this long is checked before use


def ping_when_idle(engine: Engine) -> None:
    """SQLAlchemy's pool_pre_ping, but only for a connection that sat idle in the pool: an open
    app reading every second sends its one statement, not a ping before each. A connection the
    server dropped meanwhile is replaced (DisconnectionError makes the pool connect again)."""
    @event.listens_for(engine, "checkin")
    def on_checkin(_dbapi_connection, record) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def on_checkout(dbapi_connection, record, _proxy) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < PING_IDLE_SECONDS:
            return
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
            dbapi_connection.rollback()
        except Exception:  # noqa: BLE001 - whatever the ping met, the pool takes a fresh connection
            raise exc.DisconnectionError() from None


def attach_read_timeout(engine: Engine) -> None:
    """A read session (READ_TIMEOUT_OPTION, in autocommit) runs under that statement_timeout;
    any other under the login's own (RESET: none, or an agent's backstop, guards.AGENT_SETTINGS).
    The connection keeps its setting, sent only when it must change: an open app that only polls
    sends its one query a second, without BEGIN, SET or COMMIT."""

    @event.listens_for(engine, "connect")
    def on_connect(_dbapi_connection, record) -> None:
        record.info[TIMEOUT_SET] = None  # not known: the login's or the server's default

    @event.listens_for(engine, "begin")
    def on_begin(conn) -> None:
        limit = int(conn.get_execution_options().get(READ_TIMEOUT_OPTION) or 0)
        info = conn.connection.info
        if info.get(TIMEOUT_SET) != limit:
            conn.exec_driver_sql(f"SET statement_timeout = {limit}" if limit else "RESET statement_timeout")
            info[TIMEOUT_SET] = limit

    @event.listens_for(engine, "rollback")
    def on_rollback(conn) -> None:
        if conn.invalidated:
            return  # a lost connection: it is replaced, and a new one starts unknown
        if not conn.connection.dbapi_connection.autocommit:
            conn.connection.info.pop(TIMEOUT_SET, None)  # a SET inside the transaction was undone


def is_read_only(url: str) -> bool:
    """A SQLite URL asking for a read-only open: sqlite:////path/x.db?mode=ro."""
    return url.startswith("sqlite") and parse_qs(urlsplit(url).query).get("mode") == ["ro"]


def read_only_uri(url: str) -> str:
    """Honour ?mode=ro: pysqlite takes SQLite URI arguments only in a file: URI with uri=true."""
    if not is_read_only(url) or "uri=true" in url:
        return url

    path = url.partition(":///")[2].split("?", 1)[0]
    return f"sqlite:///file:{quote(path)}?mode=ro&uri=true"


def read_only_url(path: Path) -> str:
    """A SQLite URL that opens `path` read-only, needing no -wal/-shm beside it."""
    return f"sqlite:///file:{quote(str(path))}?mode=ro&immutable=1&uri=true"


def attach_sqlite_settings(engine: Engine) -> None:
    """WAL, foreign keys and a busy timeout on every connection; writers BEGIN IMMEDIATE."""

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
        except sqlite3.Error:
            pass  # a read-only file keeps its journal mode; reads still work
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(conn) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def prepare_sqlite_file(path: Path, create_folder: bool) -> None:
    """Create the file 0600 (and, for the default location, its folder 0700)."""
    folder = path.parent
    if create_folder:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not folder.is_dir():
        raise DatabaseProblem(f"The folder {folder} does not exist; create it or choose another --db path.")
    if not path.exists():
        try:
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        except OSError as error:
            raise DatabaseProblem(
                f"The database {path} cannot be created ({error.strerror.lower()}); choose another --db path."
            ) from None


class Database:
    """An open database: the engine plus sessions for reads and writes."""

    def __init__(self, engine: Engine, target: DatabaseTarget) -> None:
        self.engine = engine
        self.target = target

    def session(self, read_timeout_ms: int | None = None) -> Session:
        """A session. With READ_TIMEOUT_MS, for reads only: on PostgreSQL each statement may run
        that long, and in autocommit (READ COMMITTED gives each statement its own snapshot anyway)."""
        engine = self.engine
        if read_timeout_ms and engine.dialect.name == "postgresql":
            engine = engine.execution_options(isolation_level="AUTOCOMMIT",
                                              **{READ_TIMEOUT_OPTION: read_timeout_ms})
        return Session(engine, expire_on_commit=False)

    def dispose(self) -> None:
        self.engine.dispose()


class TransactionOpen(RuntimeError):
    """begin_write was called on a session that still holds a transaction: a programming error
    (the caller decides how that transaction ends; see end_transaction)."""


def end_transaction(session: Session) -> None:
    """Commit the transaction the session holds, if any (usually a read snapshot), so that what
    comes next sees the database as it is now. Whatever the session wrote in it is committed too."""
    if session.in_transaction():
        session.commit()


def begin_write(session: Session) -> None:
    """Start the session's transaction as a writer (BEGIN IMMEDIATE on SQLite).

    The session must hold no transaction: this never ends one quietly. A caller that read with
    the session first ends that transaction itself (end_transaction) before writing; otherwise
    TransactionOpen is raised and nothing happens."""
    if session.in_transaction():
        raise TransactionOpen("begin_write needs a session with no open transaction; "
                              "call end_transaction(session) first.")
    session.connection(execution_options={WRITE_OPTION: True})
