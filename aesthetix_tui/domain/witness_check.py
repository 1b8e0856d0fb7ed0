"""Is an audit event someone saw earlier still there, unchanged? (No file I/O here.)

A rewritten chain can verify on its own; an event remembered outside the database (by a
client's witness file, or by an owner with `audit head`) cannot be forged back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from aesthetix_tui.db.models import Account, AuditEvent
from aesthetix_tui.domain.dates import format_instant
from aesthetix_tui.domain.errors import NotFound


@dataclass(frozen=True)
class WitnessCheck:
    ok: bool
    problem: str = ""  # one sentence when not ok
    head_seq: int = 0  # the account's head as read with the check: what to remember next
    head_hash: str = ""


def check(session: Session, account_id: int, seq: int | None, digest: str | None,
          seen_at: datetime | None = None) -> WitnessCheck:
    """Does the account still hold event #seq with this hash, and a head at or past it?

    seq None: nothing remembered, nothing to check (ok). seen_at, when known, dates the
    sentence ("since ..."), in the account's timezone.
    """
    row = session.exec(
        select(Account.audit_seq, Account.audit_head, Account.timezone).where(Account.id == account_id)
    ).first()
    if row is None:
        raise NotFound(f"Account {account_id} does not exist.")
    head_seq, head_hash, tz = row
    head = dict(head_seq=head_seq, head_hash=head_hash or "")
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
