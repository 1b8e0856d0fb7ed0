"""The legacy API key (API V1): status, regenerate, disable, enable, verify."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from helpers import all_text, query, refused, stored_instant

from aesthetix_tui.domain import audit, legacy_key
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import AccessDenied, Conflict

POINTER = "Private Integrations"


def key_row(database, account_id):
    rows = query(database, "SELECT key_hash, hint, created_at, created_by, disabled FROM legacy_key "
                           "WHERE account_id = ?", (account_id,))
    return rows[0] if rows else None


def test_no_key_at_first(session, account):
    status = legacy_key.status(session, account)
    assert status.exists is False and status.hint is None and status.created_at is None
    assert status.disabled is False
    assert "deprecated" in status.deprecation and POINTER in status.deprecation
    assert status.as_dict()["deprecation"] == status.deprecation


def test_regenerate_returns_the_key_once_and_stores_its_hash(session, clock, account, owner, database):
    new = legacy_key.regenerate(session, clock, account.id, owner)
    assert re.fullmatch(r"[0-9A-Za-z]{40}", new.key)
    assert new.status.exists and not new.status.disabled
    assert new.status.hint == "…" + new.key[-4:]
    assert new.status.created_at == clock.now() and new.status.created_by == "alice"
    assert POINTER in new.status.deprecation
    key_hash, hint, created_at, created_by, disabled = key_row(database, account.id)
    assert key_hash == hashlib.sha256(new.key.encode()).hexdigest()
    assert hint == new.key[-4:]
    assert stored_instant(created_at) == clock.now() and created_by == "alice" and disabled == 0
    assert new.key not in all_text(database)
    assert legacy_key.verify(session, new.key).id == account.id
    assert legacy_key.status(session, account) == new.status


def test_regenerate_replaces_the_old_key(session, clock, account, owner):
    first = legacy_key.regenerate(session, clock, account.id, owner)
    clock.advance(timedelta(hours=1))
    second = legacy_key.regenerate(session, clock, account.id, Actor("bob"))
    assert second.key != first.key
    assert second.status.created_at == clock.now() and second.status.created_by == "bob"
    with pytest.raises(AccessDenied, match="not valid"):
        legacy_key.verify(session, first.key)
    assert legacy_key.verify(session, second.key).id == account.id
    event = audit.recent(session, account, limit=1)[0]
    assert event.action == "legacy_key.regenerated"
    assert first.key[-4:] in event.details and second.key[-4:] in event.details
    assert first.key not in event.details and second.key not in event.details


def test_disable_and_enable(session, clock, account, owner, database):
    new = legacy_key.regenerate(session, clock, account.id, owner)
    status = legacy_key.disable(session, clock, account.id, owner)
    assert status.disabled and status.exists
    assert key_row(database, account.id)[4] == 1
    with pytest.raises(AccessDenied, match=f"disabled.*{POINTER}"):
        legacy_key.verify(session, new.key)
    status = legacy_key.enable(session, clock, account.id, owner)
    assert not status.disabled
    assert legacy_key.verify(session, new.key).id == account.id
    assert [e.action for e in audit.recent(session, account, limit=2)] == [
        "legacy_key.enabled", "legacy_key.disabled"]


def test_regenerate_after_disable_starts_enabled(session, clock, account, owner):
    legacy_key.regenerate(session, clock, account.id, owner)
    legacy_key.disable(session, clock, account.id, owner)
    new = legacy_key.regenerate(session, clock, account.id, owner)
    assert not new.status.disabled
    assert legacy_key.verify(session, new.key).id == account.id


def test_verify_an_unknown_key_names_the_deprecation(session, clock, account, owner, database):
    legacy_key.regenerate(session, clock, account.id, owner)
    for bad in ("", "x" * 40, "nonsense"):
        with refused(database, AccessDenied, f"not valid.*{POINTER}"):
            legacy_key.verify(session, bad)


def test_disable_without_a_key_is_refused(session, clock, account, owner, database):
    with refused(database, Conflict, "There is no legacy API key; regenerate one first"):
        legacy_key.disable(session, clock, account.id, owner)
    with refused(database, Conflict, "There is no legacy API key"):
        legacy_key.enable(session, clock, account.id, owner)


def test_disable_twice_or_enable_twice_is_refused(session, clock, account, owner, database):
    legacy_key.regenerate(session, clock, account.id, owner)
    with refused(database, Conflict, "already enabled"):
        legacy_key.enable(session, clock, account.id, owner)
    legacy_key.disable(session, clock, account.id, owner)
    with refused(database, Conflict, "already disabled"):
        legacy_key.disable(session, clock, account.id, owner)


def test_keys_are_per_account(session, clock, account, owner):
    from aesthetix_tui.domain import accounts

    other = accounts.create(session, clock, "Other", "UTC", owner)
    mine = legacy_key.regenerate(session, clock, account.id, owner)
    assert legacy_key.status(session, other).exists is False
    theirs = legacy_key.regenerate(session, clock, other.id, owner)
    assert legacy_key.verify(session, mine.key).id == account.id
    assert legacy_key.verify(session, theirs.key).id == other.id
