"""Stale integrations: the one home of the rule.

A live (not revoked) integration is stale when its token was used, but not for
`stale_unused_days` days or more; or was never used, and was created `stale_new_days` days
ago or more. Both are the account's settings (Account.stale_unused_days, .stale_new_days).
`is_stale` decides for one row; `stale_clause` is the same rule in SQL, for bulk reads (it
imports SQLAlchemy when called: the TUI reads the rule on its event loop, where the database
stack never loads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from aesthetix_tui.domain.dates import plural
from aesthetix_tui.domain.durations import whole_days

if TYPE_CHECKING:
    from sqlalchemy.sql.elements import ColumnElement

DEFAULT_UNUSED_DAYS = 90
DEFAULT_NEW_DAYS = 30
MIN_DAYS, MAX_DAYS = 1, 3650


@dataclass(frozen=True)
class StaleRule:
    """One account's settings: after how many days an integration counts as stale."""

    unused_days: int = DEFAULT_UNUSED_DAYS
    new_days: int = DEFAULT_NEW_DAYS

    @classmethod
    def of(cls, account) -> StaleRule:
        """From an Account (or anything with stale_unused_days and stale_new_days)."""
        return cls(account.stale_unused_days, account.stale_new_days)

    def is_stale(self, row, now: datetime) -> bool:
        """row: an Integration or an integration_list.Row (revoked_at, last_used_at, created_at)."""
        if row.revoked_at is not None:
            return False
        if row.last_used_at is None:
            return now - row.created_at >= timedelta(days=self.new_days)
        return now - row.last_used_at >= timedelta(days=self.unused_days)

    def words(self) -> str:
        """"unused 90 days, or never used 30 days after creation"."""
        return f"unused {plural(self.unused_days, 'day')}, or never used {plural(self.new_days, 'day')} after creation"

    def as_dict(self) -> dict:
        return {"unused_days": self.unused_days, "new_days": self.new_days}


def is_stale(integration, account, now: datetime) -> bool:
    """The rule for one integration of ACCOUNT (see the module's docstring)."""
    return StaleRule.of(account).is_stale(integration, now)


def check_days(value, field: str, what: str) -> int:
    """A setting as typed: a whole number of days from MIN_DAYS to MAX_DAYS."""
    return whole_days(value, MIN_DAYS, MAX_DAYS, what, field)


# -- the same rule in SQL ---------------------------------------------------------------------------

def days_before(dialect: str, now: datetime, n) -> ColumnElement:
    """The instant N whole days (an integer SQL expression) before NOW, exact to the microsecond
    and comparable with a UTCDateTime column on DIALECT."""
    # TUI event loop: the UI imports this module, the database stack loads only in the gate's worker
    from sqlalchemy import String, cast, func, literal

    from aesthetix_tui.db.columns import UTCDateTime

    if dialect == "postgresql":
        # Hours, not days: a day interval on a timestamptz follows the session's time zone.
        return cast(literal(now, UTCDateTime()), UTCDateTime()) - func.make_interval(0, 0, 0, 0, n * 24)
    # SQLite holds instants as naive UTC text, "YYYY-MM-DD HH:MM:SS.ffffff": whole days move only
    # the date part, so the cutoff is SQLite's date arithmetic followed by now's time of day.
    utc = UTCDateTime().process_bind_param(now, _SQLITE)  # naive UTC, as SQLite holds it
    modifier = literal("-").concat(cast(n, String)).concat(" days")
    return func.date(literal(utc.strftime("%Y-%m-%d")), modifier).concat(" " + utc.strftime("%H:%M:%S.%f"))


class _Dialect:
    name = "sqlite"


_SQLITE = _Dialect()


def stale_clause(dialect: str, now: datetime, unused_days, new_days) -> ColumnElement:
    """Integration rows stale at NOW, for the settings UNUSED_DAYS and NEW_DAYS (columns of a
    joined Account, or plain integers): is_stale's rule in SQL."""
    # TUI event loop (see days_before)
    from sqlalchemy import and_, or_

    from aesthetix_tui.db.models import Integration

    return and_(
        Integration.revoked_at.is_(None),
        or_(and_(Integration.last_used_at.is_(None),
                 Integration.created_at <= days_before(dialect, now, new_days)),
            Integration.last_used_at <= days_before(dialect, now, unused_days)),
    )


__all__ = ["DEFAULT_NEW_DAYS", "DEFAULT_UNUSED_DAYS", "MAX_DAYS", "MIN_DAYS", "StaleRule", "check_days",
           "is_stale", "stale_clause"]
