"""Stale integrations from the command line: `accounts set-stale`, `integrations list --stale`
(and "stale" in --json), `integrations revoke-stale --yes --count N [--json]`."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.cli.test_cli import as_json, ok, refused, rows, usage_error
from tests.conftest import START


def create(run, clock, name: str, days_ago: int, account: str | None = None) -> None:
    clock.set(START - timedelta(days=days_ago))
    extra = ["--account", account] if account else []
    ok(run("integrations", "create", "--name", name, "--scope", "contacts.readonly", *extra))
    clock.set(START)


@pytest.fixture
def stale_two(run, clock):
    """Old (never used, 40 days), Older (never used, 100 days): stale; New (10 days): not."""
    ok(run("accounts", "list"))  # migrates and seeds My Business
    create(run, clock, "Old", 40)
    create(run, clock, "Older", 100)
    create(run, clock, "New", 10)


def test_list_marks_and_filters_the_stale(run, stale_two):
    listed = {i["name"]: i["stale"] for i in as_json(run("integrations", "list", "--json"))}
    assert listed == {"New": False, "Old": True, "Older": True}
    assert [i["name"] for i in as_json(run("integrations", "list", "--stale", "--json"))] == ["Old", "Older"]
    out = ok(run("integrations", "list", "--stale"))
    assert "Old" in out and "Older" in out and "New" not in out
    assert out.count("never (stale)") == 2


def test_set_stale_changes_the_list(run, db, stale_two):
    result = ok(run("accounts", "set-stale", "--new-days", "5"))
    assert result.strip() == ("Integrations of 'My Business' now count as stale when unused 90 days, or never used "
                              "5 days after creation.")
    assert [i["name"] for i in as_json(run("integrations", "list", "--stale", "--json"))] == ["New", "Old", "Older"]
    assert as_json(run("accounts", "set-stale", "--new-days", "50", "--unused-days", "10", "--json")) == {
        "account": "My Business", "stale_unused_days": 10, "stale_new_days": 50}
    assert [i["name"] for i in as_json(run("integrations", "list", "--stale", "--json"))] == ["Older"]
    [summary] = as_json(run("accounts", "list", "--json"))
    assert summary["stale_integrations"] == 1


@pytest.mark.parametrize("args, words", [
    (("--unused-days", "0"), "The days unused must be a whole number of days from 1 to 3,650."),
    (("--unused-days", "3651"), "The days unused must be a whole number of days from 1 to 3,650."),
    (("--new-days", "ten"), "The days never used after creation must be a whole number of days from 1 to 3,650."),
    (("--unused-days", "90", "--new-days", "30"), "Nothing to change"),
])
def test_set_stale_refusals(run, db, stale_two, args, words):
    before = rows(db)
    message = refused(run("accounts", "set-stale", *args))
    assert message.startswith(words), message
    assert rows(db) == before


def test_set_stale_needs_a_setting(run, stale_two):
    usage_error(run("accounts", "set-stale"), "--unused-days", "--new-days")


def test_revoke_stale(run, db, stale_two):
    usage_error(run("integrations", "revoke-stale", "--count", "2"), "--yes")
    usage_error(run("integrations", "revoke-stale", "--yes"), "--count")
    before = rows(db)
    message = refused(run("integrations", "revoke-stale", "--yes", "--count", "3"))
    assert message == ("The account now has 2 stale integrations, not the 3 you confirmed; nothing was revoked, "
                       "so review the list and confirm again.")
    assert refused(run("integrations", "revoke-stale", "--yes", "--count", "-1")) == (
        "Give the number of stale integrations you reviewed, a whole number.")
    assert rows(db) == before

    out = ok(run("integrations", "revoke-stale", "--yes", "--count", "2"))
    assert out.splitlines()[0] == "Revoked 2 stale integrations; their tokens no longer work:"
    assert [i["name"] for i in as_json(run("integrations", "list", "--json"))] == ["New"]
    revoked = [i for i in as_json(run("integrations", "list", "--all", "--json")) if i["status"] == "revoked"]
    assert sorted(i["name"] for i in revoked) == ["Old", "Older"]
    assert refused(run("integrations", "revoke-stale", "--yes", "--count", "0")) == (
        "No integration is stale (unused 90 days, or never used 30 days after creation); nothing was revoked.")


def test_revoke_stale_json(run, stale_two):
    done = as_json(run("integrations", "revoke-stale", "--yes", "--count", "2", "--json"))
    assert [(i["name"], i["status"]) for i in done["revoked"]] == [("Old", "revoked"), ("Older", "revoked")]
    assert ok(run("integrations", "list", "--stale")) == ""
