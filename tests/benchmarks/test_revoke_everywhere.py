"""Benchmark 10 (issue 15): `revoke_everywhere` over 10,000 accounts with Support Access on,
against the baseline of 10,000 single revokes (`support_access.revoke`, one session each) in one
process, on copies of the same SQLite file. Target: under 2x the baseline."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import UTC, datetime, timedelta

from seeding import OWNER, account_db

from aesthetix_tui.clock import SystemClock
from aesthetix_tui.config import resolve_target

COUNT = 10_000


def add_active_accounts(path, count: int) -> None:
    """`count` more accounts, each with Support Access on for 7 days (bulk insert, no audit events)."""
    now = datetime.now(UTC).replace(tzinfo=None)
    until = (now + timedelta(days=7)).date()
    con = sqlite3.connect(str(path))
    try:
        with con:
            con.executemany(
                "INSERT INTO account (name, timezone, support_max_days, created_at, audit_seq, audit_head, "
                "settings_version, agent_policy) VALUES (?, 'UTC', 30, ?, 0, '', 0, 'read-only')",
                [(f"Client {n:05d}", now.isoformat(" ")) for n in range(count)])
            con.execute(
                "INSERT INTO support_grant (account_id, until_date, ends_at, reason, enabled_at, enabled_by, "
                "version) SELECT id, ?, ?, 'bench', ?, 'bench', 1 FROM account WHERE name LIKE 'Client %'",
                (until.isoformat(), (datetime.combine(until, datetime.min.time()) + timedelta(days=1)).isoformat(" "),
                 (now - timedelta(hours=1)).isoformat(" ")))
    finally:
        con.close()


def opened(path):
    from aesthetix_tui.domain.seed import open_database

    return open_database(resolve_target(db=str(path)), SystemClock())


def test_revoke_everywhere(tmp_path, bench_record):
    from sqlmodel import select

    from aesthetix_tui.db.models import Account
    from aesthetix_tui.domain import support_access
    from aesthetix_tui.domain.revoke_everywhere import revoke_everywhere

    first = account_db(tmp_path / "a.db", active=False)
    add_active_accounts(first, COUNT)
    second = tmp_path / "b.db"
    shutil.copy(first, second)
    clock = SystemClock()

    database = opened(first)  # the baseline: one single revoke per account, in one process
    with database.session() as session:
        ids = session.exec(select(Account.id).where(Account.name.like("Client %"))).all()
    began = time.perf_counter()
    for account_id in ids:
        with database.session() as session:
            support_access.revoke(session, clock, account_id, OWNER)
    single = time.perf_counter() - began
    database.dispose()

    database = opened(second)
    began = time.perf_counter()
    summary = revoke_everywhere(database, clock, OWNER)
    everywhere = time.perf_counter() - began
    database.dispose()

    assert len(summary.revoked) == COUNT and summary.all_off
    bench_record(f"10 revoke --all-accounts, {COUNT:,} accounts", "s", [everywhere], [single], "< 2×")
