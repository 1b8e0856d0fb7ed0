"""Access requests on the shared database, with real logins (tests/db/roles_helpers.py): `sam`
asks for an account it cannot see, `alice` answers for hers, `bob` sees none of it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest


def ask(shared, account: str = "My Business", days: str = "3"):
    return json.loads(shared.ok("sam", "support", "request", account, "--ticket", "T-1", "--reason", "Sync fails",
                                "--days", days, "--json").stdout)


def refused(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    return lines[0]


def test_an_agent_asks_for_an_account_it_cannot_see(shared):
    assert shared.value("sam", "SELECT count(*) FROM account") == "0"
    made = ask(shared)
    assert (made["agent"], made["account"], made["state"]) == ("sam", "My Business", "pending")
    # Asking showed it nothing more of the account.
    assert shared.value("sam", "SELECT count(*) FROM account") == "0"
    assert shared.value("sam", "SELECT agent || ' ' || state FROM support_request") == "sam pending"
    assert shared.value("aesthetix", "SELECT actor || ' ' || actor_kind || ' ' || action FROM audit_event "
                                     "WHERE action LIKE 'support_request.%'") == "sam support support_request.created"
    # Not by id: an agent could walk through the ids to map every account.
    account_id = shared.value("aesthetix", "SELECT id FROM account WHERE name = 'My Business'")
    assert refused(shared.cli("sam", "support", "request", account_id, "--ticket", "T-1", "--reason", "Sync fails",
                              "--days", "3")) == f"There is no account named '{account_id}'."
    # Asking again replaces the first request.
    again = ask(shared)
    assert shared.value("aesthetix", f"SELECT state || ' ' || replaced_by FROM support_request "
                                     f"WHERE id = {made['id']}") == f"replaced {again['id']}"


def test_the_owner_answers_and_the_agent_reads_the_answer(shared):
    made = ask(shared)
    listed = json.loads(shared.ok("alice", "support-access", "requests", "--account", "My Business", "--json").stdout)
    assert [r["id"] for r in listed] == [made["id"]]
    approved = json.loads(shared.ok("alice", "support-access", "approve", str(made["id"]), "--json").stdout)
    assert (approved["state"], approved["answered_by"]) == ("approved", "alice")
    assert shared.value("sam", "SELECT name FROM account") == "My Business"
    # The agent's own list names the account and the last day, also once access is off again.
    shared.ok("alice", "support-access", "revoke", "--yes", "--account", "My Business")
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.domain import support_requests
    from aesthetix_tui.domain.seed import open_database

    agent_db = open_database(resolve_target(database_url=shared.url("sam")), shared.clock)
    try:
        with agent_db.session() as session:
            [mine] = support_requests.of_agent(session, shared.clock, "sam")
    finally:
        agent_db.dispose()
    assert (mine.account_name, mine.state, mine.approved_until) == (
        "My Business", "approved", (shared.clock.now() + timedelta(days=3)).date())


def test_an_agent_cannot_answer_and_another_owner_cannot_see(shared):
    made = ask(shared)
    assert "only the account owner" in refused(shared.cli("sam", "support-access", "approve", str(made["id"])))
    assert "only the account owner" in refused(shared.cli("sam", "support-access", "decline", str(made["id"])))
    assert shared.value("bob", "SELECT count(*) FROM support_request") == "0"
    refused(shared.cli("bob", "support-access", "approve", str(made["id"])))
    assert shared.value("aesthetix", "SELECT state FROM support_request") == "pending"
    assert shared.value("aesthetix", "SELECT count(*) FROM support_grant") == "0"


@pytest.mark.parametrize("sql", [
    ("INSERT INTO support_request (account_id, agent, ticket, reason, days, created_at, state) "
     "SELECT id, 'sam', 'T', 'r', 1, now(), 'pending' FROM account"),
    "UPDATE support_request SET state = 'approved'",
    "SELECT aesthetix_audit_write(1, now(), 'support_request.approved', 'x', '{}', NULL)",
    "SELECT aesthetix_record_view(1, 'features')",
    "SELECT aesthetix_request_access('My Business', 'T', 'r', 999)",
])
def test_an_agent_gets_no_further_by_hand(shared, sql):
    ask(shared)
    result = shared.psql("sam", sql)
    assert result.returncode != 0 or result.stdout.strip() in ("", "0"), result.stdout
    assert shared.value("aesthetix", "SELECT state FROM support_request") == "pending"
    assert shared.value("aesthetix", "SELECT count(*) FROM support_request") == "1"


def test_owners_do_not_ask(shared):
    result = shared.psql("alice", "SELECT aesthetix_request_access('My Business', 'T', 'r', 1)")
    assert result.returncode != 0 and "permission denied" in result.stderr


def test_an_unknown_account_is_one_sentence(shared):
    message = refused(shared.cli("sam", "support", "request", "Nowhere", "--ticket", "T", "--reason", "r",
                                 "--days", "1"))
    assert message == "There is no account named 'Nowhere'."
