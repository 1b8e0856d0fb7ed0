"""Databases for the benchmarks, made once per run with the domain (and bulk inserts)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from aesthetix_tui.clock import SystemClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor

OWNER = Actor("bench", "owner")


def account_db(path: Path, active: bool = True) -> Path:
    """A database at the newest schema, one account, and (if active) Support Access on for 7 days."""
    from aesthetix_tui.domain import accounts, dates, support_access
    from aesthetix_tui.domain.seed import open_database

    clock = SystemClock()
    db = open_database(resolve_target(db=str(path)), clock)
    try:
        with db.session() as session:
            account = accounts.resolve(session, None)
            if active:
                today = dates.local_today(clock.now(), account.timezone)
                support_access.enable(session, clock, account.id, today + timedelta(days=7), OWNER,
                                      reason="benchmark")
    finally:
        db.dispose()
    return path


def add_integrations(path: Path, count: int) -> None:
    """`count` integrations in one bulk insert (distinct fake hashes, no audit events)."""
    con = sqlite3.connect(str(path))
    try:
        with con:
            con.executemany(
                "INSERT INTO integration (account_id, name, description, scopes, token_hash, token_hint, "
                "created_at, created_by) VALUES (1, ?, '', ?, ?, ?, '2026-11-20 10:00:00.000000', 'loader')",
                [(f"Integration {n:05d}", "contacts.readonly" if n % 3 else
                  "contacts.readonly contacts.write calendars.readonly", f"{n:064x}", f"pit-{n % 10000:04d}")
                 for n in range(count)])
    finally:
        con.close()
