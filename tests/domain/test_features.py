"""Deprecated features: the catalogue, per-account settings, and update in one transaction."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from helpers import query, recorded, refused

from aesthetix_tui.domain import audit, features
from aesthetix_tui.domain.catalog import features as catalog
from aesthetix_tui.domain.errors import InvalidInput


def shipped() -> list[dict]:
    return json.loads(resources.files("aesthetix_tui.domain").joinpath("data", "features.json").read_text())


def states(session, account) -> dict[str, bool]:
    return {s.feature.key: s.enabled for s in features.settings(session, account)}


def feature_events(database, account_id):
    return query(database, "SELECT action, target, actor FROM audit_event WHERE account_id = ? "
                           "AND action LIKE 'feature.%' ORDER BY seq", (account_id,))


def test_catalogue_holds_legacy_campaigns_and_triggers():
    rows = shipped()
    assert {r["kind"] for r in rows} >= {"campaign", "trigger"}
    assert {"legacy_campaigns", "legacy_triggers"} <= {r["key"] for r in rows}
    for r in rows:
        assert set(r) == {"key", "name", "kind", "description", "replacement"}
        assert all(r[k].strip() for k in r)
    assert list(catalog()) == [r["key"] for r in rows]


def test_everything_is_off_by_default(session, account):
    assert states(session, account) == {r["key"]: False for r in shipped()}


def test_update_applies_every_change(session, clock, account, owner, database):
    changed = features.update(session, clock, account.id, {"legacy_campaigns": True, "legacy_triggers": True}, owner)
    assert sorted(changed) == ["legacy_campaigns", "legacy_triggers"]
    assert states(session, account) == {"legacy_campaigns": True, "legacy_triggers": True}
    alice = recorded(database, owner)[0]
    assert feature_events(database, account.id) == [
        ("feature.enabled", "feature:legacy_campaigns", alice),
        ("feature.enabled", "feature:legacy_triggers", alice),
    ]
    assert sorted(query(database, "SELECT feature_key, enabled, updated_by FROM feature_setting")) == [
        ("legacy_campaigns", 1, "alice"), ("legacy_triggers", 1, "alice")]


def test_one_event_per_feature_that_changed(session, clock, account, owner, database):
    features.update(session, clock, account.id, {"legacy_campaigns": True}, owner)
    changed = features.update(session, clock, account.id, {"legacy_campaigns": True, "legacy_triggers": True},
                              owner)
    assert changed == ["legacy_triggers"]
    assert len(feature_events(database, account.id)) == 2
    changed = features.update(session, clock, account.id, {"legacy_campaigns": False}, owner)
    assert changed == ["legacy_campaigns"]
    assert feature_events(database, account.id)[-1] == (
        "feature.disabled", "feature:legacy_campaigns", recorded(database, owner)[0])
    assert states(session, account) == {"legacy_campaigns": False, "legacy_triggers": True}


def test_an_update_that_changes_nothing_writes_nothing(session, clock, account, owner, database):
    from helpers import snapshot_rows

    before = snapshot_rows(database)
    assert features.update(session, clock, account.id, {"legacy_campaigns": False}, owner) == []
    assert features.update(session, clock, account.id, {}, owner) == []
    assert snapshot_rows(database) == before


def test_unknown_key_is_refused(session, clock, account, owner, database):
    with refused(database, InvalidInput, "no deprecated feature 'legacy_forms'.*legacy_campaigns"):
        features.update(session, clock, account.id, {"legacy_forms": True}, owner)


def test_unknown_key_mixed_with_valid_keys_changes_nothing(session, clock, account, owner, database):
    with refused(database, InvalidInput, "no deprecated feature 'bogus'"):
        features.update(session, clock, account.id, {"legacy_campaigns": True, "bogus": True,
                                                      "legacy_triggers": True}, owner)
    assert states(session, account) == {"legacy_campaigns": False, "legacy_triggers": False}


def test_a_value_that_is_not_a_bool_is_refused(session, clock, account, owner, database):
    with refused(database, InvalidInput, "Set legacy_triggers to on or off"):
        features.update(session, clock, account.id, {"legacy_campaigns": True, "legacy_triggers": "yes"}, owner)


def test_update_is_one_transaction(session, clock, account, owner, database, monkeypatch):
    """A failure while writing the second change undoes the first."""
    real_append = audit.append
    calls = []

    def failing_append(*args, **kwargs):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real_append(*args, **kwargs)

    monkeypatch.setattr(audit, "append", failing_append)
    with refused(database, RuntimeError, "disk full"):
        features.update(session, clock, account.id, {"legacy_campaigns": True, "legacy_triggers": True}, owner)
    assert len(calls) == 2
    monkeypatch.undo()
    assert states(session, account) == {"legacy_campaigns": False, "legacy_triggers": False}
    assert audit.verify(session, account).ok


def test_settings_are_per_account(session, clock, account, owner):
    from aesthetix_tui.domain import accounts

    other = accounts.create(session, clock, "Other", "UTC", owner)
    features.update(session, clock, account.id, {"legacy_triggers": True}, owner)
    assert states(session, other) == {"legacy_campaigns": False, "legacy_triggers": False}


def test_as_dict(session, account):
    data = [s.as_dict() for s in features.settings(session, account)]
    by_key = {d["key"]: d for d in data}
    for row in shipped():
        assert by_key[row["key"]] == {**row, "enabled": False}


@pytest.mark.parametrize("value", [True, False])
def test_audit_details_name_the_feature(session, clock, account, owner, value):
    features.update(session, clock, account.id, {"legacy_campaigns": True}, owner)
    if not value:
        features.update(session, clock, account.id, {"legacy_campaigns": False}, owner)
    event = audit.recent(session, account, limit=1)[0]
    assert json.loads(event.details) == {"name": catalog()["legacy_campaigns"].name}


@pytest.mark.parametrize("changes", [[("legacy_campaigns", True), ("legacy_campaigns", False)],
                                     [("legacy_triggers", True), ("legacy_triggers", True)]])
def test_a_feature_given_twice_is_refused(session, clock, account, owner, database, changes):
    with refused(database, InvalidInput, "is given more than once; give each feature once, on or off"):
        features.update(session, clock, account.id, changes, owner)


def test_pairs_each_given_once_apply(session, clock, account, owner):
    changed = features.update(session, clock, account.id, [("legacy_campaigns", True), ("legacy_triggers", False)],
                              owner)
    assert changed == ["legacy_campaigns"]
