"""Revoke Support Access in every account: one transaction and one audit event per account, live
sessions ended as by a single revoke, already-off accounts untouched, safe to run twice, and a
failure in one account leaves the others revoked (running again finishes the job)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from helpers import query, recorded, snapshot_rows

from aesthetix_tui.db.errors import BUSY
from aesthetix_tui.domain import accounts, support_access, support_sessions
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import ConnectionLost, DatabaseProblem
from aesthetix_tui.domain.revoke_everywhere import (
    ALREADY_OFF,
    FAILED,
    REVOKED,
    RevokePreview,
    revoke_everywhere,
    revoke_everywhere_preview,
)

TODAY = date(2026, 11, 26)
OWNER = Actor("alice", "owner")


def make(session, clock, name: str) -> int:
    return accounts.create(session, clock, name, "UTC", OWNER).id


@pytest.fixture
def agency(database, session, clock, account):
    """Accounts in every state, on the fixture clock a day after the grants were made:
    - Active A: access on, an agent in a live session;
    - Active B: access on, nobody in;
    - Expired: enabled through the day before;
    - Never: never enabled (and the seeded account, likewise);
    - Revoked: enabled, then revoked."""
    ids = {name: make(session, clock, name) for name in ("Active A", "Active B", "Expired", "Never", "Revoked")}
    ids["My Business"] = account.id
    for name in ("Active A", "Active B", "Revoked"):
        support_access.enable(session, clock, ids[name], TODAY + timedelta(days=7), OWNER)
    support_access.enable(session, clock, ids["Expired"], TODAY, OWNER)
    support_access.revoke(session, clock, ids["Revoked"], OWNER)
    clock.advance(timedelta(days=1))  # "Expired" ended at midnight
    support_sessions.start(session, clock, ids["Active A"], "bob")
    return ids


def by_name(summary) -> dict[str, tuple]:
    return {r.name: (r.result, r.sessions_ended, r.message) for r in summary.results}


def revoke_events(database, account_id: int) -> list[tuple]:
    return query(database, "SELECT actor, actor_kind, details FROM audit_event "
                           "WHERE account_id = ? AND action = 'support_access.revoked' ORDER BY seq", (account_id,))


def event_count(database, account_id: int) -> int:
    return query(database, "SELECT count(*) FROM audit_event WHERE account_id = ?", (account_id,))[0][0]


def test_revokes_only_where_access_is_on_each_with_its_own_event(database, session, clock, agency):
    before = {name: event_count(database, id_) for name, id_ in agency.items()}
    assert revoke_everywhere_preview(session, clock) == RevokePreview(accounts=2, sessions=1)

    summary = revoke_everywhere(database, clock, OWNER)

    assert by_name(summary) == {
        "Active A": (REVOKED, 1, None), "Active B": (REVOKED, 0, None),
        "Expired": (ALREADY_OFF, 0, None), "My Business": (ALREADY_OFF, 0, None),
        "Never": (ALREADY_OFF, 0, None), "Revoked": (ALREADY_OFF, 0, None),
    }
    assert [r.name for r in summary.results] == sorted(agency)  # by name
    assert summary.all_off and summary.sessions_ended == 1
    assert summary.sentence() == "Revoked in 2 accounts (1 live session ended); 4 already off; 0 failed."
    for name in ("Active A", "Active B"):
        assert support_access.status(session, clock, accounts.get(session, agency[name])).state == "revoked"
        events = revoke_events(database, agency[name])
        assert len(events) == 1 and events[0][:2] == recorded(database, OWNER)
    # The live session ended as by a single revoke: its own event, then the revoke's.
    assert query(database, "SELECT end_reason FROM support_session WHERE account_id = ?",
                 (agency["Active A"],)) == [("revoked",)]
    assert json.loads(revoke_events(database, agency["Active A"])[0][2])["sessions_ended"] == 1
    assert event_count(database, agency["Active A"]) == before["Active A"] + 2
    assert event_count(database, agency["Active B"]) == before["Active B"] + 1
    for name in ("Expired", "Never", "Revoked", "My Business"):
        assert event_count(database, agency[name]) == before[name], name
    assert revoke_everywhere_preview(session, clock) == RevokePreview(0, 0)


def test_safe_to_run_twice(database, clock, agency):
    revoke_everywhere(database, clock, OWNER)
    before = snapshot_rows(database)
    again = revoke_everywhere(database, clock, OWNER)
    assert {r.result for r in again.results} == {ALREADY_OFF}
    assert again.all_off and again.sessions_ended == 0
    assert again.sentence() == "Revoked in 0 accounts (0 live sessions ended); 6 already off; 0 failed."
    assert snapshot_rows(database) == before  # nothing written


def test_progress_after_each_account(database, clock, agency):
    seen = []
    revoke_everywhere(database, clock, OWNER, on_progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 6) for n in range(1, 7)]


@pytest.mark.parametrize("fault", [DatabaseProblem(BUSY), ConnectionLost("The connection to the database "
                                                                          "server was lost; try again once it is back.")])
def test_a_failure_in_one_account_leaves_the_others_revoked(database, session, clock, agency, monkeypatch, fault):
    real = support_access.revoke

    def failing(session_, clock_, account_id, actor, expected_version=None):
        if account_id == agency["Active A"]:
            raise fault
        return real(session_, clock_, account_id, actor, expected_version)

    monkeypatch.setattr(support_access, "revoke", failing)
    summary = revoke_everywhere(database, clock, OWNER)
    assert by_name(summary)["Active A"] == (FAILED, 0, fault.message)
    assert by_name(summary)["Active B"] == (REVOKED, 0, None)
    assert not summary.all_off
    assert summary.sentence() == "Revoked in 1 account (0 live sessions ended); 4 already off; 1 failed: Active A."
    assert revoke_events(database, agency["Active A"]) == []
    assert support_access.status(session, clock, accounts.get(session, agency["Active A"])).state == "active"

    monkeypatch.setattr(support_access, "revoke", real)  # the fault has passed: running again finishes
    again = revoke_everywhere(database, clock, OWNER)
    assert by_name(again)["Active A"] == (REVOKED, 1, None)
    assert [r.name for r in again.results if r.result == REVOKED] == ["Active A"]
    assert again.all_off
    assert len(revoke_events(database, agency["Active B"])) == 1


def test_a_raw_database_error_is_one_sentence(database, clock, agency, monkeypatch):
    from sqlalchemy.exc import OperationalError

    real = support_access.revoke

    def locked(session_, clock_, account_id, actor, expected_version=None):
        if account_id == agency["Active B"]:
            raise OperationalError("UPDATE support_grant", {}, Exception("database is locked"))
        return real(session_, clock_, account_id, actor, expected_version)

    monkeypatch.setattr(support_access, "revoke", locked)
    summary = revoke_everywhere(database, clock, OWNER)
    assert by_name(summary)["Active B"] == (FAILED, 0, BUSY)
    assert by_name(summary)["Active A"] == (REVOKED, 1, None)


def test_a_bug_is_not_swallowed(database, clock, agency, monkeypatch):
    def broken(*_args, **_kwargs):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(support_access, "revoke", broken)
    with pytest.raises(ZeroDivisionError):
        revoke_everywhere(database, clock, OWNER)


def test_access_ended_since_the_list_was_read_is_already_off(database, session, clock, agency, monkeypatch):
    """Another process revoked it between the list and this account's turn: not a failure."""
    real = support_access.revoke

    def raced(session_, clock_, account_id, actor, expected_version=None):
        if account_id == agency["Active B"]:
            with database.session() as elsewhere:
                real(elsewhere, clock_, account_id, Actor("carol", "owner"))
        return real(session_, clock_, account_id, actor, expected_version)

    monkeypatch.setattr(support_access, "revoke", raced)
    summary = revoke_everywhere(database, clock, OWNER)
    assert by_name(summary)["Active B"] == (ALREADY_OFF, 0, None)
    assert len(revoke_events(database, agency["Active B"])) == 1
    assert summary.all_off


def test_from_a_session_as_the_tui_gate_hands_one(database, session, clock, agency):
    # The gate calls fn(session, ...); the session may hold a read transaction of its own.
    accounts.list_accounts(session)
    summary = revoke_everywhere(session, clock, OWNER)
    assert [r.name for r in summary.revoked] == ["Active A", "Active B"]
    assert revoke_everywhere(session, clock, OWNER).revoked == []


def test_one_account_never_enabled(database, clock):
    summary = revoke_everywhere(database, clock, OWNER)
    assert [r.result for r in summary.results] == [ALREADY_OFF]  # the seeded account
    assert summary.all_off


def test_the_summary_names_at_most_ten_failures():
    from aesthetix_tui.domain.revoke_everywhere import AccountRevoke, RevokeSummary

    summary = RevokeSummary(tuple(AccountRevoke(i, f"C{i:02}", FAILED, message="x.") for i in range(12)))
    assert summary.sentence() == ("Revoked in 0 accounts (0 live sessions ended); 0 already off; 12 failed: "
                                  "C00, C01, C02, C03, C04, C05, C06, C07, C08, C09 and 2 more.")
    assert summary.results[0].as_dict() == {"id": 0, "name": "C00", "result": "failed", "sessions_ended": 0,
                                            "message": "x."}
