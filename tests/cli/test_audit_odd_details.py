"""A trail that holds details no app wrote (not JSON: put there past the app, and kept for ever
since the trail is append-only) is still listed and exported whole: the odd value as a string,
escaped like any stored text, never "Unexpected error"."""

from __future__ import annotations

import json

import pytest

from tests.cli.test_cli import as_json, csv_events, day, execute_sql, ok

ODD = "not json \x1b[31m"


@pytest.fixture
def odd_trail(run, db):
    ok(run("support-access", "enable", "--until", day(2)))
    ok(run("features", "update", "legacy_triggers=on"))
    execute_sql(db, f"UPDATE audit_event SET details = '{ODD}' WHERE seq = 2")
    return run


def test_audit_list_json_shows_the_odd_value_as_a_string(odd_trail):
    events = as_json(odd_trail("audit", "list", "--json"))
    assert [e["seq"] for e in events] == [3, 2, 1]
    assert events[1]["details"] == ODD
    assert isinstance(events[0]["details"], dict)


def test_audit_list_shows_it_escaped(odd_trail):
    text = ok(odd_trail("audit", "list"))
    assert "not json" in text and "\x1b" not in text


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_exports_hold_every_event(odd_trail, fmt):
    out = ok(odd_trail("audit", "export", "--format", fmt))
    assert "\x1b" not in out
    events = json.loads(out) if fmt == "json" else csv_events(out)
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert "not json" in events[1]["details"] and isinstance(events[1]["details"], str)
