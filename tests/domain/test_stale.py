"""Stale integrations (domain/stale.py): the rule at its boundaries (">= N days" is stale), the
same answer in SQL as in Python, the account's settings (set_stale: owner only, 1 to 3650 days,
one audit event), and revoking every stale integration in one step (revoke_stale: the count
confirmed, a race refused with nothing changed, one revoke event each)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from helpers import query, snapshot_rows

from aesthetix_tui.db.engine import end_transaction
from aesthetix_tui.domain import accounts, integrations
from aesthetix_tui.domain.accounts_overview import overview
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import AccessDenied, Conflict, InvalidInput, NotFound
from aesthetix_tui.domain.revoke_stale import revoke_stale, stale_list
from aesthetix_tui.domain.stale import StaleRule, is_stale
from aesthetix_tui.domain.token_check import record_use
from tests.conftest import START

OWNER = Actor("alice", "owner")
AGENT = Actor("bob", "support")
DAY = timedelta(days=1)
TICK = timedelta(microseconds=1)


def make(session, clock, account, name: str, *, created_ago: timedelta = timedelta(0),
         used_ago: timedelta | None = None) -> int:
    now = clock.now()
    clock.set(now - created_ago)
    issued = integrations.create(session, clock, account.id, name, ["contacts.readonly"], OWNER)
    clock.set(now)
    if used_ago is not None:  # a use at that time: the clock there (the server's too, on PostgreSQL)
        clock.set(now - used_ago)
        end_transaction(session)
        record_use(session, issued.integration.id, clock.now())
        clock.set(now)
    return issued.integration.id


def stale_names(session, clock, account) -> list[str]:
    """The names stale by the SQL rule; checked against the Python rule on the same rows."""
    listed = stale_list(session, clock, account.id)
    fresh = accounts.get(session, account.id)
    by_python = sorted(i.name for i in integrations.list_for(session, fresh, include_revoked=True)
                       if is_stale(i, fresh, clock.now()))
    by_sql = sorted(i.name for i in listed.integrations)
    assert by_sql == by_python
    [summary] = [s for s in overview(session, clock) if s.id == account.id]
    assert summary.stale_integrations == len(by_sql)
    return by_sql


def events(database, action: str) -> list[dict]:
    return [json.loads(details) for (details,) in query(
        database, "SELECT details FROM audit_event WHERE action = ? ORDER BY seq", (action,))]


# -- the rule ------------------------------------------------------------------------------------

def test_the_rule_on_its_own():
    rule = StaleRule()
    assert (rule.unused_days, rule.new_days) == (90, 30)

    class R:
        def __init__(self, created_at, last_used_at=None, revoked_at=None):
            self.created_at, self.last_used_at, self.revoked_at = created_at, last_used_at, revoked_at

    assert rule.is_stale(R(START - 30 * DAY), START)
    assert not rule.is_stale(R(START - 30 * DAY + TICK), START)
    assert rule.is_stale(R(START - 400 * DAY, START - 90 * DAY), START)
    assert not rule.is_stale(R(START - 400 * DAY, START - 90 * DAY + TICK), START)
    assert not rule.is_stale(R(START - 400 * DAY, None, START - DAY), START)  # revoked: never stale
    assert rule.words() == "unused 90 days, or never used 30 days after creation"
    assert StaleRule(1, 1).words() == "unused 1 day, or never used 1 day after creation"


def test_boundaries_in_sql_and_python(session, clock, account):
    make(session, clock, account, "Used 90 days ago", created_ago=200 * DAY, used_ago=90 * DAY)
    make(session, clock, account, "Used just under 90 days", created_ago=200 * DAY, used_ago=90 * DAY - TICK)
    make(session, clock, account, "Never used 30 days", created_ago=30 * DAY)
    make(session, clock, account, "Never used just under 30", created_ago=30 * DAY - TICK)
    make(session, clock, account, "Used today, created long ago", created_ago=500 * DAY, used_ago=timedelta(0))
    make(session, clock, account, "New")
    revoked = make(session, clock, account, "Revoked", created_ago=500 * DAY)
    integrations.revoke(session, clock, account.id, str(revoked), OWNER)
    assert stale_names(session, clock, account) == ["Never used 30 days", "Used 90 days ago"]
    clock.advance(TICK)
    assert stale_names(session, clock, account) == [
        "Never used 30 days", "Never used just under 30", "Used 90 days ago", "Used just under 90 days"]


def test_boundaries_with_microseconds_in_the_clock(session, clock, account):
    """SQLite's date arithmetic and PostgreSQL's intervals agree with Python to the microsecond."""
    clock.set(START + timedelta(hours=23, microseconds=654321))
    make(session, clock, account, "Exactly", created_ago=30 * DAY)
    make(session, clock, account, "Not yet", created_ago=30 * DAY - TICK)
    make(session, clock, account, "Used exactly", created_ago=300 * DAY, used_ago=90 * DAY)
    assert stale_names(session, clock, account) == ["Exactly", "Used exactly"]


def test_a_rotation_in_progress_may_be_stale(session, clock, account):
    make(session, clock, account, "Old", created_ago=40 * DAY)
    integrations.rotate(session, clock, account.id, "Old", OWNER)
    assert stale_names(session, clock, account) == ["Old"]


# -- the settings ----------------------------------------------------------------------------------

def test_settings_change_the_rule(database, session, clock, account):
    make(session, clock, account, "Unused 20 days", created_ago=100 * DAY, used_ago=20 * DAY)
    make(session, clock, account, "Never used, 10 days", created_ago=10 * DAY)
    other = accounts.create(session, clock, "Other", "UTC", OWNER)
    make(session, clock, other, "Never used, 10 days", created_ago=10 * DAY)
    assert stale_names(session, clock, account) == []

    rule = accounts.set_stale(session, clock, account.id, OWNER, unused_days=20, new_days=10)
    assert rule == StaleRule(20, 10)
    assert stale_names(session, clock, account) == ["Never used, 10 days", "Unused 20 days"]
    assert stale_names(session, clock, other) == []  # each account its own settings
    summaries = {s.name: s for s in overview(session, clock)}
    assert summaries[account.name].stale_rule == StaleRule(20, 10)
    assert summaries["Other"].stale_rule == StaleRule()

    # One given: the other stays.
    assert accounts.set_stale(session, clock, account.id, OWNER, new_days="11") == StaleRule(20, 11)
    assert stale_names(session, clock, account) == ["Unused 20 days"]
    assert events(database, "account.stale_settings_changed") == [
        {"from": {"unused_days": 90, "new_days": 30}, "to": {"unused_days": 20, "new_days": 10}},
        {"from": {"unused_days": 20, "new_days": 10}, "to": {"unused_days": 20, "new_days": 11}},
    ]


@pytest.mark.parametrize("unused, new, field, message", [
    (0, 30, "unused_days", "The days unused must be a whole number of days from 1 to 3,650."),
    (3651, 30, "unused_days", "The days unused must be a whole number of days from 1 to 3,650."),
    (-5, None, "unused_days", "The days unused must be a whole number of days from 1 to 3,650."),
    ("ninety", None, "unused_days", "The days unused must be a whole number of days from 1 to 3,650."),
    (1.5, None, "unused_days", "The days unused must be a whole number of days from 1 to 3,650."),
    (True, None, "unused_days", "The days unused must be a whole number of days from 1 to 3,650."),
    (90, 0, "new_days", "The days never used after creation must be a whole number of days from 1 to 3,650."),
    (None, "", "new_days", "The days never used after creation must be a whole number of days from 1 to 3,650."),
    (None, None, None, "Give the days unused, the days never used after creation, or both."),
])
def test_bad_settings_are_refused(database, session, clock, account, unused, new, field, message):
    before = snapshot_rows(database)
    with pytest.raises(InvalidInput) as caught:
        accounts.set_stale(session, clock, account.id, OWNER, unused_days=unused, new_days=new)
    assert (caught.value.message, caught.value.field) == (message, field)
    assert snapshot_rows(database) == before


def test_settings_refusals_change_nothing(database, session, clock, account):
    before = snapshot_rows(database)
    with pytest.raises(Conflict) as caught:
        accounts.set_stale(session, clock, account.id, OWNER, unused_days=90, new_days=30)
    assert caught.value.message == ("Nothing to change: integrations already count as stale when unused 90 days, "
                                    "or never used 30 days after creation.")
    with pytest.raises(AccessDenied) as caught:
        accounts.set_stale(session, clock, account.id, AGENT, unused_days=10)
    assert caught.value.message == ("Support agents cannot change when integrations count as stale; only the "
                                    "account owner can.")
    with pytest.raises(NotFound):
        accounts.set_stale(session, clock, 999, OWNER, unused_days=10)
    assert snapshot_rows(database) == before
    assert accounts.get(session, account.id).stale_unused_days == 90


# -- revoking the stale ones ----------------------------------------------------------------------

@pytest.fixture
def three_stale(session, clock, account) -> dict[str, int]:
    return {
        "Alpha": make(session, clock, account, "Alpha", created_ago=40 * DAY),
        "Bravo": make(session, clock, account, "Bravo", created_ago=400 * DAY, used_ago=100 * DAY),
        "Charlie": make(session, clock, account, "Charlie", created_ago=31 * DAY),
        "Fresh": make(session, clock, account, "Fresh", created_ago=400 * DAY, used_ago=DAY),
    }


def test_revoke_stale_revokes_each_with_one_event(database, session, clock, account, three_stale):
    listed = stale_list(session, clock, account.id)
    assert [i.name for i in listed.integrations] == ["Alpha", "Bravo", "Charlie"]
    seq = accounts.get(session, account.id).audit_seq
    done = revoke_stale(session, clock, account.id, OWNER, 3, listed.ids)
    assert [i.name for i in done.integrations] == ["Alpha", "Bravo", "Charlie"]
    assert accounts.get(session, account.id).audit_seq == seq + 3
    assert events(database, "integration.revoked") == [
        {"name": "Alpha", "reason": "stale"}, {"name": "Bravo", "reason": "stale"},
        {"name": "Charlie", "reason": "stale"}]
    left = integrations.list_for(session, accounts.get(session, account.id))
    assert [i.name for i in left] == ["Fresh"]
    revoked = integrations.find(session, account, "Alpha")
    assert (revoked.revoked_at, revoked.revoked_by) == (clock.now(), OWNER.shown)
    assert stale_list(session, clock, account.id).integrations == []


def test_revoke_stale_refuses_a_different_count(database, session, clock, account, three_stale):
    before = snapshot_rows(database)
    for wrong in (2, 4, 0):
        with pytest.raises(Conflict) as caught:
            revoke_stale(session, clock, account.id, OWNER, wrong)
        assert caught.value.message == (f"The account now has 3 stale integrations, not the {wrong} you "
                                        "confirmed; nothing was revoked, so review the list and confirm again.")
    assert snapshot_rows(database) == before


def test_revoke_stale_refuses_a_race(database, session, clock, account, three_stale):
    """One became used after the list was shown: the count no longer matches."""
    listed = stale_list(session, clock, account.id)
    record_use(session, three_stale["Alpha"], clock.now())
    before = snapshot_rows(database)
    with pytest.raises(Conflict) as caught:
        revoke_stale(session, clock, account.id, OWNER, len(listed.ids), listed.ids)
    assert "now has 2 stale integrations, not the 3 you confirmed" in caught.value.message
    # The same count, but not the same ones: one used, another became stale.
    clock.advance(DAY * 60)  # Fresh: unused 61 days, still not stale; set the threshold lower
    accounts.set_stale(session, clock, account.id, OWNER, unused_days=61)
    before = snapshot_rows(database)
    names = [i.name for i in stale_list(session, clock, account.id).integrations]
    assert names == ["Bravo", "Charlie", "Fresh"]
    with pytest.raises(Conflict) as caught:
        revoke_stale(session, clock, account.id, OWNER, 3, listed.ids)
    assert caught.value.message == ("The stale integrations changed since you reviewed them; nothing was revoked, "
                                    "so review the list and confirm again.")
    assert snapshot_rows(database) == before


@pytest.mark.parametrize("count", [-1, "3", 2.0, None, True])
def test_revoke_stale_bad_count(database, session, clock, account, three_stale, count):
    before = snapshot_rows(database)
    with pytest.raises(InvalidInput) as caught:
        revoke_stale(session, clock, account.id, OWNER, count)
    assert caught.value.message == "Give the number of stale integrations you reviewed, a whole number."
    assert caught.value.field == "count"
    assert snapshot_rows(database) == before


def test_revoke_stale_with_none_stale(database, session, clock, account):
    make(session, clock, account, "Fresh")
    before = snapshot_rows(database)
    with pytest.raises(Conflict) as caught:
        revoke_stale(session, clock, account.id, OWNER, 0)
    assert caught.value.message == ("No integration is stale (unused 90 days, or never used 30 days after "
                                    "creation); nothing was revoked.")
    assert snapshot_rows(database) == before
