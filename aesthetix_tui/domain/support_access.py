"""Support Access: the owner lets the vendor's support team in, for a limited time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.models import Account, SupportGrant
from aesthetix_tui.domain import audit
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.dates import end_of_day, format_day, format_duration, local_today
from aesthetix_tui.domain.errors import Conflict, InvalidInput
from aesthetix_tui.domain.transaction import mutation

PRESET_DAYS = (1, 3, 7, 14, 30)
TARGET = "support_access"

OFF, ACTIVE, EXPIRED, REVOKED = "off", "active", "expired", "revoked"


@dataclass(frozen=True)
class SupportAccessStatus:
    state: str  # off (never enabled), active, expired or revoked
    until_date: date | None = None  # available through this day, account's timezone
    ends_at: datetime | None = None  # the exact end instant, UTC
    enabled_at: datetime | None = None
    enabled_by: str | None = None
    reason: str | None = None
    time_left: timedelta | None = None
    revoked_at: datetime | None = None
    revoked_by: str | None = None
    grant_id: int | None = None

    @property
    def is_active(self) -> bool:
        return self.state == ACTIVE

    def as_dict(self) -> dict:
        return {
            "state": self.state,
            "available_through": self.until_date.isoformat() if self.until_date else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "enabled_at": self.enabled_at.isoformat() if self.enabled_at else None,
            "enabled_by": self.enabled_by,
            "reason": self.reason,
            "seconds_left": int(self.time_left.total_seconds()) if self.time_left else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "revoked_by": self.revoked_by,
        }


def latest_grant(session: Session, account_id: int) -> SupportGrant | None:
    return session.exec(
        select(SupportGrant)
        .where(SupportGrant.account_id == account_id)
        .order_by(SupportGrant.enabled_at.desc(), SupportGrant.id.desc())
        .limit(1)
    ).first()


def status_of(grant: SupportGrant | None, now: datetime) -> SupportAccessStatus:
    """Expiry needs no job: the state follows from the clock."""
    if grant is None:
        return SupportAccessStatus(OFF)
    if grant.revoked_at is not None:
        state = REVOKED
    elif now >= grant.ends_at:
        state = EXPIRED
    else:
        state = ACTIVE
    return SupportAccessStatus(
        state=state, until_date=grant.until_date, ends_at=grant.ends_at,
        enabled_at=grant.enabled_at, enabled_by=grant.enabled_by, reason=grant.reason,
        time_left=grant.ends_at - now if state == ACTIVE else None,
        revoked_at=grant.revoked_at, revoked_by=grant.revoked_by, grant_id=grant.id,
    )


def status(session: Session, clock: Clock, account: Account) -> SupportAccessStatus:
    return status_of(latest_grant(session, account.id), clock.now())


def allowed_window(account: Account, clock: Clock) -> tuple[date, date]:
    """The dates an owner may choose: today through the policy maximum."""
    today = local_today(clock.now(), account.timezone)
    return today, today + timedelta(days=account.support_max_days)


def preset_dates(account: Account, clock: Clock) -> list[tuple[int, date]]:
    today = local_today(clock.now(), account.timezone)
    return [(days, today + timedelta(days=days)) for days in PRESET_DAYS
            if days <= account.support_max_days]


def check_until(account: Account, clock: Clock, until: date, after: date | None = None) -> None:
    first, last = allowed_window(account, clock)
    if after is not None and until <= after:
        raise InvalidInput(
            f"Choose a date after {format_day(after)}, the current end of Support Access."
        )
    if until < first:
        raise InvalidInput(f"{format_day(until)} has passed; choose today or a later date.")
    if until > last:
        raise InvalidInput(
            f"Support Access can be enabled for at most {account.support_max_days} days; "
            f"choose {format_day(last)} or earlier."
        )


def check_reason(reason: str | None) -> str | None:
    if reason is None or not reason.strip():
        return None
    reason = reason.strip()
    if len(reason) > 500 or not reason.isprintable():
        raise InvalidInput("The reason must be at most 500 printable characters on one line.")
    return reason


def enable(session: Session, clock: Clock, account_id: int, until: date, actor: Actor,
           reason: str | None = None) -> SupportAccessStatus:
    reason = check_reason(reason)
    with mutation(session, account_id) as account:
        now = clock.now()
        current = status_of(latest_grant(session, account.id), now)
        if current.is_active:
            raise Conflict(
                f"Support Access is already active through {format_day(current.until_date)}; "
                "extend it instead."
            )
        check_until(account, clock, until)
        grant = SupportGrant(
            account_id=account.id, until_date=until, ends_at=end_of_day(until, account.timezone),
            reason=reason, enabled_at=now, enabled_by=actor.name,
        )
        session.add(grant)
        session.flush()
        audit.append(session, clock, account, actor, "support_access.enabled", TARGET,
                     {"until": until.isoformat(), "reason": reason, "grant": grant.id})
        result = status_of(grant, now)
    return result


def extend(session: Session, clock: Clock, account_id: int, until: date,
           actor: Actor) -> SupportAccessStatus:
    with mutation(session, account_id) as account:
        now = clock.now()
        grant = latest_grant(session, account.id)
        current = status_of(grant, now)
        if not current.is_active:
            raise Conflict(f"Support Access is {describe_state(current)}; enable it instead of extending.")
        check_until(account, clock, until, after=grant.until_date)
        previous = grant.until_date
        grant.until_date = until
        grant.ends_at = end_of_day(until, account.timezone)
        session.add(grant)
        audit.append(session, clock, account, actor, "support_access.extended", TARGET,
                     {"from": previous.isoformat(), "until": until.isoformat(), "grant": grant.id})
        result = status_of(grant, now)
    return result


def revoke(session: Session, clock: Clock, account_id: int, actor: Actor) -> SupportAccessStatus:
    """End access now. It resumes only if the owner enables it again."""
    with mutation(session, account_id) as account:
        now = clock.now()
        grant = latest_grant(session, account.id)
        current = status_of(grant, now)
        if not current.is_active:
            raise Conflict(f"Support Access is {describe_state(current)}; there is nothing to revoke.")
        grant.revoked_at = now
        grant.revoked_by = actor.name
        session.add(grant)
        audit.append(session, clock, account, actor, "support_access.revoked", TARGET,
                     {"grant": grant.id, "was_until": grant.until_date.isoformat()})
        result = status_of(grant, now)
    return result


def describe_state(status: SupportAccessStatus) -> str:
    return {OFF: "off", ACTIVE: "active", EXPIRED: "expired", REVOKED: "revoked"}[status.state]


def sentence(status: SupportAccessStatus, tz: str) -> str:
    """The status line an owner reads."""
    from aesthetix_tui.domain.dates import format_instant

    if status.state == ACTIVE:
        text = (f"Support Access is active — available through {format_day(status.until_date)}"
                f" ({format_duration(status.time_left)} left)")
        return text + (f". Reason: {status.reason}" if status.reason else "")
    if status.state == EXPIRED:
        return f"Support Access expired on {format_instant(status.ends_at, tz)}"
    if status.state == REVOKED:
        return f"Support Access was revoked on {format_instant(status.revoked_at, tz)} by {status.revoked_by}"
    return "Support Access is off"
