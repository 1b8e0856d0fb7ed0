"""Many processes, one account: the stress run shared by tests/concurrency and the benchmarks.

Each worker process opens its own engine and runs a seeded random mix of owner operations
against the same account, recording each outcome: ok (with the audit actions it must have
written) or refused (with the DomainError's message). A busy database (DatabaseBusy: SQLite's
busy timeout, or PostgreSQL's lock or statement timeout) is retried by the worker, and every such
retry is counted and reported. A raw error is one that reached the
caller: anything that was not a rule's refusal, or a busy database that outlasted every retry.
"""

from __future__ import annotations

import multiprocessing
import random
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

from aesthetix_tui.errors import DatabaseBusy

NAMES = [f"App {i}" for i in range(5)]
SCOPES = ["contacts.readonly", "calendars.readonly", "contacts.write"]
FEATURES = ["legacy_campaigns", "legacy_triggers"]
OPERATIONS = ["support.enable", "support.extend", "support.revoke", "integration.create", "integration.edit",
              "integration.rotate", "integration.revoke", "features.update", "legacy.regenerate",
              "legacy.disable", "legacy.enable"]
MAX_BUSY_RETRIES = 20


@dataclass
class WorkerResult:
    worker: int
    ok: Counter = field(default_factory=Counter)          # operation -> successes
    actions: Counter = field(default_factory=Counter)     # audit action -> events it must have written
    refused: Counter = field(default_factory=Counter)     # operation -> refusals
    reasons: list[str] = field(default_factory=list)      # every refusal's message
    busy_retries: int = 0                                  # DatabaseBusy, retried and counted
    raw_errors: list[str] = field(default_factory=list)   # anything that was not a DomainError
    integrations_created: int = 0
    integrations_revoked: int = 0
    grants_enabled: int = 0
    seconds: float = 0.0


def one_operation(session, clock, account_id, rng: random.Random, wid: int, i: int, op: str):
    """Run op; returns the audit actions written on success (a DomainError means refused)."""
    from aesthetix_tui.domain import features, integrations, legacy_key, support_access
    from aesthetix_tui.domain.actor import Actor

    actor = Actor(f"worker{wid}", "owner")
    today = clock.now().date()
    if op == "support.enable":
        support_access.enable(session, clock, account_id, today + timedelta(days=rng.randint(1, 10)), actor,
                              reason=f"w{wid} op {i}")
        return ["support_access.enabled"]
    if op == "support.extend":
        support_access.extend(session, clock, account_id, today + timedelta(days=rng.randint(2, 25)), actor)
        return ["support_access.extended"]
    if op == "support.revoke":
        support_access.revoke(session, clock, account_id, actor)
        return ["support_access.revoked"]
    if op == "integration.create":
        integrations.create(session, clock, account_id, rng.choice(NAMES), rng.sample(SCOPES, rng.randint(1, 3)),
                            actor)
        return ["integration.created"]
    if op == "integration.edit":
        integrations.edit(session, clock, account_id, rng.choice(NAMES), actor, description=f"w{wid} op {i}")
        return ["integration.edited"]
    if op == "integration.rotate":
        integrations.rotate(session, clock, account_id, rng.choice(NAMES), actor, rng.choice(["now", "7d"]))
        return ["integration.rotated"]
    if op == "integration.revoke":
        integrations.revoke(session, clock, account_id, rng.choice(NAMES), actor)
        return ["integration.revoked"]
    if op == "features.update":
        changes = {key: rng.random() < 0.5 for key in rng.sample(FEATURES, rng.randint(1, 2))}
        changed = features.update(session, clock, account_id, changes, actor)
        return ["feature.enabled" if changes[key] else "feature.disabled" for key in changed]
    if op == "legacy.regenerate":
        legacy_key.regenerate(session, clock, account_id, actor)
        return ["legacy_key.regenerated"]
    if op == "legacy.disable":
        legacy_key.disable(session, clock, account_id, actor)
        return ["legacy_key.disabled"]
    if op == "legacy.enable":
        legacy_key.enable(session, clock, account_id, actor)
        return ["legacy_key.enabled"]
    raise AssertionError(op)


def run_once(database, clock, account_id, rng, wid, i, op):
    with database.session() as session:
        return one_operation(session, clock, account_id, rng, wid, i, op)


def attempt(result: WorkerResult, op: str, run, target) -> None:
    """Run op as the TUI's gate and the CLI do, retrying a busy database, and record the outcome.

    A busy error that a retry absorbed is counted in busy_retries, not as a failure; a raw
    exception, or a busy database that outlasted every retry, reached the caller: a raw error."""
    from aesthetix_tui.db.errors import explain
    from aesthetix_tui.domain.errors import DomainError

    for tries in range(MAX_BUSY_RETRIES + 1):
        try:
            try:
                actions = run()
            except DomainError:
                raise
            except Exception as error:  # noqa: BLE001 - every raw failure is counted, then explained
                explained = explain(error, target)
                if not isinstance(explained, DatabaseBusy):
                    result.raw_errors.append(f"{op}: {type(error).__name__}: {str(error).splitlines()[0]}")
                raise explained from None
        except DomainError as error:
            busy = isinstance(error, DatabaseBusy)
            if busy and tries < MAX_BUSY_RETRIES:
                result.busy_retries += 1
                continue
            result.refused[op] += 1
            result.reasons.append(error.message)
            if busy:
                result.raw_errors.append(f"{op}: still busy after {MAX_BUSY_RETRIES} retries")
            return
        result.ok[op] += 1
        result.actions.update(actions)
        result.integrations_created += op == "integration.create"
        result.integrations_revoked += op == "integration.revoke"
        result.grants_enabled += op == "support.enable"
        return


def worker(url: str, account_id: int, wid: int, ops: int, seed: int, barrier, results) -> None:
    """A process: its own engine, `ops` random operations, one WorkerResult on the queue."""
    result = WorkerResult(wid)
    try:
        from aesthetix_tui.clock import SystemClock
        from aesthetix_tui.config import resolve_target
        from aesthetix_tui.db.engine import Database, make_engine
        from aesthetix_tui.domain import features, integrations, legacy_key, support_access  # noqa: F401
        from aesthetix_tui.domain.catalog import features as feature_catalog

        feature_catalog()  # loaded before the start line, so the clock times only the operations
        target = resolve_target(database_url=url)
        database = Database(make_engine(url), target)
        clock = SystemClock()
        rng = random.Random(seed * 1000 + wid)
        with database.session() as s:  # connect before the start line
            s.connection()
        barrier.wait(timeout=120)
        began = time.perf_counter()
        for i in range(ops):
            op = rng.choice(OPERATIONS)
            attempt(result, op, lambda i=i, op=op: run_once(database, clock, account_id, rng, wid, i, op), target)
        result.seconds = time.perf_counter() - began
        database.dispose()
    except BaseException:  # noqa: BLE001 - reported, never hidden
        result.raw_errors.append(traceback.format_exc())
    results.put(result)


@dataclass
class StressReport:
    results: list[WorkerResult]
    seconds: float

    def total(self, name: str) -> Counter:
        total = Counter()
        for r in self.results:
            total.update(getattr(r, name))
        return total

    @property
    def operations(self) -> int:
        return sum(self.total("ok").values()) + sum(self.total("refused").values())

    @property
    def ops_per_second(self) -> float:
        return self.operations / self.seconds if self.seconds else 0.0

    @property
    def busy_retries(self) -> int:
        return sum(r.busy_retries for r in self.results)

    def summary(self, label: str) -> str:
        refused = self.total("refused")
        return (f"{label}: {self.operations} ops in {self.seconds:.1f} s = {self.ops_per_second:.0f} ops/s; "
                f"ok {sum(self.total('ok').values())}, refused {sum(refused.values())} "
                f"({', '.join(f'{k} {v}' for k, v in sorted(refused.items()))}), "
                f"busy retries {self.busy_retries}")


def run_stress(url: str, account_id: int, processes: int = 8, ops: int = 200, seed: int = 1) -> StressReport:
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(processes + 1)
    results = ctx.Queue()
    workers = [ctx.Process(target=worker, args=(url, account_id, wid, ops, seed, barrier, results))
               for wid in range(processes)]
    for p in workers:
        p.start()
    barrier.wait(timeout=120)  # every worker is connected: go
    began = time.perf_counter()
    collected = [results.get(timeout=600) for _ in workers]
    seconds = time.perf_counter() - began
    for p in workers:
        p.join(timeout=60)
    return StressReport(sorted(collected, key=lambda r: r.worker), seconds)


def check(database, account_id: int, report: StressReport) -> None:
    """No operation lost or applied twice, at most one live grant, a valid chain, clear refusals."""
    from sqlmodel import func, select

    from aesthetix_tui.clock import SystemClock
    from aesthetix_tui.db.models import AuditEvent, Integration, SupportGrant
    from aesthetix_tui.domain import accounts, audit, support_access

    raw = [e for r in report.results for e in r.raw_errors]
    assert not raw, "operations failed with raw exceptions:\n" + "\n".join(raw[:5])
    reasons = [m for r in report.results for m in r.reasons]
    assert all(m and m.strip() for m in reasons), "a refusal without a reason"
    assert all("reported an error" not in m and "cannot be used" not in m for m in reasons), \
        [m for m in reasons if "reported an error" in m or "cannot be used" in m][:3]

    with database.session() as s:
        account = accounts.get(s, account_id)
        rows = s.exec(select(AuditEvent.action, func.count()).where(
            AuditEvent.account_id == account_id, AuditEvent.seq > 1).group_by(AuditEvent.action)).all()
        written = Counter(dict(rows))
        expected = report.total("actions")
        assert written == expected, f"audit events {dict(written)} != successful operations {dict(expected)}"

        created = s.exec(select(func.count()).select_from(Integration).where(
            Integration.account_id == account_id)).one()
        revoked = s.exec(select(func.count()).select_from(Integration).where(
            Integration.account_id == account_id, Integration.revoked_at.is_not(None))).one()
        grants = s.exec(select(func.count()).select_from(SupportGrant).where(
            SupportGrant.account_id == account_id)).one()
        assert created == sum(r.integrations_created for r in report.results)
        assert revoked == sum(r.integrations_revoked for r in report.results)
        assert grants == sum(r.grants_enabled for r in report.results)

        now = SystemClock().now()
        live = [g for g in s.exec(select(SupportGrant).where(SupportGrant.account_id == account_id)).all()
                if support_access.status_of(g, now).is_active]
        assert len(live) <= 1, f"{len(live)} live grants"
        # names stay unique among live integrations
        names = [i.name for i in s.exec(select(Integration).where(
            Integration.account_id == account_id, Integration.revoked_at.is_(None))).all()]
        assert len(names) == len(set(names))
        report_chain = audit.verify(s, account)
        assert report_chain.ok, report_chain.message
        assert account.audit_seq == 1 + sum(expected.values())
