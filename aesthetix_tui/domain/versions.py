"""Optimistic versions: a write names the version it read, and is refused if that is stale.

Every versioned row is re-read under the account's row lock (domain/transaction.py), so
checking its version there and bumping it in the same transaction loses no update.
"""

from __future__ import annotations

from datetime import datetime

from aesthetix_tui.clock import Clock
from aesthetix_tui.domain.dates import format_day, zone
from aesthetix_tui.domain.errors import StaleWrite


def check(expected: int | None, current: int, what: str, by: str | None, at: datetime | None,
          clock: Clock, tz: str, then: str = "review and try again", verb: str = "was") -> None:
    """Refuse when `expected` (None: no check) is not the `current` version.

    "These settings were changed by alice at 14:02; review and update again."
    """
    if expected is None or expected == current:
        return
    raise StaleWrite(f"{what} {verb} changed{by_when(by, at, clock, tz)}; {then}.")


def check_row(expected: int | None, row, what: str, clock: Clock, tz: str, made: str = "created") -> None:
    """check() for a versioned row (None: none yet, version 0), naming who changed it last:
    its updated_by/updated_at, else who made it (`made`_by/`made`_at, e.g. enabled_by)."""
    if row is None:
        check(expected, 0, what, None, None, clock, tz)
    else:
        check(expected, row.version, what, row.updated_by or getattr(row, f"{made}_by"),
              row.updated_at or getattr(row, f"{made}_at"), clock, tz)


def by_when(by: str | None, at: datetime | None, clock: Clock, tz: str) -> str:
    """' by alice at 14:02' in the account's timezone, with the day when it was not today."""
    who = f" by {by}" if by else " elsewhere"
    if at is None:
        return who
    local, today = at.astimezone(zone(tz)), clock.now().astimezone(zone(tz)).date()
    if local.date() == today:
        return f"{who} at {local:%H:%M}"
    return f"{who} at {local:%H:%M} on {format_day(local.date())}"


def changed_by(row, clock: Clock, actor_name: str) -> None:
    """Every owner's change bumps the row's version and records who and when
    (recording a token's last use does not)."""
    row.version = (row.version or 0) + 1
    row.updated_at, row.updated_by = clock.now(), actor_name
