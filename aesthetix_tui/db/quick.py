"""Fast reads for one-shot commands, with the stdlib sqlite3 module only.

`aesthetix-tui support check` runs many times a day from scripts; loading SQLAlchemy, SQLModel
and Alembic costs ~10x a bare interpreter start. When the target is a SQLite file whose schema
is already at the newest migration, the answer is read here with two small queries, and the
rule is the domain's own (support_status.support_check, passed in by the caller: storage
imports no domain). Anything else (another backend, a
missing file, an older schema, any error) returns None and the caller uses the full stack,
which migrates, explains faults, and answers the same.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.db import account_ref
from aesthetix_tui.errors import DomainError

T = TypeVar("T")

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"['\"]([^'\"]+)['\"]")
BUSY_TIMEOUT_S = 5.0


def head_revision(versions: Path = VERSIONS) -> str | None:
    """The newest migration's id, read from the migration files without importing Alembic.
    None unless there is exactly one head (tests compare it with Alembic's own answer)."""
    found, parents = revisions(versions)
    heads = found - parents
    return heads.pop() if len(heads) == 1 and None not in found else None


def revisions(versions: Path = VERSIONS) -> tuple[set, set]:
    """Every migration's id, and the ids they revise (None in the first set: a file unread)."""
    found, parents = set(), set()
    for path in versions.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision = _REVISION.search(text)
        down = _DOWN.search(text)
        if not revision or not down:
            found.add(None)
            continue
        found.add(revision.group(1))
        parents.update(_QUOTED.findall(down.group(1)))
    return found, parents


class _Grant:
    """The latest support_grant row, with the attributes status_of reads."""

    __slots__ = (
        "enabled_at",
        "enabled_by",
        "ends_at",
        "id",
        "reason",
        "revoked_at",
        "revoked_by",
        "until_date",
    )

    def __init__(self, row: tuple) -> None:
        (self.id, until, ends, self.reason, enabled, self.enabled_by, revoked, self.revoked_by) = row
        self.until_date = date.fromisoformat(until)
        self.ends_at, self.enabled_at, self.revoked_at = utc_instant(ends), utc_instant(enabled), utc_instant(revoked)


def utc_instant(text: str | None) -> datetime | None:
    """As SQLAlchemy stores a UTC datetime in SQLite (naive text), back to aware UTC (as UTCDateTime
    reads it; domain/token_check.py reads the same way)."""
    if text is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def _connect(target: DatabaseTarget, timeout: float = BUSY_TIMEOUT_S) -> sqlite3.Connection | None:
    path = target.path
    if path is None or not target.url.startswith("sqlite:///") or "?" in target.url:
        return None
    if not path.is_file() or path.stat().st_size == 0:
        return None  # the full stack creates and migrates it
    conn = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=timeout,
                           isolation_level=None)
    return conn


def _at_head(conn: sqlite3.Connection) -> bool:
    """Start a read snapshot; True when the schema is the newest migration's."""
    head = head_revision()
    conn.execute("BEGIN")  # one snapshot for all reads
    return head is not None and conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(head,)]


class _OpenSession:
    __slots__ = ("agent", "grant_id", "id", "started_at")

    def __init__(self, row: tuple) -> None:
        self.id, self.agent, started, self.grant_id = row
        self.started_at = utc_instant(started)


def _latest_grant(conn: sqlite3.Connection, account_id: int) -> _Grant | None:
    row = conn.execute(
        "SELECT id, until_date, ends_at, reason, enabled_at, enabled_by, revoked_at, revoked_by "
        "FROM support_grant WHERE account_id = ? ORDER BY id DESC LIMIT 1",  # support_grant.LATEST_FIRST
        (account_id,)).fetchone()
    return _Grant(row) if row is not None else None


def _read(target: DatabaseTarget, timeout: float, reader: Callable[[sqlite3.Connection], T]) -> T | None:
    """reader(conn) in one read snapshot of a SQLite file at the newest schema; None when that
    cannot be answered here (not a plain SQLite file, no file yet, an older schema, any error)."""
    try:
        conn = _connect(target, timeout)
    except (sqlite3.Error, OSError):
        return None
    if conn is None:
        return None
    try:
        return reader(conn) if _at_head(conn) else None
    except (sqlite3.Error, ValueError, TypeError):
        return None
    finally:
        conn.close()


def _account(conn: sqlite3.Connection, ref: account_ref.AccountRef) -> tuple | None:
    """(id, name, timezone) of the account `ref` names, by the one rule (db/account_ref.py)."""
    select = "SELECT id, name, timezone FROM account WHERE "
    return account_ref.find(ref, lambda name: conn.execute(select + "name = ?", (name,)).fetchone(),
                            lambda id_: conn.execute(select + "id = ?", (id_,)).fetchone())


def _not_found(conn: sqlite3.Connection, ref: account_ref.AccountRef):
    """The sentence for an account `ref` does not name (db/account_ref.py), read in this snapshot."""
    return account_ref.not_found(
        ref, lambda limit: [name for (name,) in conn.execute("SELECT name FROM account ORDER BY name LIMIT ?",
                                                              (limit,))],
        lambda: conn.execute("SELECT count(*) FROM account").fetchone()[0])


def account_check(target: DatabaseTarget, account: str):
    """For the TUI's start with --account: True when the account named exists, its NotFound when
    it does not, None when not answerable here (a blank name, not a SQLite file at the newest
    schema, any error: the full stack answers). Never waits on a lock."""
    ref = account_ref.parse(account)
    if ref is None:
        return None
    return _read(target, 0, lambda conn: True if _account(conn, ref) is not None else _not_found(conn, ref))


def support_preview(target: DatabaseTarget, account: str | None = None):
    """For the TUI's first frame: (timezone, latest grant, open support session) of the first
    account (or the one named, as domain/profile.choose_account finds it), read in a few
    milliseconds without the database stack; None when not answerable here (the full load
    shows it a moment later either way). Never waits on a lock."""
    ref = account_ref.parse(account)
    if account and ref is None:
        return None  # blank: the full load explains it

    def read(conn: sqlite3.Connection):
        if ref is not None:
            found = _account(conn, ref)
        else:
            found = conn.execute("SELECT id, name, timezone FROM account ORDER BY id LIMIT 1").fetchone()
        if found is None:
            return None
        row = conn.execute(
            "SELECT id, agent, started_at, grant_id FROM support_session WHERE account_id = ? "
            "AND ended_at IS NULL ORDER BY started_at DESC, id DESC LIMIT 1", (found[0],)).fetchone()
        return found[2], _latest_grant(conn, found[0]), (_OpenSession(row) if row is not None else None)

    return _read(target, 0, read)


def support_check(target: DatabaseTarget, now: datetime, account: str, rule):
    """rule(id, name, timezone, latest grant, now): the domain's AccessibleAccount (or its
    NoAccess), or NotFound, or None: not answerable here. The account is found by the one rule
    (db/account_ref.py), as domain/accounts.resolve finds it."""
    ref = account_ref.parse(account)
    if ref is None:
        return None

    def read(conn: sqlite3.Connection):
        found = _account(conn, ref)
        return (found, _latest_grant(conn, found[0])) if found is not None else _not_found(conn, ref)

    answer = _read(target, BUSY_TIMEOUT_S, read)
    if answer is None or isinstance(answer, DomainError):
        return answer
    (account_id, name, timezone_name), grant = answer
    try:
        return rule(account_id, name, timezone_name, grant, now)
    except DomainError as refused:
        return refused
