"""Support sessions: only while Support Access is active, re-checked on every read, ended by a
revoke (in the revoke's own transaction) or by expiry; the agent policy; no way in without access."""

from __future__ import annotations

import inspect
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import query, recorded, refused

from aesthetix_tui.domain import accounts, audit, features, integrations, legacy_key, profile, support_access
from aesthetix_tui.domain import support_sessions as ss
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import AccessDenied, Conflict, DomainError, InvalidInput, NotFound
from aesthetix_tui.domain.seed import open_database

TODAY = date(2026, 11, 26)
OWNER = Actor("alice", "owner")
BOB = Actor("bob", "support")
REVOKED = "Support Access to My Business was revoked by the account owner; this session has ended"
EXPIRED = "Support Access to My Business expired on Fri 4 Dec 2026 00:00; this session has ended"


def enable(session, clock, account, days=7, reason="Ticket #4521"):
    return support_access.enable(session, clock, account.id, TODAY + timedelta(days=days), OWNER, reason=reason)


def events(database, account_id=1) -> list[tuple]:
    return query(database, "SELECT seq, actor, actor_kind, action, details FROM audit_event "
                           "WHERE account_id = ? ORDER BY seq", (account_id,))


def agent(database, name: str = "bob") -> str:
    """The agent a session records: the name given on SQLite, the login on PostgreSQL."""
    return recorded(database, Actor(name, "support"))[0]


def widen(session, clock, account_id: int) -> None:
    """The owner lets agents change this account's settings."""
    assert support_access.set_agent_policy(session, clock, account_id, ss.READ_WRITE, OWNER) == "read-write"


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
    assert (info.account_name, info.agent, info.started_at) == ("My Business", agent(database), clock.now())
    _seq, actor, kind, action, details = events(database)[-1]
    assert (actor, kind, action) == (*recorded(database, BOB), "support_session.started")
    assert f'"session":{info.id}' in details
    assert session_rows(database) == [(info.id, account.id, agent(database), None, None)]


@pytest.mark.sqlite_only
def test_a_bad_agent_name_is_refused(database, session, clock, account):
    enable(session, clock, account)
    with refused(database, InvalidInput, "name must be 1 to 100"):
        ss.start(session, clock, account.id, "  ")


def test_on_postgresql_the_agent_is_the_login_whatever_name_is_given(database, session, clock, account):
    if database.engine.dialect.name != "postgresql":
        pytest.skip("SQLite records the name given (test_a_bad_agent_name_is_refused)")
    enable(session, clock, account)
    login = database.engine.url.username
    for given in ("  ", "mallory"):
        info = ss.start(session, clock, account.id, given)
        assert info.agent == login and session_rows(database)[-1][2] == login


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
    assert tail[1][1:3] == recorded(database, BOB)
    assert f'"by":"{recorded(database, OWNER)[0]}"' in tail[1][4] and '"reason":"revoked"' in tail[1][4]
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
    clock.set(datetime(2026, 12, 4, 0, 0, tzinfo=UTC))  # the first instant after Thu 3 Dec
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
    assert {e[1:3] for e in viewed} == {recorded(database, BOB)}


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


def test_the_owner_sees_the_open_session(database, session, clock, account, live):
    data = profile.read(session, account.id)
    name = agent(database)
    assert data.support_session == ss.OpenSession(live.id, name, clock.now(), live.grant_id)
    assert data.support_session.sentence("UTC") == f"Support session in progress — {name} since Thu 26 Nov 2026 15:00"
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
    clock.set(datetime(2026, 11, 28, 0, 0, tzinfo=UTC))
    with refused(database, ss.NoAccess, "has expired"):
        ss.start(session, clock, item.account_id, "bob")
    with refused(database, ss.NoAccess, "has expired"):
        ss.check_access(session, clock, "My Business")
    assert ss.accessible_accounts(session, clock) == []


# -- the policy: each account's, set by its owner only ---------------------------------------------

def test_the_policy_is_read_only_by_default(database, session, clock, account):
    spa = accounts.create(session, clock, "Zen Spa", "Europe/Paris", OWNER)
    for acct in (account, spa):
        assert acct.agent_policy == "read-only"
        assert ss.agent_may_change(acct) is False
    assert query(database, "SELECT DISTINCT agent_policy FROM account") == [("read-only",)]
    assert not hasattr(ss, "AGENT_POLICY")  # no deployment-wide setting to flip


def test_the_owner_sets_the_policy_and_it_is_audited(database, session, clock, account):
    clock.advance(timedelta(minutes=3))
    widen(session, clock, account.id)
    assert query(database, "SELECT agent_policy FROM account WHERE id = ?", (account.id,)) == [("read-write",)]
    assert ss.agent_may_change(accounts.get(session, account.id)) is True
    _seq, actor, kind, action, details = events(database, account.id)[-1]
    assert (actor, kind, action) == (*recorded(database, OWNER), "support_access.agent_policy")
    assert details == '{"from":"read-only","to":"read-write"}'
    with refused(database, Conflict, "already read-write"):
        widen(session, clock, account.id)
    assert support_access.set_agent_policy(session, clock, account.id, " read-only ", OWNER) == "read-only"
    assert events(database, account.id)[-1][4] == '{"from":"read-write","to":"read-only"}'
    assert ss.agent_may_change(accounts.get(session, account.id)) is False
    assert audit.verify(session, accounts.get(session, account.id)).ok


def test_a_support_actor_cannot_set_the_policy(database, session, clock, account, live):
    for policy in ("read-write", "read-only"):
        with refused(database, AccessDenied, "only the account owner can"):
            support_access.set_agent_policy(session, clock, account.id, policy, BOB)


@pytest.mark.parametrize("bad", ["anything", "", "READ-WRITE", "read-write; DROP TABLE account", None])
def test_a_bad_policy_is_refused_and_nothing_changes(database, session, clock, account, bad):
    with refused(database, InvalidInput,
                 r"^The agent policy must be 'read-only' or 'read-write', not .*\.$"):
        support_access.set_agent_policy(session, clock, account.id, bad, OWNER)
    assert accounts.get(session, account.id).agent_policy == "read-only"


def test_no_argument_can_widen_the_policy():
    """The policy is the account's alone: the rule reads nothing but the account. Changes by an
    agent (PostgreSQL, where the database enforces the policy) are tested in tests/db/test_roles.py."""
    assert list(inspect.signature(ss.agent_may_change).parameters) == ["account"]
    assert not hasattr(ss, "change_as_agent") and not hasattr(ss, "AGENT_CHANGES")


def test_every_refusal_is_a_domain_error():
    assert issubclass(ss.NoAccess, DomainError) and issubclass(ss.AccessEnded, DomainError)
