"""Is an audit event someone saw earlier still there, unchanged? (No file I/O here.)

A rewritten chain can verify on its own; an event remembered outside the database (by a
client's witness file, or by an owner with `audit head`) cannot be forged back.

What a witness is kept under comes from the database, not from the client's spelling of it
(`identity`): on PostgreSQL the cluster's system identifier and the database's oid, on SQLite
the id stored when the file was created (migration 0008); and the account's uid, given at its
creation, so an account deleted and created again under the same name or id is told apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, select

from aesthetix_tui.db.models import Account, AuditEvent, DatabaseIdentity
from aesthetix_tui.domain.dates import format_instant
from aesthetix_tui.domain.errors import NotFound


@dataclass(frozen=True)
class WitnessCheck:
    ok: bool
    problem: str = ""  # one sentence when not ok
    head_seq: int = 0  # the account's head as read with the check: what to remember next
    head_hash: str = ""


@dataclass(frozen=True)
class Identity:
    database: str | None  # None: a database made before 0008 that has no id to read
    account: str | None  # the account's uid
    name: str


def identity(session: Session, account_id: int) -> Identity:
    """Which database and which account these are, as the database itself says."""
    row = session.exec(select(Account.uid, Account.name).where(Account.id == account_id)).first()
    if row is None:
        raise NotFound(f"Account {account_id} does not exist.")
    return Identity(database_id(session), row[0], row[1])


def database_id(session: Session) -> str | None:
    if session.get_bind().dialect.name == "postgresql":
        if session.execute(text("SELECT has_function_privilege('pg_catalog.pg_control_system()', 'EXECUTE')")
                           ).scalar():
            system, oid = session.execute(text(
                "SELECT (SELECT system_identifier FROM pg_catalog.pg_control_system()), "
                "(SELECT oid FROM pg_catalog.pg_database WHERE datname = current_database())")).one()
            return f"postgresql:{system}:{oid}"
        if not session.execute(text("SELECT coalesce(has_table_privilege(to_regclass('database_identity'), "
                                     "'SELECT'), false)")).scalar():
            return None
        stored = session.exec(select(DatabaseIdentity.id)).first()
    else:
        try:
            stored = session.exec(select(DatabaseIdentity.id)).first()
        except OperationalError:  # no such table: made before 0008 and opened read-only
            return None
    return f"stored:{stored}" if stored else None


def check(session: Session, account_id: int, seq: int | None, digest: str | None,
          seen_at: datetime | None = None, earlier: Sequence[tuple[str, datetime]] = ()) -> WitnessCheck:
    """Does the account still hold event #seq with this hash, and a head at or past it?

    seq None: nothing remembered, nothing to check (ok). seen_at, when known, dates the
    sentence ("since ..."), in the account's timezone. `earlier`: the uids (and when they were
    last seen) of accounts this client knew under this account's id or name; one that no longer
    exists means the account was deleted and created again.
    """
    row = session.exec(
        select(Account.audit_seq, Account.audit_head, Account.timezone).where(Account.id == account_id)
    ).first()
    if row is None:
        raise NotFound(f"Account {account_id} does not exist.")
    head_seq, head_hash, tz = row
    head = {"head_seq": head_seq, "head_hash": head_hash or ""}
    gone = deleted(session, earlier)
    if gone:
        return WitnessCheck(False, f"The account was deleted and created again since "
                                   f"{format_instant(max(gone), tz)}.", **head)
    if seq is None:
        return WitnessCheck(True, **head)
    stored = session.exec(
        select(AuditEvent.hash).where(AuditEvent.account_id == account_id, AuditEvent.seq == seq)
    ).first()
    since = f" since {format_instant(seen_at, tz)}" if seen_at is not None else ""
    opening = f"The audit history was rewritten or truncated{since}: event #{seq}"
    if stored is None or head_seq < seq:
        return WitnessCheck(False, f"{opening} is missing.", **head)
    if stored != digest:
        return WitnessCheck(False, f"{opening} was changed.", **head)
    return WitnessCheck(True, **head)


def deleted(session: Session, earlier: Sequence[tuple[str, datetime]]) -> list[datetime]:
    """When each of these accounts, no longer in the database, was last seen."""
    if not earlier:
        return []
    there = set(session.exec(select(Account.uid).where(Account.uid.in_([uid for uid, _ in earlier]))).all())
    return [seen_at for uid, seen_at in earlier if uid not in there]
