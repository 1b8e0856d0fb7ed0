"""Every account at a glance: what an agency owner checks across its client accounts.

One row per account the connection may see. On SQLite that is every account in the file; on
PostgreSQL the row-level security of db/security.py already limits every table to what the
login may read (an owner's own accounts, an agent's open ones), so nothing here filters by a
name the client claims.

The read is one statement whatever the number of accounts: the accounts with their latest
grant, open session, integration counts, legacy key and deprecated features turned on, each
table read once. The time comes from the injected clock only.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import and_, case, func
from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.engine import end_transaction
from aesthetix_tui.db.models import Account, FeatureSetting, Integration, LegacyKey, SupportGrant, SupportSession
from aesthetix_tui.domain.catalog import Feature
from aesthetix_tui.domain.catalog import features as feature_catalog
from aesthetix_tui.domain.legacy_key_state import LegacyKeyState
from aesthetix_tui.domain.legacy_key_state import state_of as legacy_state_of
from aesthetix_tui.domain.stale import StaleRule, stale_clause
from aesthetix_tui.domain.support_grant import LATEST_FIRST
from aesthetix_tui.domain.support_sessions import OpenSession
from aesthetix_tui.domain.support_status import ACTIVE, SupportAccessStatus, SupportState, status_of


@dataclass(frozen=True)
class AccountSummary:
    id: int
    name: str
    timezone: str
    created_at: datetime
    support: SupportAccessStatus  # the latest grant's status now (support_status.status_of)
    session: OpenSession | None  # a support session in progress under the active grant
    active_integrations: int  # not revoked
    stale_integrations: int  # active and stale by the account's settings (domain/stale.py)
    legacy_key_exists: bool
    legacy_key_on: bool  # exists and is not disabled
    features_on: tuple[Feature, ...]  # deprecated features turned on, in catalogue order
    stale_rule: StaleRule = StaleRule()  # the account's settings: when an integration is stale

    @property
    def support_state(self) -> SupportState:
        """off (never enabled), active, expired or revoked."""
        return self.support.state

    @property
    def legacy_key_state(self) -> LegacyKeyState:
        return legacy_state_of(self.legacy_key_exists, not self.legacy_key_on)

    @property
    def support_active(self) -> bool:
        return self.support.is_active

    @property
    def support_until(self) -> date | None:
        """The last day of the latest grant (account's timezone), whatever its state."""
        return self.support.until_date

    @property
    def support_days_left(self) -> int | None:
        """Whole days left while active (as support_status.sentence counts them), else None."""
        if not self.support.is_active:
            return None
        return self.support.time_left.days

    @property
    def feature_keys(self) -> tuple[str, ...]:
        return tuple(f.key for f in self.features_on)


PAGE_ACCOUNTS = 2000  # accounts read at a time by `stream`


def overview(session: Session, clock: Clock) -> list[AccountSummary]:
    """Every account the connection may see, by name, with its summary at clock.now().

    Ends any transaction the session holds first, so the read sees the database as it is now."""
    end_transaction(session)
    return summaries(session, clock.now())


def stream(session: Session, clock: Clock, page: int = PAGE_ACCOUNTS) -> Iterator[AccountSummary]:
    """overview(), read as it prints: one statement through a server-side cursor (PostgreSQL),
    PAGE rows fetched at a time. Every table is read once (its visible rows, hashed), so a
    million accounts cost one pass, in flat memory. The summaries are as overview() makes them."""
    end_transaction(session)
    now = clock.now()
    catalog = feature_catalog()
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Each table once, hashed: the planner's estimate for "latest grant only" (rn = 1) is far
        # too low and would have it rescan the grants for every account (a million times).
        conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
    result = conn.execution_options(yield_per=page).execute(overview_query(session, now))
    for row in result:
        yield summary(row, now, features_on(catalog, row.features))
    end_transaction(session)


def summaries(session: Session, now: datetime) -> list[AccountSummary]:
    """The summaries of every visible account, by name."""
    catalog = feature_catalog()
    return [summary(row, now, features_on(catalog, row.features))
            for row in session.connection().execute(overview_query(session, now))]


def features_on(catalog: dict[str, Feature], keys: str | None) -> tuple[Feature, ...]:
    """The deprecated features turned on, in catalogue order, from their keys (spaced)."""
    if not keys:
        return ()
    on = set(keys.split(" "))
    return tuple(f for k, f in catalog.items() if k in on)


def overview_query(session: Session, now: datetime):
    """Every visible account by name, with its latest grant, open session, integration counts,
    legacy key and deprecated features: one statement."""
    # The latest grant per account: the same order as support_grant.latest_grant.
    grants = select(
        SupportGrant.id, SupportGrant.account_id, SupportGrant.until_date, SupportGrant.ends_at,
        SupportGrant.reason, SupportGrant.enabled_at, SupportGrant.enabled_by, SupportGrant.revoked_at,
        SupportGrant.revoked_by,
        func.row_number().over(partition_by=SupportGrant.account_id,
                               order_by=LATEST_FIRST).label("rn"),
    ).subquery("latest_grant")

    # The newest open session per account and grant; joined below to the latest grant only, as a
    # session under an earlier grant is over (support_sessions._problem).
    sessions = select(
        SupportSession.id, SupportSession.account_id, SupportSession.grant_id, SupportSession.agent,
        SupportSession.started_at,
        func.row_number().over(partition_by=(SupportSession.account_id, SupportSession.grant_id),
                               order_by=(SupportSession.started_at.desc(), SupportSession.id.desc())).label("rn"),
    ).where(SupportSession.ended_at.is_(None)).subquery("open_session")

    live = Integration.revoked_at.is_(None)
    # Stale by each account's own settings (the rule: domain/stale.py).
    stale = stale_clause(session.get_bind().dialect.name, now, Account.stale_unused_days, Account.stale_new_days)
    counts = select(
        Integration.account_id,
        func.sum(case((live, 1), else_=0)).label("active"),
        func.sum(case((stale, 1), else_=0)).label("stale"),
    ).join(Account, Account.id == Integration.account_id).group_by(Integration.account_id).subquery(
        "integration_counts")

    # The deprecated features turned on, their keys in one text.
    features = select(FeatureSetting.account_id, func.aggregate_strings(FeatureSetting.feature_key, " ").label("feature_keys")) \
        .where(FeatureSetting.enabled).group_by(FeatureSetting.account_id).subquery("features_on")

    # Only the columns every role may read (agents never read the key's hash).
    key = select(LegacyKey.account_id, LegacyKey.disabled).subquery("legacy")

    return (
        select(
            Account.id, Account.name, Account.timezone, Account.created_at,
            Account.stale_unused_days, Account.stale_new_days,
            grants.c.id.label("grant_id"), grants.c.until_date, grants.c.ends_at, grants.c.reason,
            grants.c.enabled_at, grants.c.enabled_by, grants.c.revoked_at, grants.c.revoked_by,
            sessions.c.id.label("session_id"), sessions.c.agent, sessions.c.started_at,
            func.coalesce(counts.c.active, 0).label("active"), func.coalesce(counts.c.stale, 0).label("stale"),
            key.c.account_id.label("key_account"), key.c.disabled, features.c.feature_keys.label("features"),
        )
        .select_from(Account)
        .outerjoin(grants, and_(grants.c.account_id == Account.id, grants.c.rn == 1))
        .outerjoin(sessions, and_(sessions.c.account_id == Account.id, sessions.c.grant_id == grants.c.id,
                                  sessions.c.rn == 1))
        .outerjoin(counts, counts.c.account_id == Account.id)
        .outerjoin(key, key.c.account_id == Account.id)
        .outerjoin(features, features.c.account_id == Account.id)
        .order_by(Account.name)  # unique: the order of its index
    )


@dataclass(frozen=True)
class _Grant:
    """The latest grant's columns, as support_status.status_of reads them."""

    id: int
    until_date: date
    ends_at: datetime
    reason: str | None
    enabled_at: datetime
    enabled_by: str
    revoked_at: datetime | None
    revoked_by: str | None


NEVER_ENABLED = status_of(None, None)  # the same (frozen) status for every account without a grant


@lru_cache(maxsize=64)
def stale_rule(unused_days: int, new_days: int) -> StaleRule:
    """One StaleRule per setting (frozen: shared by the accounts that have it)."""
    return StaleRule(unused_days, new_days)


def summary(row, now: datetime, features_on: tuple[Feature, ...]) -> AccountSummary:
    support = NEVER_ENABLED if row.grant_id is None else status_of(_Grant(
        row.grant_id, row.until_date, row.ends_at, row.reason, row.enabled_at, row.enabled_by,
        row.revoked_at, row.revoked_by), now)
    in_progress = None
    if row.session_id is not None and support.state == ACTIVE:
        in_progress = OpenSession(row.session_id, row.agent, row.started_at, row.grant_id)
    return AccountSummary(
        id=row.id, name=row.name, timezone=row.timezone, created_at=row.created_at, support=support,
        session=in_progress, active_integrations=int(row.active), stale_integrations=int(row.stale),
        legacy_key_exists=row.key_account is not None,
        legacy_key_on=row.key_account is not None and not row.disabled,
        features_on=features_on, stale_rule=stale_rule(row.stale_unused_days, row.stale_new_days),
    )


def marker(session: Session) -> tuple[int, int, int]:
    """A cheap change detector over every visible account: (how many, their highest id, the sum
    of their change counters). Any change appends an audit event (moving a counter); adding or
    removing an account moves the count or the highest id."""
    end_transaction(session)
    count, highest, changes = session.exec(
        select(func.count(Account.id), func.coalesce(func.max(Account.id), 0),
               func.coalesce(func.sum(Account.audit_seq), 0))).one()
    end_transaction(session)
    return int(count), int(highest), int(changes)
