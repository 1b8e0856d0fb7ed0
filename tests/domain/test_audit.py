"""The audit trail: a per-account hash chain that shows tampering, and its exports."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise

import pytest
from helpers import execute, query, recorded

from aesthetix_tui.domain import accounts, audit, features, integrations, legacy_key, support_access
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.audit_export import events_in_order, export
from aesthetix_tui.domain.errors import InvalidInput


@pytest.fixture
def history(session, clock, account, owner):
    """Six events: the account's creation, then five changes a minute apart."""
    steps = [
        lambda: support_access.enable(session, clock, account.id, date(2026, 11, 30), owner,
                                      reason='Ticket #12, "urgent" — café'),
        lambda: integrations.create(session, clock, account.id, "CRM, Sync", ["contacts.readonly"],
                                    Actor("sam", "support"), "line one"),
        lambda: features.update(session, clock, account.id, {"legacy_triggers": True}, owner),
        lambda: legacy_key.regenerate(session, clock, account.id, owner),
        lambda: support_access.revoke(session, clock, account.id, owner),
    ]
    for step in steps:
        clock.advance(timedelta(minutes=1))
        step()
    return account


def fresh_verify(database, account_id: int) -> audit.ChainReport:
    """Verify with a new session, as `audit verify` in another process would."""
    with database.session() as s:
        return audit.verify(s, accounts.get(s, account_id))


def test_events_are_recorded_in_order(session, history, database, owner):
    from aesthetix_tui.domain.actor import SYSTEM

    rows = query(database, "SELECT seq, action, actor, actor_kind FROM audit_event WHERE account_id = ? "
                           "ORDER BY seq", (history.id,))
    assert rows == [
        (1, "account.created", *recorded(database, SYSTEM)),
        (2, "support_access.enabled", *recorded(database, owner)),
        (3, "integration.created", *recorded(database, Actor("sam", "support"))),
        (4, "feature.enabled", *recorded(database, owner)),
        (5, "legacy_key.regenerated", *recorded(database, owner)),
        (6, "support_access.revoked", *recorded(database, owner)),
    ]


def test_each_event_links_to_the_one_before(database, history):
    rows = query(database, "SELECT seq, prev_hash, hash FROM audit_event WHERE account_id = ? ORDER BY seq",
                 (history.id,))
    assert rows[0][1] == "0" * 64
    for before, after in pairwise(rows):
        assert after[1] == before[2]
    assert len({r[2] for r in rows}) == len(rows)
    head = query(database, "SELECT audit_seq, audit_head FROM account WHERE id = ?", (history.id,))[0]
    assert head == (rows[-1][0], rows[-1][2])


def test_an_untouched_chain_verifies(session, database, history):
    report = audit.verify(session, history)
    assert report.ok and report.checked == 6 and report.broken_seq is None
    assert report.message == "The audit trail is intact: 6 events verified."
    assert fresh_verify(database, history.id).ok


def test_verify_in_small_batches(session, history):
    assert audit.verify(session, history, batch=2).checked == 6
    assert audit.verify(session, history, batch=1).ok


@pytest.mark.parametrize("column, value", [
    ("details", '{"until":"2027-01-30"}'),
    ("actor", "mallory"),
    ("actor_kind", "owner"),  # recorded: "support" on SQLite, "system" on PostgreSQL
    ("actor_label", "mallory"),
    ("action", "support_access.extended"),
    ("target", "legacy_key"),
    ("at", "2026-11-20 09:00:00.000000"),
])
def test_a_changed_row_is_detected(database, history, column, value):
    execute(database, f"UPDATE audit_event SET {column} = ? WHERE account_id = ? AND seq = 3", (value, history.id))
    report = fresh_verify(database, history.id)
    assert not report.ok
    assert report.broken_seq == 3
    assert report.checked == 2
    assert "#3" in report.message and "changed" in report.message


@pytest.mark.parametrize("forged", ["mallory", None])
def test_the_label_is_part_of_the_hash(session, clock, account, database, owner, forged):
    """A name given with --actor (recorded beside the login) cannot be changed or removed unseen."""
    support_access.enable(session, clock, account.id, date(2026, 11, 30), Actor("alice", "owner", "bob"))
    features.update(session, clock, account.id, {"legacy_triggers": True}, owner)
    # PostgreSQL records no label a client gives: the actor is the login, nothing beside it.
    label = None if database.engine.dialect.name == "postgresql" else "bob"
    assert query(database, "SELECT seq, actor_label FROM audit_event WHERE account_id = ? ORDER BY seq",
                 (account.id,)) == [(1, None), (2, label), (3, None)]
    assert fresh_verify(database, account.id).ok
    execute(database, "UPDATE audit_event SET actor_label = ? WHERE account_id = ? AND seq = 2",
            (forged if forged != label else "bob", account.id))
    report = fresh_verify(database, account.id)
    assert (report.ok, report.broken_seq, report.checked) == (False, 2, 1)
    assert "#2" in report.message and "changed" in report.message


def test_a_row_with_a_recomputed_hash_is_still_caught_by_the_next_one(database, history):
    """Rewriting a row and its own hash breaks the link from the row after it."""
    seq, at, actor, kind, action, target, prev = query(
        database, "SELECT seq, at, actor, actor_kind, action, target, prev_hash FROM audit_event "
                  "WHERE account_id = ? AND seq = 3", (history.id,))[0]
    forged = '{"name":"forged"}'
    new_hash = audit.event_hash(prev, seq, datetime.fromisoformat(at).replace(tzinfo=UTC),
                                actor, kind, action, target, forged)
    execute(database, "UPDATE audit_event SET details = ?, hash = ? WHERE account_id = ? AND seq = 3",
            (forged, new_hash, history.id))
    report = fresh_verify(database, history.id)
    assert (report.ok, report.broken_seq) == (False, 4)
    assert "does not follow" in report.problem


def test_a_deleted_middle_row_is_detected(database, history):
    execute(database, "DELETE FROM audit_event WHERE account_id = ? AND seq = 4", (history.id,))
    report = fresh_verify(database, history.id)
    assert (report.ok, report.broken_seq) == (False, 4)
    assert "missing or out of order" in report.problem


def test_a_deleted_first_row_is_detected(database, history):
    execute(database, "DELETE FROM audit_event WHERE account_id = ? AND seq = 1", (history.id,))
    assert fresh_verify(database, history.id).broken_seq == 1


def test_a_deleted_last_row_is_detected(database, history):
    execute(database, "DELETE FROM audit_event WHERE account_id = ? AND seq = 6", (history.id,))
    report = fresh_verify(database, history.id)
    assert (report.ok, report.broken_seq) == (False, 6)
    assert "newest events are missing" in report.problem


def test_swapped_rows_are_detected(database, history):
    execute(database, "UPDATE audit_event SET seq = -1 WHERE account_id = ? AND seq = 2", (history.id,))
    execute(database, "UPDATE audit_event SET seq = 2 WHERE account_id = ? AND seq = 3", (history.id,))
    execute(database, "UPDATE audit_event SET seq = 3 WHERE account_id = ? AND seq = -1", (history.id,))
    report = fresh_verify(database, history.id)
    assert (report.ok, report.broken_seq) == (False, 2)


def test_tampering_in_one_account_leaves_the_other_intact(session, clock, database, history, owner):
    other = accounts.create(session, clock, "Other", "UTC", owner)
    support_access.enable(session, clock, other.id, date(2026, 11, 28), owner)
    execute(database, "UPDATE audit_event SET actor = 'x' WHERE account_id = ? AND seq = 2", (history.id,))
    assert not fresh_verify(database, history.id).ok
    report = fresh_verify(database, other.id)
    assert report.ok and report.checked == 2


def test_secrets_never_reach_the_details(session, clock, account, owner, database):
    issued = integrations.create(session, clock, account.id, "A", ["contacts.readonly"], owner)
    rotated = integrations.rotate(session, clock, account.id, "A", owner, "7d")
    key = legacy_key.regenerate(session, clock, account.id, owner).key
    details = " ".join(r[0] for r in query(database, "SELECT details FROM audit_event"))
    for secret in (issued.token, rotated.token, key):
        assert secret not in details
    assert issued.integration.token_hint in details  # the hint is there, so the check can fail


# -- reading --------------------------------------------------------------------

def test_recent_is_newest_first_by_keyset(session, history):
    assert [e.seq for e in audit.recent(session, history)] == [6, 5, 4, 3, 2, 1]
    assert [e.seq for e in audit.recent(session, history, limit=2)] == [6, 5]
    assert [e.seq for e in audit.recent(session, history, limit=2, before_seq=5)] == [4, 3]


def test_for_target(session, history):
    events = audit.for_target(session, history, "support_access")
    assert [e.action for e in events] == ["support_access.revoked", "support_access.enabled"]


def test_event_times_come_from_the_clock(session, history):
    times = [e.at for e in reversed(audit.recent(session, history))]
    start = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    assert times == [start + timedelta(minutes=i) for i in range(6)]
    assert all(t.tzinfo is not None and t.utcoffset() == timedelta(0) for t in times)


# -- export -----------------------------------------------------------------------

def expected(session, account) -> list[dict]:
    return [audit.as_dict(e) for e in reversed(audit.recent(session, account, limit=10_000))]


def test_json_export_round_trips(session, history):
    out = io.StringIO()
    assert export(session, history, "json", out) == 6
    parsed = json.loads(out.getvalue())
    assert parsed == expected(session, history)
    assert parsed[1]["details"]["reason"] == 'Ticket #12, "urgent" — café'


def test_csv_export_round_trips(session, history):
    out = io.StringIO()
    assert export(session, history, "csv", out) == 6
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0]) == ["seq", "at", "actor", "actor_kind", "action", "target", "details", "hash",
                             "actor_label"]
    assert {r["actor_label"] for r in rows} == {""}  # no event here was given a label
    parsed = [{k: v for k, v in {**r, "seq": int(r["seq"]), "details": json.loads(r["details"])}.items()
               if k != "actor_label"} for r in rows]
    assert parsed == expected(session, history)


def test_export_of_an_empty_trail(clock, tmp_path):
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.db.models import Account
    from aesthetix_tui.domain.seed import open_database

    db = open_database(resolve_target(db=str(tmp_path / "e.db")), clock, seed=False)
    try:
        with db.session() as s:
            ghost = Account(id=77, name="ghost", timezone="UTC", created_at=clock.now())
            out = io.StringIO()
            assert export(s, ghost, "json", out) == 0
            assert json.loads(out.getvalue()) == []
    finally:
        db.dispose()


def test_export_streams_in_batches(session, history):
    assert [e.seq for e in events_in_order(session, history, batch=4)] == [1, 2, 3, 4, 5, 6]
    assert [e.seq for e in events_in_order(session, history, batch=6)] == [1, 2, 3, 4, 5, 6]


def test_export_in_an_unknown_format_is_refused(session, account):
    with pytest.raises(InvalidInput, match="csv or json, not 'xml'"):
        export(session, account, "xml", io.StringIO())
