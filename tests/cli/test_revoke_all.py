"""`support-access revoke --all-accounts --yes [--json]`: every account in its own transaction,
--yes required, not with --account, a line per account and a summary (or JSON), exit 0 only
when every account ended up off, safe to run twice."""

from __future__ import annotations

import json

import pytest

from aesthetix_tui.domain import support_access
from aesthetix_tui.domain.errors import DatabaseProblem
from tests.cli.test_cli import as_json, day, ok, refused, rows

ALL = ("support-access", "revoke", "--all-accounts")


@pytest.fixture
def agency(run, db, clock):
    """Three accounts with access on (one with an agent in a live session), one never enabled
    (and the seeded "My Business")."""
    for name in ("Clinic A", "Clinic B", "Clinic C", "Never"):
        ok(run("accounts", "create", name, "--timezone", "UTC"))
    for name in ("Clinic A", "Clinic B", "Clinic C"):
        ok(run("support-access", "enable", "--account", name, "--until", day(5)))
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.domain import accounts, support_sessions
    from aesthetix_tui.domain.seed import open_database

    target = resolve_target(database_url=db) if isinstance(db, str) else resolve_target(db=str(db))
    database = open_database(target, clock)
    try:
        with database.session() as session:
            support_sessions.start(session, clock, accounts.resolve(session, "Clinic A").id, "bob")
    finally:
        database.dispose()


def results(out: str) -> dict[str, tuple]:
    return {r["name"]: (r["result"], r["sessions_ended"], r["message"]) for r in json.loads(out)}


def test_yes_is_required_and_nothing_changes(run, db, agency):
    before = rows(db)
    refused(run(*ALL), "--yes")
    refused(run(*ALL, "--json"), "--yes")
    assert rows(db) == before


def test_not_with_account(run, db, agency):
    before = rows(db)
    message = refused(run(*ALL, "--yes", "--account", "Clinic A"), "--account", "--all-accounts")
    assert message.endswith(".")
    assert rows(db) == before


def test_json_per_account_then_twice(run, db, agency):
    out = ok(run(*ALL, "--yes", "--json"))
    assert results(out) == {
        "Clinic A": ("revoked", 1, None), "Clinic B": ("revoked", 0, None), "Clinic C": ("revoked", 0, None),
        "My Business": ("already_off", 0, None), "Never": ("already_off", 0, None),
    }
    record = json.loads(out)[0]
    assert set(record) == {"id", "name", "result", "sessions_ended", "message"} and isinstance(record["id"], int)
    for name in ("Clinic A", "Clinic B", "Clinic C"):
        assert as_json(run("support-access", "status", "--account", name, "--json"))["state"] == "revoked"
    before = rows(db)
    again = ok(run(*ALL, "--yes", "--json"))
    assert {r[0] for r in results(again).values()} == {"already_off"}
    assert rows(db) == before  # the second run writes nothing


def test_human_output_a_line_per_account_and_a_summary(run, db, agency):
    result = run(*ALL, "--yes")
    lines = ok(result).splitlines()
    assert lines == [
        "Revoked: Clinic A (1 live session ended)",
        "Revoked: Clinic B (0 live sessions ended)",
        "Revoked: Clinic C (0 live sessions ended)",
        "Already off: My Business",
        "Already off: Never",
        "Revoked in 3 accounts (1 live session ended); 2 already off; 0 failed.",
    ]
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    assert ok(run(*ALL, "--yes")).splitlines()[-1] == (
        "Revoked in 0 accounts (0 live sessions ended); 5 already off; 0 failed.")


def test_a_failed_account_exits_1_and_running_again_finishes(run, db, agency, monkeypatch):
    real = support_access.revoke

    def busy(session, clock, account_id, actor, expected_version=None):
        from aesthetix_tui.db.models import Account

        if session.get(Account, account_id).name == "Clinic B":
            raise DatabaseProblem("The database is busy; try again in a moment.")
        return real(session, clock, account_id, actor, expected_version)

    monkeypatch.setattr(support_access, "revoke", busy)
    result = run(*ALL, "--yes")
    assert result.exit_code == 1, result.output
    assert "Failed: Clinic B: The database is busy; try again in a moment." in result.stdout.splitlines()
    assert result.stdout.splitlines()[-1] == (
        "Revoked in 2 accounts (1 live session ended); 2 already off; 1 failed: Clinic B.")
    assert as_json(run("support-access", "status", "--account", "Clinic B", "--json"))["state"] == "active"

    monkeypatch.setattr(support_access, "revoke", busy)
    result = run(*ALL, "--yes", "--json")
    assert result.exit_code == 1
    assert results(result.stdout)["Clinic B"] == ("failed", 0, "The database is busy; try again in a moment.")

    monkeypatch.setattr(support_access, "revoke", real)
    assert results(ok(run(*ALL, "--yes", "--json")))["Clinic B"] == ("revoked", 0, None)
    assert as_json(run("support-access", "status", "--account", "Clinic B", "--json"))["state"] == "revoked"


def test_stored_names_are_shown_visibly(run, db, agency):
    from aesthetix_tui.domain.text import visible
    from tests.cli.test_cli import execute_sql

    execute_sql(db, "UPDATE account SET name = 'Evil\x1b[2J' WHERE name = 'Clinic C'")
    out = ok(run(*ALL, "--yes"))
    assert "\x1b" not in out
    evil = "Evil\x1b[2J"
    assert f"Revoked: {visible(evil)} (0 live sessions ended)" in out.splitlines()
    names = [r["name"] for r in json.loads(ok(run(*ALL, "--yes", "--json")))]
    assert evil in names  # JSON keeps the exact value, escaped


def test_a_progress_bar_on_a_terminal(run, db, agency, monkeypatch):
    from aesthetix_tui.commands import support_access as command

    monkeypatch.setattr(command, "stderr_is_terminal", lambda: True)
    result = run(*ALL, "--yes", "--json")
    assert result.exit_code == 0
    assert "Revoking Support Access" in result.stderr
    assert json.loads(result.stdout)  # stdout stays clean JSON


def test_the_single_revoke_is_unchanged(run, db, agency):
    from tests.cli.test_cli import usage_error

    usage_error(run("support-access", "revoke", "--account", "Clinic A"), "--yes")
    assert ok(run("support-access", "revoke", "--yes", "--account", "Clinic A")).startswith(
        "Support Access was revoked on")
