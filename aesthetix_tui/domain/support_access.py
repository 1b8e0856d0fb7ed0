"""Support Access: the owner lets the vendor's support team in, for a limited time."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.models import Account, SupportGrant
from aesthetix_tui.domain import audit, versions
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.dates import end_of_day, format_day, plural
from aesthetix_tui.domain.errors import AccessDenied, Conflict, InvalidInput
from aesthetix_tui.domain.support_grant import latest_grant
from aesthetix_tui.domain.support_sessions import REVOKED as SESSION_REVOKED
from aesthetix_tui.domain.support_sessions import check_policy, end_open_sessions
from aesthetix_tui.domain.support_status import (
    ACTIVE,
    EXPIRED,
    OFF,
    PRESET_DAYS,
    REVOKED,
    TARGET,
    SupportAccessStatus,
    SupportState,
    allowed_window,
    check_max_days,
    not_after_end,
    preset_dates,
    sentence,
    status_of,
)
from aesthetix_tui.domain.text import check_drawn
from aesthetix_tui.domain.transaction import mutation

__all__ = ["ACTIVE", "EXPIRED", "OFF", "PRESET_DAYS", "REVOKED", "SupportAccessStatus", "SupportState",
           "allowed_window", "preset_dates", "sentence", "status_of"]


def status(session: Session, clock: Clock, account: Account) -> SupportAccessStatus:
    return status_of(latest_grant(session, account.id), clock.now())


def check_until(account: Account, clock: Clock, until: date, after: date | None = None) -> None:
    first, last = allowed_window(account, clock)
    if after is not None and (problem := not_after_end(until, after)):
        raise InvalidInput(problem)
    if until < first:
        raise InvalidInput(f"{format_day(until)} has passed; choose today or a later date.")
    if until > last:
        raise InvalidInput(
            f"Support Access can be enabled for at most {account.support_max_days} days; "
            f"choose {format_day(last)} or earlier."
        )


def check_version(grant: SupportGrant | None, expected: int | None, clock: Clock, account: Account) -> None:
    """expected: the latest grant's version the caller read (0: no grant; None: no check)."""
    versions.check_row(expected, grant, "Support Access", clock, account.timezone, made="enabled")


def active_grant(session: Session, clock: Clock, account: Account, expected_version: int | None,
                 action: str) -> SupportGrant:
    """Inside a mutation: the latest grant, at the version the caller read, while ACTION (extend,
    revoke) applies to it; else Conflict, with SupportState.why_not's sentence."""
    grant = latest_grant(session, account.id)
    check_version(grant, expected_version, clock, account)
    if problem := status_of(grant, clock.now()).why_not(action):
        raise Conflict(problem)
    return grant


def check_reason(reason: str | None) -> str | None:
    if reason is None or not reason.strip():
        return None
    reason = reason.strip()
    if len(reason) > 500:
        raise InvalidInput("The reason must be at most 500 printable characters on one line.")
    check_drawn(reason, "reason")
    return reason


def enable(session: Session, clock: Clock, account_id: int, until: date, actor: Actor,
           reason: str | None = None) -> SupportAccessStatus:
    reason = check_reason(reason)
    with mutation(session, account_id) as account:
        result = enable_locked(session, clock, account, until, actor, reason)
    return result


def enable_locked(session: Session, clock: Clock, account: Account, until: date, actor: Actor,
                  reason: str | None) -> SupportAccessStatus:
    """enable() inside the caller's mutation (an approved request's, too); reason already checked."""
    now = clock.now()
    previous = latest_grant(session, account.id)
    if problem := status_of(previous, now).why_not("enable"):
        raise Conflict(problem)
    check_until(account, clock, until)
    grant = SupportGrant(
        account_id=account.id, until_date=until, ends_at=end_of_day(until, account.timezone),
        reason=reason, enabled_at=now, enabled_by=actor.shown,
        # continues the previous grant's version: a version names one state of Support Access
        version=previous.version if previous else 0,
    )
    versions.changed_by(grant, clock, actor.shown)
    session.add(grant)
    session.flush()
    audit.append(session, clock, account, actor, "support_access.enabled", TARGET,
                 {"until": until.isoformat(), "reason": reason, "grant": grant.id})
    return status_of(grant, now)


def extend(session: Session, clock: Clock, account_id: int, until: date,
           actor: Actor, expected_version: int | None = None) -> SupportAccessStatus:
    """expected_version: the latest grant's version the caller read (None: no check)."""
    with mutation(session, account_id) as account:
        result = extend_locked(session, clock, account, until, actor, expected_version)
    return result


def extend_locked(session: Session, clock: Clock, account: Account, until: date, actor: Actor,
                  expected_version: int | None = None) -> SupportAccessStatus:
    """extend() inside the caller's mutation (an approved request's, too)."""
    now = clock.now()
    grant = active_grant(session, clock, account, expected_version, "extend")
    check_until(account, clock, until, after=grant.until_date)
    previous = grant.until_date
    grant.until_date = until
    grant.ends_at = end_of_day(until, account.timezone)
    versions.changed_by(grant, clock, actor.shown)
    session.add(grant)
    audit.append(session, clock, account, actor, "support_access.extended", TARGET,
                 {"from": previous.isoformat(), "until": until.isoformat(), "grant": grant.id})
    return status_of(grant, now)


def revoke(session: Session, clock: Clock, account_id: int, actor: Actor,
           expected_version: int | None = None) -> SupportAccessStatus:
    """End access now. It resumes only if the owner enables it again."""
    with mutation(session, account_id) as account:
        now = clock.now()
        grant = active_grant(session, clock, account, expected_version, "revoke")
        grant.revoked_at = now
        grant.revoked_by = actor.shown
        versions.changed_by(grant, clock, actor.shown)
        session.add(grant)
        session.flush()
        # Any open support session ends in this same transaction, recorded before the revoke. On
        # PostgreSQL the revoke's trigger has just ended them with their events (db/security.py),
        # and none is left open here.
        ended = end_open_sessions(session, clock, account, SESSION_REVOKED, by=actor.shown)
        details = {"grant": grant.id, "was_until": grant.until_date.isoformat()}
        if ended:
            details["sessions_ended"] = ended
        audit.append(session, clock, account, actor, "support_access.revoked", TARGET, details)
        result = status_of(grant, now)
    return result


def set_agent_policy(session: Session, clock: Clock, account_id: int, policy: str, actor: Actor) -> str:
    """The owner decides whether agents in a session may change settings (read-write) or only
    look (read-only). Never Support Access itself, nor secrets, whatever it says."""
    policy = check_policy((policy or "").strip())
    if actor.kind == "support":
        raise AccessDenied("Support agents cannot change the agent policy; only the account owner can.")
    with mutation(session, account_id) as account:
        if account.agent_policy == policy:
            raise Conflict(f"The agent policy is already {policy}.")
        previous, account.agent_policy = account.agent_policy, policy
        session.add(account)
        audit.append(session, clock, account, actor, "support_access.agent_policy", TARGET,
                     {"from": previous, "to": policy})
    return policy


def set_max_days(session: Session, clock: Clock, account_id: int, days: int | str, actor: Actor) -> int:
    """The owner sets the longest Support Access may be enabled for (support_max_days, within
    MAX_DAYS_RANGE): the date dialog's last day, the presets and an approved request follow it. A
    grant already on keeps its end. Returns the new maximum."""
    days = check_max_days(days)
    if actor.kind == "support":
        raise AccessDenied("Support agents cannot change the Support Access maximum; only the account owner can.")
    with mutation(session, account_id) as account:
        previous = account.support_max_days
        if previous == days:
            raise Conflict("Nothing to change: Support Access can already be enabled for at most "
                           f"{plural(days, 'day')}.")
        account.support_max_days = days
        session.add(account)
        audit.append(session, clock, account, actor, "support_access.max_days", TARGET, {"from": previous, "to": days})
    return days
