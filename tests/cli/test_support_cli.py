"""`aesthetix-tui support accounts|check|console`: what agents' scripts rely on."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from tests.conftest import START


def day(offset: int) -> str:
    """The CLI runs on the tests' fixed clock; the seeded account's zone is UTC (`db` sets TZ=UTC)."""
    return (START.date() + timedelta(days=offset)).isoformat()


def ok(result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output)
    return result.stdout


def refused(result, *words: str) -> str:
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert "Traceback" not in result.output and result.stdout == ""
    message = result.stderr.strip()
    assert message and "\n" not in message, message
    for word in words:
        assert word.lower() in message.lower(), message
    return message


@pytest.fixture
def two_accounts(run):
    """My Business (access through day+7, with a reason), Zen Spa (none)."""
    ok(run("accounts", "create", "Zen Spa", "--timezone", "Europe/Paris"))
    ok(run("support-access", "enable", "--account", "My Business", "--until", day(7), "--reason", "Ticket 7"))
    return run


def test_accounts_lists_only_active_access(two_accounts):
    run = two_accounts
    out = ok(run("support", "accounts"))
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "ACCOUNT", "AVAILABLE", "THROUGH", "TIME", "LEFT", "REASON"]
    assert len(lines) == 2 and "My Business" in lines[1] and "Ticket 7" in lines[1]
    assert "Zen Spa" not in out
    [item] = json.loads(ok(run("support", "accounts", "--json")))
    assert (item["name"], item["available_through"], item["reason"]) == ("My Business", day(7), "Ticket 7")
    assert item["seconds_left"] > 7 * 86400
    assert "token" not in json.dumps(item) and "hash" not in json.dumps(item)


def test_accounts_when_none_is_accessible(run):
    result = run("support", "accounts")
    assert result.exit_code == 0 and result.stdout == ""
    assert "No account has Support Access active now." in result.stderr
    assert json.loads(ok(run("support", "accounts", "--json"))) == []


def test_check_exit_codes(two_accounts):
    run = two_accounts
    out = ok(run("support", "check", "My Business"))
    assert out.startswith("Support Access to My Business is active — available through")
    assert json.loads(ok(run("support", "check", "1", "--json")))["active"] is True
    refused(run("support", "check", "Zen Spa"), "Support Access to Zen Spa is off", "cannot open")
    refused(run("support", "check", "999"), "no account named or numbered '999'")
    ok(run("support-access", "revoke", "--yes", "--account", "My Business"))
    refused(run("support", "check", "My Business"), "revoked by the account owner")
    assert json.loads(ok(run("support", "accounts", "--json"))) == []


def test_console_refuses_a_bad_agent_name_before_opening(run, db_kind):
    if db_kind == "postgresql":  # the agent is the database login: no name is taken at all
        for name in (" ", "bob"):
            refused(run("support", "console", "--agent", name), "you are your database login",
                    "--agent is not accepted")
    else:
        refused(run("support", "console", "--agent", " "), "name must be 1 to 100")


def test_support_help_names_every_command(run):
    out = ok(run("support", "--help"))
    for name in ("accounts", "check", "console"):
        assert name in out
