"""Support Access and the legacy API key as state types: every state × action, from the domain."""

from __future__ import annotations

from datetime import date

import pytest

from aesthetix_tui.domain.legacy_key import LegacyKeyStatus
from aesthetix_tui.domain.legacy_key_state import ACTIONS as KEY_ACTIONS
from aesthetix_tui.domain.legacy_key_state import LegacyKeyState, state_of
from aesthetix_tui.domain.support_status import ACTIONS as SUPPORT_ACTIONS
from aesthetix_tui.domain.support_status import SupportAccessStatus, SupportState

SUPPORT = {  # state: {action: why not, or None when it applies}
    SupportState.OFF: {"enable": None,
                       "extend": "Support Access is off; enable it instead of extending.",
                       "revoke": "Support Access is off; there is nothing to revoke."},
    SupportState.ACTIVE: {"enable": "Support Access is already active; extend it instead.",
                          "extend": None, "revoke": None},
    SupportState.EXPIRED: {"enable": None,
                           "extend": "Support Access is expired; enable it instead of extending.",
                           "revoke": "Support Access is expired; there is nothing to revoke."},
    SupportState.REVOKED: {"enable": None,
                           "extend": "Support Access is revoked; enable it instead of extending.",
                           "revoke": "Support Access is revoked; there is nothing to revoke."},
}
KEY = {
    LegacyKeyState.NONE: {"regenerate": None,
                          "disable": "There is no legacy API key; regenerate one first, or better, use a "
                                     "Private Integration.",
                          "enable": "There is no legacy API key; regenerate one first, or better, use a "
                                    "Private Integration."},
    LegacyKeyState.ENABLED: {"regenerate": None, "disable": None,
                             "enable": "The legacy API key is already enabled."},
    LegacyKeyState.DISABLED: {"regenerate": None, "disable": "The legacy API key is already disabled.",
                              "enable": None},
}


def test_every_state_and_action_is_covered():
    assert set(SUPPORT) == set(SupportState) and all(set(row) == SUPPORT_ACTIONS for row in SUPPORT.values())
    assert set(KEY) == set(LegacyKeyState) and all(set(row) == KEY_ACTIONS for row in KEY.values())


@pytest.mark.parametrize("state,action", [(s, a) for s in SUPPORT for a in SUPPORT[s]])
def test_support_state_and_action(state, action):
    why = SUPPORT[state][action]
    assert state.why_not(action) == why
    assert (action in state.allowed_actions) == (why is None)


@pytest.mark.parametrize("state,action", [(s, a) for s in KEY for a in KEY[s]])
def test_legacy_key_state_and_action(state, action):
    why = KEY[state][action]
    assert state.why_not(action) == why
    assert (action in state.allowed_actions) == (why is None)


def test_an_active_grant_names_its_last_day():
    status = SupportAccessStatus(SupportState.ACTIVE, until_date=date(2026, 11, 28))
    assert status.why_not("enable") == "Support Access is already active through Sat 28 Nov 2026; extend it instead."
    assert status.allows("extend") and not status.allows("enable")


def test_plain_text_states_are_asked_the_same():
    """Stored and printed values are plain text: "expired" is the expired state."""
    assert SupportAccessStatus("expired").why_not("revoke") == SUPPORT[SupportState.EXPIRED]["revoke"]
    assert SupportState("expired") == "expired" and f"{SupportState.OFF}" == "off"


def test_the_states_sort_from_open_to_never_enabled():
    assert sorted(SupportState, key=lambda s: s.rank) == ["active", "expired", "revoked", "off"]


@pytest.mark.parametrize("exists,disabled,state", [(False, False, "none"), (True, False, "enabled"),
                                                   (True, True, "disabled")])
def test_the_legacy_key_state_follows_its_status(exists, disabled, state):
    assert state_of(exists, disabled) == state
    assert LegacyKeyStatus(exists, disabled=disabled).state == state


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        SupportState.OFF.why_not("rotate")
    with pytest.raises(ValueError):
        LegacyKeyState.NONE.why_not("rotate")
