"""Support sessions: only while Support Access is active, re-checked on every read, ended by a
revoke (in the revoke's own transaction) or by expiry; the agent policy; no way in without access."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from helpers import query, refused

from aesthetix_tui.config import resolve_target
from aesthetix_tui.db.open import open_database
from aesthetix_tui.domain import (accounts, audit, features, integrations, legacy_key, profile, support_access,
                                  support_sessions as ss)
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import AccessDenied, Conflict, DomainError, InvalidInput, NotFound

TODAY = date(2026, 11, 26)
OWNER = Actor("alice", "owner")
REVOKED = "Support Access to My Business was revoked by the account owner; this session has ended"
EXPIRED = "Support Access to My Business expired on Fri 4 Dec 2026 00:00; this session has ended"


def enable(session, clock, account, days=7, reason="Ticket #4521"):
    return support_access.enable(session, clock, account.id, TODAY + timedelta(days=days), OWNER, reason=reason)


def events(database, account_id=1) -> list[tuple]:
    return query(database, "SELECT seq, actor, actor_kind, action, details FROM audit_event "
                           "WHERE account_id = ? ORDER BY seq", (account_id,))


def session_rows(database) -> list[tuple]:
    return query(database, "SELECT id, account_id, agent, ended_at, end_reason FROM support_session ORDER BY id")


@pytest.fixture
def other(database, clock):
    """A second connection to the same file: the owner, elsewhere."""
    db = open_database(database.target, clock)
    with db.session() as s:
        yield s
    db.dispose()


@pytest.fixture
def live(session, clock, account):
    enable(session, clock, account)
    return ss.start(session, clock, account.id, "bob")


# -- starting ------------------------------------------------------------------------------

def test_start_is_refused_without_access(database, session, clock, account):
    with refused(database, ss.NoAccess, "Support Access to My Business is off; support cannot open"):
        ss.start(session, clock, account.id, "bob")


def test_start_records_the_agent_as_a_support_actor(database, session, clock, account):
    enable(session, clock, account)
    info = ss.start(session, clock, account.id, "bob")
    assert (info.account_name, info.agent, info.started_at) == ("My Business", "bob", clock.now())
    seq, actor, kind, action, details = events(database)[-1]
    assert (actor, kind, action) == ("bob", "support", "support_session.started")
    assert f'"session":{info.id}' in details
    assert session_rows(database) == [(info.id, account.id, "bob", None, None)]


def test_a_bad_agent_name_is_refused(session, clock, account):
    enable(session, clock, account)
    with pytest.raises(InvalidInput, match="name must be 1 to 100"):
        ss.start(session, clock, account.id, "  ")


def test_the_same_agent_reopening_closes_the_earlier_session(database, session, clock, account):
    enable(session, clock, account)
    first = ss.start(session, clock, account.id, "bob")
    second = ss.start(session, clock, account.id, "bob")
    rows = session_rows(database)
    assert rows[0][0] == first.id and rows[0][4] == "closed"
    assert rows[1][0] == second.id and rows[1][3] is None
    assert ss.open_session_for(session, account.id).id == second.id


# -- every read re-checks -------------------------------------------------------------------

def test_read_shows_status_integrations_features_and_key_without_secrets(session, clock, account, live):
    issued = integrations.create(session, clock, account.id, "Zapier", ["businesses.readonly"], OWNER)
    key = legacy_key.regenerate(session, clock, account.id, OWNER)
    features.update(session, clock, account.id, {"legacy_campaigns": True}, OWNER)
    snap = ss.read_as_agent(session, clock, live.id)
    assert snap.access.is_active and snap.access.reason == "Ticket #4521"
    [view] = snap.integrations
    assert (view.name, view.scopes, view.status) == ("Zapier", ("businesses.readonly",), "active")
    assert view.token_hint == issued.integration.token_hint
    assert {f.feature.key: f.enabled for f in snap.features} == {"legacy_campaigns": True, "legacy_triggers": False}
    assert snap.legacy_key.exists and snap.legacy_key.hint == "…" + key.key[-4:]
    text = repr(snap)
    for secret in (issued.token, issued.integration.token_hash, key.key):
        assert secret not in text


def test_each_read_checks_the_grant_at_that_moment(database, session, other, clock, account, live):
    before = len(events(database))
    ss.read_as_agent(session, clock, live.id)
    ss.read_as_agent(session, clock, live.id)
    assert len(events(database)) == before  # an allowed read writes nothing
    support_access.revoke(other, clock, account.id, OWNER)  # another connection
    with pytest.raises(ss.AccessEnded) as info:
        ss.read_as_agent(session, clock, live.id)
    assert info.value.message == REVOKED
    assert info.value.reason == "revoked"


def test_revoke_ends_the_session_in_its_own_transaction(database, session, other, clock, account, live):
    clock.advance(timedelta(minutes=5))
    support_access.revoke(other, clock, account.id, OWNER)
    [(_, _, _, ended_at, reason)] = session_rows(database)
    assert reason == "revoked" and ended_at is not None
    tail = events(database)[-3:]
    assert [e[3] for e in tail] == ["support_session.started", "support_session.ended", "support_access.revoked"]
    assert tail[1][1:3] == ("bob", "support") and '"by":"alice"' in tail[1][4] and '"reason":"revoked"' in tail[1][4]
    assert '"sessions_ended":1' in tail[2][4]
    assert ss.open_session_for(session, account.id) is None
    # The console's next read says why, and records nothing more.
    with pytest.raises(ss.AccessEnded, match="revoked by the account owner"):
        ss.read_as_agent(session, clock, live.id)
    assert len(events(database)) == tail[2][0]
    assert audit.verify(session, accounts.get(session, account.id)).ok


def test_a_failed_revoke_leaves_the_session_open(database, session, clock, account, live, monkeypatch):
    """One transaction: when the revoke cannot be recorded, neither the revoke nor the end happen."""
    real = audit.append

    def failing(session_, clock_, account_, actor, action, *args, **kwargs):
        if action == "support_access.revoked":
            raise RuntimeError("disk full")
        return real(session_, clock_, account_, actor, action, *args, **kwargs)

    monkeypatch.setattr(audit, "append", failing)
    with pytest.raises(RuntimeError):
        support_access.revoke(session, clock, account.id, OWNER)
    monkeypatch.undo()
    assert session_rows(database)[0][3] is None
    assert ss.read_as_agent(session, clock, live.id).access.is_active


def test_expiry_by_the_clock_ends_the_session_on_the_next_read(database, session, clock, account, live):
    ss.read_as_agent(session, clock, live.id)
    clock.set(datetime(2026, 12, 4, 0, 0, tzinfo=timezone.utc))  # the first instant after Thu 3 Dec
    with pytest.raises(ss.AccessEnded) as info:
        ss.read_as_agent(session, clock, live.id)
    assert info.value.message == EXPIRED and info.value.reason == "expired"
    assert session_rows(database)[0][4] == "expired"
    ended = [e for e in events(database) if e[3] == "support_session.ended"]
    assert len(ended) == 1 and '"reason":"expired"' in ended[0][4]
    with pytest.raises(ss.AccessEnded, match="expired on"):  # again: the same sentence, no new event
        ss.read_as_agent(session, clock, live.id)
    assert len([e for e in events(database) if e[3] == "support_session.ended"]) == 1


def test_an_extension_keeps_the_session_going(session, clock, account, live):
    support_access.extend(session, clock, account.id, TODAY + timedelta(days=20), OWNER)
    clock.advance(timedelta(days=10))
    assert ss.read_as_agent(session, clock, live.id).access.until_date == TODAY + timedelta(days=20)


def test_a_session_never_resumes_after_access_is_enabled_again(database, session, clock, account, live):
    support_access.revoke(session, clock, account.id, OWNER)
    enable(session, clock, account)
    with pytest.raises(ss.AccessEnded, match="revoked"):
        ss.read_as_agent(session, clock, live.id)
    with pytest.raises(ss.AccessEnded):
        ss.record_view(session, clock, live.id, "features")
    fresh = ss.start(session, clock, account.id, "bob")
    assert fresh.id != live.id and ss.read_as_agent(session, clock, fresh.id).access.is_active


# -- views and ending ------------------------------------------------------------------------------

def test_each_view_is_recorded(database, session, clock, live):
    ss.record_view(session, clock, live.id, "integrations")
    ss.record_view(session, clock, live.id, "features")
    viewed = [e for e in events(database) if e[3] == "support_session.viewed"]
    assert [('"screen":"integrations"' in viewed[0][4]), ('"screen":"features"' in viewed[1][4])] == [True, True]
    assert {e[1:3] for e in viewed} == {("bob", "support")}


def test_a_view_after_expiry_is_not_recorded_and_ends_the_session(database, session, clock, live):
    clock.advance(timedelta(days=8))
    with pytest.raises(ss.AccessEnded, match="expired"):
        ss.record_view(session, clock, live.id, "features")
    assert not [e for e in events(database) if e[3] == "support_session.viewed"]
    assert session_rows(database)[0][4] == "expired"


def test_end_closes_once_and_the_true_reason_wins(database, session, clock, account):
    enable(session, clock, account)
    one = ss.start(session, clock, account.id, "bob")
    assert ss.end(session, clock, one.id, "closed") == "closed"
    assert ss.end(session, clock, one.id, "closed") is None  # already over: nothing recorded
    with pytest.raises(Conflict, match="has ended"):
        ss.read_as_agent(session, clock, one.id)
    two = ss.start(session, clock, account.id, "carol")
    clock.advance(timedelta(days=8))
    assert ss.end(session, clock, two.id, "closed") == "expired"
    with pytest.raises(InvalidInput):
        ss.end(session, clock, two.id, "bored")
    with pytest.raises(NotFound):
        ss.end(session, clock, 999, "closed")


def test_the_owner_sees_the_open_session(session, clock, account, live):
    data = profile.read(session, account.id)
    assert data.support_session == ss.OpenSession(live.id, "bob", clock.now(), live.grant_id)
    assert data.support_session.sentence("UTC") == "Support session in progress — bob since Thu 26 Nov 2026 15:00"
    ss.end(session, clock, live.id)
    assert profile.read(session, account.id).support_session is None


# -- the list, and no way in without access ----------------------------------------------------------

def test_accessible_accounts_lists_only_active_grants(session, clock, account):
    spa = accounts.create(session, clock, "Zen Spa", "Europe/Paris", OWNER)
    accounts.create(session, clock, "Closed Co", "UTC", OWNER)
    enable(session, clock, account, days=7, reason="Ticket 1")
    support_access.enable(session, clock, spa.id, TODAY + timedelta(days=2), OWNER)
    items = ss.accessible_accounts(session, clock)
    assert [(i.name, i.until_date, i.reason) for i in items] == [
        ("My Business", TODAY + timedelta(days=7), "Ticket 1"), ("Zen Spa", TODAY + timedelta(days=2), None)]
    assert items[0].time_left == timedelta(days=7, hours=9)
    assert items[0].as_dict()["seconds_left"] == 7 * 86400 + 9 * 3600
    support_access.revoke(session, clock, spa.id, OWNER)
    assert [i.name for i in ss.accessible_accounts(session, clock)] == ["My Business"]
    clock.advance(timedelta(days=8))
    assert ss.accessible_accounts(session, clock) == []


def test_an_id_typed_by_hand_gets_nowhere(database, session, clock, account):
    locked = accounts.create(session, clock, "Closed Co", "UTC", OWNER)
    enable(session, clock, account)
    with refused(database, ss.NoAccess, "no account numbered 999"):
        ss.start(session, clock, 999, "bob")
    with refused(database, ss.NoAccess, "Closed Co is off"):
        ss.start(session, clock, locked.id, "bob")
    with refused(database, ss.NoAccess, "Closed Co is off"):
        ss.check_access(session, clock, str(locked.id))
    with refused(database, NotFound, "999"):
        ss.check_access(session, clock, "999")
    with refused(database, NotFound, "no support session numbered 999"):
        ss.read_as_agent(session, clock, 999)


def test_a_stale_list_after_a_revoke_gets_nowhere(database, session, other, clock, account):
    enable(session, clock, account)
    [item] = ss.accessible_accounts(session, clock)
    support_access.revoke(other, clock, account.id, OWNER)
    with refused(database, ss.NoAccess, "was revoked by the account owner; support cannot open"):
        ss.start(session, clock, item.account_id, "bob")


def test_an_expired_grant_gets_nowhere(database, session, clock, account):
    enable(session, clock, account, days=1)
    [item] = ss.accessible_accounts(session, clock)
    clock.set(datetime(2026, 11, 28, 0, 0, tzinfo=timezone.utc))
    with refused(database, ss.NoAccess, "has expired"):
        ss.start(session, clock, item.account_id, "bob")
    with refused(database, ss.NoAccess, "has expired"):
        ss.check_access(session, clock, "My Business")
    assert ss.accessible_accounts(session, clock) == []


# -- the policy --------------------------------------------------------------------------------------

def test_the_policy_is_read_only_by_default():
    assert ss.AGENT_POLICY == "read-only"
    assert ss.agent_may_change() is False
    assert ss.agent_may_change("read-write") is True
    with pytest.raises(InvalidInput, match="read-only"):
        ss.agent_may_change("anything")


@pytest.mark.parametrize("policy", ["read-only", "read-write"])
def test_agents_can_never_change_support_access(database, session, clock, live, policy):
    for operation in ("support_access.revoke", "support_access.extend", "support_access.enable"):
        with refused(database, AccessDenied, "can never change Support Access"):
            ss.change_as_agent(session, clock, live.id, operation, policy=policy)


@pytest.mark.parametrize("policy", ["read-only", "read-write"])
def test_secret_returning_operations_are_never_offered(database, session, clock, live, policy):
    for operation in ("legacy_key.regenerate", "integrations.create", "integrations.rotate"):
        with refused(database, InvalidInput, "cannot run"):
            ss.change_as_agent(session, clock, live.id, operation, policy=policy)


def test_read_only_policy_refuses_changes(database, session, clock, live, monkeypatch):
    with refused(database, AccessDenied, "read-only access .* ask the account owner"):
        ss.change_as_agent(session, clock, live.id, "features.update", {"legacy_campaigns": True},
                           policy="read-only")
    with refused(database, AccessDenied, "read-only"):  # the named setting, when no policy is given
        ss.change_as_agent(session, clock, live.id, "features.update", {"legacy_campaigns": True})


def test_read_write_policy_lets_the_agent_change_features_as_support(database, session, clock, account, live,
                                                                     monkeypatch):
    monkeypatch.setattr(ss, "AGENT_POLICY", "read-write")
    assert ss.change_as_agent(session, clock, live.id, "features.update", {"legacy_campaigns": True}) == \
        ["legacy_campaigns"]
    seq, actor, kind, action, _ = events(database)[-1]
    assert (actor, kind, action) == ("bob", "support", "feature.enabled")
    # Still checked at that moment: once access ends, no change gets through.
    support_access.revoke(session, clock, account.id, OWNER)
    with pytest.raises(ss.AccessEnded):
        ss.change_as_agent(session, clock, live.id, "features.update", {"legacy_campaigns": False})
    assert features.settings(session, accounts.get(session, account.id))[0].enabled is True


def test_every_refusal_is_a_domain_error():
    assert issubclass(ss.NoAccess, DomainError) and issubclass(ss.AccessEnded, DomainError)
