"""The database holds the rules itself (issue 22, items 3-6), whatever client writes: plain `psql`
as `alice` and `bob` (owners of different accounts), `sam` and `tina` (agents). Each attack is
refused and changes nothing; the app's own flows still work.
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager

import pytest

from aesthetix_tui.db.errors import TIMED_OUT
from tests.db.test_roles import agent_in_session, enable, everything, refused, until

ALICE = "(SELECT id FROM account WHERE name = 'My Business')"


def tables(shared) -> str:
    return everything(shared) + "\n" + shared.value("aesthetix", "SELECT * FROM support_request ORDER BY 1")


def attempt(shared, login: str, sql: str) -> str:
    """Run sql as the login; it must fail and change nothing. Returns the server's message."""
    before = tables(shared)
    result = shared.psql(login, sql)
    assert result.returncode != 0, (sql, result.stdout)
    assert tables(shared) == before
    return result.stderr


# -- item 3: the rules live in the database too ---------------------------------------------------

@pytest.mark.parametrize("sql, said", [
    ("UPDATE support_grant SET ends_at = '2035-12-31', until_date = '2035-12-31', enabled_by = 'bob'",
     "must be the database login"),
    ("UPDATE support_grant SET ends_at = '2035-12-31', until_date = '2035-12-31'", "refused: Support Access ends"),
    ("UPDATE support_grant SET ends_at = '2036-01-01', until_date = '2035-12-31'", "refused: Support Access runs"),
    ("UPDATE support_grant SET ends_at = ends_at + interval '30 days'", "refused: Support Access ends when"),
    ("UPDATE support_grant SET until_date = until_date - 1, ends_at = ends_at - interval '1 day'", "refused"),
    ("UPDATE support_grant SET enabled_by = 'bob'", "must be the database login"),
    ("UPDATE support_grant SET updated_by = 'bob'", "must be the database login"),
    ("UPDATE support_grant SET revoked_at = now(), revoked_by = 'bob'", "must be the database login"),
    (("INSERT INTO support_grant (account_id, until_date, ends_at, enabled_at, enabled_by, version) "
      "SELECT account_id, until_date, ends_at, now(), 'alice', 9 FROM support_grant"), "already active"),
])
def test_an_owner_cannot_rewrite_its_grant_past_the_rules(shared, sql, said):
    enable(shared)
    assert said in attempt(shared, "alice", sql)


def test_a_grant_is_enabled_within_the_window_only(shared):
    far = "(now()::date + 31)"
    said = attempt(shared, "alice", "INSERT INTO support_grant (account_id, until_date, ends_at, enabled_at, "
                                    f"enabled_by, version) SELECT {ALICE}, {far}, ({far} + 1)::timestamp "
                                    "AT TIME ZONE (SELECT timezone FROM account WHERE name = 'My Business'), "
                                    "now(), 'alice', 1")
    assert "refused: Support Access runs through today" in said


def test_a_revocation_is_final(shared):
    enable(shared)
    shared.ok("alice", "support-access", "revoke", "--yes", "--account", "My Business")
    for sql in ("UPDATE support_grant SET revoked_at = NULL, revoked_by = NULL",
                "UPDATE support_grant SET until_date = until_date + 1, ends_at = ends_at + interval '1 day'"):
        assert "a revocation is final" in attempt(shared, "alice", sql)
    # The owner enables it again the ordinary way.
    enable(shared)
    assert shared.value("alice", "SELECT count(*) FROM support_grant WHERE revoked_at IS NULL") == "1"


def test_the_app_still_enables_extends_revokes_and_enables_again(shared):
    enable(shared)
    shared.ok("alice", "support-access", "extend", "--until", until(shared, 10), "--account", "My Business")
    shared.ok("alice", "support-access", "revoke", "--yes", "--account", "My Business")
    enable(shared)
    status = json.loads(shared.ok("alice", "support-access", "status", "--json", "--account", "My Business").output)
    assert (status["state"], status["available_through"]) == ("active", until(shared))


@pytest.mark.parametrize("sql", [
    "UPDATE integration SET expires_at = now() + interval '400 days'",
    "UPDATE integration SET expiry_days = 999",
    "UPDATE integration SET created_by = 'bob'",
    "UPDATE integration SET updated_by = 'bob'",
    "UPDATE integration SET last_used_at = now(), created_by = 'bob'",  # a use with more in it
    "UPDATE integration SET last_used_at = now(), expiry_days = 999",
    "UPDATE feature_setting SET updated_by = 'bob'",
    "UPDATE legacy_key SET updated_by = 'bob'",
    "UPDATE account SET settings_updated_by = 'bob'",
    "UPDATE account SET support_max_days = 31",
    "UPDATE account SET support_max_days = 0",
])
def test_integrations_and_settings_follow_the_rules(shared, sql):
    shared.ok("alice", "integrations", "create", "--name", "Zapier", "--scope", "contacts.readonly",
              "--expires", until(shared, 30), "--account", "My Business")
    shared.ok("alice", "legacy-key", "regenerate", "--yes", "--account", "My Business")
    shared.ok("alice", "features", "update", "legacy_campaigns=on", "--account", "My Business")
    said = attempt(shared, "alice", sql)
    assert "refused" in said or "must be the database login" in said


def triggers_run(shared, login: str, sql: str) -> dict[str, int]:
    """The row triggers an UPDATE ran, with their calls (EXPLAIN ANALYZE, rolled back)."""
    plan = shared.value(login, "BEGIN", f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", "ROLLBACK")
    return {t["Trigger Name"]: t["Calls"] for t in json.loads(plan)[0].get("Triggers", [])}


def test_a_tokens_use_runs_only_its_clock_and_any_other_change_runs_every_trigger(shared):
    """Recording a use (last_used_at only, once a minute per token) can break no rule and is no
    owner's change: none of the integration's guards or its audit trigger runs for it, only the
    one that sets its time (the server's clock)."""
    shared.ok("alice", "integrations", "create", "--name", "Zapier", "--scope", "contacts.readonly",
              "--account", "My Business")
    assert triggers_run(shared, "alice", "UPDATE integration SET last_used_at = now()") == {"a_clock_integration_use": 1}
    ran = triggers_run(shared, "alice", "UPDATE integration SET last_used_at = now(), description = 'Zaps'")
    checks = ["guard_by_update", "guard_integration_update", "z_audit_integration_update"]
    assert ran == {"a_clock_integration_use": 1, **dict.fromkeys(checks, 1)}
    # each of them runs for an update of any column but last_used_at (its UPDATE OF list is whole)
    columns = shared.value("aesthetix", """
        SELECT t.tgname || ' ' || (SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute
                                   WHERE attrelid = t.tgrelid AND attnum = ANY (t.tgattr))
        FROM pg_trigger t WHERE t.tgrelid = 'integration'::regclass AND t.tgname LIKE '%\\_update' ORDER BY 1""")
    every = shared.value("aesthetix", "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE "
                                      "attrelid = 'integration'::regclass AND attnum > 0 AND NOT attisdropped "
                                      "AND attname <> 'last_used_at'")
    assert "description" in every and "expiry_days" in every
    assert columns.splitlines() == [f"{name} {every}" for name in checks]


def test_a_use_is_recorded_at_the_servers_clock_whatever_was_sent(shared):
    """The time of a use is the server's, as every recorded time: a use written by hand with
    another time, or with a new integration, gets now()."""
    shared.ok("alice", "integrations", "create", "--name", "Zapier", "--scope", "contacts.readonly",
              "--account", "My Business")
    recorded = "RETURNING last_used_at = now()"
    assert shared.value("alice", f"UPDATE integration SET last_used_at = '2020-01-01' {recorded}") == "t"
    assert shared.value("alice", f"UPDATE integration SET last_used_at = now() + interval '9 days' {recorded}") == "t"
    assert shared.value("aesthetix", "SELECT count(*) FROM integration WHERE last_used_at = now()") == "1"
    shared.value("alice", "UPDATE integration SET last_used_at = NULL")  # never used: no time to set
    assert shared.value("aesthetix", "SELECT count(*) FROM integration WHERE last_used_at IS NULL") == "1"


def test_a_use_by_hand_stays_within_the_owners_rows_and_is_no_event(shared):
    """Without its triggers, a use-only update is still bound by privileges and row-level
    security: another owner's changes nothing; the owner's own changes last_used_at, no event."""
    shared.ok("alice", "integrations", "create", "--name", "Zapier", "--scope", "contacts.readonly",
              "--account", "My Business")
    before = tables(shared)
    assert shared.value("bob", "UPDATE integration SET last_used_at = now() RETURNING id") == ""
    assert tables(shared) == before
    events = "SELECT count(*) FROM audit_event"
    counted = shared.value("aesthetix", events)
    used = shared.value("alice", "UPDATE integration SET last_used_at = now() RETURNING last_used_at IS NOT NULL")
    assert used == "t"
    assert shared.value("aesthetix", events) == counted


def test_the_owner_sets_the_support_maximum_and_an_agent_cannot(shared):
    """accounts set-support-max as alice, within 1 to 30 (db/guards.py); sam has no right to it."""
    shared.ok("alice", "accounts", "set-support-max", "--days", "7", "--account", "My Business")
    assert shared.value("alice", "SELECT support_max_days FROM account WHERE name = 'My Business'") == "7"
    # the event the database wrote is the one the domain appends on SQLite
    event = shared.value("aesthetix", "SELECT actor || '|' || action || '|' || target || '|' || details "
                                      "FROM audit_event WHERE action = 'support_access.max_days'")
    actor, action, target, details = event.split("|", 3)
    assert (actor, action, target, json.loads(details)) == ("alice", "support_access.max_days", "support_access",
                                                             {"from": 30, "to": 7})
    assert "permission denied" in attempt(shared, "sam", "UPDATE account SET support_max_days = 5")
    enable(shared)
    with agent_in_session(shared):
        assert "permission denied" in attempt(shared, "sam", "UPDATE account SET support_max_days = 5")


def test_a_request_is_answered_as_the_login(shared):
    shared.ok("sam", "support", "request", "My Business", "--ticket", "T-1", "--reason", "r", "--days", "3")
    assert "must be the database login" in attempt(
        shared, "alice", "UPDATE support_request SET state = 'declined', answered_at = now(), answered_by = 'bob'")
    shared.value("alice", "UPDATE support_request SET state = 'declined', answered_at = now(), answered_by = 'alice'")
    assert shared.value("aesthetix", "SELECT state || ' ' || answered_by FROM support_request") == "declined alice"


# -- item 4: the grant's end is the end ----------------------------------------------------------

def test_a_revoke_closes_the_open_session_at_its_time(shared):
    enable(shared)
    with agent_in_session(shared) as (_session, opened):
        # a revoke by hand, as the owner: the database ends the session itself
        shared.value("alice", "UPDATE support_grant SET revoked_at = now(), revoked_by = 'alice'")
        row = shared.value("aesthetix", f"SELECT s.end_reason, s.ended_at = g.revoked_at FROM support_session s "
                                        f"JOIN support_grant g ON g.id = s.grant_id WHERE s.id = {opened.id}")
        assert row == "revoked|t"
    # one event each, in SQLite's order: the session's end, then the revoke
    assert session_events(shared, 3) == [
        ("sam", "support_session.started", {"session": opened.id, "agent": "sam", "grant": opened.grant_id}),
        ("alice", "support_session.ended", {"session": opened.id, "agent": "sam", "reason": "revoked", "by": "alice"}),
        ("alice", "support_access.revoked", {"grant": opened.grant_id, "sessions_ended": 1,
                                             "was_until": until(shared)})]


def session_events(shared, count: int) -> list[tuple]:
    """The newest events (actor, action, details), oldest first."""
    rows = shared.value("aesthetix", f"SELECT actor || '|' || action || '|' || details FROM audit_event "
                                     f"ORDER BY id DESC LIMIT {count}").splitlines()
    return [(actor, action, json.loads(details)) for actor, action, details in
            (row.split("|", 2) for row in reversed(rows))]


def expire_by_hand(shared) -> None:
    """The grant ends now at the server's clock (the schema owner may set what the app needs)."""
    shared.value("aesthetix", "UPDATE support_grant SET ends_at = now() - interval '1 second'")


def test_after_expiry_an_open_session_gives_the_agent_nothing(shared):
    from aesthetix_tui.domain import support_sessions

    enable(shared)
    with agent_in_session(shared) as (session, opened):
        support_sessions.end_transaction(session)
        expire_by_hand(shared)
        assert shared.value("aesthetix", f"SELECT ended_at IS NULL FROM support_session WHERE id = {opened.id}") == "t"
        assert shared.value("sam", "SELECT count(*) FROM account") == "0"
        assert shared.value("sam", "SELECT count(*) FROM feature_setting") == "0"
        alices = shared.value("aesthetix", f"SELECT {ALICE}")
        for sql in (f"SELECT * FROM aesthetix_lock_account({alices})",
                    f"SELECT aesthetix_record_view({opened.id}, 'features')"):
            assert "permission denied" in attempt(shared, "sam", sql)
        with pytest.raises(support_sessions.AccessEnded) as ended:
            support_sessions.read_as_agent(session, shared.clock, opened.id)
        assert ended.value.reason == "expired"
    row = shared.value("aesthetix", f"SELECT s.end_reason, s.ended_at = g.ends_at FROM support_session s "
                                    f"JOIN support_grant g ON g.id = s.grant_id WHERE s.id = {opened.id}")
    assert row == "expired|t"
    assert shared.value("aesthetix", "SELECT actor || ' ' || action FROM audit_event ORDER BY id DESC LIMIT 1") == (
        "sam support_session.ended")


def test_a_session_left_open_past_its_grant_closes_when_the_owner_next_writes(shared):
    enable(shared)
    with agent_in_session(shared) as (_session, opened):
        expire_by_hand(shared)
        shared.ok("alice", "features", "update", "legacy_campaigns=on", "--account", "My Business")
        row = shared.value("aesthetix", f"SELECT s.end_reason, s.ended_at = g.ends_at FROM support_session s "
                                        f"JOIN support_grant g ON g.id = s.grant_id WHERE s.id = {opened.id}")
        assert row == "expired|t"
    ended = [e for e in session_events(shared, 4) if e[1] == "support_session.ended"]
    assert ended == [("alice", "support_session.ended",
                      {"session": opened.id, "agent": "sam", "reason": "expired", "by": "alice"})]


@pytest.mark.parametrize("sql", [
    ("INSERT INTO support_session (account_id, grant_id, agent, started_at) "
     "SELECT account_id, id, 'sam', '2001-01-01' FROM support_grant"),
    "UPDATE support_session SET ended_at = NULL",
    "UPDATE support_session SET started_at = '2001-01-01'",
])
def test_an_agent_writes_no_session_row_by_hand(shared, sql):
    enable(shared)
    with agent_in_session(shared):
        assert "permission denied" in attempt(shared, "sam", sql)


def test_sessions_start_and_end_only_through_the_functions(shared):
    from aesthetix_tui.domain import support_sessions

    assert "not active" in attempt(shared, "sam", f"SELECT aesthetix_start_session({ALICE})")
    enable(shared)
    with agent_in_session(shared) as (session, opened):
        assert "permission denied" in attempt(shared, "tina", f"SELECT aesthetix_end_session({opened.id}, 'closed')")
        assert "permission denied" in attempt(shared, "alice", f"SELECT aesthetix_start_session({ALICE})")
        assert "permission denied" in attempt(shared, "alice", "UPDATE support_session SET started_at = '2001-01-01'")
        assert support_sessions.end(session, shared.clock, opened.id) == "closed"
    assert "refused" in attempt(shared, "alice", "UPDATE support_session SET ended_at = NULL, end_reason = NULL")
    assert shared.value("aesthetix", "SELECT string_agg(action, ',' ORDER BY seq) FROM audit_event "
                                     "WHERE action LIKE 'support_session.%'") == (
        "support_session.started,support_session.ended")


# -- item 5: no stalls -----------------------------------------------------------------------------

def test_agents_run_under_the_databases_timeouts(shared):
    from aesthetix_tui.db.guards import AGENT_SETTINGS

    def settings(login: str) -> list[str]:
        return [shared.value(login, f"SHOW {name}") for name in AGENT_SETTINGS]

    assert settings("sam") == settings("tina") == list(AGENT_SETTINGS.values())
    assert settings("alice") != list(AGENT_SETTINGS.values())
    # `roles setup` sets them again on every agent (a deployment from before them).
    shared.value("aesthetix", "ALTER ROLE sam RESET ALL")
    assert settings("sam") != list(AGENT_SETTINGS.values())
    shared.ok("aesthetix", "roles", "setup")
    assert settings("sam") == list(AGENT_SETTINGS.values())
    enable(shared)
    assert "permission denied" in attempt(shared, "sam", f"SELECT id FROM aesthetix_lock_account({ALICE})")


class Held:
    """A login's connection with a transaction left open (no pg_sleep: the test server's clock
    stands still, tests/pg_server.py)."""

    def __init__(self, conn) -> None:
        self.conn = conn

    def ended(self) -> bool:
        """Was its backend ended (by the owner's lock)?"""
        import psycopg

        try:
            self.conn.execute("SELECT 1")
        except psycopg.OperationalError:
            return True
        return False


@contextmanager
def holding(shared, login: str, sql: str):
    """`login` runs sql in a transaction it leaves open, with no timeout of its own; yields then."""
    import psycopg

    server = shared.server
    conn = psycopg.connect(f"host=127.0.0.1 port={server.port} user={login} password={server.password(login)} "
                           f"dbname={shared.name}")
    try:
        conn.execute("SET statement_timeout = 0; SET lock_timeout = 0; SET idle_in_transaction_session_timeout = 0")
        conn.commit()
        conn.execute(sql)  # psycopg opened a transaction, left open
        yield Held(conn)
    finally:
        conn.close()


@pytest.mark.parametrize("sql", [
    "SELECT id FROM account FOR UPDATE",
    "SELECT aesthetix_record_view(aesthetix_start_session(id), 'features') FROM account",
    "SELECT aesthetix_start_session(id) FROM account",
])
def test_an_owner_revokes_within_2_s_while_an_agent_holds_a_transaction(shared, sql):
    enable(shared)
    with holding(shared, "sam", sql) as agent:
        started = time.monotonic()
        shared.ok("alice", "support-access", "revoke", "--yes", "--account", "My Business")
        took = time.monotonic() - started
        assert agent.ended()
    assert took < 2.0, took
    assert shared.value("alice", "SELECT revoked_by FROM support_grant") == "alice"


def test_a_statement_that_waits_too_long_is_one_sentence(shared):
    enable(shared)
    with holding(shared, "aesthetix", "SELECT id FROM account FOR UPDATE"):  # not an agent: not ended
        before = tables(shared)
        assert refused(shared.cli("alice", "support-access", "revoke", "--yes", "--account", "My Business")) == TIMED_OUT
    assert tables(shared) == before


# -- item 6: no leaks ------------------------------------------------------------------------------

def test_an_owner_learns_nothing_of_another_account(shared):
    shared.ok("bob", "support-access", "enable", "--until", until(shared), "--account", "Other Shop")
    bobs = shared.value("aesthetix", "SELECT id FROM account WHERE name = 'Other Shop'")
    for function in ("aesthetix_support_open", "aesthetix_agent_writes", "aesthetix_may_act", "aesthetix_owns"):
        assert shared.value("alice", f"SELECT {function}({bobs})") == "f"
    assert shared.value("alice", f"SELECT count(*) FROM aesthetix_lock_account({bobs})") == "0"
    # A request's grant is its own account's: another account's grant and no grant read the same.
    shared.ok("sam", "support", "request", "My Business", "--ticket", "T-1", "--reason", "r", "--days", "3")
    grant = shared.value("aesthetix", "SELECT id FROM support_grant")
    said = [attempt(shared, "alice", f"UPDATE support_request SET grant_id = {g}") for g in (grant, 999999)]
    assert said[0] == said[1] and "same account" in said[0]


def test_an_agent_finds_an_account_by_its_exact_name_only(shared):
    """Asking tells an agent whether that exact name exists, and nothing else: no id is taken
    or given back, so there are no ids to walk through."""
    alices = shared.value("aesthetix", f"SELECT {ALICE}")
    for name in ("", alices, "my business", "My Busines"):
        result = shared.psql("sam", f"SELECT aesthetix_request_access('{name}', 'T-1', 'r', 1)")
        assert result.returncode != 0 and "there is no account named" in result.stderr, result.stderr
    assert shared.value("aesthetix", "SELECT count(*) FROM support_request") == "0"
    for gone in ("aesthetix_request_target(text, bigint)", "aesthetix_request_access(integer, text, text, integer)"):
        assert shared.value("aesthetix", f"SELECT to_regprocedure('{gone}') IS NULL") == "t"
    made = shared.value("sam", "SELECT aesthetix_request_access('My Business', 'T-1', 'r', 1)")
    assert shared.value("aesthetix", f"SELECT account_id FROM support_request WHERE id = {made}") == alices


