"""No lost updates: every editable record carries a version; a write based on a stale read is
refused with who changed it and when, and changes nothing. Backend-neutral (SQLAlchemy only).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from aesthetix_tui.db.models import Account, SupportGrant
from aesthetix_tui.domain import (
    accounts,
    audit,
    features,
    integration_list,
    integrations,
    legacy_key,
    profile,
    support_access,
)
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import Conflict, StaleWrite

BOB = Actor("bob", "owner")
SCOPES = ["contacts.readonly"]


def snapshot(database) -> dict[str, list]:
    with database.engine.connect() as conn:
        return {name: sorted((tuple(r) for r in conn.execute(table.select())), key=repr)
                for name, table in SQLModel.metadata.tables.items()}


@contextmanager
def stale(database, match: str):
    """The block raises StaleWrite matching `match`, and no row changes."""
    before = snapshot(database)
    with pytest.raises(StaleWrite, match=match) as info:
        yield info
    assert snapshot(database) == before, "a refused write changed the database"


@pytest.fixture
def other(database):
    """A second session: another TUI or a script, changing things meanwhile."""
    with database.session() as s:
        yield s


def later(clock, minutes: int = 62) -> None:
    clock.advance(timedelta(minutes=minutes))  # 15:00 UTC -> 16:02


# -- deprecated features ------------------------------------------------------------------

def test_a_stale_features_update_names_who_and_when(database, session, other, clock, account, owner):
    read = profile.read(session, account.id)
    assert read.features_version == 0
    later(clock)
    features.update(other, clock, account.id, {"legacy_triggers": True}, BOB)
    with stale(database, r"^These settings were changed by bob at 16:02; review and update again\.$"):
        features.update(session, clock, account.id, {"legacy_campaigns": True}, owner,
                        expected_version=read.features_version)
    fresh = profile.read(session, account.id)
    assert fresh.features_version == 1
    assert features.update(session, clock, account.id, {"legacy_campaigns": True}, owner,
                           expected_version=fresh.features_version) == ["legacy_campaigns"]
    assert profile.read(session, account.id).features_version == 2


def test_the_time_is_in_the_accounts_timezone(database, session, other, clock, account, owner):
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE account SET timezone = 'Europe/Paris' WHERE id = :id"), {"id": account.id})
    features.update(other, clock, account.id, {"legacy_triggers": True}, BOB)  # 15:00 UTC = 16:00 Paris
    with stale(database, "changed by bob at 16:00;"):
        features.update(session, clock, account.id, {"legacy_triggers": False}, owner, expected_version=0)


def test_a_change_on_another_day_names_the_day(database, session, other, clock, account, owner):
    features.update(other, clock, account.id, {"legacy_triggers": True}, BOB)
    clock.advance(timedelta(days=1))
    with stale(database, r"changed by bob at 15:00 on Thu 26 Nov 2026;"):
        features.update(session, clock, account.id, {"legacy_triggers": False}, owner, expected_version=0)


def test_no_expected_version_means_no_check(session, other, clock, account, owner):
    features.update(other, clock, account.id, {"legacy_triggers": True}, BOB)
    assert features.update(session, clock, account.id, {"legacy_triggers": False}, owner) == ["legacy_triggers"]


def test_an_update_that_changes_nothing_keeps_the_version(session, clock, account, owner):
    features.update(session, clock, account.id, {"legacy_triggers": True}, owner, expected_version=0)
    assert features.update(session, clock, account.id, {"legacy_triggers": True}, owner,
                           expected_version=1) == []
    assert profile.read(session, account.id).features_version == 1
    acct = accounts.get(session, account.id)
    assert (acct.settings_updated_by, acct.settings_updated_at) == ("alice", clock.now())


# -- support access -------------------------------------------------------------------------

def grant_version(session, account_id) -> int:
    grant = support_access.latest_grant(session, account_id)
    return grant.version if grant else 0


def test_a_stale_extend_or_revoke_is_refused(database, session, other, clock, account, owner):
    support_access.enable(session, clock, account.id, date(2026, 11, 28), owner)
    read = grant_version(session, account.id)
    later(clock)
    support_access.extend(other, clock, account.id, date(2026, 11, 30), BOB)
    with stale(database, r"^Support Access was changed by bob at 16:02; review and try again\.$"):
        support_access.extend(session, clock, account.id, date(2026, 12, 2), owner, expected_version=read)
    with stale(database, "Support Access was changed by bob at 16:02"):
        support_access.revoke(session, clock, account.id, owner, expected_version=read)
    fresh = grant_version(session, account.id)
    assert fresh == read + 1
    assert support_access.revoke(session, clock, account.id, owner, expected_version=fresh).state == "revoked"
    assert grant_version(session, account.id) == fresh + 1


def test_a_new_grant_continues_the_version(database, session, other, clock, account, owner):
    """Revoke and enable again elsewhere: the grant the screen read is gone, and the version says so."""
    support_access.enable(session, clock, account.id, date(2026, 11, 28), owner)
    read = grant_version(session, account.id)
    support_access.revoke(other, clock, account.id, BOB)
    support_access.enable(other, clock, account.id, date(2026, 11, 29), BOB)
    session.commit()  # end the read, as the screen's next load would
    assert grant_version(session, account.id) == read + 2
    with stale(database, "Support Access was changed by bob"):
        support_access.revoke(session, clock, account.id, owner, expected_version=read)


def test_two_enables_racing_leave_exactly_one_grant(database, clock, account, owner):
    """Each in its own session and thread: the account row lock lets one in; the other is refused."""
    barrier, results = threading.Barrier(2), []

    def enable(who: str) -> None:
        with database.session() as s:
            barrier.wait()
            try:
                support_access.enable(s, clock, account.id, date(2026, 11, 28), Actor(who, "owner"))
                results.append("enabled")
            except Conflict as error:
                results.append(error.message)

    threads = [threading.Thread(target=enable, args=(who,)) for who in ("alice", "bob")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    refused, enabled = sorted(results)
    assert refused == "Support Access is already active through Sat 28 Nov 2026; extend it instead."
    assert enabled == "enabled"
    with database.session() as s:
        grants = s.exec(SupportGrant.__table__.select().where(SupportGrant.account_id == account.id)).all()
        assert len(grants) == 1
        assert audit.verify(s, accounts.get(s, account.id)).ok


# -- private integrations ----------------------------------------------------------------------

def row_of(session, account_id, name: str):
    return next(r for r in integration_list.read(session, account_id).rows if r.name == name)


def test_a_stale_integration_edit_is_refused(database, session, other, clock, account, owner):
    integrations.create(session, clock, account.id, "CRM", SCOPES, owner)
    read = row_of(session, account.id, "CRM")
    assert read.version == 1
    later(clock)
    integrations.edit(other, clock, account.id, str(read.id), BOB, description="changed")
    with stale(database, r"^The integration 'CRM' was changed by bob at 16:02; review and try again\.$"):
        integrations.edit(session, clock, account.id, str(read.id), owner, name="CRM 2",
                          expected_version=read.version)
    fresh = row_of(session, account.id, "CRM")
    assert fresh.version == 2
    edited = integrations.edit(session, clock, account.id, str(read.id), owner, name="CRM 2",
                               expected_version=fresh.version)
    assert (edited.version, edited.updated_by) == (3, "alice")


@pytest.mark.parametrize("operation", ["rotate", "revoke", "cancel_rotation", "expire_old_now"])
def test_stale_token_operations_are_refused(database, session, other, clock, account, owner, operation):
    integrations.create(session, clock, account.id, "CRM", SCOPES, owner)
    if operation in ("cancel_rotation", "expire_old_now"):
        integrations.rotate(session, clock, account.id, "CRM", owner, "7d")
    read = row_of(session, account.id, "CRM")
    integrations.edit(other, clock, account.id, "CRM", BOB, description="changed")
    with stale(database, "The integration 'CRM' was changed by bob at 15:00"):
        getattr(integrations, operation)(session, clock, account.id, str(read.id), owner,
                                         expected_version=read.version)
    result = getattr(integrations, operation)(session, clock, account.id, str(read.id), owner,
                                              expected_version=read.version + 1)
    integration = result.integration if operation == "rotate" else result
    assert integration.version == read.version + 2


def test_using_a_token_is_not_a_change(session, clock, account, owner):
    issued = integrations.create(session, clock, account.id, "CRM", SCOPES, owner)
    integrations.verify(session, clock, issued.token)
    assert row_of(session, account.id, "CRM").version == 1


# -- the legacy key ---------------------------------------------------------------------------

def test_a_stale_legacy_key_change_is_refused(database, session, other, clock, account, owner):
    assert profile.read(session, account.id).legacy_key.version == 0
    legacy_key.regenerate(session, clock, account.id, owner, expected_version=0)
    read = profile.read(session, account.id).legacy_key.version
    assert read == 1
    later(clock)
    legacy_key.disable(other, clock, account.id, BOB)
    with stale(database, r"^The legacy API key was changed by bob at 16:02; review and try again\.$"):
        legacy_key.enable(session, clock, account.id, owner, expected_version=read)
    with stale(database, "The legacy API key was changed by bob"):
        legacy_key.regenerate(session, clock, account.id, owner, expected_version=read)
    assert legacy_key.enable(session, clock, account.id, owner, expected_version=read + 1).version == read + 2


def test_existing_rows_get_versions_from_the_migration(database):
    """server_default: rows written before 0004 start at version 1 (settings at 0)."""
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT settings_version FROM account")).scalars().all() == [0]
    assert Account.__table__.c.settings_version.server_default is not None


def test_the_migration_gives_existing_rows_a_version(tmp_path, clock, monkeypatch):
    """Rows written before 0004 get version 1 (feature settings 0) and no recorded last change."""
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.domain.seed import open_database
    from tests.domain.helpers import at_revision

    monkeypatch.setenv("TZ", "UTC")
    path = tmp_path / "old.db"
    with at_revision(path, "0003") as conn:
        conn.execute(text("INSERT INTO account (id, name, timezone, support_max_days, created_at, audit_seq, "
                          "audit_head) VALUES (1, 'Old', 'UTC', 30, '2026-11-01 10:00:00', 0, '')"))
        conn.execute(text("INSERT INTO integration (account_id, name, description, scopes, token_hash, token_hint, "
                          "created_at, created_by) VALUES (1, 'CRM', '', 'contacts.readonly', 'h', 'pit-x', "
                          "'2026-11-01 10:00:00', 'carol')"))
    database = open_database(resolve_target(db=str(path)), clock)  # migrates to head
    try:
        with database.engine.connect() as conn:
            assert conn.execute(text("SELECT settings_version FROM account")).scalar() == 0
            assert conn.execute(text("SELECT version, updated_by FROM integration")).one() == (1, None)
        with database.session() as s, stale(database, r"^The integration 'CRM' was changed by carol at 10:00 "
                                                      r"on Sun 1 Nov 2026; review and try again\.$"):
            integrations.revoke(s, clock, 1, "CRM", BOB, expected_version=0)
    finally:
        database.dispose()
