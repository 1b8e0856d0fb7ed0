"""Row-level security costs what the login may see (issue 23): each policy compares a row's
account with the login's visible accounts, computed once per statement, never per row.

Runs on the shared database of tests/db/roles_helpers.py (`alice`, `bob` owners, `sam` agent).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from aesthetix_tui.db import security

BULK = 3000  # accounts nobody here may see


def add_accounts(shared, count: int) -> None:
    shared.value("aesthetix", "INSERT INTO account (name, timezone, support_max_days, created_at, audit_seq, "
                              f"audit_head) SELECT 'bulk ' || g, 'UTC', 30, now(), 0, '' "
                              f"FROM generate_series(1, {count}) g")


def add_grant(shared, account: str, ends: str, revoked: bool = False) -> None:
    """A grant written by the schema owner: ENDS is SQL for its end, at the server's clock."""
    shared.value("aesthetix", "INSERT INTO support_grant (account_id, until_date, ends_at, enabled_at, enabled_by, "
                              "revoked_at, revoked_by) SELECT id, current_date, " + ends + ", now(), 'alice', "
                              + ("now(), 'alice'" if revoked else "NULL, NULL")
                              + f" FROM account WHERE name = '{account}'")


def ids(text: str) -> list[int]:
    return sorted(int(i) for i in text.strip("{}").split(",") if i)


def test_the_visible_sets_say_what_the_per_row_rules_say(shared):
    add_accounts(shared, 20)
    add_grant(shared, "bulk 1", "now() + interval '1 day'")
    add_grant(shared, "bulk 2", "now() + interval '1 day'", revoked=True)
    add_grant(shared, "bulk 3", "now() - interval '1 second'")
    add_grant(shared, "bulk 4", "now() + interval '1 day'")
    add_grant(shared, "bulk 4", "now() + interval '2 days'")  # two open grants: the account once
    add_grant(shared, "My Business", "now() + interval '1 day'")  # alice's
    add_grant(shared, "Other Shop", "now() + interval '1 day'")  # bob's
    top = int(shared.value("aesthetix", "SELECT max(id) + 2 FROM account"))
    for login, rule, visible in (("alice", "aesthetix_owns", "aesthetix_owned_accounts"),
                                 ("bob", "aesthetix_owns", "aesthetix_owned_accounts"),
                                 ("sam", "aesthetix_support_open", "aesthetix_support_accounts"),
                                 # an owner learns of open grants on its own accounts only
                                 ("alice", "aesthetix_support_open", "aesthetix_support_accounts"),
                                 ("bob", "aesthetix_support_open", "aesthetix_support_accounts")):
        per_row = shared.value(login, f"SELECT array(SELECT g FROM generate_series(0, {top}) g WHERE {rule}(g))")
        per_statement = shared.value(login, f"SELECT {visible}()")
        assert ids(per_statement) == ids(per_row) and ids(per_row), login
        assert len(ids(per_statement)) == len(set(ids(per_statement)))
    assert len(ids(shared.value("sam", "SELECT aesthetix_support_accounts()"))) == 4
    assert len(ids(shared.value("alice", "SELECT aesthetix_support_accounts()"))) == 1


def test_no_policy_calls_a_function_per_row(shared):
    policies = shared.value("aesthetix", "SELECT string_agg(tablename || '.' || policyname || ': ' "
                                         "|| coalesce(qual, '') || ' / ' || coalesce(with_check, ''), E'\\n') "
                                         "FROM pg_policies WHERE schemaname = current_schema()")
    assert "aesthetix_owned_accounts" in policies and "aesthetix_support_accounts" in policies
    assert "aesthetix_owns(" not in policies and "aesthetix_support_open(" not in policies, policies


def test_the_rewrite_keeps_the_rule():
    assert security.per_statement("aesthetix_owns(account_id)") == \
        "account_id = ANY ((SELECT aesthetix_owned_accounts())::integer[])"
    assert security.per_statement("agent = session_user AND aesthetix_support_open(account_id)") == \
        "agent = session_user AND account_id = ANY ((SELECT aesthetix_support_accounts())::integer[])"
    assert security.per_statement("aesthetix_agent_writes(id)") == "aesthetix_agent_writes(id)"


def plan(shared, login: str, sql: str) -> dict:
    return json.loads(shared.value(login, f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}"))[0]["Plan"]


def nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from nodes(child)


@pytest.mark.parametrize("login, tables", [
    ("alice", security.TABLES),
    ("sam", ("account", "support_grant", "integration", "legacy_key", "feature_setting", "support_session",
             "support_request")),
])
def test_a_read_touches_only_what_the_login_may_see(shared, login, tables):
    add_accounts(shared, BULK)
    add_grant(shared, "My Business", "now() + interval '1 day'")
    add_grant(shared, "bulk 7", "now() + interval '1 day'")
    shared.value("aesthetix", "ANALYZE")
    for table in tables:
        top = plan(shared, login, f"SELECT count(*) FROM {table}")
        scans = [n for n in nodes(top) if n.get("Relation Name") == table]
        assert scans, (table, top)
        for scan in scans:
            # The index finds the visible rows: no row of another account is read and thrown away.
            assert scan["Node Type"] != "Seq Scan" or scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0) < 50, \
                (table, scan)
            assert scan.get("Rows Removed by Filter", 0) < 50, (table, scan)
    account = plan(shared, login, "SELECT count(*) FROM account")
    assert any(n.get("Subplan Name", "").startswith("InitPlan") for n in nodes(account)), account


def account_reads(shared, login: str) -> tuple[list[str], list[str]]:
    """LOGIN's accessible accounts (support_sessions.accessible_accounts, through the app's own
    engine): their names, and the statements it sent that read account."""
    from sqlalchemy import event

    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.domain import support_sessions
    from aesthetix_tui.domain.seed import open_database

    sent: list[str] = []
    db = open_database(resolve_target(database_url=shared.url(login)), shared.clock)
    try:
        event.listen(db.engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
        with db.session() as session:
            names = [a.name for a in support_sessions.accessible_accounts(session, shared.clock)]
    finally:
        db.dispose()
    return names, [s for s in sent if "FROM account" in s]


def test_an_agents_account_read_leaves_the_choosing_to_the_policy(shared):
    # Its own `id = ANY(open ids)` next to the policy's made PostgreSQL try every pair of ids.
    add_accounts(shared, 20)
    until = (shared.clock.now() + timedelta(days=3)).date().isoformat()
    shared.ok("alice", "support-access", "enable", "--until", until, "--account", "My Business")
    shared.ok("bob", "support-access", "enable", "--until", until, "--account", "Other Shop")
    names, reads = account_reads(shared, "sam")
    assert names == ["My Business", "Other Shop"]
    assert reads and not any("ANY" in s for s in reads), reads
    # An owner: its own open account only, as before.
    assert account_reads(shared, "alice")[0] == ["My Business"]
    # The schema owner has no policy: the read names the open accounts itself.
    names, reads = account_reads(shared, "aesthetix")
    assert names == ["My Business", "Other Shop"]
    assert any("ANY" in s for s in reads), reads


def test_the_visible_sets_keep_their_plans(shared):
    # PL/pgSQL keeps a function's query plan for the session; a SQL function's body was parsed
    # and planned again in each statement: three quarters of an idle app's heartbeat.
    languages = shared.value("aesthetix", "SELECT string_agg(l.lanname, ',' ORDER BY p.proname) FROM pg_proc p "
                                          "JOIN pg_language l ON l.oid = p.prolang WHERE p.proname IN "
                                          "('aesthetix_owned_accounts', 'aesthetix_support_accounts')")
    assert languages == "plpgsql,plpgsql"
