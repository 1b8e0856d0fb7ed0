"""Racing writers on one account: the account row lock (SELECT … FOR UPDATE on PostgreSQL,
BEGIN IMMEDIATE on SQLite) serializes them, so there is one grant and one unbroken chain."""

from __future__ import annotations

import threading
from datetime import date

from aesthetix_tui.db.errors import is_database_error, timed_out
from aesthetix_tui.domain import accounts, audit, features, integrations, support_access
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import Conflict, DomainError


def race(database, count: int, fn):
    """Run fn(session, i) in `count` threads released at once; returns results or DomainErrors."""
    barrier = threading.Barrier(count)
    outcomes: list = [None] * count

    def run(i: int) -> None:
        with database.session() as session:
            session.connection()  # connected before the start line
            barrier.wait(timeout=30)
            try:
                outcomes[i] = fn(session, i)
            except DomainError as error:
                outcomes[i] = error
            except Exception as error:  # noqa: BLE001 - a raw failure fails the test below
                outcomes[i] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def test_two_enables_racing_leave_exactly_one_grant(database, clock, account):
    for round_ in range(5):
        outcomes = race(database, 2, lambda s, i: support_access.enable(
            s, clock, account.id, date(2026, 11, 28), Actor(f"owner{i}", "owner")))
        done = [o for o in outcomes if not isinstance(o, Exception)]
        refused = [o for o in outcomes if isinstance(o, Exception)]
        assert len(done) == 1, outcomes
        assert len(refused) == 1 and isinstance(refused[0], Conflict), refused
        assert "already active" in refused[0].message
        with database.session() as s:
            support_access.revoke(s, clock, account.id, Actor("alice", "owner"))
    with database.session() as s:
        fresh = accounts.get(s, account.id)
        from sqlmodel import select

        from aesthetix_tui.db.models import SupportGrant

        grants = s.exec(select(SupportGrant).where(SupportGrant.account_id == account.id)).all()
        assert len(grants) == 5 and all(g.revoked_at is not None for g in grants)
        assert audit.verify(s, fresh).ok


def waited_too_long(outcome) -> bool:
    """A write that waited for the account's lock past its bound (PostgreSQL: 2 s, db/guards.py)
    and changed nothing: the user is told db/errors.TIMED_OUT. Only on a starved machine."""
    return is_database_error(outcome) and timed_out(outcome, str(outcome))


def test_concurrent_appends_keep_one_valid_chain(database, clock, account):
    outcomes = race(database, 6, lambda s, i: integrations.create(
        s, clock, account.id, f"App {i}", ["contacts.readonly"], Actor(f"owner{i}", "owner")))
    assert all(not isinstance(o, Exception) or waited_too_long(o) for o in outcomes), outcomes
    created = sum(not isinstance(o, Exception) for o in outcomes)
    assert created >= 1
    outcomes = race(database, 6, lambda s, i: features.update(
        s, clock, account.id, {"legacy_triggers": i % 2 == 0}, Actor(f"owner{i}", "owner")))
    assert all(not isinstance(o, Exception) or isinstance(o, DomainError) or waited_too_long(o)
               for o in outcomes), outcomes
    with database.session() as s:
        fresh = accounts.get(s, account.id)
        report = audit.verify(s, fresh)
        assert report.ok, report.message
        seqs = [e.seq for e in audit.recent(s, fresh, limit=100)]
        assert sorted(seqs) == list(range(1, fresh.audit_seq + 1))
        # a timed-out create left nothing: one integration for each other one, each with its event
        assert len(integrations.list_for(s, fresh, include_revoked=True)) == created
        assert fresh.audit_seq >= 1 + created  # plus whichever feature toggles changed something
