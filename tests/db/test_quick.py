"""The fast `support check` (stdlib sqlite3) answers exactly as the full stack does, or not at all."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from alembic.script import ScriptDirectory

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.db import quick
from aesthetix_tui.db.migrate import alembic_config
from aesthetix_tui.domain import accounts, support_access, support_sessions
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import DomainError
from aesthetix_tui.domain.seed import open_database
from aesthetix_tui.domain.support_status import support_check as rule

START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
OWNER = Actor("alice", "owner")


def test_head_revision_is_alembics_head():
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert quick.head_revision() == head


def full_answer(db, clock, ref):
    with db.session() as session:
        try:
            return support_sessions.check_access(session, clock, ref)
        except DomainError as error:
            return type(error), error.message


def fast_answer(db, clock, ref):
    answer = quick.support_check(db.target, clock.now(), ref, rule)
    assert answer is not None, "the fast path should answer a SQLite file at head"
    return (type(answer), answer.message) if isinstance(answer, DomainError) else answer


@pytest.fixture
def setup(tmp_path):
    clock = ManualClock(START)
    db = open_database(resolve_target(db=str(tmp_path / "q.db")), clock)
    with db.session() as session:
        account = accounts.resolve(session, None)
        accounts.create(session, clock, "Closed Co", "Europe/Paris", OWNER)
    yield db, clock, account
    db.dispose()


def test_the_fast_path_answers_as_the_domain_does(setup):
    db, clock, account = setup
    refs = ["1", "My Business", "2", "Closed Co", "999", "nobody", " My Business "]

    def same():
        for ref in refs:
            assert fast_answer(db, clock, ref) == full_answer(db, clock, ref), ref

    same()  # off
    with db.session() as session:
        support_access.enable(session, clock, account.id, date(2026, 12, 3), OWNER, reason="Ticket 1")
    same()  # active
    clock.advance(timedelta(days=8))
    same()  # expired
    with db.session() as session:
        support_access.enable(session, clock, account.id, date(2026, 12, 10), OWNER)
        support_access.revoke(session, clock, account.id, OWNER)
    same()  # revoked


def test_the_fast_path_steps_aside_unless_the_schema_is_at_head(setup, tmp_path):
    db, clock, _ = setup
    conn = sqlite3.connect(db.target.path)
    conn.execute("UPDATE alembic_version SET version_num = '0001'")
    conn.commit()
    conn.close()
    assert quick.support_check(db.target, clock.now(), "1", rule) is None
    assert quick.support_check(resolve_target(db=str(tmp_path / "missing.db")), clock.now(), "1", rule) is None
    assert quick.support_check(resolve_target(database_url="postgresql://x@y/z"), clock.now(), "1", rule) is None
