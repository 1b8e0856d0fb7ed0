"""The stress run, bigger: 8 processes × 600 mixed operations on one account, per database.

Prints throughput (ops/s) and refusal counts; the baseline is one process doing 600 of the
same operations alone, so the ratio shows what contention costs. The same checks as the
default suite's tests/concurrency/test_stress.py hold afterwards.
"""

from __future__ import annotations

from tests.concurrency.stress import StressReport, check, run_stress

PROCESSES = 8
OPS = 600


def test_stress_throughput(database, account, bench_record):
    kind = database.engine.dialect.name
    alone = run_stress(database.target.url, account.id, processes=1, ops=OPS, seed=7)
    check(database, account.id, alone)
    report = run_stress(database.target.url, account.id, processes=PROCESSES, ops=OPS, seed=8)
    print("\n" + alone.summary(f"{kind} 1×{OPS}"))
    print(report.summary(f"{kind} {PROCESSES}×{OPS}"))
    assert report.operations == PROCESSES * OPS
    # Both runs hit the same account: check them together, from the seeded start.
    check(database, account.id, StressReport(alone.results + report.results, alone.seconds + report.seconds))
    row = bench_record(f"stress {PROCESSES}×{OPS} ops/s ({kind})", "/s", [report.ops_per_second],
                       [alone.ops_per_second], "report only; refusals are printed", higher_is_better=True)
    row["refused"] = dict(report.total("refused"))
    row["busy_retries"] = report.busy_retries
    assert row["median"] > 0
