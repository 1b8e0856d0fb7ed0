"""8 processes × 200 mixed operations on one account, on SQLite and on PostgreSQL.

Afterwards: every successful operation wrote exactly its audit events (none lost, none twice),
the counts of rows agree, at most one grant is live, the chain verifies, and every refusal
has a clear reason. A bigger run is in tests/benchmarks/test_stress_bench.py (`make bench`).
"""

from __future__ import annotations

import pytest

from tests.concurrency.stress import check, run_stress
from tests.pg_server import lent, serving

PROCESSES = 8
OPS = 200


@pytest.fixture(scope="module")
def real_time_server():
    """A cluster on the machine's own clock, for the stress run, which keeps no fixed clock (its
    workers use the system's). Its thousands of lock waits fire the server's timeout signal,
    whose handler reads the time: under libfaketime that read opens the clock file, a malloc
    inside a signal handler, which corrupted a server's heap (glibc's "malloc assertion failure
    in sysmalloc", about one run in five)."""
    yield from serving(faked=False)


@pytest.fixture
def pg_url(real_time_server):
    """This module's PostgreSQL databases (the `database` fixture's), on real_time_server."""
    yield from lent(real_time_server)


@pytest.mark.slow
def test_stress_many_processes_one_account(database, account):
    report = run_stress(database.target.url, account.id, processes=PROCESSES, ops=OPS)
    print(report.summary(database.engine.dialect.name))
    assert report.operations == PROCESSES * OPS, "an operation went unrecorded"
    check(database, account.id, report)
    assert sum(report.total("ok").values()) > PROCESSES * OPS // 4  # most of the mix does something


# -- what the stress run counts ---------------------------------------------------------------------

def failing(*errors):
    """A run() that raises each error in turn, then succeeds with one audit action."""
    pending = list(errors)

    def run():
        if pending:
            raise pending.pop(0)
        return ["support_access.revoked"]

    return run


def test_a_busy_error_absorbed_by_a_retry_is_not_a_failure(tmp_path):
    from sqlalchemy.exc import OperationalError

    from aesthetix_tui.config import resolve_target
    from tests.concurrency.stress import WorkerResult, attempt

    locked = OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
    result = WorkerResult(0)
    attempt(result, "support.revoke", failing(locked, locked), resolve_target(db=str(tmp_path / "x.db")))
    assert (result.busy_retries, result.raw_errors, dict(result.ok)) == (2, [], {"support.revoke": 1})


def test_a_lock_timeout_is_busy_too_and_retried(tmp_path):
    """PostgreSQL's lock_not_available (the owner's lock gave up after its waits, e.g. on a loaded
    machine) is the app's TimedOut, a DatabaseBusy: retried like SQLite's busy file, not raw."""
    from sqlalchemy.exc import OperationalError

    from aesthetix_tui.config import resolve_target
    from tests.concurrency.stress import WorkerResult, attempt

    class LockNotAvailable(Exception):
        sqlstate = "55P03"

    timed_out = OperationalError("UPDATE integration", {}, LockNotAvailable("canceling statement due to lock timeout"))
    result = WorkerResult(0)
    attempt(result, "integration.edit", failing(timed_out), resolve_target(database_url="postgresql://x@h/db"))
    assert (result.busy_retries, result.raw_errors, dict(result.ok)) == (1, [], {"integration.edit": 1})


def test_a_raw_exception_or_endless_busy_reaching_the_caller_is_a_failure(tmp_path):
    from sqlalchemy.exc import OperationalError

    from aesthetix_tui.config import resolve_target
    from tests.concurrency.stress import MAX_BUSY_RETRIES, WorkerResult, attempt

    target = resolve_target(db=str(tmp_path / "x.db"))
    result = WorkerResult(0)
    attempt(result, "features.update", failing(ZeroDivisionError("boom")), target)
    assert result.raw_errors == ["features.update: ZeroDivisionError: boom"]

    locked = OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
    result = WorkerResult(0)
    attempt(result, "support.revoke", failing(*[locked] * (MAX_BUSY_RETRIES + 1)), target)
    assert result.busy_retries == MAX_BUSY_RETRIES
    assert result.raw_errors == [f"support.revoke: still busy after {MAX_BUSY_RETRIES} retries"]
    assert not result.ok
