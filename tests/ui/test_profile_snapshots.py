"""Snapshots of every visible Business Profile state (fixed clock, fixed size)."""

from __future__ import annotations

import pytest
from rich.console import Console
from rich.terminal_theme import TerminalTheme

from aesthetix_tui.ui.terminal import ANSI_THEME
from tests.ui.profile_helpers import FAKE_LEGACY_KEY, seed
from tests.ui.profile_states import STATES, run_before
from tests.ui.toolkit import make_app


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


# -- 16 colours on a light terminal (xterm's default, black on white) --------------------------

XTERM_LIGHT = TerminalTheme(
    (255, 255, 255), (0, 0, 0),
    [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
     (229, 229, 229)],
    [(127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255),
     (255, 255, 255)],
)


@pytest.fixture
def light_terminal(monkeypatch):
    """The picture as xterm draws the terminal's own colours by default: black on white (the
    other snapshots in 16 colours are drawn as on a dark terminal, like xterm -rv)."""
    export = Console.export_svg
    monkeypatch.setattr(Console, "export_svg", lambda self, **kw: export(self, **{**kw, "theme": XTERM_LIGHT}))


@pytest.mark.parametrize("name", ["extend-cancelled", "picker-open"])
def test_16_colours_on_a_light_terminal(snap_compare, ui_db, clock, fake_key, light_terminal, name):
    """Issue 24: a toast, the date dialog and its cursor read on white (the toast is not painted
    black, no yellow or bright text)."""
    state = STATES[name]
    seed(ui_db, clock, **state.seed)
    app = make_app(ui_db, clock)
    app.theme = ANSI_THEME
    assert snap_compare(app, terminal_size=state.size, run_before=run_before(state))
