"""When a Private Integration's token ends: the one home of the expiry rules.

A token with an expiry works through its last day in the account's timezone (dates.end_of_day).
The policy (expiry_days) is kept, so a rotation's new token ends that many days after it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from aesthetix_tui.db.limits import INTEGRATION_MAX_DAYS
from aesthetix_tui.domain.dates import end_of_day, format_day, local_today, parse_date, plural, zone
from aesthetix_tui.domain.errors import InvalidInput

MAX_DAYS = INTEGRATION_MAX_DAYS  # the latest expiry: today + 366 days (the database holds it too)
PRESETS = (30, 90, 365)  # the form's choices, besides none and a date
WARN_DAYS = 7  # the list warns from this many days before the last day


def window(today: date) -> tuple[date, date]:
    """The first and last day a token may end on."""
    return today, today + timedelta(days=MAX_DAYS)


def policy_days(expires: str | date | int | None, today: date) -> int | None:
    """The policy in days from today (None: never), from a YYYY-MM-DD text, a date or a number of
    days; a day outside window(today) is refused with one sentence."""
    if expires is None or expires == "":
        return None
    if isinstance(expires, bool) or not isinstance(expires, (str, date, int)):
        raise InvalidInput("Choose an expiry: none, a number of days or a date.", field="expires")
    if isinstance(expires, int):
        day = today + timedelta(days=expires)
    else:
        day = expires if isinstance(expires, date) else parse_date_field(expires)
    first, last = window(today)
    if day < first:
        raise InvalidInput(f"The expiry date {format_day(day)} is in the past; choose today or later.",
                           field="expires")
    if day > last:
        raise InvalidInput(f"The expiry date {format_day(day)} is more than {MAX_DAYS} days ahead; "
                           f"choose {format_day(last)} or earlier.", field="expires")
    return (day - today).days


def parse_date_field(text: str) -> date:
    try:
        return parse_date(text)
    except InvalidInput as error:
        raise InvalidInput(error.message, field="expires") from None


def ends_at(days: int | None, now: datetime, tz: str) -> datetime | None:
    """The instant a token issued now with this policy stops working (None: never)."""
    if days is None:
        return None
    return end_of_day(local_today(now, tz) + timedelta(days=days), tz).astimezone(UTC)


def last_day(expires_at: datetime, tz: str) -> date:
    """The last local day the token works (expires_at is the first instant after it)."""
    return (expires_at - timedelta(microseconds=1)).astimezone(zone(tz)).date()


def expired(expires_at: datetime | None, now: datetime) -> bool:
    return expires_at is not None and expires_at <= now


def days_left(expires_at: datetime, now: datetime, tz: str) -> int:
    """Whole local days from today to the last day (0: it ends tonight)."""
    return (last_day(expires_at, tz) - local_today(now, tz)).days


def expiring_within(expires_at: datetime | None, now: datetime, tz: str, days: int) -> bool:
    """Not yet expired, and its last day at most `days` days away."""
    return expires_at is not None and not expired(expires_at, now) and days_left(expires_at, now, tz) <= days


def warns(expires_at: datetime | None, now: datetime, tz: str) -> bool:
    """The list warns from WARN_DAYS days before the last day."""
    return expiring_within(expires_at, now, tz, WARN_DAYS)


def note(expires_at: datetime | None, now: datetime, tz: str) -> str:
    """"expires in 3 days", "expires today", "expired on Thu 3 Dec 2026", or "never expires"."""
    if expires_at is None:
        return "never expires"
    if expired(expires_at, now):
        return f"expired on {format_day(last_day(expires_at, tz))}"
    left = days_left(expires_at, now, tz)
    return "expires today" if left == 0 else f"expires in {plural(left, 'day')}"


def next_change(expires_at: datetime | None, now: datetime, tz: str) -> datetime | None:
    """When note() next reads differently: the warning starts, a day passes, or the token ends."""
    if expires_at is None or expired(expires_at, now):
        return None
    if warns(expires_at, now, tz):
        return min(expires_at, end_of_day(local_today(now, tz), tz))
    return end_of_day(last_day(expires_at, tz) - timedelta(days=WARN_DAYS + 1), tz)
