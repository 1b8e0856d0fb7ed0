"""Private Integrations, read for the TUI: light rows in one query, detail with history.

One SELECT of plain columns (no ORM objects) keeps 10,000 integrations quick.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from aesthetix_tui.db.models import Integration
from aesthetix_tui.domain import accounts, audit
from aesthetix_tui.domain.errors import NotFound
from aesthetix_tui.domain.integration_state import IntegrationState, rotation_pending, state_at
from aesthetix_tui.domain.profile import AccountInfo, info
from aesthetix_tui.domain.stale import StaleRule


@dataclass(frozen=True, slots=True)
class Row:
    id: int
    name: str
    description: str
    scopes: tuple[str, ...]
    hint: str
    created_at: datetime
    created_by: str
    last_used_at: datetime | None
    revoked_at: datetime | None
    revoked_by: str | None
    old_hint: str | None
    old_expires_at: datetime | None
    version: int = 1  # pass it back as expected_version: a stale edit is refused
    expires_at: datetime | None = None  # the current token ends then (None: never)
    expiry_days: int | None = None  # the policy a rotation keeps

    def state(self, now: datetime) -> IntegrationState:
        """The same rule as integrations.state_of (integration_state), without an ORM object."""
        return state_at(self.revoked_at, self.old_hint, self.old_expires_at, now, self.expires_at)

    def rotation_pending(self, now: datetime) -> bool:
        return rotation_pending(self.old_hint, self.old_expires_at, now)


@dataclass(frozen=True)
class Listing:
    account: AccountInfo
    rows: list[Row]
    marker: int  # the account's audit_seq: changes with every change
    stale: StaleRule = StaleRule()  # the account's settings: which rows are stale (rule.is_stale)


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    details: dict
    actor_label: str | None = None  # shown as "NAME (via LOGIN)" (audit.actor_text)


@dataclass(frozen=True)
class Detail:
    row: Row
    history: list[HistoryEntry]  # newest first
    marker: int


COLUMNS = (
    Integration.id, Integration.name, Integration.description, Integration.scopes, Integration.token_hint,
    Integration.created_at, Integration.created_by, Integration.last_used_at, Integration.revoked_at,
    Integration.revoked_by, Integration.old_token_hint, Integration.old_expires_at, Integration.version,
    Integration.expires_at, Integration.expiry_days,
)


def to_row(values) -> Row:
    (id_, name, description, scopes, hint, created_at, created_by, last_used_at, revoked_at,
     revoked_by, old_hint, old_expires_at, version, expires_at, expiry_days) = values
    return Row(id_, name, description or "", tuple(scopes.split()), hint, created_at, created_by,
               last_used_at, revoked_at, revoked_by, old_hint, old_expires_at, version, expires_at, expiry_days)


def read(session: Session, account_id: int) -> Listing:
    """Every integration of the account, revoked ones too (the screen hides them)."""
    account = accounts.get(session, account_id)
    result = session.execute(
        select(*COLUMNS).where(Integration.account_id == account.id).order_by(Integration.name, Integration.id)
    )
    return Listing(info(account), [to_row(values) for values in result], account.audit_seq, StaleRule.of(account))


def detail(session: Session, account_id: int, integration_id: int) -> Detail:
    """One integration and its history from the audit trail, newest first."""
    account = accounts.get(session, account_id)
    values = session.execute(
        select(*COLUMNS).where(Integration.account_id == account.id, Integration.id == integration_id)
    ).first()
    if values is None:
        raise NotFound("That integration no longer exists.")
    events = audit.for_target(session, account, f"integration:{integration_id}")
    history = [HistoryEntry(e.seq, e.at, e.actor, e.action, keyed_details(e.details), e.actor_label)
               for e in events]
    return Detail(to_row(values), history, account.audit_seq)


def keyed_details(stored: str | None) -> dict:
    """An event's details as keys and values; anything else (not JSON, or not an object) as none."""
    details = audit.details_of(stored)
    return details if isinstance(details, dict) else {}
