"""Inputs the CLI refuses with one sentence, exit 1 and nothing changed (issue 24, item 9),
on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy
from sqlalchemy import text

from tests.cli.test_cli import day, ok, refused, rows


@pytest.fixture
def run(db_run):
    """aesthetix-tui on `db`, already made and seeded, so `rows` before and after compare."""
    ok(db_run("accounts", "list"))
    return db_run


@pytest.mark.parametrize("until", [day(3) + "\n", day(3) + "\r\n", day(3) + "\t", "\n" + day(3), day(3) + "\x00"])
@pytest.mark.parametrize("command", ["enable", "extend"])
def test_a_date_with_a_line_break_or_tab_is_refused(run, db, until, command):
    if command == "extend":
        ok(run("support-access", "enable", "--until", day(1)))
    before = rows(db)
    refused(run("support-access", command, "--until", until), "Write the date as YYYY-MM-DD")
    assert rows(db) == before


def test_spaces_around_a_date_are_still_forgiven(run):
    ok(run("support-access", "enable", "--until", f"  {day(3)} "))


@pytest.mark.parametrize("name", ["my business", "MY BUSINESS", "mY bUsInEsS"])
def test_an_account_name_differing_only_by_case_is_refused(run, db, name):
    before = rows(db)
    message = refused(run("accounts", "create", name, "--timezone", "UTC"), "already exists")
    assert message == ("An account named 'My Business' already exists (names ignore capital letters); "
                       "choose another name.")
    assert rows(db) == before


def test_case_is_compared_beyond_ascii(run, db):
    ok(run("accounts", "create", "Ärzte Öst", "--timezone", "UTC"))
    before = rows(db)
    refused(run("accounts", "create", "ärzte öst", "--timezone", "UTC"), "'Ärzte Öst' already exists")
    assert rows(db) == before


def test_the_database_itself_refuses_a_name_differing_only_by_case(run, db):
    """A writer that skips the domain's check (another client, a race) meets the unique index."""
    url = db if isinstance(db, str) else f"sqlite:///{db}"
    engine = sqlalchemy.create_engine(url)
    insert = text("INSERT INTO account (name, timezone, support_max_days, created_at, audit_seq, audit_head, "
                  "settings_version, agent_policy, stale_unused_days, stale_new_days) "
                  "VALUES (:name, 'UTC', 30, '2026-11-01 10:00:00', 0, '', 0, 'read-only', 90, 30)")
    try:
        with engine.begin() as conn:
            conn.execute(insert, {"name": "Another Business"})  # the same statement, another name: accepted
        with pytest.raises(sqlalchemy.exc.IntegrityError, match="(?i)unique|duplicate"), engine.begin() as conn:
            conn.execute(insert, {"name": "MY BUSINESS"})
    finally:
        engine.dispose()


def test_an_empty_timezone_is_refused(run, db):
    before = rows(db)
    refused(run("accounts", "create", "Second Clinic", "--timezone", ""), "not a known timezone")
    assert rows(db) == before


@pytest.mark.parametrize("changes", [("legacy_campaigns=on", "legacy_campaigns=off"),
                                     ("legacy_campaigns=off", "legacy_campaigns=on"),
                                     ("legacy_triggers=on", "legacy_campaigns=on", "legacy_campaigns=on")])
def test_a_feature_given_twice_is_refused(run, db, changes):
    before = rows(db)
    refused(run("features", "update", *changes), "'legacy_campaigns' is given more than once")
    assert rows(db) == before
