"""Failures the CLI says in one plain sentence (issue 24, item 10), on SQLite and PostgreSQL:
numbers past what a column holds, a commit that fails once a secret was printed, a closed
standard output, a full disk."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli
from tests.cli.test_cli import ok, refused, rows
from tests.processes import cli_argv

HUGE = ["2147483648", "99999999999999999999", str(2**63)]


@pytest.fixture
def run(db_run):
    """aesthetix-tui on `db`, already made and seeded, so `rows` before and after compare."""
    ok(db_run("accounts", "list"))
    return db_run


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("command", [["support-access", "approve"], ["support-access", "decline"]])
def test_a_request_number_too_large_is_no_such_request(run, db, number, command):
    before = rows(db)
    assert refused(run(*command, number)) == f"There is no access request numbered {number}."
    assert rows(db) == before


@pytest.mark.parametrize("number", HUGE)
@pytest.mark.parametrize("command", [["integrations", "show"], ["integrations", "revoke", "--yes"],
                                     ["integrations", "rotate", "--expire-old", "now"]])
def test_an_integration_number_too_large_is_no_such_integration(run, db, number, command):
    ok(run("integrations", "create", "--name", "CRM", "--scope", "contacts.readonly"))
    before = rows(db)
    refused(run(*command[:2], number, *command[2:]), f"There is no Private Integration named or numbered '{number}'")
    assert rows(db) == before


@pytest.mark.parametrize("number", HUGE)
def test_an_account_number_too_large_is_no_such_account(run, db, number):
    before = rows(db)
    refused(run("support-access", "enable", "--until", "2026-12-01", "--account", number),
            f"There is no account named or numbered '{number}'")
    agent = refused(run("support", "request", number, "--ticket", "T-1", "--reason", "Sync", "--days", "3",
                        *run.agent))
    assert agent.startswith(f"There is no account named or numbered '{number}'"), agent
    assert rows(db) == before


@pytest.mark.parametrize("days", ["2147483648", "99999999999999999999", "-2147483649", "0"])
def test_days_out_of_range_name_the_accounts_maximum(run, db, days):
    before = rows(db)
    message = refused(run("support", "request", "My Business", "--ticket", "T-1", "--reason", "Sync",
                          "--days", days, *run.agent))
    assert message == "Ask for 1 to 30 days; 30 is the account's maximum."
    assert rows(db) == before


def test_an_event_number_too_large_is_one_sentence(run, db):
    result = run("audit", "verify", "--expect", "99999999999999999999:" + "a" * 64)
    assert result.exit_code == 1 and "Unexpected" not in result.output and "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# -- a secret printed, then the commit fails ----------------------------------------------------------

class Shown(list):
    """The secrets shown so far, and the error the next commit raises once there is one."""

    error: BaseException


@pytest.fixture
def commit_fails_once_shown(monkeypatch):
    """The commit after a secret was shown fails as a full disk does (SQLITE_FULL)."""
    from sqlalchemy import exc
    from sqlmodel import Session

    from aesthetix_tui.commands import show_once

    shown = Shown()
    real_show, real_commit = show_once.show_or_refuse, Session.commit

    def show(print_it, what):
        real_show(print_it, what)
        shown.append(what)

    def commit(self):
        if shown:
            raise shown.error
        return real_commit(self)

    shown.error = exc.OperationalError("COMMIT", {}, sqlite3.OperationalError("database or disk is full"))
    monkeypatch.setattr(show_once, "show_or_refuse", show)
    monkeypatch.setattr(Session, "commit", commit)
    return shown


@pytest.mark.parametrize("command, what", [
    (["integrations", "create", "--name", "Zap", "--scope", "contacts.readonly"], "token"),
    (["integrations", "rotate", "CRM", "--expire-old", "7d"], "token"),
    (["legacy-key", "regenerate", "--yes"], "legacy API key"),
])
def test_a_printed_secret_whose_commit_failed_is_said_void(run, db, request, command, what):
    ok(run("integrations", "create", "--name", "CRM", "--scope", "contacts.readonly"))
    ok(run("legacy-key", "regenerate", "--yes"))
    before = rows(db)
    shown = request.getfixturevalue("commit_fails_once_shown")
    result = run(*command)
    assert shown == [what]
    assert result.exit_code == 1, result.output
    assert result.stdout.strip(), "the secret was printed before the commit"
    message = result.stderr.strip()
    assert "\n" not in message and "Traceback" not in result.output
    assert message.startswith(f"The {what} printed above was never saved, so it does not work: the disk "), message
    assert message.endswith("is full; free some space and try again.")
    assert rows(db) == before


def test_a_secret_interrupted_before_its_commit_is_said_void(run, db, commit_fails_once_shown):
    before = rows(db)
    commit_fails_once_shown.error = KeyboardInterrupt()
    result = run("integrations", "create", "--name", "Zap", "--scope", "contacts.readonly")
    assert result.exit_code == 1 and result.stdout.strip()
    assert result.stderr.strip() == ("The token printed above was never saved, so it does not work: it was "
                                     "interrupted before the change was saved.")
    assert rows(db) == before


def test_a_connection_lost_in_the_commit_says_the_secret_may_not_be_saved(pg_empty_url, clock, monkeypatch,
                                                                           tmp_path, request):
    """PostgreSQL only: a SQLite file has no connection to lose."""
    from sqlalchemy import exc

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    ok(CliRunner().invoke(cli, ["--database-url", pg_empty_url, "accounts", "list"], obj=clock))
    request.getfixturevalue("commit_fails_once_shown").error = exc.OperationalError(
        "COMMIT", {}, Exception("server closed the connection unexpectedly"), connection_invalidated=True)
    result = CliRunner().invoke(cli, ["--database-url", pg_empty_url, "legacy-key", "regenerate", "--yes"], obj=clock)
    assert result.exit_code == 1 and result.stdout.strip()
    message = result.stderr.strip()
    assert message.startswith("The legacy API key printed above may not have been saved, so check that the "
                              "change is there before using it: the connection to the database server for "), message


# -- standard output closed --------------------------------------------------------------------------

@pytest.mark.sqlite_only  # a child process on a file
@pytest.mark.parametrize("args", [["integrations", "create", "--name", "Zap", "--scope", "contacts.readonly"],
                                  ["support-access", "enable", "--until", "2026-12-01"],
                                  ["support-access", "status"]])
def test_a_closed_standard_output_is_one_sentence_and_changes_nothing(run, db, args):
    """Refused before anything runs, so the child needs no clock (and no libfaketime, which would
    take the free descriptor 1 for a file of its own)."""
    before = rows(db)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FAKETIME") and k != "LD_PRELOAD"}
    child = subprocess.run(cli_argv("--db", str(db), *args), env=env, stderr=subprocess.PIPE,
                           text=True, timeout=120, preexec_fn=lambda: os.close(1), check=False)
    assert child.returncode == 1, child.stderr
    assert child.stderr.strip() == ("Standard output is closed, so nothing could be shown; nothing was changed "
                                    "(send it to /dev/null instead to discard it).")
    assert rows(db) == before
