"""An integration's state, and the actions each state allows: the one home of these rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from aesthetix_tui.domain.integration_list import Row
from aesthetix_tui.domain.integration_state import (
    ROW_ACTIONS,
    IntegrationState,
    allowed_actions,
    rotation_pending,
    state_at,
)

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
HINT = "pit-abcd"

ACTIVE, ROTATING, REVOKED = IntegrationState.ACTIVE, IntegrationState.ROTATING, IntegrationState.REVOKED
EXPIRED = IntegrationState.EXPIRED


def test_states_are_their_plain_text():
    assert [s.value for s in IntegrationState] == ["active", "rotating", "expired", "revoked"]
    assert ACTIVE == "active" and ROTATING == "rotating" and REVOKED == "revoked"
    assert str(ROTATING) == "rotating" and f"{REVOKED}" == "revoked"
    assert {"active": 1}[ACTIVE] == 1  # same hash as the plain text


@pytest.mark.parametrize("state, allowed", [
    (ACTIVE, {"detail", "edit", "rotate", "revoke"}),
    (ROTATING, {"detail", "edit", "cancel_rotation", "expire_old", "revoke"}),
    (EXPIRED, {"detail", "edit", "rotate", "revoke"}),
    (REVOKED, {"detail"}),
])
def test_allowed_actions(state, allowed):
    assert allowed_actions(state) == frozenset(allowed)
    assert allowed_actions(state.value) == frozenset(allowed)  # the plain text works too
    assert allowed_actions(state) <= ROW_ACTIONS


@pytest.mark.parametrize("action, states", [
    ("detail", {ACTIVE, ROTATING, EXPIRED, REVOKED}),
    ("edit", {ACTIVE, ROTATING, EXPIRED}),
    ("revoke", {ACTIVE, ROTATING, EXPIRED}),
    ("rotate", {ACTIVE, EXPIRED}),
    ("cancel_rotation", {ROTATING}),
    ("expire_old", {ROTATING}),
])
def test_each_action_by_state(action, states):
    assert {s for s in IntegrationState if action in allowed_actions(s)} == states


def test_row_actions_are_every_action():
    assert ROW_ACTIONS == {"detail", "edit", "rotate", "cancel_rotation", "expire_old", "revoke"}


def test_an_unknown_state_is_refused():
    with pytest.raises(ValueError):
        allowed_actions("expiring")


def test_active_with_no_rotation():
    assert state_at(None, None, None, NOW) is ACTIVE


def test_rotating_until_the_old_token_ends():
    assert state_at(None, HINT, NOW + timedelta(microseconds=1), NOW) is ROTATING


def test_active_again_when_the_old_token_ends_exactly_now():
    assert state_at(None, HINT, NOW, NOW) is ACTIVE
    assert not rotation_pending(HINT, NOW, NOW)


def test_active_after_the_old_token_ended():
    assert state_at(None, HINT, NOW - timedelta(seconds=1), NOW) is ACTIVE


def test_no_hint_is_no_rotation():
    assert state_at(None, None, NOW + timedelta(days=7), NOW) is ACTIVE
    assert not rotation_pending(None, NOW + timedelta(days=7), NOW)


def test_revoked_wins_over_a_rotation():
    assert state_at(NOW - timedelta(hours=1), HINT, NOW + timedelta(days=7), NOW) is REVOKED


def test_revoked_exactly_now():
    assert state_at(NOW, None, None, NOW) is REVOKED


def test_a_list_row_uses_the_same_rule():
    def row(revoked_at=None, old_hint=None, old_expires_at=None) -> Row:
        return Row(1, "CRM Sync", "", ("contacts.readonly",), HINT, NOW, "alice", None, revoked_at, None,
                   old_hint, old_expires_at)

    assert row().state(NOW) is ACTIVE
    assert row(old_hint=HINT, old_expires_at=NOW + timedelta(days=7)).state(NOW) is ROTATING
    assert row(old_hint=HINT, old_expires_at=NOW).state(NOW) is ACTIVE
    assert row(NOW, HINT, NOW + timedelta(days=7)).state(NOW) is REVOKED
