"""An unknown account (issue 15): wherever an account is named (`--account ID_OR_NAME` on a
command or on the TUI's start, `support check ACCOUNT`), exit 1 with one sentence on stderr that
names the accounts there are when there are 20 or fewer, else counts them and points to
`accounts list`. Never a traceback, never the TUI, never a raw control character."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli

NOPE = "There is no account named or numbered 'Nope'"


@pytest.fixture
def run(db, clock):
    option = ["--database-url", db] if isinstance(db, str) else ["--db", str(db)]

    def run(*args: str):
        return CliRunner().invoke(cli, option + list(args), catch_exceptions=False, obj=clock)

    return run


def ok(result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output)
    return result.stdout


def refused(result) -> str:
    """The one sentence on stderr, exit 1, nothing on stdout."""
    assert result.exit_code == 1, (result.exit_code, result.output)
    assert result.stdout == ""
    assert "Traceback" not in result.output
    [sentence] = result.stderr.strip().splitlines()
    return sentence


@pytest.fixture
def shops(run):
    ok(run("accounts", "list"))  # migrates and seeds My Business
    ok(run("accounts", "create", "Zebra Spa", "--timezone", "UTC"))
    ok(run("accounts", "create", "Acme", "--timezone", "UTC"))
    return "'Acme', 'My Business', 'Zebra Spa'"


@pytest.fixture
def tui_never_opens(monkeypatch):
    """The TUI's start (ui/run.run_tui) fails the test if reached; the calls it got otherwise."""
    calls = []
    monkeypatch.setattr("aesthetix_tui.ui.run.run_tui", lambda target, account=None, clock=None: calls.append(account))
    return calls


@pytest.fixture(params=["fast", "full"])
def path(request, monkeypatch):
    """Each reader: the stdlib sqlite3 one (db/quick.py; a SQLite file at the newest schema) and
    the full stack (forced here: what PostgreSQL and older files always use)."""
    if request.param == "full":
        monkeypatch.setattr("aesthetix_tui.db.quick.support_check", lambda *args: None)
        monkeypatch.setattr("aesthetix_tui.db.quick.account_check", lambda *args: None)
    return request.param


@pytest.mark.parametrize("command", [
    ("support-access", "status"),
    ("support-access", "status", "--json"),
    ("integrations", "list", "--json"),
    ("legacy-key", "status"),
    ("audit", "list"),
])
def test_an_unknown_name_lists_the_accounts(run, shops, command):
    assert refused(run(*command, "--account", "Nope")) == f"{NOPE}. The accounts are: {shops}."


def test_an_unknown_id_lists_the_accounts(run, shops):
    assert refused(run("support-access", "status", "--account", "99")) == \
        f"There is no account named or numbered '99'. The accounts are: {shops}."


def test_a_name_differing_in_case_or_inner_spaces_is_unknown(run, shops):
    assert refused(run("support-access", "status", "--account", " zebra  spa ")) == \
        f"There is no account named or numbered 'zebra  spa'. The accounts are: {shops}."


def test_more_than_twenty_accounts_are_counted_not_listed(run):
    ok(run("accounts", "list"))
    for i in range(20):
        ok(run("accounts", "create", f"Shop {i:02}", "--timezone", "UTC"))
    assert refused(run("support-access", "status", "--account", "Nope")) == \
        f"{NOPE}; `aesthetix-tui accounts list` shows the 21 accounts."
    assert refused(run("support", "check", "Nope")) == f"{NOPE}; `aesthetix-tui accounts list` shows the 21 accounts."


def test_twenty_accounts_are_all_listed(run):
    ok(run("accounts", "list"))
    for i in range(19):
        ok(run("accounts", "create", f"Shop {i:02}", "--timezone", "UTC"))
    names = ", ".join(["'My Business'"] + [f"'Shop {i:02}'" for i in range(19)])
    assert refused(run("support-access", "status", "--account", "Nope")) == f"{NOPE}. The accounts are: {names}."


def test_a_stored_name_with_a_control_character_is_shown_escaped(run, db, shops):
    """A name written behind the app's back (another client, an older version) never reaches the
    terminal raw: quoted as every message quotes a name, its ESC shows as \\x1b."""
    from sqlalchemy import create_engine, text

    engine = create_engine(db if isinstance(db, str) else f"sqlite:///{db}")
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE account SET name = :name WHERE name = 'Acme'"), {"name": "Evil\x1b[31m"})
    finally:
        engine.dispose()
    for result in (run("support-access", "status", "--account", "Nope"), run("support", "check", "Nope"),
                   run("--account", "Nope")):
        assert "\x1b" not in result.output
        assert refused(result) == f"{NOPE}. The accounts are: 'Evil\\x1b[31m', 'My Business', 'Zebra Spa'."


def test_an_unknown_name_typed_with_a_control_character_is_shown_escaped(run, shops):
    result = run("support-access", "status", "--account", "Evil\x1b[31m")
    assert "\x1b" not in result.output
    assert refused(result).startswith("There is no account named or numbered 'Evil\\x1b[31m'. The accounts are: ")


@pytest.mark.parametrize("ref", ["Nope", "99"])
def test_support_check_on_an_unknown_account(run, shops, path, ref):
    sentence = refused(run("support", "check", ref))
    assert sentence == f"There is no account named or numbered '{ref}'. The accounts are: {shops}."
    assert refused(run("support", "check", ref, "--json")) == sentence  # errors: one sentence on stderr, as ever


@pytest.mark.sqlite_only
def test_the_fast_support_check_answers_an_unknown_account_itself(run, shops, monkeypatch):
    """On a SQLite file at the newest schema the stdlib path answers, with the domain's words."""
    from aesthetix_tui.db import quick

    answered = []
    fast = quick.support_check
    monkeypatch.setattr(quick, "support_check", lambda *args: answered.append(fast(*args)) or answered[-1])
    sentence = refused(run("support", "check", "Nope"))
    [answer] = answered
    assert answer is not None and answer.message == sentence == f"{NOPE}. The accounts are: {shops}."


def test_the_tui_does_not_open_on_an_unknown_account(run, shops, path, tui_never_opens):
    assert refused(run("--account", "Nope")) == f"{NOPE}. The accounts are: {shops}."
    assert refused(run("--account", "99")) == f"There is no account named or numbered '99'. The accounts are: {shops}."
    assert tui_never_opens == []
    ok(run("--account", "Zebra Spa"))  # a known one: the TUI opens on it
    ok(run("--account", "1"))
    ok(run())  # no --account: the first (or remembered) one, as the TUI chooses
    assert tui_never_opens == ["Zebra Spa", "1", None]


@pytest.mark.sqlite_only
def test_the_tui_start_checks_the_account_without_the_database_stack(run, shops, monkeypatch, tui_never_opens):
    """A SQLite file at the newest schema: the stdlib path answers (the first frame stays fast)."""
    from aesthetix_tui.commands import context

    def no_stack(self):
        raise AssertionError("the full database stack was opened")

    monkeypatch.setattr(context.CliContext, "database", no_stack)
    assert refused(run("--account", "Nope")) == f"{NOPE}. The accounts are: {shops}."
    ok(run("--account", "Acme"))
    assert tui_never_opens == ["Acme"]


def test_an_empty_database_file_says_what_it_said_before(tmp_path, clock, monkeypatch, tui_never_opens):
    """No account at all to name (the account table emptied): the sentence alone."""
    import sqlite3

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    db = tmp_path / "empty.db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "accounts", "list"], obj=clock).exit_code == 0
    con = sqlite3.connect(db)
    con.execute("PRAGMA foreign_keys = OFF")
    con.execute("DELETE FROM account")
    con.commit()
    con.close()
    for args in (["support", "check", "Nope"], ["--account", "Nope"]):
        assert refused(runner.invoke(cli, ["--db", str(db), *args], obj=clock)) == f"{NOPE}."
    assert tui_never_opens == []


def test_each_login_is_told_only_the_accounts_it_may_see(pg_server, monkeypatch):
    """PostgreSQL: the names listed are those row-level security lets the login read."""
    from tests.db.roles_helpers import make_shared

    monkeypatch.setenv("TZ", "UTC")
    shared = make_shared(pg_server)
    try:
        def sentence(login: str, *args: str) -> str:
            return refused(shared.cli(login, *args))

        assert sentence("aesthetix", "support-access", "status", "--account", "Nope") == \
            f"{NOPE}. The accounts are: 'My Business', 'Other Shop'."
        assert sentence("alice", "support-access", "status", "--account", "Other Shop") == \
            "There is no account named or numbered 'Other Shop'. The accounts are: 'My Business'."
        assert sentence("bob", "support-access", "status", "--account", "1") == \
            "There is no account named or numbered '1'. The accounts are: 'Other Shop'."
        assert sentence("sam", "support", "check", "Nope") == f"{NOPE}."  # an agent with no access open: none
    finally:
        pg_server.drop_database(shared.name)
