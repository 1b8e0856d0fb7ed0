"""Things where SQLite and PostgreSQL differ, held to the same behaviour on both."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from helpers import query, refused

from aesthetix_tui.db.models import Account
from aesthetix_tui.domain import accounts, audit, integrations
from aesthetix_tui.domain.errors import Conflict, InvalidInput

SCOPES = ["contacts.readonly"]


def test_the_longest_non_ascii_edit_fits_its_audit_event(session, clock, account, owner):
    """PostgreSQL enforces VARCHAR lengths; escaped non-ASCII text used to overflow `details`."""
    integrations.create(session, clock, account.id, "é" * 64, SCOPES, owner, description="日本" * 250)
    edited = integrations.edit(session, clock, account.id, "é" * 64, owner, name="ü" * 64,
                               description="€" * 500)
    assert edited.description == "€" * 500
    assert audit.verify(session, accounts.get(session, account.id)).ok


def test_a_nul_in_a_description_is_refused_on_both(database, session, clock, account, owner):
    with refused(database, InvalidInput, "no control characters"):
        integrations.create(session, clock, account.id, "A", SCOPES, owner, description="a\x00b")


def test_instants_are_utc_whatever_the_connection_zone(database, session, clock, account):
    """Stored as UTC; read back aware UTC, even by a connection set to another zone."""
    from sqlalchemy import create_engine
    from sqlmodel import Session

    # The clock's instant, 16:30 in another zone (PostgreSQL records its own clock's time).
    clock.advance(timedelta(minutes=30))
    session.commit()  # the write's transaction starts now (PostgreSQL's now() is its start)
    when = clock.now().astimezone(timezone(timedelta(hours=1)))
    assert when == datetime(2026, 11, 26, 16, 30, tzinfo=timezone(timedelta(hours=1)))
    account.created_at = when
    session.add(account)
    session.commit()
    if database.engine.dialect.name == "postgresql":
        other = create_engine(database.engine.url, connect_args={"options": "-c TimeZone=Asia/Tokyo"})
    else:
        other = database.engine
    try:
        with Session(other) as s:
            loaded = s.get(Account, account.id)
            assert loaded.created_at == when
            assert loaded.created_at.utcoffset() == timedelta(0)
    finally:
        if other is not database.engine:
            other.dispose()
    assert query(database, "SELECT created_at FROM account WHERE id = ?", (account.id,))[0][0] \
        .startswith("2026-11-26 15:30:00")


def test_booleans_round_trip(session, clock, account, owner):
    from aesthetix_tui.domain import legacy_key

    legacy_key.regenerate(session, clock, account.id, owner)
    assert legacy_key.disable(session, clock, account.id, owner).disabled is True
    assert legacy_key.enable(session, clock, account.id, owner).disabled is False


def test_two_hosts_creating_one_account_name_get_one_account_and_a_conflict(database, clock, owner):
    from tests.concurrency.test_races import race

    outcomes = race(database, 2, lambda s, i: accounts.create(s, clock, "Zen Spa", "UTC", owner))
    done = [o for o in outcomes if isinstance(o, Account)]
    assert len(done) == 1, outcomes
    conflict = next(o for o in outcomes if not isinstance(o, Account))
    assert isinstance(conflict, Conflict) and "already exists" in conflict.message
    assert query(database, "SELECT COUNT(*) FROM account WHERE name = 'Zen Spa'") == [(1,)]
