"""integrations create --expires, list --expiring 7d, the JSON's expires_at/expiry_days, and
verify refusing an expired token, on both databases (the account's zone is UTC here)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from tests.cli.test_cli import day, ok, refused, rows
from tests.conftest import START

READ = "contacts.readonly"


def as_json(result):
    return json.loads(ok(result))


def midnight_after(offset: int) -> datetime:
    """The end of the day `offset` days from START's, in UTC."""
    return datetime.combine(START.date() + timedelta(days=offset + 1), datetime.min.time(), tzinfo=UTC)


def create(run, name: str, *more: str):
    return as_json(run("integrations", "create", "--name", name, "--scope", READ, *more, "--json"))


def test_create_with_an_expiry_date(run):
    made = create(run, "A", "--expires", day(7))["integration"]
    assert made["expires_at"] == midnight_after(7).isoformat()
    assert made["expiry_days"] == 7
    plain = create(run, "B")["integration"]
    assert plain["expires_at"] is None and plain["expiry_days"] is None


@pytest.mark.parametrize("expires, message", [
    (day(-1), "The expiry date Wed 25 Nov 2026 is in the past; choose today or later."),
    (day(367), "The expiry date Sun 28 Nov 2027 is more than 366 days ahead; choose Sat 27 Nov 2027 or earlier."),
    ("2026-13-01", "2026-13-01 is not a date."),
    ("tomorrow", "Write the date as YYYY-MM-DD, for example 2026-12-03."),
])
def test_a_bad_expiry_is_refused_and_nothing_changes(run, db, expires, message):
    ok(run("integrations", "list"))  # the database exists
    before = rows(db)
    said = refused(run("integrations", "create", "--name", "A", "--scope", READ, "--expires", expires))
    assert said.endswith(message), said
    assert rows(db) == before


def test_list_expiring_within_days(run):
    create(run, "Soon", "--expires", day(3))
    create(run, "Later", "--expires", day(30))
    create(run, "Never")
    listed = as_json(run("integrations", "list", "--json"))
    assert {i["name"]: i["expiry_days"] for i in listed} == {"Soon": 3, "Later": 30, "Never": None}
    assert {i["name"]: i["expires_at"] for i in listed}["Never"] is None
    assert [i["name"] for i in as_json(run("integrations", "list", "--expiring", "7d", "--json"))] == ["Soon"]
    assert [i["name"] for i in as_json(run("integrations", "list", "--expiring", "30d", "--json"))] \
        == ["Later", "Soon"]
    text = ok(run("integrations", "list", "--expiring", "7d"))
    assert "Soon" in text and "active (expires in 3 days)" in text and "Later" not in text
    none = run("integrations", "list", "--expiring", "1d")
    assert ok(none) == "" and "No token expires within 1 day." in none.stderr


@pytest.mark.parametrize("bad", ["7", "seven", "7w", "-7d"])
def test_list_expiring_refuses_a_bad_duration(run, bad):
    said = refused(run("integrations", "list", "--expiring", bad))
    assert said.endswith(f"Write a number of days like 7d, not {bad!r}."), said


def test_an_expired_token_is_listed_as_expired_and_refused(run, clock):
    token = create(run, "A", "--expires", day(2))["token"]
    clock.set(midnight_after(2) - timedelta(seconds=1))
    assert "Valid: 'A'" in ok(run("integrations", "verify", input=token + "\n"))
    clock.set(midnight_after(2))
    said = refused(run("integrations", "verify", input=token + "\n"))
    assert said.endswith("This token is not valid: it expired on Sat 28 Nov 2026."), said
    assert [i["status"] for i in as_json(run("integrations", "list", "--json"))] == ["expired"]
    assert "expired (expired on Sat 28 Nov 2026)" in ok(run("integrations", "list"))
    assert as_json(run("integrations", "list", "--expiring", "7d", "--json")) == []


def test_rotate_keeps_the_policy(run, clock):
    create(run, "A", "--expires", day(30))
    clock.set(START + timedelta(days=10))
    rotated = as_json(run("integrations", "rotate", "A", "--expire-old", "now", "--json"))["integration"]
    assert rotated["expires_at"] == midnight_after(40).isoformat() and rotated["expiry_days"] == 30
