"""The database decides the time and writes the trail (issue 22, items 1 and 2), with real
password logins through plain `psql` (tests/db/roles_helpers.py): `alice` owns "My Business",
`bob` "Other Shop", `sam` is a support agent, `aesthetix` the schema owner.

- The server runs on the test's clock (tests/pg_server.py); a time a client sends is ignored.
- Each direct change to an audited table writes its event: actor the login, time the server's,
  details built by the database (always JSON), the chain intact.
- No login may choose an event's action, time, target, label or details.
- After every attack the owner's exports and listings still work.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.db.test_roles import agent_in_session, enable

LAST_EVENT = ("SELECT actor || '|' || action || '|' || (at = now())::text || '|' || details "
              "FROM audit_event WHERE account_id = 1 ORDER BY seq DESC LIMIT 1")


def last_event(shared) -> tuple[str, str, bool, dict]:
    """(actor, action, at the server's now, details) of My Business's newest event."""
    actor, action, at_now, details = shared.value("aesthetix", LAST_EVENT).split("|", 3)
    return actor, action, at_now == "true", json.loads(details)


def events(shared) -> int:
    return int(shared.value("aesthetix", "SELECT count(*) FROM audit_event"))


def intact(shared) -> None:
    """The trail verifies, and alice's listing and exports read all of it."""
    assert "intact" in shared.ok("alice", "audit", "verify", "--account", "My Business").stdout
    listed = json.loads(shared.ok("alice", "audit", "list", "--json", "--account", "My Business").stdout)
    exported = json.loads(shared.ok("alice", "audit", "export", "--format", "json", "--account",
                                    "My Business").stdout)
    assert len(listed) == len(exported) == int(shared.value(
        "aesthetix", "SELECT count(*) FROM audit_event WHERE account_id = 1"))
    assert shared.ok("alice", "audit", "export", "--format", "csv", "--account", "My Business").stdout


def test_the_server_runs_on_the_tests_clock(shared):
    assert shared.value("alice", "SELECT now() = '2026-11-26 15:00:00+00'") == "t"
    shared.clock.advance(timedelta(days=3, minutes=7))
    assert shared.value("alice", "SELECT now()::text") == "2026-11-29 15:07:00+00"
    # A client's own settings do not move it.
    assert shared.value("alice", "SET TimeZone = 'Asia/Tokyo'; SELECT now() = '2026-11-29 15:07:00+00'") == "t"


def test_the_apps_writes_are_dated_by_the_server(shared):
    shared.clock.advance(timedelta(hours=2))
    enable(shared)
    at_now = "(enabled_at = now() AND updated_at = now())::text FROM support_grant"
    assert shared.value("aesthetix", f"SELECT {at_now}") == "true"
    assert last_event(shared)[:3] == ("alice", "support_access.enabled", True)


def a_request(shared) -> str:
    shared.ok("sam", "support", "request", "My Business", "--ticket", "T-1", "--reason", "Sync fails", "--days", "3")
    return shared.value("aesthetix", "SELECT max(id) FROM support_request")


def an_open_session(shared) -> str:
    enable(shared)
    with agent_in_session(shared):
        pass
    return shared.value("aesthetix", "SELECT max(id) FROM support_session")


# (login, setup, statement, action): a direct change with plain psql, client times included.
DIRECT = [
    # (an owner may not change a grant's reason, db/guards.py; the schema owner may, and it is audited)
    ("aesthetix", enable, "UPDATE support_grant SET reason = 'by hand', updated_at = '2001-01-01'",
     "support_access.changed"),
    ("alice", enable, ("UPDATE support_grant SET until_date = until_date + 1, ends_at = (until_date + 2)::timestamp "
                       "AT TIME ZONE (SELECT timezone FROM account WHERE id = 1), updated_at = '2001-01-01'"),
     "support_access.extended"),
    ("alice", enable, "UPDATE support_grant SET revoked_at = '2099-01-01', revoked_by = 'alice'",
     "support_access.revoked"),
    ("alice", None, ("INSERT INTO legacy_key (account_id, key_hash, hint, created_at, created_by, disabled, version) "
                     "VALUES (1, repeat('a', 64), 'aaaa', '2001-01-01', 'alice', false, 1)"), "legacy_key.regenerated"),
    ("alice", None, ("INSERT INTO integration (account_id, name, description, scopes, token_hash, token_hint, "
                     "created_at, created_by, version) VALUES (1, 'By hand', '', 'contacts.readonly', "
                     "repeat('b', 64), 'bbbb', '2001-01-01', 'alice', 1)"), "integration.created"),
    ("alice", None, ("INSERT INTO feature_setting (account_id, feature_key, enabled, updated_at, updated_by) "
                     "VALUES (1, 'legacy_triggers', true, '2001-01-01', 'alice')"), "feature.enabled"),
    ("alice", None, "UPDATE account SET agent_policy = 'read-write', settings_updated_at = '2001-01-01'",
     "support_access.agent_policy"),
    ("alice", None, "UPDATE account SET stale_unused_days = 10", "account.stale_settings_changed"),
    ("alice", None, "UPDATE account SET support_max_days = 7", "support_access.max_days"),
    ("alice", a_request, ("UPDATE support_request SET state = 'declined', note = 'no', answered_by = 'alice', "
                          "answered_at = '2001-01-01'"), "support_request.declined"),
    ("alice", an_open_session, "UPDATE support_session SET ended_at = '2001-01-01', end_reason = 'closed'",
     "support_session.ended"),
    ("aesthetix", None, "INSERT INTO account_owner (login, account_id) VALUES ('bob', 1)", "roles.owner_added"),
    ("aesthetix", None, "DELETE FROM account_owner WHERE login = 'alice'", "roles.owner_removed"),
]


@pytest.mark.parametrize("login, setup, sql, action", DIRECT, ids=[d[3] + "-" + d[2].split()[0] for d in DIRECT])
def test_a_direct_change_writes_its_event(shared, login, setup, sql, action):
    if setup:
        setup(shared)
    shared.clock.advance(timedelta(minutes=5))
    before = events(shared)
    result = shared.psql(login, sql)
    assert result.returncode == 0, result.stderr
    assert events(shared) > before
    actor, recorded, at_now, details = last_event(shared)
    assert (actor, recorded, at_now) == (login, action, True)
    assert isinstance(details, dict)
    # The times the client sent are not what the row records.
    assert "2001" not in everything_dated(shared) and "2099" not in everything_dated(shared)
    if login == "alice":
        intact(shared)


def everything_dated(shared) -> str:
    return "\n".join(shared.value("aesthetix", f"SELECT {columns} FROM {table}") for table, columns in (
        ("support_grant", "enabled_at, revoked_at, updated_at"), ("integration", "created_at"),
        ("legacy_key", "created_at"), ("feature_setting", "updated_at"), ("account", "settings_updated_at"),
        ("support_request", "created_at, answered_at"), ("support_session", "started_at, ended_at")))


def test_a_direct_grant_change_names_what_changed(shared):
    """The attack of the issue: if the rules let it through, the event says what was done."""
    enable(shared)
    result = shared.psql("alice", "UPDATE support_grant SET ends_at = '2035-12-31', until_date = '2035-12-31', "
                                  "enabled_by = 'bob'")
    if result.returncode == 0:
        actor, action, at_now, details = last_event(shared)
        assert (actor, action, at_now) == ("alice", "support_access.extended", True)
        assert details["until"] == "2035-12-31" and details["changed"]["enabled_by"]["to"] == "bob"
    intact(shared)


@pytest.mark.parametrize("login, sql", [
    # caller-chosen time, action, target, label, details
    ("sam", "SELECT aesthetix_request_access(1, 'T-9', 'x', 1, now(), now() + interval '1 day')"),
    ("sam", "SELECT aesthetix_audit_append(1, '2030-01-01', 'support_session.viewed', 'x', 'not json', NULL)"),
    ("alice", "SELECT aesthetix_audit_append(1, '2099-01-01', 'support_access.revoked', 'x', '{}', 'sam')"),
    ("alice", "SELECT aesthetix_audit_write(1, '2099-01-01', 'support_access.revoked', 'x', '{}', 'sam')"),
    ("alice", "SELECT aesthetix_audit_event(1, 'support_access.revoked', 'x', '{}')"),
    ("sam", "SELECT aesthetix_audit_event(1, 'support_access.revoked', 'x', '{}')"),
    ("alice", "SELECT aesthetix_json_text('{}')"),
    ("alice", "SELECT aesthetix_record_view(1, 'features')"),  # not her session
    ("sam", "SELECT aesthetix_record_view(1, 'not json')"),  # not a screen
    ("alice", ("INSERT INTO audit_event (account_id, seq, at, actor, actor_kind, action, target, details, prev_hash, "
               "hash) VALUES (1, 99, '2099-01-01', 'alice', 'owner', 'support_access.revoked', 'x', 'x', 'x', 'x')")),
])
def test_no_login_writes_an_event_of_its_choosing(shared, login, sql):
    an_open_session(shared)
    before = shared.value("aesthetix", "SELECT string_agg(seq || action, ',' ORDER BY seq) FROM audit_event")
    result = shared.psql(login, sql)
    assert result.returncode != 0
    assert "permission denied" in result.stderr or "does not exist" in result.stderr \
        or "there is no screen" in result.stderr, result.stderr
    assert shared.value("aesthetix", "SELECT string_agg(seq || action, ',' ORDER BY seq) FROM audit_event") == before
    intact(shared)


def test_a_request_is_dated_by_the_server(shared):
    """sam once expired another agent's fresh request by claiming the time: it can claim none."""
    first = a_request(shared)
    shared.clock.advance(timedelta(minutes=2))
    made = shared.value("sam", "SELECT aesthetix_request_access('My Business', 'T-9', 'x', 1)")
    assert shared.value("aesthetix", f"SELECT (created_at = now())::text FROM support_request WHERE id = {made}") \
        == "true"
    # sam's own earlier request is replaced (not expired: it is two minutes old).
    assert shared.value("aesthetix", f"SELECT state FROM support_request WHERE id = {first}") == "replaced"
    assert last_event(shared)[:3] == ("sam", "support_request.replaced", True)
    intact(shared)


def test_an_agents_own_session_row_is_dated_by_the_server(shared):
    """A session row sam inserts by hand (if the rules let it) starts now and is recorded."""
    enable(shared)
    shared.clock.advance(timedelta(minutes=3))
    result = shared.psql("sam", "INSERT INTO support_session (account_id, grant_id, agent, started_at) "
                                "SELECT 1, max(id), 'sam', '2001-01-01' FROM support_grant")
    if result.returncode == 0:
        assert shared.value("aesthetix", "SELECT (started_at = now())::text FROM support_session") == "true"
        assert last_event(shared)[:3] == ("sam", "support_session.started", True)
    intact(shared)


def test_an_agents_view_is_recorded_from_the_closed_list(shared):
    enable(shared)
    with agent_in_session(shared) as (_, info):
        result = shared.psql("sam", f"SELECT seq FROM aesthetix_record_view({info.id}, 'features')")
        assert result.returncode == 0, result.stderr
        actor, action, at_now, details = last_event(shared)
        assert (actor, action, at_now) == ("sam", "support_session.viewed", True)
        assert details == {"session": info.id, "agent": "sam", "screen": "features"}
    intact(shared)


def test_a_request_expires_by_the_servers_clock_only(shared):
    made = a_request(shared)
    shared.clock.advance(timedelta(days=7) - timedelta(seconds=1))
    early = shared.psql("alice", f"UPDATE support_request SET state = 'expired' WHERE id = {made}")
    assert early.returncode != 0 and "expires 7 days after" in early.stderr
    assert shared.value("aesthetix", f"SELECT state FROM support_request WHERE id = {made}") == "pending"
    shared.clock.advance(timedelta(seconds=1))
    assert shared.psql("alice", f"UPDATE support_request SET state = 'expired' WHERE id = {made}").returncode == 0
    actor, action, at_now, details = last_event(shared)
    assert (actor, action, at_now, details["request_id"]) == ("alice", "support_request.expired", True, int(made))
    intact(shared)
