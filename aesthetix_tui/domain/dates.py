"""Dates in an account's timezone. Stored instants are UTC."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from aesthetix_tui.domain.errors import InvalidInput


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{name!r} is not a known timezone; use a name like Europe/Paris.") from None


def local_today(now: datetime, tz: str) -> date:
    return now.astimezone(zone(tz)).date()


def end_of_day(day: date, tz: str) -> datetime:
    """The first instant after `day` ends in `tz`: access runs *through* that day."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone(tz))


DATE_SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
WRITE_DATE = "Write the date as YYYY-MM-DD, for example 2026-12-03."


def parse_date(text: str) -> date:
    """The one date parser (CLI, date picker, audit filters): exactly YYYY-MM-DD, ASCII digits.
    Spaces around it are forgiven; a line break or any other character is not."""
    text = text.strip(" ")
    if not DATE_SHAPE.fullmatch(text):
        raise InvalidInput(WRITE_DATE)
    try:
        return date(int(text[:4]), int(text[5:7]), int(text[8:]))
    except ValueError:
        raise InvalidInput(f"{text} is not a date.") from None


# The one set of names (the date picker's too): English whatever the process locale.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
WEEKDAYS = tuple(name[:3] for name in WEEKDAY_NAMES)  # Mon
MONTHS = tuple(name[:3] for name in MONTH_NAMES)  # Jan


def format_day(day: date, year: bool = True) -> str:
    """Thu 3 Dec 2026 (or without the year: Thu 3 Dec), in English whatever the process locale."""
    text = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if year else text


def short_day(day: date, this_year: int | None = None) -> str:
    """26 Nov 2026, or 26 Nov when it is THIS_YEAR's (a list's dates, the year said only when it differs)."""
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return text if day.year == this_year else f"{text} {day.year}"


def format_instant(when: datetime, tz: str) -> str:
    """Thu 3 Dec 2026 14:02 in the account's timezone."""
    local = when.astimezone(zone(tz))
    return f"{format_day(local.date())} {local:%H:%M}"


def format_duration(delta: timedelta) -> str:
    """6 days left, 5 hours, 12 minutes: the largest unit that says it."""
    seconds = max(0, int(delta.total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days >= 1:
        return plural(days, "day")
    if hours >= 1:
        return plural(hours, "hour")
    if minutes >= 1:
        return plural(minutes, "minute")
    return "less than a minute"


def format_short_duration(delta: timedelta) -> str:
    """5 h, 40 min, less than a minute: for a warning that something ends soon."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds >= 3600:
        return f"{seconds // 3600} h"
    if seconds >= 60:
        return f"{seconds // 60} min"
    return "less than a minute"


def plural(n: int, word: str) -> str:
    """"1 event", "2 events", "1,000 events"."""
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"
