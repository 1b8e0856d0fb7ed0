"""`accounts list`: every account's summary in the table and in --json, the --support and
--stale-integrations filters, an empty result, and stored text shown safely."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli
from aesthetix_tui.domain.catalog import features as feature_catalog
from aesthetix_tui.domain.stale import DEFAULT_NEW_DAYS, DEFAULT_UNUSED_DAYS
from tests.conftest import START

KEYS = ["id", "name", "timezone", "created_at", "support_access", "support_access_through",
        "support_access_days_left", "support_session", "active_integrations", "stale_integrations",
        "legacy_key_on", "deprecated_features_on"]


def day(offset: int) -> str:
    return (START.date() + timedelta(days=offset)).isoformat()


@pytest.fixture
def run(db, clock):
    runner = CliRunner()
    option = ["--database-url", db] if isinstance(db, str) else ["--db", str(db)]

    def run(*args: str):
        return runner.invoke(cli, option + list(args), catch_exceptions=False, obj=clock)

    return run


def ok(result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    return result.stdout


def as_json(result):
    return json.loads(ok(result))


@pytest.fixture
def agency(run, clock):
    """My Business: nothing. Active: Support Access through day 7, a legacy key, a feature on, an
    integration in use. Stale: revoked access, an integration unused for 90+ days, a disabled key."""
    ok(run("accounts", "list"))  # migrates and seeds My Business
    ok(run("accounts", "create", "Active", "--timezone", "UTC"))
    ok(run("accounts", "create", "Stale", "--timezone", "Europe/Paris"))
    ok(run("support-access", "enable", "--account", "Active", "--until", day(7)))
    ok(run("legacy-key", "regenerate", "--yes", "--account", "Active"))
    ok(run("features", "update", f"{next(iter(feature_catalog()))}=on", "--account", "Active"))
    ok(run("integrations", "create", "--name", "Fresh", "--scope", "contacts.readonly", "--account", "Active"))
    clock.set(START - timedelta(days=DEFAULT_UNUSED_DAYS + 5))
    ok(run("integrations", "create", "--name", "Old", "--scope", "contacts.readonly", "--account", "Stale"))
    clock.set(START)
    ok(run("support-access", "enable", "--account", "Stale", "--until", day(2)))
    ok(run("support-access", "revoke", "--yes", "--account", "Stale"))
    ok(run("legacy-key", "regenerate", "--yes", "--account", "Stale"))
    ok(run("legacy-key", "disable", "--account", "Stale"))


def test_json_keeps_the_old_keys_and_adds_the_summary(run, agency):
    listed = as_json(run("accounts", "list", "--json"))
    assert [a["name"] for a in listed] == ["Active", "My Business", "Stale"]
    for item in listed:
        assert list(item) == KEYS
    active, mine, stale = listed
    first_feature = next(iter(feature_catalog()))
    assert {k: active[k] for k in KEYS[4:]} == {
        "support_access": "active", "support_access_through": day(7), "support_access_days_left": 7,
        "support_session": None, "active_integrations": 1, "stale_integrations": 0, "legacy_key_on": True,
        "deprecated_features_on": [first_feature]}
    assert {k: mine[k] for k in KEYS[4:]} == {
        "support_access": "off", "support_access_through": None, "support_access_days_left": None,
        "support_session": None, "active_integrations": 0, "stale_integrations": 0, "legacy_key_on": False,
        "deprecated_features_on": []}
    assert {k: stale[k] for k in KEYS[4:]} == {
        "support_access": "revoked", "support_access_through": day(2), "support_access_days_left": None,
        "support_session": None, "active_integrations": 1, "stale_integrations": 1, "legacy_key_on": False,
        "deprecated_features_on": []}
    assert stale["timezone"] == "Europe/Paris" and stale["created_at"] == START.isoformat()


HEADERS = ["ID", "NAME", "TIMEZONE", "SUPPORT ACCESS", "SUPPORT SESSION", "INTEGRATIONS", "STALE", "LEGACY KEY",
           "DEPRECATED ON"]


def cells(out: str) -> list[dict]:
    """The table's rows as {header: cell}, cut at the columns' starts in the header line."""
    header, *rows = out.splitlines()
    starts = [header.index(h) for h in HEADERS]
    assert starts == sorted(starts)
    ends = starts[1:] + [None]
    return [{h: row[a:b].strip() for h, a, b in zip(HEADERS, starts, ends)} for row in rows]


def test_table_shows_every_column(run, agency):
    active, mine, stale = cells(ok(run("accounts", "list")))
    feature = next(iter(feature_catalog().values()))
    assert active == {"ID": "2", "NAME": "Active", "TIMEZONE": "UTC",
                      "SUPPORT ACCESS": "active through Thu 3 Dec 2026 (7 days left)", "SUPPORT SESSION": "",
                      "INTEGRATIONS": "1", "STALE": "0", "LEGACY KEY": "on", "DEPRECATED ON": feature.name}
    assert mine == {"ID": "1", "NAME": "My Business", "TIMEZONE": "UTC", "SUPPORT ACCESS": "off",
                    "SUPPORT SESSION": "", "INTEGRATIONS": "0", "STALE": "0", "LEGACY KEY": "off",
                    "DEPRECATED ON": "none"}
    assert stale == {"ID": "3", "NAME": "Stale", "TIMEZONE": "Europe/Paris", "SUPPORT ACCESS": "revoked",
                     "SUPPORT SESSION": "", "INTEGRATIONS": "1", "STALE": "1", "LEGACY KEY": "off",
                     "DEPRECATED ON": "none"}


def test_support_filter(run, agency):
    assert [a["name"] for a in as_json(run("accounts", "list", "--support", "active", "--json"))] == ["Active"]
    assert [a["name"] for a in as_json(run("accounts", "list", "--support", "off", "--json"))] == [
        "My Business", "Stale"]  # off: never enabled, expired or revoked
    out = ok(run("accounts", "list", "--support", "active"))
    assert "Active" in out and "Stale" not in out and "My Business" not in out
    result = run("accounts", "list", "--support", "maybe")
    assert result.exit_code == 2 and "maybe" in result.stderr


def test_stale_integrations_filter(run, agency, clock):
    assert [a["name"] for a in as_json(run("accounts", "list", "--stale-integrations", "--json"))] == ["Stale"]
    assert as_json(run("accounts", "list", "--stale-integrations", "--support", "active", "--json")) == []
    clock.advance(timedelta(days=DEFAULT_NEW_DAYS))  # Active's integration was never used: stale now
    assert [a["name"] for a in as_json(run("accounts", "list", "--stale-integrations", "--json"))] == [
        "Active", "Stale"]


def test_empty_result_is_a_note_on_stderr(run, agency):
    result = run("accounts", "list", "--stale-integrations", "--support", "active")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr.strip() == "No account matches these filters."


@pytest.mark.sqlite_only
def test_help_names_the_stale_threshold(run):
    assert (f"unused {DEFAULT_UNUSED_DAYS} days, or never used {DEFAULT_NEW_DAYS} days after creation"
            in " ".join(ok(run("accounts", "list", "--help")).split()))


@pytest.mark.sqlite_only
def test_stored_text_is_shown_visibly(run, db, clock):
    """An agent name with an escape sequence (written by another client) never reaches the terminal raw."""
    import sqlite3

    ok(run("support-access", "enable", "--until", day(3)))
    con = sqlite3.connect(str(db))
    con.execute("INSERT INTO support_session (account_id, grant_id, agent, started_at) "
                "VALUES (1, 1, ?, '2026-11-26 15:00:00.000000')", ("bob\x1b[31m",))
    con.commit()
    con.close()
    out = ok(run("accounts", "list"))
    assert "\x1b" not in out
    assert "bob" in out and "since Thu 26 Nov 2026 15:00" in out
    [item] = as_json(run("accounts", "list", "--json"))
    assert item["support_session"] == {"agent": "bob\x1b[31m", "since": START.isoformat()}


def test_each_login_sees_what_row_level_security_shows(pg_server, monkeypatch):
    """PostgreSQL: the list is what the login may see (db/security.py), never filtered by a claimed name."""
    from tests.db.roles_helpers import make_shared

    monkeypatch.setenv("TZ", "UTC")
    shared = make_shared(pg_server)
    try:
        def names(login: str) -> list[str]:
            return [a["name"] for a in json.loads(shared.ok(login, "accounts", "list", "--json").stdout)]

        assert names("aesthetix") == ["My Business", "Other Shop"]
        assert names("alice") == ["My Business"]
        assert names("bob") == ["Other Shop"]
        empty = shared.ok("sam", "accounts", "list")  # an agent: no account has access open
        assert (empty.stdout, empty.stderr.strip() != "") == ("", True)
        until = (shared.clock.now().date() + timedelta(days=3)).isoformat()
        shared.ok("alice", "support-access", "enable", "--until", until)
        [item] = json.loads(shared.ok("sam", "accounts", "list", "--json").stdout)
        assert (item["name"], item["support_access"], item["legacy_key_on"]) == ("My Business", "active", False)
    finally:
        pg_server.drop_database(shared.name)
