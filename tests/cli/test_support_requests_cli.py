"""`support request` and `support-access requests|approve|decline`, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli
from tests.cli.test_cli import day, ok, refused


@pytest.fixture
def run(db, db_kind, clock):
    option = ["--database-url", db] if db_kind == "postgresql" else ["--db", str(db)]

    def run(*args: str):
        return CliRunner().invoke(cli, [*option, *args], catch_exceptions=False, obj=clock)

    run.shared = db_kind == "postgresql"
    return run


def ask(run, *extra: str, account: str = "My Business", days: str = "3"):
    agent = [] if run.shared else ["--agent", "sam"]
    return run("support", "request", account, "--ticket", "T-1042", "--reason", "Billing sync fails",
               "--days", days, *agent, *extra)


def test_request_approve_and_list(run):
    made = json.loads(ok(ask(run, "--json")))
    assert (made["state"], made["ticket"], made["days"], made["account"]) == ("pending", "T-1042", 3, "My Business")
    listed = json.loads(ok(run("support-access", "requests", "--json")))
    assert [r["id"] for r in listed] == [made["id"]]
    approved = json.loads(ok(run("support-access", "approve", str(made["id"]), "--json")))
    assert approved["state"] == "approved" and approved["approved_until"] == day(3)
    status = json.loads(ok(run("support-access", "status", "--json")))
    assert (status["state"], status["available_through"], status["reason"]) == ("active", day(3), "T-1042")
    events = json.loads(ok(run("audit", "list", "--json")))
    actions = [e["action"] for e in events]
    assert "support_request.created" in actions and "support_request.approved" in actions


def test_plain_text_output(run):
    out = ok(ask(run))
    assert out.startswith("Request 1 sent to the owner of My Business: ")
    assert "ticket T-1042, “Billing sync fails” (Thu 26 Nov 2026 15:00)" in out
    assert "expires on Thu 3 Dec 2026 15:00" in out
    table = ok(run("support-access", "requests"))
    assert "T-1042" in table and "pending until Thu 3 Dec 2026 15:00" in table
    assert ok(run("support-access", "decline", "1", "--note", "Use the sandbox")).strip().endswith(
        "declined by " + json.loads(ok(run("support-access", "requests", "--json")))[0]["answered_by"]
        + ": Use the sandbox.")


def test_approve_until_a_chosen_date_and_extend(run):
    ok(run("support-access", "enable", "--until", day(1)))
    made = json.loads(ok(ask(run, "--json", days="5")))
    ok(run("support-access", "approve", str(made["id"]), "--until", day(4)))
    assert json.loads(ok(run("support-access", "status", "--json")))["available_through"] == day(4)


def test_refusals_are_one_sentence(run):
    refused(ask(run, days="0"), "Ask for 1 to 30 days")
    refused(ask(run, days="31"), "Ask for 1 to 30 days")
    refused(run("support", "request", "My Business", "--ticket", "", "--reason", "r", "--days", "1",
                *([] if run.shared else ["--agent", "sam"])), "ticket cannot be empty")
    refused(ask(run, account="Nowhere"), "no account named or numbered 'Nowhere'")
    made = json.loads(ok(ask(run, "--json")))
    refused(run("support-access", "approve", str(made["id"]), "--until", day(31)), "at most 30 days")
    refused(run("support-access", "approve", str(made["id"]), "--until", "tomorrow"), "YYYY-MM-DD")
    ok(run("support-access", "decline", str(made["id"])))
    refused(run("support-access", "decline", str(made["id"])), "already declined")
    refused(run("support-access", "approve", "99"), "no access request numbered 99")
    assert json.loads(ok(run("support-access", "status", "--json")))["state"] == "off"


def test_asking_again_replaces(run):
    first = json.loads(ok(ask(run, "--json")))
    second = json.loads(ok(ask(run, "--json", days="2")))
    listed = json.loads(ok(run("support-access", "requests", "--json")))
    assert [(r["id"], r["state"]) for r in listed] == [(second["id"], "pending"), (first["id"], "replaced")]
    refused(run("support-access", "approve", str(first["id"])), f"replaced by request {second['id']}")


def test_an_expired_request_lists_as_expired(run, clock):
    made = json.loads(ok(ask(run, "--json")))
    clock.advance(timedelta(days=7))
    assert json.loads(ok(run("support-access", "requests", "--json")))[0]["state"] == "expired"
    refused(run("support-access", "approve", str(made["id"])), "expired with no answer")


def test_no_requests_says_so(run):
    result = run("support-access", "requests")
    assert result.exit_code == 0 and result.stdout == ""
    assert "No support agent has asked for access to My Business." in result.stderr


def test_the_agent_option_is_refused_on_postgresql(run):
    if not run.shared:
        pytest.skip("PostgreSQL only")
    refused(run("support", "request", "My Business", "--ticket", "T", "--reason", "r", "--days", "1",
                "--agent", "sam"), "--agent is not accepted there")
