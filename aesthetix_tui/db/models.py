"""The tables. Alembic migrations own the schema; these must match them."""

from __future__ import annotations

from datetime import date, datetime
from uuid import uuid4

from sqlalchemy import Column, Index, UniqueConstraint, func, text
from sqlmodel import Field, SQLModel

from aesthetix_tui.db.columns import UTCDateTime


def utc_column(nullable: bool = False) -> Column:
    return Column(UTCDateTime(), nullable=nullable)


def new_uid() -> str:
    """A random id, 32 hex digits: who a row is, whatever it is called later."""
    return uuid4().hex


def version_field(start: int = 1):
    """A row's version: bumped by every change, so a write based on a stale read is refused."""
    return Field(default=start, sa_column_kwargs={"server_default": str(start)})


class Account(SQLModel, table=True):
    __tablename__ = "account"
    # Names are unique without case (domain/accounts.check_new_name; migration 0008).
    __table_args__ = (Index("ux_account_name_lower", func.lower(text("name")), unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    timezone: str = Field(max_length=64)
    support_max_days: int = Field(default=30)
    created_at: datetime = Field(sa_column=utc_column())
    # Head of the audit hash chain: lets `audit verify` see a deleted last row,
    # and its row lock serializes appends per account.
    audit_seq: int = Field(default=0)
    audit_head: str = Field(default="", max_length=64)
    # The deprecated-feature settings, edited as one form: their version and last change.
    settings_version: int = version_field(0)
    settings_updated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    settings_updated_by: str | None = Field(default=None, max_length=100)
    # May support agents change settings here? Only the owner widens it (support_access.set_agent_policy).
    agent_policy: str = Field(default="read-only", max_length=16,
                              sa_column_kwargs={"server_default": "read-only"})
    # An integration is stale when its token was not used for this many days, or never used this
    # many days after its creation (domain/stale.py); the owner changes them (accounts set-stale).
    stale_unused_days: int = Field(default=90, sa_column_kwargs={"server_default": "90"})
    stale_new_days: int = Field(default=30, sa_column_kwargs={"server_default": "30"})
    # Which account this is, given at creation (raw SQL inserts get one from a trigger, 0008):
    # an account deleted and created again under the same name or id has another (witness.py).
    uid: str | None = Field(default_factory=new_uid, max_length=32, unique=True, index=True)


class DatabaseIdentity(SQLModel, table=True):
    """One row, written when the database is created: its own id, whatever path or address a
    client reaches it by (the witness's key on SQLite; witness_check.identity)."""

    __tablename__ = "database_identity"

    id: str = Field(primary_key=True, max_length=32)


class AccountOwner(SQLModel, table=True):
    """On PostgreSQL: the database login that owns an account (`roles add-owner`)."""

    __tablename__ = "account_owner"

    login: str = Field(primary_key=True, max_length=63)
    account_id: int = Field(foreign_key="account.id", primary_key=True, ondelete="CASCADE")


class SupportGrant(SQLModel, table=True):
    __tablename__ = "support_grant"
    __table_args__ = (Index("ix_support_grant_account_enabled", "account_id", "enabled_at"),
                      # The open grants (revoked_at IS NULL, ends_at ahead): an agent's visible set
                      # (db/security.aesthetix_support_accounts), read from this index alone.
                      Index("ix_support_grant_open", "revoked_at", "ends_at", "account_id"))

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE")
    until_date: date
    ends_at: datetime = Field(sa_column=utc_column())
    reason: str | None = Field(default=None, max_length=500)
    enabled_at: datetime = Field(sa_column=utc_column())
    enabled_by: str = Field(max_length=100)
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    revoked_by: str | None = Field(default=None, max_length=100)
    # A new grant continues the account's previous grant's version, so a version names
    # one state of the account's Support Access, whichever grant holds it.
    version: int = version_field()
    updated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_by: str | None = Field(default=None, max_length=100)


class Integration(SQLModel, table=True):
    __tablename__ = "integration"
    __table_args__ = (Index("ix_integration_account_name", "account_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE")
    name: str = Field(max_length=64)
    description: str = Field(default="", max_length=500)
    scopes: str = Field(max_length=4000)  # space-separated scope names
    token_hash: str = Field(max_length=64, unique=True)
    token_hint: str = Field(max_length=16)
    # A rotation's old token, valid until old_expires_at.
    old_token_hash: str | None = Field(default=None, max_length=64, unique=True)
    old_token_hint: str | None = Field(default=None, max_length=16)
    old_expires_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_column())
    created_by: str = Field(max_length=100)
    last_used_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # The current token ends at expires_at (None: never). expiry_days is the policy a rotation
    # keeps: the new token ends that many days after the rotation (None: never).
    expires_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    expiry_days: int | None = Field(default=None)
    revoked_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    revoked_by: str | None = Field(default=None, max_length=100)
    version: int = version_field()  # not bumped by last_used_at, which is no owner's edit
    updated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_by: str | None = Field(default=None, max_length=100)


class LegacyKey(SQLModel, table=True):
    __tablename__ = "legacy_key"

    account_id: int = Field(foreign_key="account.id", primary_key=True, ondelete="CASCADE")
    key_hash: str = Field(max_length=64, unique=True)
    hint: str = Field(max_length=16)
    created_at: datetime = Field(sa_column=utc_column())
    created_by: str = Field(max_length=100)
    disabled: bool = Field(default=False)
    version: int = version_field()
    updated_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    updated_by: str | None = Field(default=None, max_length=100)


class FeatureSetting(SQLModel, table=True):
    __tablename__ = "feature_setting"

    account_id: int = Field(foreign_key="account.id", primary_key=True, ondelete="CASCADE")
    feature_key: str = Field(primary_key=True, max_length=64)
    enabled: bool = Field(default=False)
    updated_at: datetime = Field(sa_column=utc_column())
    updated_by: str = Field(max_length=100)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (
        UniqueConstraint("account_id", "seq", name="uq_audit_event_account_seq"),
        # Date filters: the seq range of a time range, read from this index alone (migration 0005).
        Index("ix_audit_event_account_at_seq", "account_id", "at", "seq"),
        # The audit log screen's filters: keyset pages by action and by actor (migration 0002).
        Index("ix_audit_event_account_action_seq", "account_id", "action", "seq"),
        Index("ix_audit_event_account_actor_seq", "account_id", "actor", "seq"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE")
    seq: int
    at: datetime = Field(sa_column=utc_column())
    actor: str = Field(max_length=100)
    actor_kind: str = Field(max_length=16)
    # SQLite: the name given with --actor, recorded beside the login (the actor), never as it.
    actor_label: str | None = Field(default=None, max_length=100)
    action: str = Field(max_length=64)
    target: str = Field(max_length=200)
    details: str = Field(default="{}", max_length=4000)  # JSON, never a secret
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


class SupportSession(SQLModel, table=True):
    """A support agent's visit to an account, under one grant. Open while ended_at is None."""

    __tablename__ = "support_session"
    __table_args__ = (Index("ix_support_session_account_ended", "account_id", "ended_at"),
                      Index("ix_support_session_agent", "agent", "ended_at"))  # an agent's own

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE")
    grant_id: int = Field(foreign_key="support_grant.id", ondelete="CASCADE")
    agent: str = Field(max_length=100)
    started_at: datetime = Field(sa_column=utc_column())
    ended_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    end_reason: str | None = Field(default=None, max_length=16)  # closed, revoked or expired


class SupportRequest(SQLModel, table=True):
    """A support agent asks an account's owner for Support Access (domain/support_requests.py).

    state: pending, approved, declined, expired (no answer within 7 days) or replaced (the same
    agent asked again for the same account). At most one pending request per agent and account."""

    __tablename__ = "support_request"
    __table_args__ = (Index("ix_support_request_account_state", "account_id", "state"),
                      Index("ix_support_request_agent", "agent"))

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", ondelete="CASCADE")
    agent: str = Field(max_length=100)
    ticket: str = Field(max_length=64)
    reason: str = Field(max_length=500)
    days: int
    created_at: datetime = Field(sa_column=utc_column())
    state: str = Field(default="pending", max_length=16)
    answered_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    answered_by: str | None = Field(default=None, max_length=100)
    note: str | None = Field(default=None, max_length=500)  # the owner's, on a decline
    grant_id: int | None = Field(default=None, foreign_key="support_grant.id", ondelete="SET NULL")
    replaced_by: int | None = Field(default=None)  # the request that replaced this one
