"""Support Access status: computed from a grant and the clock. No database here,
so the UI can re-read it every second without a query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.limits import SUPPORT_MAX_DAYS
from aesthetix_tui.domain.dates import (
    format_day,
    format_duration,
    format_instant,
    format_short_duration,
    local_today,
    zone,
)
from aesthetix_tui.domain.durations import whole_days
from aesthetix_tui.domain.errors import AccessDenied

PRESET_DAYS = (1, 3, 7, 14, 30)
TARGET = "support_access"
MAX_DAYS_RANGE = (1, SUPPORT_MAX_DAYS)  # an account's cap, support_max_days (the database holds it too)


class SupportPolicy(Protocol):
    """What the window needs of an account: the ORM Account and the UI's AccountInfo both have it."""

    timezone: str
    support_max_days: int


def allowed_window(account: SupportPolicy, clock: Clock) -> tuple[date, date]:
    """The dates an owner may choose: today through the policy maximum."""
    today = local_today(clock.now(), account.timezone)
    return today, today + timedelta(days=account.support_max_days)


def extend_window(account: SupportPolicy, clock: Clock, current_end: date) -> tuple[date, date]:
    """The dates an owner may extend to: after the current end (and not before today), through
    the policy maximum."""
    today, last = allowed_window(account, clock)
    return max(today, current_end + timedelta(days=1)), last


def not_after_end(day: date, current_end: date) -> str | None:
    """Extending: why DAY cannot be the new end (it is not after the current one), else None."""
    if day <= current_end:
        return f"{format_day(day)} is not after the current end, {format_day(current_end)}."
    return None


def check_max_days(value) -> int:
    """An account's Support Access cap as given: whole days within MAX_DAYS_RANGE."""
    return whole_days(value, *MAX_DAYS_RANGE, "The Support Access maximum", "days")


def preset_dates(account: SupportPolicy, clock: Clock) -> list[tuple[int, date]]:
    """The preset lengths that fit the policy, with the day each one ends."""
    today = local_today(clock.now(), account.timezone)
    return [(days, today + timedelta(days=days)) for days in PRESET_DAYS
            if days <= account.support_max_days]

ENDS_SOON = timedelta(hours=24)  # an owner is warned when access ends within this


class SupportState(StrEnum):
    """Support Access as of the clock; equal to its plain text ("active", ...), so printed and
    JSON values are unchanged. Declared from the most open to never enabled: lists sort so."""

    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    OFF = "off"  # never enabled

    @property
    def allowed_actions(self) -> frozenset[str]:
        """enable when not active; extend and revoke only while active."""
        return _ALLOWED[self]

    @property
    def rank(self) -> int:
        """0 for active, up to 3 for off: the order of the declaration."""
        return _RANK[self]

    def why_not(self, action: str, until: date | None = None) -> str | None:
        """The owner's ACTION (enable, extend, revoke) in this state: None when it applies, else
        one sentence why not. until: the active grant's last day, named when given."""
        if action in self.allowed_actions:
            return None
        if action == "enable":
            through = f" through {format_day(until)}" if until is not None else ""
            return f"Support Access is already active{through}; extend it instead."
        if action == "extend":
            return f"Support Access is {self}; enable it instead of extending."
        if action == "revoke":
            return f"Support Access is {self}; there is nothing to revoke."
        raise ValueError(f"not a Support Access action: {action!r}")


OFF, ACTIVE, EXPIRED, REVOKED = SupportState.OFF, SupportState.ACTIVE, SupportState.EXPIRED, SupportState.REVOKED
ACTIONS = frozenset({"enable", "extend", "revoke"})
_RANK = {state: index for index, state in enumerate(SupportState)}
_ALLOWED = {ACTIVE: frozenset({"extend", "revoke"}), EXPIRED: frozenset({"enable"}),
            REVOKED: frozenset({"enable"}), OFF: frozenset({"enable"})}


@dataclass(frozen=True)
class SupportAccessStatus:
    state: SupportState  # off (never enabled), active, expired or revoked (status_of; plain text works too)
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

    def allows(self, action: str) -> bool:
        """May the owner enable, extend or revoke now (SupportState.allowed_actions)?"""
        return action in SupportState(self.state).allowed_actions

    def why_not(self, action: str) -> str | None:
        """Why ACTION does not apply now, in one sentence (None when it does)."""
        return SupportState(self.state).why_not(action, self.until_date if self.is_active else None)

    @property
    def ends_soon(self) -> bool:
        """Active, and ending within ENDS_SOON: the owner is warned."""
        return self.state == ACTIVE and self.time_left is not None and self.time_left <= ENDS_SOON

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
            "ends_soon": self.ends_soon,
        }


def status_of(grant, now: datetime) -> SupportAccessStatus:
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


def ending_text(status: SupportAccessStatus, tz: str) -> str:
    """ends in 5 h (Thu 3 Dec, 23:59): when access ends soon, in the account's timezone. Access
    ends at the start of the next day (ends_at): the last minute it is on is shown."""
    local = (status.ends_at - timedelta(seconds=1)).astimezone(zone(tz))
    return f"ends in {format_short_duration(status.time_left)} ({format_day(local.date(), year=False)}, {local:%H:%M})"


def sentence(status: SupportAccessStatus, tz: str) -> str:
    """The status line an owner reads."""
    if status.state == ACTIVE:
        if status.ends_soon:
            text = f"Support Access is active — {ending_text(status, tz)}"
        else:
            text = (f"Support Access is active — available through {format_day(status.until_date)}"
                    f" ({format_duration(status.time_left)} left)")
        return text + (f". Reason: {status.reason}" if status.reason else "")
    if status.state == EXPIRED:
        return f"Support Access expired on {format_instant(status.ends_at, tz)}"
    if status.state == REVOKED:
        return f"Support Access was revoked on {format_instant(status.revoked_at, tz)} by {status.revoked_by}"
    return "Support Access is off"


# -- the support agent's check: the same rule for the full stack and the CLI's fast path -------

class NoAccess(AccessDenied):
    """The account has no active Support Access: support cannot open it."""


@dataclass(frozen=True)
class AccessibleAccount:
    account_id: int
    name: str
    timezone: str
    until_date: date
    ends_at: datetime
    time_left: timedelta
    reason: str | None
    enabled_by: str

    @property
    def time_left_text(self) -> str:
        return format_duration(self.time_left)

    def as_dict(self) -> dict:
        return {
            "id": self.account_id, "name": self.name, "timezone": self.timezone,
            "available_through": self.until_date.isoformat(), "ends_at": self.ends_at.isoformat(),
            "seconds_left": int(self.time_left.total_seconds()), "reason": self.reason,
            "enabled_by": self.enabled_by,
        }


def no_access_sentence(name: str, status: SupportAccessStatus) -> str:
    if status.state == EXPIRED:
        return f"Support Access to {name} has expired; support cannot open this account."
    if status.state == REVOKED:
        return f"Support Access to {name} was revoked by the account owner; support cannot open this account."
    return f"Support Access to {name} is off; support cannot open this account."


def support_check(account_id: int, name: str, timezone: str, grant, now: datetime) -> AccessibleAccount:
    """May support open this account now, given its latest grant? Else NoAccess, with the reason."""
    status = status_of(grant, now)
    if not status.is_active:
        raise NoAccess(no_access_sentence(name, status))
    return AccessibleAccount(account_id, name, timezone, status.until_date, status.ends_at,
                             status.time_left, status.reason, status.enabled_by)
