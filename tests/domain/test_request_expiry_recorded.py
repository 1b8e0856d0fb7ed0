"""A request's expiry is recorded with one audit event once the owner looks (profile, CLI list)."""

from __future__ import annotations

from datetime import timedelta

from helpers import query

from aesthetix_tui.domain import profile
from aesthetix_tui.domain import support_requests as requests
from aesthetix_tui.domain.actor import Actor

SAM = Actor("sam", "support")


def expiry_events(database, account_id: int) -> int:
    rows = query(database, "SELECT action FROM audit_event WHERE account_id = ? AND action = ?",
                 (account_id, "support_request.expired"))
    return len(rows)


def test_the_owners_view_records_each_expiry_once(session, clock, account, database):
    made = requests.make(session, clock, account.id, SAM, "T-1", "Billing", 3)
    assert requests.record_expiries(session, clock, account.id) == 0  # not due: nothing written
    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert requests.record_expiries(session, clock, account.id) == 0
    assert expiry_events(database, account.id) == 0
    clock.advance(timedelta(seconds=1))
    read = profile.read(session, account.id, clock)
    assert read.requests == ()
    assert expiry_events(database, account.id) == 1
    assert requests.get(session, clock, made.id).state == "expired"
    assert query(database, "SELECT state FROM support_request WHERE id = ?", (made.id,)) == [("expired",)]
    profile.read(session, account.id, clock)
    assert requests.record_expiries(session, clock, account.id) == 0
    assert expiry_events(database, account.id) == 1
