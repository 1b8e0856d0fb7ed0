"""AESTHETIX_ACCOUNT (issue 15): the account to use when --account is not given, for the TUI's
start and every command; --account wins over it; `revoke --all-accounts` ignores it."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli


@pytest.fixture
def run(db, clock, monkeypatch):
    option = ["--database-url", db] if isinstance(db, str) else ["--db", str(db)]
    monkeypatch.delenv("AESTHETIX_ACCOUNT", raising=False)

    def run(*args: str, env: dict | None = None):
        return CliRunner().invoke(cli, option + list(args), catch_exceptions=False, obj=clock, env=env)

    return run


@pytest.fixture
def two(run):
    for name in ("Clinic A", "Clinic B"):
        assert run("accounts", "create", name, "--timezone", "UTC").exit_code == 0
    assert run("support-access", "enable", "--account", "Clinic B", "--until", "2026-12-20").exit_code == 0


def state(result) -> str:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["state"]


def test_the_environment_names_the_account(run, two):
    env = {"AESTHETIX_ACCOUNT": "Clinic B"}
    assert state(run("support-access", "status", "--json", env=env)) == "active"
    assert state(run("support-access", "status", "--account", "Clinic A", "--json", env=env)) == "off"


def test_an_unknown_account_in_the_environment_is_exit_1(run, two):
    result = run("support-access", "status", env={"AESTHETIX_ACCOUNT": "Nope"})
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("There is no account named or numbered 'Nope'. The accounts are: ")


def test_the_tui_opens_the_account_in_the_environment(run, two, monkeypatch):
    calls = []
    monkeypatch.setattr("aesthetix_tui.ui.run.run_tui", lambda target, account=None, clock=None: calls.append(account))
    assert run(env={"AESTHETIX_ACCOUNT": "Clinic B"}).exit_code == 0
    assert run("--account", "Clinic A", env={"AESTHETIX_ACCOUNT": "Clinic B"}).exit_code == 0
    assert calls == ["Clinic B", "Clinic A"]
    refused = run(env={"AESTHETIX_ACCOUNT": "Nope"})
    assert refused.exit_code == 1 and calls == ["Clinic B", "Clinic A"]


def test_revoke_all_accounts_ignores_the_environment(run, two):
    result = run("support-access", "revoke", "--all-accounts", "--yes", "--json",
                 env={"AESTHETIX_ACCOUNT": "Clinic A"})
    assert result.exit_code == 0, result.output
    assert state(run("support-access", "status", "--account", "Clinic B", "--json")) == "revoked"
