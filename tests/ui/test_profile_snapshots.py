"""Snapshots of every visible Business Profile state (fixed clock, fixed size)."""

from __future__ import annotations

import pytest

from tests.ui.profile_helpers import FAKE_LEGACY_KEY, make_app, seed
from tests.ui.profile_states import STATES, run_before


@pytest.fixture
def fake_key(monkeypatch):
    monkeypatch.setattr("aesthetix_tui.domain.tokens.new_legacy_key", lambda: FAKE_LEGACY_KEY)


@pytest.mark.parametrize("name", list(STATES))
def test_profile_state(snap_compare, ui_db, clock, fake_key, monkeypatch, name):
    state = STATES[name]
    seed(ui_db, clock, **state.seed)
    for key, value in state.env.items():
        monkeypatch.setenv(key, value)
    app = make_app(ui_db, clock)
    if state.theme:
        app.theme = state.theme
    assert snap_compare(app, terminal_size=state.size, run_before=run_before(state))
