"""8 processes × 200 mixed operations on one account, on SQLite and on PostgreSQL.

Afterwards: every successful operation wrote exactly its audit events (none lost, none twice),
the counts of rows agree, at most one grant is live, the chain verifies, and every refusal
has a clear reason. A bigger run is in tests/benchmarks/test_stress_bench.py (`make bench`).
"""

from __future__ import annotations

from tests.concurrency.stress import check, run_stress

PROCESSES = 8
OPS = 200


def test_stress_many_processes_one_account(database, account):
    report = run_stress(database.target.url, account.id, processes=PROCESSES, ops=OPS)
    print(report.summary(database.engine.dialect.name))
    assert report.operations == PROCESSES * OPS, "an operation went unrecorded"
    check(database, account.id, report)
    assert sum(report.total("ok").values()) > PROCESSES * OPS // 4  # most of the mix does something
