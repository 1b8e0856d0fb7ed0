"""The command line's quick answers: a SQLite file at the newest schema read with stdlib sqlite3
alone (db/quick.py), by the domain's own rules, before SQLAlchemy loads. None: not answerable
there, ask the full stack. No database stack here."""

from __future__ import annotations

from datetime import datetime

from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.db import quick
from aesthetix_tui.domain import support_status


def account_check(target: DatabaseTarget, account: str):
    """True when the account named exists, its NotFound when it does not, or None."""
    return quick.account_check(target, account)


def support_check(target: DatabaseTarget, now: datetime, account: str):
    """Whether support may open the account now (support_status.support_check): its
    AccessibleAccount, its NoAccess or NotFound, or None."""
    return quick.support_check(target, now, account, support_status.support_check)
