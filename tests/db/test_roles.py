"""The shared database enforces Support Access itself: logins, privileges, row-level security.

Each test runs on its own database of a real PostgreSQL cluster with password logins
(tests/db/roles_helpers.py): `aesthetix` (schema owner), `alice` (owns "My Business"), `bob`
(owns "Other Shop") and `sam` (support).
"""

from __future__ import annotations

import json
from contextlib import contextmanager
from datetime import timedelta

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli
from aesthetix_tui.domain.accounts import OWNS_NONE
from aesthetix_tui.domain.identity import ACTOR_REFUSED


def until(shared, days: int = 3) -> str:
    return (shared.clock.now() + timedelta(days=days)).date().isoformat()


def enable(shared) -> None:
    shared.ok("alice", "support-access", "enable", "--until", until(shared), "--account", "My Business")


@contextmanager
def agent_in_session(shared, claimed: str | None = None):
    """`sam` connected with the app, in a support session on the one account it may open."""
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.domain import support_sessions
    from aesthetix_tui.domain.seed import open_database

    agent_db = open_database(resolve_target(database_url=shared.url("sam")), shared.clock)
    try:
        with agent_db.session() as session:
            [account] = support_sessions.accessible_accounts(session, shared.clock)
            yield session, support_sessions.start(session, shared.clock, account.account_id, claimed)
    finally:
        agent_db.dispose()


def refused(result) -> str:
    """A refusal: exit 1, one sentence, no traceback."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def test_an_agent_sees_an_account_only_while_its_grant_is_active(shared):
    assert shared.value("sam", "SELECT count(*) FROM account") == "0"
    assert shared.value("sam", "SELECT count(*) FROM support_grant") == "0"
    enable(shared)
    assert shared.value("sam", "SELECT name FROM account") == "My Business"
    shared.ok("alice", "support-access", "revoke", "--yes", "--account", "My Business")
    assert shared.value("sam", "SELECT count(*) FROM account") == "0"
    assert shared.value("sam", "SELECT count(*) FROM integration") == "0"


@pytest.mark.parametrize("sql", [
    "SELECT token_hash FROM integration",
    "SELECT old_token_hash FROM integration",
    "SELECT * FROM integration",
    "SELECT key_hash FROM legacy_key",
    "SELECT * FROM legacy_key",
])
def test_an_agent_never_reads_a_hash(shared, sql):
    enable(shared)
    shared.ok("alice", "integrations", "create", "--name", "Zapier", "--scope", "contacts.readonly",
              "--account", "My Business")
    result = shared.psql("sam", sql)
    assert result.returncode != 0 and "permission denied" in result.stderr
    assert shared.value("sam", "SELECT name, token_hint IS NOT NULL FROM integration") == "Zapier|t"


WRITES = [
    "UPDATE support_grant SET ends_at = ends_at + interval '30 days'",
    ("INSERT INTO support_grant (account_id, until_date, ends_at, enabled_at, enabled_by, version) "
     "SELECT id, '2030-01-01', '2030-01-01', now(), 'sam', 1 FROM account"),
    "DELETE FROM support_grant",
    "UPDATE integration SET scopes = 'contacts.write'",
    "UPDATE integration SET last_used_at = now()",  # a use: no trigger runs for it (migration 0015)
    ("INSERT INTO integration (account_id, name, description, scopes, token_hash, token_hint, created_at, "
     "created_by, version) SELECT id, 'backdoor', '', 'contacts.write', 'x', 'x', now(), 'sam', 1 FROM account"),
    "DELETE FROM integration",
    "UPDATE legacy_key SET disabled = NOT disabled",
    ("INSERT INTO legacy_key (account_id, key_hash, hint, created_at, created_by, disabled, version) "
     "SELECT id, 'x', 'x', now(), 'sam', false, 1 FROM account"),
    "DELETE FROM legacy_key",
    "UPDATE feature_setting SET enabled = NOT enabled",
    ("INSERT INTO feature_setting (account_id, feature_key, enabled, updated_at, updated_by) "
     "SELECT id, 'x', true, now(), 'sam' FROM account"),
    "DELETE FROM feature_setting",
    "UPDATE account SET agent_policy = 'read-write'",
    "UPDATE account SET support_max_days = 5",
    "UPDATE audit_event SET actor = 'nobody'",
    "DELETE FROM audit_event",
    "TRUNCATE audit_event",
    ("INSERT INTO audit_event (account_id, seq, at, actor, actor_kind, action, target, details, prev_hash, hash) "
     "SELECT id, 999, now(), 'sam', 'owner', 'support_access.enabled', 'x', '{}', 'x', 'x' FROM account"),
    "INSERT INTO account_owner (login, account_id) SELECT 'sam', id FROM account",
]


@pytest.mark.parametrize("sql", WRITES)
def test_an_agent_with_access_cannot_write_with_plain_psql(shared, sql):
    enable(shared)
    shared.ok("alice", "legacy-key", "regenerate", "--yes", "--account", "My Business")
    shared.ok("alice", "integrations", "create", "--name", "Zapier", "--scope", "contacts.readonly",
              "--account", "My Business")
    shared.ok("alice", "features", "update", "legacy_campaigns=on", "--account", "My Business")
    before = everything(shared)
    result = shared.psql("sam", sql)
    assert result.returncode != 0, (sql, result.stdout)
    assert "permission denied" in result.stderr or "row-level security" in result.stderr, result.stderr
    assert everything(shared) == before


@pytest.mark.parametrize("login", ["alice", "bob"])
@pytest.mark.parametrize("sql", ["UPDATE audit_event SET actor = 'nobody'", "DELETE FROM audit_event",
                                 "TRUNCATE audit_event"])
def test_no_application_login_rewrites_the_trail(shared, login, sql):
    before = everything(shared)
    result = shared.psql(login, sql)
    assert result.returncode != 0 and "permission denied" in result.stderr
    assert everything(shared) == before


def test_even_the_schema_owner_cannot_record_another_name(shared):
    result = shared.psql("aesthetix", "INSERT INTO audit_event (account_id, seq, at, actor, actor_kind, action, "
                                      "target, details, prev_hash, hash) SELECT id, 999, now(), 'alice', 'owner', "
                                      "'x', 'x', '{}', 'x', 'x' FROM account LIMIT 1")
    assert result.returncode != 0 and "must be the database login" in result.stderr


def everything(shared) -> str:
    """Every row of the tables the tests touch, as the schema owner reads them."""
    tables = ["account", "account_owner", "support_grant", "integration", "legacy_key", "feature_setting",
              "audit_event", "support_session"]
    # One psql for all of them, each table's rows after its name.
    return shared.value("aesthetix", *(sql for t in tables
                                       for sql in (f"SELECT '{t}:'", f"SELECT * FROM {t} ORDER BY 1, 2")))


def test_an_owner_sees_nothing_of_another_owners_account(shared):
    enable(shared)
    mine = shared.value("aesthetix", "SELECT id FROM account WHERE name = 'My Business'")
    for table in ("account", "support_grant", "audit_event", "feature_setting", "integration", "support_session"):
        column = "id" if table == "account" else "account_id"
        if table in ("account", "support_grant", "audit_event"):  # rows that are there to hide
            assert shared.value("aesthetix", f"SELECT count(*) > 0 FROM {table} WHERE {column} = {mine}") == "t"
        assert shared.value("bob", f"SELECT count(*) FROM {table} WHERE {column} = {mine}") == "0"
    assert shared.value("bob", "SELECT string_agg(name, ',') FROM account") == "Other Shop"
    message = refused(shared.cli("bob", "support-access", "revoke", "--yes", "--account", "My Business"))
    assert "no account named" in message
    assert refused(shared.cli("bob", "support-access", "status", "--account", "1")).startswith("There is no account")


def test_the_trail_records_the_login_whatever_the_client_claims(shared):
    message = refused(shared.cli("alice", "support-access", "enable", "--until", until(shared), "--actor", "mallory",
                                 "--account", "My Business"))
    assert message == ACTOR_REFUSED
    enable(shared)
    with agent_in_session(shared, claimed="alice") as (_, opened):
        assert opened.agent == "sam"
    rows = shared.value("aesthetix", "SELECT actor || ':' || actor_kind || ':' || action FROM audit_event "
                                     "WHERE account_id = (SELECT id FROM account WHERE name = 'My Business') "
                                     "ORDER BY seq").splitlines()
    assert rows[-2:] == ["alice:owner:support_access.enabled", "sam:support:support_session.started"]
    assert rows[0] == "aesthetix:system:account.created"
    verified = json.loads(shared.ok("alice", "audit", "verify", "--json", "--account", "My Business").output)
    assert verified["ok"] is True


@pytest.mark.parametrize("args", [
    ["support-access", "enable", "--until", "2030-01-01"],
    ["legacy-key", "regenerate", "--yes"],
    ["integrations", "create", "--name", "backdoor", "--scope", "contacts.write"],
    ["features", "update", "legacy_campaigns=on"],
    ["support-access", "policy", "read-write"],
])
def test_an_agent_is_refused_by_the_cli_in_one_sentence(shared, args):
    enable(shared)
    before = everything(shared)
    result = shared.cli("sam", *args, "--account", "My Business")
    refused(result)
    assert "pit-" not in result.output
    assert everything(shared) == before


def test_the_console_session_ends_when_the_owner_revokes(shared):
    from aesthetix_tui.domain import support_sessions

    enable(shared)
    with agent_in_session(shared) as (session, opened):
        snapshot = support_sessions.read_as_agent(session, shared.clock, opened.id)
        assert snapshot.session.account_name == "My Business"
        shared.ok("alice", "support-access", "revoke", "--yes", "--account", "My Business")
        with pytest.raises(support_sessions.AccessEnded, match="revoked by the account owner") as ended:
            support_sessions.read_as_agent(session, shared.clock, opened.id)
        assert ended.value.reason == "revoked"
        assert support_sessions.accessible_accounts(session, shared.clock) == []
    assert shared.value("alice", "SELECT end_reason FROM support_session") == "revoked"


def test_only_the_owner_widens_the_agent_policy(shared):
    enable(shared)
    change = ("features", "update", "legacy_campaigns=on", "--account", "My Business")
    with agent_in_session(shared):
        before = everything(shared)
        refused(shared.cli("sam", *change))  # read-only: the database refuses the agent's change
        assert everything(shared) == before
        shared.ok("alice", "support-access", "policy", "read-write", "--account", "My Business")
        shared.ok("sam", *change)
    rows = shared.value("aesthetix", "SELECT actor || ':' || action FROM audit_event WHERE account_id = "
                                     "(SELECT id FROM account WHERE name = 'My Business') ORDER BY seq DESC LIMIT 2")
    assert rows.splitlines() == ["sam:feature.enabled", "alice:support_access.agent_policy"]


def test_roles_commands_give_the_same_result_when_run_again(shared):
    first = json.loads(shared.ok("aesthetix", "roles", "list", "--json").output)
    assert {"login": "alice", "kind": "owner", "accounts": ["My Business"]} in first
    assert {"login": "sam", "kind": "support", "accounts": []} in first
    events = shared.value("aesthetix", "SELECT count(*) FROM audit_event")
    shared.ok("aesthetix", "roles", "setup")
    again = shared.ok("aesthetix", "roles", "add-owner", "alice", "--account", "My Business")
    assert "nothing changed" in again.output
    assert "nothing changed" in shared.ok("aesthetix", "roles", "add-agent", "sam").output
    assert json.loads(shared.ok("aesthetix", "roles", "list", "--json").output) == first
    assert shared.value("aesthetix", "SELECT count(*) FROM audit_event") == events
    shared.ok("aesthetix", "roles", "remove", "sam")
    assert "sam" not in [item["login"] for item in json.loads(shared.ok("aesthetix", "roles", "list", "--json").output)]
    assert "nothing changed" in shared.ok("aesthetix", "roles", "remove", "sam").output


def test_roles_refuse_bad_logins_in_one_sentence(shared):
    assert "no database login named ghost" in refused(shared.cli("aesthetix", "roles", "add-agent", "ghost"))
    assert "1 to 63 lowercase" in refused(shared.cli("aesthetix", "roles", "add-agent", "Robert'); DROP"))
    assert "either an owner or an agent" in refused(shared.cli("aesthetix", "roles", "add-agent", "alice"))
    assert "superuser" in refused(shared.cli("aesthetix", "roles", "add-agent", "postgres"))
    assert "may not do this" in refused(shared.cli("alice", "roles", "add-owner", "alice", "--account", "My Business"))


def test_a_login_that_owns_nothing_is_told_what_to_ask_for(shared):
    shared.server.admin("GRANT aesthetix_owner TO nobody_owns")
    assert refused(shared.cli("nobody_owns", "support-access", "status")) == OWNS_NONE


def test_the_roles_are_for_postgresql_only(tmp_path, clock):
    from click.testing import CliRunner

    from aesthetix_tui.cli import cli
    from aesthetix_tui.domain.roles import SQLITE_HAS_NO_ROLES

    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "a.db"), "roles", "setup"], obj=clock)
    assert result.exit_code == 1 and SQLITE_HAS_NO_ROLES in result.output


def test_an_agent_cannot_claim_another_name_for_the_console(shared):
    message = refused(shared.cli("sam", "support", "console", "--agent", "alice"))
    assert "--agent is not accepted" in message


def test_an_agent_lists_only_accounts_with_active_access(shared):
    assert json.loads(shared.ok("sam", "support", "accounts", "--json").output) == []
    enable(shared)
    [item] = json.loads(shared.ok("sam", "support", "accounts", "--json").output)
    assert item["name"] == "My Business"


# -- Roles stay recoverable (issue 22, item 7) ---------------------------------------------------

def role_state(shared) -> str:
    """Every row, and who belongs to which group role."""
    members = shared.value("aesthetix", "SELECT string_agg(u.rolname || ':' || g.rolname, ',' ORDER BY 1) "
                                        "FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                                        "JOIN pg_roles u ON u.oid = m.member "
                                        "WHERE g.rolname IN ('aesthetix_owner', 'aesthetix_support')")
    return everything(shared) + "\n" + members


@pytest.mark.parametrize("args, sentence", [
    (["add-owner", "aesthetix", "--account", "Other Shop"], "aesthetix is the schema owner"),
    (["add-agent", "aesthetix"], "aesthetix is the schema owner"),
    (["add-owner", "postgres", "--account", "Other Shop"], "postgres is a superuser"),
    (["add-agent", "postgres"], "postgres is a superuser"),
    (["add-owner", "bypasser", "--account", "Other Shop"], "bypasser bypasses row-level security"),
    (["add-owner", "sam", "--account", "Other Shop"], "sam is a support agent"),
    (["add-agent", "alice"], "alice owns accounts"),
])
def test_roles_refuse_logins_that_would_lock_out_or_escape_in_one_sentence(shared, args, sentence):
    shared.server.admin("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bypasser') "
                        "THEN CREATE ROLE bypasser LOGIN BYPASSRLS; END IF; END $$")
    before = role_state(shared)
    assert refused(shared.cli("aesthetix", "roles", *args)).startswith(sentence)
    assert role_state(shared) == before


@pytest.mark.parametrize("login, words", [("aesthetix", "is the schema owner"), ("postgres", "is a superuser"),
                                          ("sam", "is a support agent")])
def test_the_database_refuses_the_same_owners_to_a_direct_insert(shared, login, words):
    before = role_state(shared)
    result = shared.psql("aesthetix", f"INSERT INTO account_owner (login, account_id) "
                                      f"SELECT '{login}', id FROM account WHERE name = 'Other Shop'")
    assert result.returncode != 0 and words in result.stderr, result.stderr
    assert role_state(shared) == before


def wrongly_made_owner(shared, login: str) -> None:
    """What an older version let `roles add-owner` do: past today's trigger, as a superuser."""
    shared.server.admin(f"GRANT aesthetix_owner TO {login}")
    import psycopg

    with psycopg.connect(shared.url("postgres").replace("postgresql+psycopg", "postgresql")) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute(f"INSERT INTO account_owner (login, account_id) SELECT '{login}', id FROM account "
                     "WHERE name = 'Other Shop'")


def test_the_schema_owner_wrongly_made_an_owner_recovers_with_roles_remove(shared):
    wrongly_made_owner(shared, "aesthetix")
    # The lock-out itself: the schema owner acts as an owner of Other Shop only.
    refused(shared.cli("aesthetix", "roles", "add-owner", "bob", "--account", "My Business"))
    result = shared.ok("aesthetix", "roles", "remove", "aesthetix")
    assert result.output == "aesthetix has no Aesthetix role any more.\n"
    assert "aesthetix" not in [item["login"] for item in json.loads(shared.ok("aesthetix", "roles", "list",
                                                                              "--json").output)]
    assert shared.value("aesthetix", "SELECT actor || ':' || actor_kind || ':' || action FROM audit_event "
                                     "WHERE account_id = (SELECT id FROM account WHERE name = 'Other Shop') "
                                     "ORDER BY seq DESC LIMIT 1") == "aesthetix:system:roles.owner_removed"
    shared.ok("aesthetix", "roles", "add-owner", "bob", "--account", "My Business")
    shared.ok("aesthetix", "accounts", "create", "Third Shop", "--timezone", "UTC")
    assert "nothing changed" in shared.ok("aesthetix", "roles", "remove", "aesthetix").output


def test_roles_remove_works_for_a_superuser_wrongly_given_a_role(shared):
    wrongly_made_owner(shared, "postgres")
    assert shared.ok("aesthetix", "roles", "remove", "postgres").output == "postgres has no Aesthetix role any more.\n"
    assert shared.value("aesthetix", "SELECT count(*) FROM account_owner WHERE login = 'postgres'") == "0"


# -- The witness knows the database and the account (issue 22, item 8) ------------------------------

def test_an_owners_witness_survives_another_spelling_and_tells_a_recreated_account(shared):
    shared.ok("alice", "audit", "list", "--account", "My Business")  # alice's client saw the trail
    as_localhost = ["--database-url", shared.url("alice").replace("@127.0.0.1:", "@localhost:")]
    assert shared.ok("alice", "audit", "verify", "--account", "My Business").stderr == ""
    # The schema owner deletes the account and makes it again under the same name, for alice.
    shared.clock.advance(timedelta(hours=1))
    assert shared.value("aesthetix", "DELETE FROM account WHERE name = 'My Business' RETURNING id")
    shared.ok("aesthetix", "accounts", "create", "My Business", "--timezone", "UTC")
    shared.ok("aesthetix", "roles", "add-owner", "alice", "--account", "My Business")
    for args in (["--database-url", shared.url("alice")], as_localhost):
        result = CliRunner().invoke(cli, [*args, "audit", "verify", "--account", "My Business"], obj=shared.clock)
        assert result.exit_code == 1, result.output
        assert result.stderr.startswith("The account was deleted and created again since "), result.stderr


def test_without_pg_control_system_the_witness_uses_the_databases_stored_id(shared, witness_file):
    shared.value("postgres", "REVOKE EXECUTE ON FUNCTION pg_control_system() FROM PUBLIC")  # this database only
    stored = shared.value("aesthetix", "SELECT id FROM database_identity")
    shared.ok("alice", "audit", "list", "--account", "My Business")
    assert list(json.loads(witness_file.read_text())["databases"]) == [f"database:stored:{stored}"]


def test_a_login_that_owns_rows_without_its_group_role_is_still_an_owner(shared):
    shared.server.admin("REVOKE aesthetix_owner FROM bob")
    before = role_state(shared)
    assert refused(shared.cli("aesthetix", "roles", "add-agent", "bob")).startswith("bob owns accounts")
    assert role_state(shared) == before
    shared.ok("aesthetix", "roles", "remove", "bob")
    assert shared.value("aesthetix", "SELECT count(*) FROM account_owner WHERE login = 'bob'") == "0"
