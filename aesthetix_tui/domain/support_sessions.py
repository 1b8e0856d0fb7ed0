"""Support sessions: a support agent's visit to an account, allowed only while Support Access is active.

A session is not a cached permission. Every read an agent makes checks the grant at that
moment; when access has ended (the owner revoked it, or it expired by the clock) the read
ends the session, records that, and raises AccessEnded. A revoke ends open sessions itself,
in the revoke's own transaction (see support_access.revoke).

PostgreSQL, as a support login (db/guards.py): a session starts and ends only through
`aesthetix_start_session` and `aesthetix_end_session`, which judge the grant by the server's
clock; the agent never takes the account's row lock; once the grant has ended it reads and
appends nothing there, whatever its session row says, and only ends its session.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ARRAY, Integer, and_, any_, bindparam, func, text
from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.engine import begin_write, end_transaction
from aesthetix_tui.db.models import Account, SupportGrant, SupportSession
from aesthetix_tui.domain import accounts, audit, features, integrations, legacy_key
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.dates import format_instant
from aesthetix_tui.domain.errors import AccessDenied, InvalidInput, NotFound, SessionEnded
from aesthetix_tui.domain.features import FeatureState
from aesthetix_tui.domain.identity import is_shared, who
from aesthetix_tui.domain.legacy_key import LegacyKeyStatus
from aesthetix_tui.domain.support_grant import LATEST_FIRST, latest_grant

# Shared with the CLI's fast `support check` (aesthetix_tui/db/quick.py), which reads without this stack.
from aesthetix_tui.domain.support_status import (
    EXPIRED,
    REVOKED,
    AccessibleAccount,
    NoAccess,
    SupportAccessStatus,
    status_of,
    support_check,
)
from aesthetix_tui.domain.support_status import no_access_sentence as _no_access_sentence
from aesthetix_tui.domain.transaction import mutation

CLOSED = "closed"
END_REASONS = (CLOSED, REVOKED, EXPIRED)  # "revoked" and "expired" as in support_status

# -- the agent policy --------------------------------------------------------------------

READ_ONLY, READ_WRITE = "read-only", "read-write"
POLICIES = (READ_ONLY, READ_WRITE)

# May support agents change anything in an account they are let into? Each account's
# `agent_policy`, which only its owner changes (support_access.set_agent_policy), never an
# agent's option or a caller's argument. Whatever it says, agents never change Support Access
# itself, nor see a secret. On PostgreSQL the database enforces it (db/security.py: under
# "read-write" an agent in a session may change features and disable or enable the legacy key,
# nothing that hands back a secret); the support console itself changes nothing.


def check_policy(policy: str) -> str:
    if policy not in POLICIES:
        raise InvalidInput(f"The agent policy must be {READ_ONLY!r} or {READ_WRITE!r}, not {policy!r}.")
    return policy


def agent_may_change(account: Account) -> bool:
    """True when the account's owner lets agents change its settings."""
    return account.agent_policy == READ_WRITE


# -- errors --------------------------------------------------------------------------------

class AccessEnded(AccessDenied):
    """Support Access ended while a session was open: the session is over."""

    def __init__(self, message: str, reason: str, account_name: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.account_name = account_name


def ended_sentence(account_name: str, reason: str, grant: SupportGrant | None, tz: str) -> str:
    if reason == EXPIRED and grant is not None:
        return (f"Support Access to {account_name} expired on {format_instant(grant.ends_at, tz)}; "
                "this session has ended")
    if reason == EXPIRED:
        return f"Support Access to {account_name} has expired; this session has ended"
    return f"Support Access to {account_name} was revoked by the account owner; this session has ended"


# -- what agents see -------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionInfo:
    id: int
    account_id: int
    account_name: str
    timezone: str
    agent: str
    started_at: datetime
    grant_id: int


@dataclass(frozen=True)
class OpenSession:
    """What the owner sees: who is in, since when."""

    id: int
    agent: str
    started_at: datetime
    grant_id: int

    def sentence(self, tz: str) -> str:
        return f"Support session in progress — {self.agent} since {format_instant(self.started_at, tz)}"


@dataclass(frozen=True)
class IntegrationView:
    """A Private Integration as an agent sees it: never a hash or a token, only its hint."""

    name: str
    scopes: tuple[str, ...]
    token_hint: str
    status: str


@dataclass(frozen=True)
class AgentSnapshot:
    session: SessionInfo
    checked_at: datetime
    access: SupportAccessStatus
    integrations: list[IntegrationView]
    features: list[FeatureState]
    legacy_key: LegacyKeyStatus  # its hint only
    policy: str = READ_ONLY  # the account's agent policy


# -- reading ---------------------------------------------------------------------------------

def _fresh(session: Session) -> None:
    """End any transaction the caller's session still holds: a held read transaction would
    keep showing the database as it was (a revoke since then included)."""
    end_transaction(session)


def accessible_accounts(session: Session, clock: Clock) -> list[AccessibleAccount]:
    """Only the accounts whose Support Access is active now, by name."""
    return list(stream_accessible(session, clock))


CHUNK_ACCOUNTS = 1000  # SQLite: accounts read by one query of stream_accessible


def stream_accessible(session: Session, clock: Clock) -> Iterator[AccessibleAccount]:
    """accessible_accounts() in O(open grants) rows whatever the number of accounts: first the
    accounts with a grant neither revoked nor ended (index ix_support_grant_open; only they can be
    active), then those accounts with their latest grant (the order of
    support_grant.latest_grant), by name. The ids are given as a value, so that the planner
    knows how many they are (on PostgreSQL one array; on SQLite lists of CHUNK_ACCOUNTS, whose
    BINARY order is Python's)."""
    _fresh(session)
    now = clock.now()
    candidates = sorted(set(session.exec(select(SupportGrant.account_id).where(
        SupportGrant.revoked_at.is_(None), SupportGrant.ends_at > now)).all()))
    if session.get_bind().dialect.name == "postgresql":
        ids = bindparam("ids", candidates, type_=ARRAY(Integer))
        yield from _accessible(session, now, lambda column: column == any_(ids), ordered=True)
        return
    found = []
    for start in range(0, len(candidates), CHUNK_ACCOUNTS):
        chunk = candidates[start:start + CHUNK_ACCOUNTS]
        found.extend(_accessible(session, now, lambda column, chunk=chunk: column.in_(chunk), ordered=False))
    yield from sorted(found, key=lambda a: a.name)


def _accessible(session: Session, now: datetime, among, ordered: bool) -> Iterator[AccessibleAccount]:
    """The active ones of the accounts among(column) selects, with their latest grants: two
    queries, no join into account (where row-level security's own id list would be probed once
    per joined row). Where row-level security limits the login's accounts (an agent's open ones,
    an owner's own), the account read leaves the choosing to the policy: its `id = ANY(...)` and
    a second list of ids on the same column would make PostgreSQL 15 try every pair of them
    (1,000 open grants: a million pairs). A visible account outside AMONG has no grant here,
    so it is not active and is left out, as before."""
    latest = select(SupportGrant.id, func.row_number().over(
        partition_by=SupportGrant.account_id,
        order_by=LATEST_FIRST).label("rn")
    ).where(among(SupportGrant.account_id)).subquery("latest")
    grants = {grant.account_id: grant for grant in session.exec(
        select(SupportGrant).join(latest, and_(latest.c.id == SupportGrant.id, latest.c.rn == 1))
        .execution_options(populate_existing=True))}
    query = select(Account).execution_options(populate_existing=True)
    if not row_security(session):
        query = query.where(among(Account.id))
    if ordered:
        query = query.order_by(Account.name)
    for account in session.exec(query):
        status = status_of(grants.get(account.id), now)
        if status.is_active:
            yield AccessibleAccount(account.id, account.name, account.timezone, status.until_date,
                                    status.ends_at, status.time_left, status.reason, status.enabled_by)


def row_security(session: Session) -> bool:
    """Whether row-level security limits this login's accounts (PostgreSQL: owners and agents;
    not the schema owner, nor SQLite). Asked once per connection. Only the cost of a read
    depends on it, never what it finds."""
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        return False
    info = conn.connection.info
    if ROW_SECURITY not in info:
        info[ROW_SECURITY] = bool(conn.exec_driver_sql("SELECT row_security_active('account')").scalar())
    return info[ROW_SECURITY]


ROW_SECURITY = "aesthetix_row_security"  # a pooled connection's info: row_security()'s answer


def check_access(session: Session, clock: Clock, account_ref: str | int) -> AccessibleAccount:
    """The account, by id or name, if support may open it now; else NoAccess (or NotFound)."""
    _fresh(session)
    account = accounts.resolve(session, str(account_ref))
    return support_check(account.id, account.name, account.timezone, latest_grant(session, account.id),
                         clock.now())


def _row(session: Session, session_id: int) -> SupportSession:
    row = session.get(SupportSession, session_id, populate_existing=True)
    if row is None:
        raise NotFound(f"There is no support session numbered {session_id}.")
    return row


def _info(row: SupportSession, account: Account) -> SessionInfo:
    return SessionInfo(row.id, account.id, account.name, account.timezone, row.agent, row.started_at,
                       row.grant_id)


def _problem(session: Session, row: SupportSession, now: datetime) -> tuple[str, SupportGrant | None] | None:
    """Why this session may not go on (a reason and its grant), or None while access is active."""
    grant = session.get(SupportGrant, row.grant_id, populate_existing=True)
    latest = latest_grant(session, row.account_id)
    status = status_of(grant, now)
    if row.ended_at is not None:
        return row.end_reason or CLOSED, grant
    if grant is None:  # PostgreSQL shows an agent no grant that has ended (a revoke ends the session too)
        return EXPIRED, None
    if status.is_active and latest is not None and latest.id == grant.id:
        return None
    return (EXPIRED if status.state == EXPIRED else REVOKED), grant


def open_session_for(session: Session, account_id: int) -> OpenSession | None:
    """The newest open support session on the account, for the owner's view."""
    row = session.exec(
        select(SupportSession)
        .where(SupportSession.account_id == account_id, SupportSession.ended_at.is_(None))
        .order_by(SupportSession.started_at.desc(), SupportSession.id.desc())
        .limit(1)
        .execution_options(populate_existing=True)
    ).first()
    return OpenSession(row.id, row.agent, row.started_at, row.grant_id) if row else None


# -- the session's life ------------------------------------------------------------------------

def _agent(name: str | None) -> Actor:
    return Actor((name or "").strip(), "support")


def agent_of(session: Session, name: str | None) -> Actor:
    """The agent opening a session: on PostgreSQL its login, whatever name is given."""
    if is_shared(session):
        return Actor(who(session).name, "support")
    return _agent(name)


def _target(row: SupportSession) -> str:
    return f"support_session:{row.id}"


def _end_row(session: Session, clock: Clock, account: Account, row: SupportSession, reason: str,
             by: str | None = None) -> None:
    """Record the end and close the row; the caller holds the account lock. On PostgreSQL the
    row's trigger writes the event (audit.append only flushes)."""
    details = {"session": row.id, "agent": row.agent, "reason": reason}
    if by:
        details["by"] = by
    audit.append(session, clock, account, _agent(row.agent), "support_session.ended", _target(row), details)
    row.ended_at = clock.now()
    row.end_reason = reason
    session.add(row)


def _agent_login(session: Session) -> bool:
    """PostgreSQL, as a support login: its sessions start and end only through the database's
    functions (db/guards.py), and it never takes an account's row lock."""
    return is_shared(session) and who(session).kind == "support"


def _call(session: Session, statement: str, **params):
    """One database function in a write transaction of its own, committed."""
    end_transaction(session)
    begin_write(session)
    try:
        value = session.execute(text(statement), params).scalar()
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return value


def start(session: Session, clock: Clock, account_id: int, agent: str) -> SessionInfo:
    """Open a session. Refused unless Support Access to the account is active now."""
    actor = agent_of(session, agent)
    if session.get(Account, account_id) is None:
        raise NoAccess(f"There is no account numbered {account_id} with active Support Access.")
    if _agent_login(session):
        return _start_in_database(session, account_id)
    with mutation(session, account_id) as account:
        now = clock.now()
        grant = latest_grant(session, account.id)
        status = status_of(grant, now)
        if not status.is_active:
            raise NoAccess(_no_access_sentence(account.name, status))
        # The same agent reopening the account: an earlier session left open (a lost
        # connection) is closed first, so the owner never sees a ghost.
        for old in session.exec(select(SupportSession).where(
                SupportSession.account_id == account.id, SupportSession.agent == actor.name,
                SupportSession.ended_at.is_(None)).execution_options(populate_existing=True)).all():
            _end_row(session, clock, account, old, CLOSED)
        row = SupportSession(account_id=account.id, grant_id=grant.id, agent=actor.name, started_at=now)
        session.add(row)
        session.flush()
        audit.append(session, clock, account, actor, "support_session.started", _target(row),
                     {"session": row.id, "agent": actor.name, "grant": grant.id})
        info = _info(row, account)
    return info


def _start_in_database(session: Session, account_id: int) -> SessionInfo:
    """PostgreSQL: aesthetix_start_session checks the grant at the server's clock and records the start."""
    account = session.get(Account, account_id)
    name = account.name
    try:
        session_id = _call(session, "SELECT aesthetix_start_session(:account)", account=account_id)
    except Exception as error:
        if getattr(getattr(error, "orig", None), "sqlstate", None) != "42501":
            raise
        # the grant ended a moment ago (the database judges by its own clock)
        raise NoAccess(f"Support Access to {name} has ended; support cannot open this account.") from None
    end_transaction(session)
    row = _row(session, session_id)
    return _info(row, session.get(Account, account_id, populate_existing=True) or account)


def _end_in_database(session: Session, session_id: int, reason: str) -> str | None:
    """PostgreSQL: the agent ends its own session (also after its grant ended) through aesthetix_end_session."""
    return _call(session, "SELECT aesthetix_end_session(:id, :reason)", id=session_id, reason=reason)


def _live(session: Session, clock: Clock, session_id: int) -> tuple[SupportSession, Account]:
    """The session and its account if access is active now. Otherwise the session is ended
    (recorded once) and AccessEnded is raised; a session closed normally is SessionEnded."""
    _fresh(session)
    row = _row(session, session_id)
    account = session.get(Account, row.account_id, populate_existing=True)
    problem = _problem(session, row, clock.now())
    if problem is None and account is not None:
        return row, account
    reason, grant = problem or (EXPIRED, None)
    # On PostgreSQL an account whose access ended is hidden from its agent: no name to show.
    name, tz = (account.name, account.timezone) if account is not None else ("this account", "UTC")
    if reason == CLOSED:
        raise SessionEnded(f"This support session on {name} has ended; open the account again.")
    if row.ended_at is None and _agent_login(session):
        recorded = _end_in_database(session, session_id, reason)
        reason = recorded or reason
        grant = session.get(SupportGrant, row.grant_id, populate_existing=True) or grant
    elif row.ended_at is None:
        with mutation(session, row.account_id) as locked:
            row = _row(session, session_id)
            again = _problem(session, row, clock.now()) or (EXPIRED, None)
            if row.ended_at is None:
                reason, grant = again
                _end_row(session, clock, locked, row, reason)
    raise AccessEnded(ended_sentence(name, reason, grant, tz), reason, name)


def read_as_agent(session: Session, clock: Clock, session_id: int) -> AgentSnapshot:
    """What the console shows, read only after checking that access is active at this moment."""
    row, account = _live(session, clock, session_id)
    now = clock.now()
    # The check above and these reads share one read transaction: one consistent moment.
    items = [IntegrationView(i.name, tuple(integrations.scope_list(i)), i.token_hint,
                             integrations.state_of(i, now))
             for i in integrations.list_for(session, account, include_revoked=True)]
    return AgentSnapshot(
        session=_info(row, account),
        checked_at=now,
        access=status_of(session.get(SupportGrant, row.grant_id), now),
        integrations=items,
        features=features.settings(session, account),
        legacy_key=legacy_key.status(session, account),
        policy=account.agent_policy,
    )


def record_view(session: Session, clock: Clock, session_id: int, screen_name: str) -> None:
    """Record that the agent opened a screen (only while access is active)."""
    screen_name = (screen_name or "").strip()
    if not screen_name or len(screen_name) > 64:
        raise InvalidInput("A screen name must be 1 to 64 characters.")
    _live(session, clock, session_id)
    if _agent_login(session):
        _view_in_database(session, clock, session_id, screen_name)
        return
    over = False
    with mutation(session, _row(session, session_id).account_id) as account:
        row = _row(session, session_id)
        if _problem(session, row, clock.now()) is None:
            audit.append(session, clock, account, _agent(row.agent), "support_session.viewed", _target(row),
                         {"session": row.id, "agent": row.agent, "screen": screen_name})
        else:
            over = True  # access ended a moment ago: end the session below, and say so
    if over:
        _live(session, clock, session_id)


def _view_in_database(session: Session, clock: Clock, session_id: int, screen_name: str) -> None:
    """PostgreSQL, an agent: aesthetix_record_view records the view of a screen from its closed
    list (the database refuses once the grant has ended, whatever the session row says); then
    the session ends and AccessEnded is raised."""
    try:
        _call(session, "SELECT seq FROM aesthetix_record_view(:session, :screen)", session=session_id,
              screen=screen_name)
    except Exception as error:
        if getattr(getattr(error, "orig", None), "sqlstate", None) != "42501":
            raise
        _live(session, clock, session_id)
        raise


def end(session: Session, clock: Clock, session_id: int, reason: str = CLOSED) -> str | None:
    """End a session. If access had already ended, that (revoked or expired) is the reason
    recorded. Returns the reason recorded, or None when the session was already over."""
    if reason not in END_REASONS:
        raise InvalidInput(f"A session ends as {', '.join(END_REASONS)}, not {reason!r}.")
    row = _row(session, session_id)
    if _agent_login(session):
        return _end_in_database(session, session_id, reason)
    with mutation(session, row.account_id) as account:
        row = _row(session, session_id)
        if row.ended_at is not None:
            return None
        problem = _problem(session, row, clock.now())
        if problem is not None:
            reason = problem[0]
        _end_row(session, clock, account, row, reason)
    return reason


def end_open_sessions(session: Session, clock: Clock, account: Account, reason: str,
                      by: str | None = None) -> int:
    """Inside the caller's mutation: end every open session on the account. Returns how many."""
    rows = session.exec(select(SupportSession).where(
        SupportSession.account_id == account.id, SupportSession.ended_at.is_(None))
        .order_by(SupportSession.id).execution_options(populate_existing=True)).all()
    for row in rows:
        _end_row(session, clock, account, row, reason, by=by)
    return len(rows)

