"""Access requests: a support agent asks an account's owner for Support Access.

An agent asks for an account (by name or id) with a ticket, a reason and a number of days, while
access is off or to extend it while on. At most one request per agent and account is pending: a
new one replaces it. The owner approves (Support Access is enabled, or extended when on, through
support_access's own rules; the grant's reason is the ticket) or declines it, with a note. A
request no one answered within EXPIRES_AFTER_DAYS expires.

Expiry: reads need no job. A request's state is computed from the clock (`Request.state`), so a
pending request past its 7 days reads as expired at once, everywhere. The stored state and the
audit event (support_request.expired) are written by `expire_due`, which every write on the
account's requests runs first, in its own transaction (make, approve, decline); the event is
recorded by whoever's write found it due, and names the instant it expired (`expired_at`).

PostgreSQL (db/security.py): an agent cannot see an account whose access is off, nor record
anything in its trail. Rather than widen what agents read, two SECURITY DEFINER functions do the
least asking needs: `aesthetix_request_access` records the login's request for the account of an
exact name (it tells the agent only whether that name exists; no ids) with its audit events (the
agent is the login, never a claimed name), and `aesthetix_my_requests` shows the login its own requests with
their accounts' names. Agents read their own requests and insert none directly; owners read and
answer their accounts' requests through the ordinary policies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exc, text
from sqlmodel import Session, func, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db import account_ref
from aesthetix_tui.db.account_ref import MAX_ID, is_row_id
from aesthetix_tui.db.engine import begin_write, end_transaction
from aesthetix_tui.db.models import Account, SupportGrant, SupportRequest
from aesthetix_tui.domain import accounts, audit, support_access
from aesthetix_tui.domain.actor import SYSTEM, Actor
from aesthetix_tui.domain.dates import format_day, format_instant, local_today, plural
from aesthetix_tui.domain.errors import AccessDenied, Conflict, InvalidInput, NotFound
from aesthetix_tui.domain.identity import who
from aesthetix_tui.domain.support_sessions import agent_of as session_agent
from aesthetix_tui.domain.support_status import allowed_window, extend_window
from aesthetix_tui.domain.text import check_line
from aesthetix_tui.domain.transaction import mutation

EXPIRES_AFTER_DAYS = 7
PENDING, APPROVED, DECLINED, EXPIRED, REPLACED = "pending", "approved", "declined", "expired", "replaced"
MAX_TICKET, MAX_REASON, MAX_NOTE = 64, 500, 500
LIFETIME = timedelta(days=EXPIRES_AFTER_DAYS)


@dataclass(frozen=True)
class Request:
    id: int
    account_id: int
    account_name: str
    agent: str
    ticket: str
    reason: str
    days: int
    created_at: datetime  # UTC
    expires_at: datetime  # created_at + 7 days (UTC)
    state: str  # as of the clock: a pending one past expires_at reads as "expired"
    answered_at: datetime | None
    answered_by: str | None
    note: str | None  # the decline's note
    grant_id: int | None
    approved_until: date | None  # approved: the grant's last day, in the account's timezone
    timezone: str = "UTC"  # the account's

    @property
    def is_pending(self) -> bool:
        return self.state == PENDING

    def sentence(self, tz: str | None = None) -> str:
        """sam asks for 3 days: ticket T-1042, “Billing sync fails” (Thu 26 Nov 2026 15:00)"""
        return (f"{self.agent} asks for {plural(self.days, 'day')}: ticket {self.ticket}, “{self.reason}” "
                f"({format_instant(self.created_at, tz or self.timezone)})")

    def outcome(self, tz: str | None = None) -> str:
        """What became of it, in a few words."""
        tz = tz or self.timezone
        if self.state == APPROVED:
            through = f" through {format_day(self.approved_until)}" if self.approved_until else ""
            return f"approved{through} by {self.answered_by}"
        if self.state == DECLINED:
            return f"declined by {self.answered_by}" + (f": {self.note}" if self.note else "")
        if self.state == EXPIRED:
            return f"expired on {format_instant(self.expires_at, tz)}"
        if self.state == REPLACED:
            return "replaced by a newer request"
        return f"pending until {format_instant(self.expires_at, tz)}"

    def as_dict(self) -> dict:
        def instant(value):
            return value.isoformat() if value else None
        return {
            "id": self.id, "account_id": self.account_id, "account": self.account_name, "agent": self.agent,
            "ticket": self.ticket, "reason": self.reason, "days": self.days,
            "created_at": instant(self.created_at), "expires_at": instant(self.expires_at), "state": self.state,
            "answered_at": instant(self.answered_at), "answered_by": self.answered_by, "note": self.note,
            "grant_id": self.grant_id,
            "approved_until": self.approved_until.isoformat() if self.approved_until else None,
        }


# -- the rules of a request ------------------------------------------------------------------

def check_ticket(ticket: str | None) -> str:
    return check_line(ticket, "ticket", MAX_TICKET)


def check_reason(reason: str | None) -> str:
    return check_line(reason, "reason", MAX_REASON)


def days_sentence(most: int) -> str:
    return f"Ask for 1 to {most} days; {most} is the account's maximum."


def check_days(days: int, most: int) -> int:
    if not 1 <= days <= most:
        raise InvalidInput(days_sentence(most), field="days")
    return days


def state_of(row: SupportRequest, now: datetime) -> str:
    if row.state == PENDING and now >= row.created_at + LIFETIME:
        return EXPIRED
    return row.state


def target(row: SupportRequest) -> str:
    return f"support_request:{row.id}"


def _shared(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


# -- reading ---------------------------------------------------------------------------------

def _accounts(session: Session, ids: set[int]) -> dict[int, tuple[str, str]]:
    """(name, timezone) of each account the login sees."""
    if not ids:
        return {}
    rows = session.exec(select(Account.id, Account.name, Account.timezone).where(Account.id.in_(ids))).all()
    return {i: (name, tz) for i, name, tz in rows}


def _mine(session: Session) -> dict[int, tuple[str, str, date | None]]:
    """PostgreSQL: the login's own requests' account names, timezones and approved last days,
    also for accounts it cannot see now (aesthetix_my_requests)."""
    rows = session.execute(text("SELECT request_id, account_name, timezone, approved_until "
                                "FROM aesthetix_my_requests()")).all()
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _requests(session: Session, clock: Clock, rows: list[SupportRequest]) -> list[Request]:
    now = clock.now()
    accounts = _accounts(session, {r.account_id for r in rows})
    grant_ids = {r.grant_id for r in rows if r.grant_id is not None}
    grants = {g.id: g.until_date for g in session.exec(select(SupportGrant).where(SupportGrant.id.in_(grant_ids)))
              } if grant_ids else {}
    mine = None
    result = []
    for row in rows:
        name, tz = accounts.get(row.account_id, (None, None))
        until = grants.get(row.grant_id)
        if (name is None or (row.grant_id is not None and until is None)) and _shared(session):
            mine = _mine(session) if mine is None else mine
            if row.id in mine:
                name, tz, until = mine[row.id]
        result.append(Request(
            id=row.id, account_id=row.account_id, account_name=name or f"account {row.account_id}",
            agent=row.agent, ticket=row.ticket, reason=row.reason, days=row.days, created_at=row.created_at,
            expires_at=row.created_at + LIFETIME, state=state_of(row, now), answered_at=row.answered_at,
            answered_by=row.answered_by, note=row.note, grant_id=row.grant_id,
            approved_until=until if row.state == APPROVED else None, timezone=tz or "UTC"))
    return result


def _newest_first(query):
    return query.order_by(SupportRequest.created_at.desc(), SupportRequest.id.desc()).execution_options(
        populate_existing=True)


def for_account(session: Session, clock: Clock, account_id: int) -> list[Request]:
    """Every request on the account, in every state, newest first."""
    end_transaction(session)
    rows = session.exec(_newest_first(select(SupportRequest).where(SupportRequest.account_id == account_id))).all()
    return _requests(session, clock, list(rows))


def pending(session: Session, clock: Clock, account_id: int) -> list[Request]:
    """The requests waiting for the owner's answer now, newest first."""
    return [r for r in for_account(session, clock, account_id) if r.is_pending]


def of_agent(session: Session, clock: Clock, agent: str) -> list[Request]:
    """The agent's own requests on every account, newest first (on PostgreSQL: the login's)."""
    end_transaction(session)
    rows = session.exec(_newest_first(select(SupportRequest).where(SupportRequest.agent == agent))).all()
    return _requests(session, clock, list(rows))


def get(session: Session, clock: Clock, request_id: int) -> Request:
    row = _row(session, request_id)
    return _requests(session, clock, [row])[0]


def _row(session: Session, request_id: int) -> SupportRequest:
    row = session.get(SupportRequest, request_id, populate_existing=True) if is_row_id(request_id) else None
    if row is None:
        raise NotFound(f"There is no access request numbered {request_id}.")
    return row


# -- expiry ----------------------------------------------------------------------------------

def expire_due(session: Session, clock: Clock, account: Account, actor: Actor) -> int:
    """Inside the caller's mutation: store the expiry of each request pending past its 7 days,
    with its audit event. Returns how many."""
    # On PostgreSQL by the server's clock, which alone may expire a request (db/security.py).
    due = func.now() - LIFETIME if _shared(session) else clock.now() - LIFETIME
    rows = session.exec(select(SupportRequest).where(
        SupportRequest.account_id == account.id, SupportRequest.state == PENDING,
        SupportRequest.created_at <= due).order_by(SupportRequest.id).execution_options(populate_existing=True)).all()
    for row in rows:
        row.state = EXPIRED
        session.add(row)
        audit.append(session, clock, account, actor, "support_request.expired", target(row),
                     {"request_id": row.id, "agent": row.agent, "expired_at": (row.created_at + LIFETIME).isoformat()})
    return len(rows)


def record_expiries(session: Session, clock: Clock, account_id: int) -> int:
    """Store, with its audit event, the expiry of each of the account's requests past its 7 days
    (one write, only when one is due; the owner's views run this before they list requests, so
    every expiry is recorded once someone looks). Returns how many."""
    end_transaction(session)
    due = session.exec(select(SupportRequest.id).where(
        SupportRequest.account_id == account_id, SupportRequest.state == PENDING,
        SupportRequest.created_at <= clock.now() - LIFETIME).limit(1)).first()
    end_transaction(session)
    if due is None:
        return 0
    with mutation(session, account_id) as account:
        return expire_due(session, clock, account, SYSTEM)


# -- asking ----------------------------------------------------------------------------------

def agent_of(session: Session, name: str | None) -> Actor:
    """The agent asking: on PostgreSQL its login, whatever name is given (as support_sessions)."""
    return session_agent(session, name)


def account_for_request(session: Session, id_or_name: str | int) -> int | str:
    """The account an agent names (by name or id) to ask for, even one it cannot see.

    On the shared database an agent's choice stays the exact name it typed: the database finds
    it, and the agent learns only whether that name exists (never an id)."""
    ref = account_ref.parse(id_or_name)
    if ref is None:
        raise InvalidInput("Name the account to ask for, by its name or id.", field="account")
    if not (_shared(session) and who(session).kind == "support"):
        return accounts.resolve(session, ref.text).id
    return ref.text


def make(session: Session, clock: Clock, account_id: int | str, agent: Actor, ticket: str, reason: str,
         days: int) -> Request:
    """Record the agent's request; its pending one on the account, if any, is replaced.

    `account_id` is what `account_for_request` gave: an agent's exact name on the shared database."""
    ticket, reason = check_ticket(ticket), check_reason(reason)
    if isinstance(days, bool) or not isinstance(days, int):
        raise InvalidInput("The days must be a whole number.", field="days")
    if _shared(session):
        request_id = _make_in_database(session, clock, account_id, ticket, reason, days)
        return get(session, clock, request_id)
    with mutation(session, account_id) as account:
        check_days(days, account.support_max_days)
        expire_due(session, clock, account, agent)
        now = clock.now()
        old = session.exec(select(SupportRequest).where(
            SupportRequest.account_id == account.id, SupportRequest.agent == agent.name,
            SupportRequest.state == PENDING).execution_options(populate_existing=True)).all()
        row = SupportRequest(account_id=account.id, agent=agent.name, ticket=ticket, reason=reason, days=days,
                             created_at=now, state=PENDING)
        session.add(row)
        session.flush()
        audit.append(session, clock, account, agent, "support_request.created", target(row),
                     {"request_id": row.id, "agent": agent.name, "ticket": ticket, "reason": reason, "days": days})
        for earlier in old:
            earlier.state, earlier.replaced_by = REPLACED, row.id
            session.add(earlier)
            audit.append(session, clock, account, agent, "support_request.replaced", target(earlier),
                         {"request_id": earlier.id, "replaced_by": row.id})
        request_id = row.id
    return get(session, clock, request_id)


def _make_in_database(session: Session, clock: Clock, account: int | str, ticket: str, reason: str,
                      days: int) -> int:
    """PostgreSQL: aesthetix_request_access does make()'s writes for the login (db/security.py),
    for the account of that exact name (a caller that may read accounts may give an id)."""
    if not isinstance(account, str):
        row = session.get(Account, account)
        if row is None:
            raise NotFound(f"There is no account numbered {account}.")
        account = row.name
    end_transaction(session)
    begin_write(session)
    try:  # at the server's clock: the time is none of the client's to choose
        request_id = session.execute(
            text("SELECT aesthetix_request_access(:account, :ticket, :reason, :days)"),
            # A number beyond a 32-bit INTEGER is outside 1..maximum as surely as its bound is, and
            # the function then says so with the account's maximum.
            {"account": account, "ticket": ticket, "reason": reason, "days": min(max(days, 0), MAX_ID)}).scalar()
        session.commit()
    except exc.DBAPIError as error:
        session.rollback()
        code = getattr(error.orig, "sqlstate", None)
        if code == "P0002":
            raise NotFound(f"There is no account named {account!r}.") from None
        detail = getattr(getattr(error.orig, "diag", None), "message_detail", None)
        if code == "22023" and detail and detail.isdigit():
            raise InvalidInput(days_sentence(int(detail)), field="days") from None
        raise
    except BaseException:
        session.rollback()
        raise
    return request_id


# -- answering -------------------------------------------------------------------------------

def _owner_only(actor: Actor) -> None:
    if actor.kind == "support":
        raise AccessDenied("Support agents cannot answer access requests; only the account owner can.")


def _answerable(session: Session, clock: Clock, request_id: int) -> SupportRequest:
    """Inside the mutation: the request, while it is pending; else Conflict in one sentence."""
    row = _row(session, request_id)
    state = state_of(row, clock.now())
    if state == PENDING:
        return row
    if state == EXPIRED:
        raise Conflict(f"Access request {request_id} expired with no answer; the agent can ask again.")
    if state == REPLACED:
        raise Conflict(f"Access request {request_id} was replaced by request {row.replaced_by}; answer that one.")
    answered = "approved" if state == APPROVED else "declined"
    raise Conflict(f"Access request {request_id} was already {answered} by {row.answered_by}.")


def _account_id(session: Session, request_id: int) -> int:
    end_transaction(session)
    return _row(session, request_id).account_id


def approve_window(session: Session, clock: Clock, request_id: int) -> tuple[date, date, date]:
    """(first allowed day, last allowed day, preset): the days asked from today, capped by the
    account's maximum, within the window (when access is on: after its current end)."""
    row = _row(session, request_id)
    account = session.get(Account, row.account_id)
    if account is None:
        raise NotFound(f"There is no access request numbered {request_id}.")
    status = support_access.status(session, clock, account)
    if status.is_active:
        first, last = extend_window(account, clock, status.until_date)
    else:
        first, last = allowed_window(account, clock)
    today = local_today(clock.now(), account.timezone)
    asked = today + timedelta(days=min(row.days, account.support_max_days))
    return first, last, min(max(first, asked), last)


def approve(session: Session, clock: Clock, request_id: int, until: date | None, actor: Actor) -> Request:
    """Enable Support Access through `until` (None: the preset of approve_window), or extend it
    when on, by support_access's rules; the grant's reason is the ticket."""
    _owner_only(actor)
    account_id = _account_id(session, request_id)
    end_transaction(session)
    if until is None:
        until = approve_window(session, clock, request_id)[2]
        end_transaction(session)
    with mutation(session, account_id) as account:
        expire_due(session, clock, account, actor)
        row = _answerable(session, clock, request_id)
        reason = support_access.check_reason(row.ticket)
        status = support_access.status(session, clock, account)
        if status.is_active:
            result = support_access.extend_locked(session, clock, account, until, actor)
        else:
            result = support_access.enable_locked(session, clock, account, until, actor, reason)
        row.state, row.answered_at, row.answered_by = APPROVED, clock.now(), actor.shown
        row.grant_id = result.grant_id
        session.add(row)
        audit.append(session, clock, account, actor, "support_request.approved", target(row),
                     {"request_id": row.id, "agent": row.agent, "grant_id": result.grant_id,
                      "until": until.isoformat(), "extended": status.is_active})
    return get(session, clock, request_id)


def decline(session: Session, clock: Clock, request_id: int, note: str | None, actor: Actor) -> Request:
    """Say no, with an optional note the agent reads."""
    _owner_only(actor)
    note = check_line(note, "note", MAX_NOTE, required=False) or None
    account_id = _account_id(session, request_id)
    with mutation(session, account_id) as account:
        expire_due(session, clock, account, actor)
        row = _answerable(session, clock, request_id)
        row.state, row.answered_at, row.answered_by, row.note = DECLINED, clock.now(), actor.shown, note
        session.add(row)
        audit.append(session, clock, account, actor, "support_request.declined", target(row),
                     {"request_id": row.id, "agent": row.agent, "note": note})
    return get(session, clock, request_id)


def extended_for(session: Session, grant: SupportGrant | None) -> str | None:
    """The ticket of the newest request approved as an extension of this grant, or None. (A
    grant's reason never changes: it is the ticket it was enabled for.)"""
    if grant is None:
        return None
    row = session.exec(select(SupportRequest).where(SupportRequest.grant_id == grant.id,
                                                    SupportRequest.state == APPROVED)
                       .order_by(SupportRequest.answered_at.desc(), SupportRequest.id.desc())).first()
    return row.ticket if row is not None and row.ticket != grant.reason else None
