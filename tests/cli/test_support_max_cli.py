"""`accounts set-support-max --days N`: the owner's Support Access maximum, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from tests.cli.test_cli import as_json, ok, refused, rows, usage_error


def test_set_support_max_and_the_window_follows(run):
    ok(run("accounts", "list"))  # migrates and seeds My Business
    assert ok(run("accounts", "set-support-max", "--days", "7")).strip() == (
        "Support Access to 'My Business' can now be enabled for at most 7 days.")
    assert as_json(run("accounts", "set-support-max", "--days", "1", "--json", "--account", "My Business")) == {
        "account": "My Business", "support_max_days": 1}
    refused(run("support-access", "enable", "--until", "2026-11-28"), "at most 1 day")
    events = as_json(run("audit", "list", "--json"))
    assert [e["details"] for e in events if e["action"] == "support_access.max_days"][:2] in (
        [{"from": 7, "to": 1}, {"from": 30, "to": 7}], [{"from": 30, "to": 7}, {"from": 7, "to": 1}])


@pytest.mark.parametrize("days, words", [
    ("0", "The Support Access maximum must be a whole number of days from 1 to 30."),
    ("31", "The Support Access maximum must be a whole number of days from 1 to 30."),
    ("a week", "The Support Access maximum must be a whole number of days from 1 to 30."),
    ("30", "Nothing to change: Support Access can already be enabled for at most 30 days."),
])
def test_set_support_max_refusals(run, db, days, words):
    ok(run("accounts", "list"))
    before = rows(db)
    assert refused(run("accounts", "set-support-max", "--days", days)) == words
    assert rows(db) == before


def test_set_support_max_needs_days_and_a_known_account(run, db):
    ok(run("accounts", "list"))
    usage_error(run("accounts", "set-support-max"), "--days")
    refused(run("accounts", "set-support-max", "--days", "5", "--account", "Nowhere"), "Nowhere")
