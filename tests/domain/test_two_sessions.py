"""Two sessions on one database (a TUI left open while the CLI runs).

Each session keeps the objects it loaded, as a screen does. A write must act on the
rows as they are now, not as this session last saw them.
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers import query, refused

from aesthetix_tui.domain import accounts, audit, features, integrations, legacy_key, support_access
from aesthetix_tui.domain.errors import AccessDenied, Conflict

SCOPES = ["contacts.readonly"]


@pytest.fixture
def other(database):
    with database.session() as s:
        yield s


def test_appends_from_two_sessions_keep_the_chain(session, other, clock, account, owner, database):
    theirs = accounts.resolve(other, None)  # both sessions now hold the account at seq 1
    support_access.enable(session, clock, account.id, date(2026, 11, 28), owner)
    integrations.create(other, clock, theirs.id, "A", SCOPES, owner)
    support_access.revoke(session, clock, account.id, owner)
    features.update(other, clock, theirs.id, {"legacy_triggers": True}, owner)
    rows = query(database, "SELECT seq, action FROM audit_event WHERE account_id = ? ORDER BY seq", (account.id,))
    assert rows == [(1, "account.created"), (2, "support_access.enabled"), (3, "integration.created"),
                    (4, "support_access.revoked"), (5, "feature.enabled")]
    with database.session() as s:
        assert audit.verify(s, accounts.get(s, account.id)).ok


def test_a_grant_revoked_elsewhere_is_seen_by_the_next_write(session, other, clock, account, owner, database):
    support_access.enable(session, clock, account.id, date(2026, 11, 28), owner)
    held = support_access.latest_grant(session, account.id)  # a screen keeps the grant
    support_access.revoke(other, clock, accounts.resolve(other, None).id, owner)
    session.commit()  # end the read transaction, as a screen refresh would
    assert support_access.status(session, clock, account).state == "revoked"
    with refused(database, Conflict, "Support Access is revoked; there is nothing to revoke"):
        support_access.revoke(session, clock, account.id, owner)
    assert support_access.enable(session, clock, account.id, date(2026, 11, 29), owner).grant_id != held.id


def test_an_integration_revoked_elsewhere_cannot_be_rotated(session, other, clock, account, owner, database):
    integrations.create(session, clock, account.id, "A", SCOPES, owner)
    held = integrations.list_for(session, account)  # a list screen keeps its rows
    integrations.revoke(other, clock, accounts.resolve(other, None).id, "A", owner)
    with refused(database, Conflict, "was revoked"):
        integrations.rotate(session, clock, account.id, "A", owner, "now")
    assert held[0].revoked_at is not None


def test_a_key_disabled_elsewhere_is_seen(session, other, clock, account, owner, database):
    from aesthetix_tui.db.models import LegacyKey

    legacy_key.regenerate(session, clock, account.id, owner)
    row = session.get(LegacyKey, account.id)  # held here: enabled
    legacy_key.disable(other, clock, accounts.resolve(other, None).id, owner)
    with refused(database, Conflict, "already disabled"):
        legacy_key.disable(session, clock, account.id, owner)
    assert row.disabled is True


def test_a_feature_turned_off_elsewhere_is_seen(session, other, clock, account, owner, database):
    from aesthetix_tui.db.models import FeatureSetting

    features.update(session, clock, account.id, {"legacy_campaigns": True}, owner)
    row = session.get(FeatureSetting, (account.id, "legacy_campaigns"))  # held here: enabled
    features.update(other, clock, accounts.resolve(other, None).id, {"legacy_campaigns": False}, owner)
    assert features.update(session, clock, account.id, {"legacy_campaigns": True}, owner) == ["legacy_campaigns"]
    assert query(database, "SELECT enabled FROM feature_setting WHERE feature_key = 'legacy_campaigns'") == [(1,)]
    assert row.enabled is True
    with database.session() as s:
        assert audit.verify(s, accounts.get(s, account.id)).ok


def test_a_token_revoked_elsewhere_is_refused(session, other, clock, account, owner):
    issued = integrations.create(session, clock, account.id, "A", SCOPES, owner)
    held = integrations.verify(session, clock, issued.token)  # the gateway keeps the row
    integrations.revoke(other, clock, accounts.resolve(other, None).id, "A", owner)
    session.commit()
    with pytest.raises(AccessDenied, match="unknown, revoked or expired"):
        integrations.verify(session, clock, issued.token)
    assert held.revoked_at is not None


def test_a_list_refresh_shows_changes_made_elsewhere(session, other, clock, account, owner):
    integrations.create(session, clock, account.id, "A", SCOPES, owner)
    first = integrations.list_for(session, account, include_revoked=True)
    integrations.edit(other, clock, accounts.resolve(other, None).id, "A", owner, description="changed")
    session.commit()
    again = integrations.list_for(session, account, include_revoked=True)
    assert again[0].description == "changed" and first[0] is again[0]


def test_verify_with_a_held_account_sees_events_added_elsewhere(session, other, clock, account, owner):
    """No false alarm: the chain's head is read from the database, not from a stale copy."""
    assert audit.verify(session, account).ok
    support_access.enable(other, clock, accounts.resolve(other, None).id, date(2026, 11, 28), owner)
    session.commit()
    report = audit.verify(session, account)
    assert report.ok, report.message
    assert report.checked == 2
