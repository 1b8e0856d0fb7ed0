"""Benchmark 6: verify(token, scope) throughput with 100,000 integrations vs 100."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain import accounts, integrations, tokens
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.seed import open_database

START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
CALLS = 3000
ROUNDS = 5


def seeded(tmp_path, count: int):
    """A database with `count` integrations (bulk-inserted) plus one real token to verify."""
    clock = ManualClock(START)
    db = open_database(resolve_target(db=str(tmp_path / f"bench-{count}.db")), clock)
    with db.session() as session:
        account = accounts.resolve(session, None)
        issued = integrations.create(session, clock, account.id, "bench", ["contacts.readonly"], Actor("bench"))
        raw = session.connection().connection.driver_connection
        rows = [(account.id, f"fake-{i}", "", "contacts.readonly", tokens.digest(f"fake-{i}"), "pit-xxxx",
                 START.replace(tzinfo=None), "bench") for i in range(count - 1)]
        raw.executemany(
            "INSERT INTO integration (account_id, name, description, scopes, token_hash, token_hint, "
            "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        raw.commit()
    return db, clock, issued.token


def throughput(db, clock, token: str) -> float:
    with db.session() as session:
        began = time.perf_counter()
        for _ in range(CALLS):
            integrations.verify(session, clock, token, "contacts.readonly")
        return CALLS / (time.perf_counter() - began)


def test_verify_throughput(tmp_path, bench_record):
    small = seeded(tmp_path, 100)
    large = seeded(tmp_path, 100_000)
    base, samples = [], []
    for _ in range(ROUNDS):
        base.append(throughput(*small))
        samples.append(throughput(*large))
    row = bench_record("6 verify() per second, 100k integrations", "/s", samples, base,
                       "≥ 20,000/s and ≥ 0.8×", higher_is_better=True)
    small[0].dispose()
    large[0].dispose()
    assert row["median"] > 0
