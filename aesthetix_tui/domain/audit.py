"""The audit trail: an append-only, per-account hash chain."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text as sql
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.engine import end_transaction
from aesthetix_tui.db.models import Account, AuditEvent
from aesthetix_tui.domain.actor import Actor

GENESIS = "0" * 64


def event_hash(prev_hash: str, seq: int, at: datetime, actor: str, actor_kind: str,
               action: str, target: str, details: str, label: str | None = None) -> str:
    """The same digest as aesthetix_audit_write computes on PostgreSQL (db/security.py)."""
    stamp = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    parts = [prev_hash, str(seq), stamp, actor, actor_kind, action, target, details]
    if label is not None:  # events without a label keep the hash they always had
        parts.append(label)
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def append(session: Session, clock: Clock, account: Account, actor: Actor, action: str,
           target: str, details: dict | None = None) -> AuditEvent | None:
    """Add an event inside the caller's transaction; the account row must be locked.

    On PostgreSQL the database writes the trail itself (db/security.py): each row change the
    caller made writes its event, at the server's clock, by the login, with details it builds
    from the rows; nothing is appended from here (see by_database). Elsewhere the caller's
    actor and label are recorded, at the caller's clock.
    """
    if session.get_bind().dialect.name == "postgresql":
        by_database(session, account, action, details or {})
        return None
    # ensure_ascii=False: non-ASCII text counts once, not as 6-character escapes, so the
    # longest details (an edit of a 500-character description) fit the column.
    text = json.dumps(details or {}, sort_keys=True, separators=(",", ":"), default=str, ensure_ascii=False)
    seq = account.audit_seq + 1
    prev = account.audit_head or GENESIS
    at = clock.now()
    event = AuditEvent(
        account_id=account.id, seq=seq, at=at, actor=actor.name, actor_kind=actor.kind,
        actor_label=actor.label, action=action, target=target, details=text, prev_hash=prev,
        hash=event_hash(prev, seq, at, actor.name, actor.kind, action, target, text, actor.label),
    )
    account.audit_seq = seq
    account.audit_head = event.hash
    session.add(event)
    session.add(account)
    return event


VIEWED = "support_session.viewed"
# Why integrations are revoked, from a closed list the database accepts (integration.revoked).
REVOKE_REASONS = ("stale",)


def by_database(session: Session, account: Account, action: str, details: dict) -> None:
    """PostgreSQL: the rows changed so far reach the database now, whose triggers write their
    events in this order. An agent's view, which is no row change, is recorded by
    aesthetix_record_view from a closed list of screens."""
    if action == "integration.revoked" and details.get("reason") in REVOKE_REASONS:
        with session.no_autoflush:
            session.execute(sql("SELECT set_config('aesthetix.revoke_reason', :reason, true)"),
                            {"reason": details["reason"]})
    session.flush()
    if action == VIEWED:
        seq, digest = session.execute(sql("SELECT seq, hash FROM aesthetix_record_view(:session, :screen)"),
                                      {"session": details["session"], "screen": details["screen"]}).one()
        # The database moved the head itself; this copy follows without writing it again.
        set_committed_value(account, "audit_seq", seq)
        set_committed_value(account, "audit_head", digest)


def follow_head(session: Session, account: Account) -> None:
    """PostgreSQL, before a commit: this copy of the account takes the audit head the database's
    triggers moved, so it shows what was committed without writing it again."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.flush()
    seq, head = session.execute(select(Account.audit_seq, Account.audit_head)
                                .where(Account.id == account.id)).one()
    set_committed_value(account, "audit_seq", seq)
    set_committed_value(account, "audit_head", head)


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""
    # Events dated before the event before them (a host's clock behind): worth a look, not a break.
    warnings: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        if self.ok:
            return f"The audit trail is intact: {self.checked} events verified."
        return f"The audit trail is broken at event #{self.broken_seq}: {self.problem}."


def verify(session: Session, account: Account, batch: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first event that does not fit.

    The walk and the head are read in one snapshot, so events appended meanwhile are not
    mistaken for missing ones.
    """
    account_id = account.id
    begin_snapshot(session)
    try:
        return walk(session, account_id, batch)
    finally:
        session.commit()  # read only: ends the snapshot, keeps the loaded objects


def begin_snapshot(session: Session) -> None:
    """A new read transaction that sees one state of the database for all its reads.

    PostgreSQL: REPEATABLE READ, read only. SQLite: a transaction is one snapshot already.
    A transaction the session still holds is committed first (end_transaction).
    """
    end_transaction(session)
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ",
                                              "postgresql_readonly": True})
    else:
        session.connection()
    # SQLite's BEGIN is deferred: the snapshot starts at the first read, the walk's.


def walk(session: Session, account_id: int, batch: int) -> ChainReport:
    prev = GENESIS
    prev_at = None
    late: list[int] = []
    expected = 1
    last_seq = 0
    while True:
        rows = session.exec(
            select(AuditEvent)
            .where(AuditEvent.account_id == account_id, AuditEvent.seq > last_seq)
            .order_by(AuditEvent.seq)
            .limit(batch)
        ).all()
        for e in rows:
            if e.seq != expected:
                return ChainReport(False, expected - 1, expected, "an event is missing or out of order")
            if e.prev_hash != prev:
                return ChainReport(False, expected - 1, e.seq, "it does not follow the event before it")
            digest = event_hash(e.prev_hash, e.seq, e.at, e.actor, e.actor_kind, e.action, e.target, e.details,
                                e.actor_label)
            if digest != e.hash:
                return ChainReport(False, expected - 1, e.seq, "its contents were changed")
            if prev_at is not None and e.at < prev_at:
                late.append(e.seq)
            prev, prev_at = e.hash, e.at
            expected += 1
            last_seq = e.seq
        if len(rows) < batch:
            break
    # The head as stored now (same transaction as the walk), not a copy this session may hold.
    head_seq, head_hash = session.exec(
        select(Account.audit_seq, Account.audit_head).where(Account.id == account_id)
    ).one()
    if last_seq != head_seq or prev != (head_hash or GENESIS):
        return ChainReport(False, last_seq, last_seq + 1, "the newest events are missing")
    return ChainReport(True, last_seq, warnings=time_warnings(late))


MAX_WARNINGS = 10


def time_warnings(late: list[int]) -> tuple[str, ...]:
    """One sentence per event dated before the one before it, the first few of them."""
    shown = [f"Event #{seq} is dated before event #{seq - 1}: a clock on some host may be wrong."
             for seq in late[:MAX_WARNINGS]]
    if len(late) > MAX_WARNINGS:
        shown.append(f"{len(late) - MAX_WARNINGS} more events are dated before the event before them.")
    return tuple(shown)


def recent(session: Session, account: Account, limit: int = 50,
           before_seq: int | None = None) -> list[AuditEvent]:
    """Newest first, by keyset: never loads the whole trail."""
    query = select(AuditEvent).where(AuditEvent.account_id == account.id)
    if before_seq is not None:
        query = query.where(AuditEvent.seq < before_seq)
    return list(session.exec(query.order_by(AuditEvent.seq.desc()).limit(limit)).all())


def stream_recent(session: Session, account: Account, limit: int) -> Iterator[AuditEvent]:
    """recent(), newest first, as the rows are read (500 at a time)."""
    query = select(AuditEvent).where(AuditEvent.account_id == account.id).order_by(AuditEvent.seq.desc())
    yield from session.exec(query.limit(limit).execution_options(yield_per=500))


def for_target(session: Session, account: Account, target: str) -> list[AuditEvent]:
    query = (select(AuditEvent)
             .where(AuditEvent.account_id == account.id, AuditEvent.target == target)
             .order_by(AuditEvent.seq.desc()))
    return list(session.exec(query).all())


def actor_text(event) -> str:
    """"NAME (via LOGIN)" for an event recorded with a label, else the login."""
    label = getattr(event, "actor_label", None)
    return f"{label} (via {event.actor})" if label else event.actor


def details_of(stored: str | None):
    """An event's details as data. Text that is not JSON (written into the trail past the
    app) comes back as that text, a string every output escapes, so a listing or an export
    still shows the whole trail."""
    if not stored:
        return {}
    try:
        return json.loads(stored)
    except ValueError:
        return stored


def as_dict(event: AuditEvent) -> dict:
    shown = {"actor_label": event.actor_label} if event.actor_label else {}
    return shown | {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "actor": event.actor,
        "actor_kind": event.actor_kind,
        "action": event.action,
        "target": event.target,
        "details": details_of(event.details),
        "hash": event.hash,
    }
