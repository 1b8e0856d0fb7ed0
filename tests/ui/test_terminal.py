"""16-colour terminals and NO_COLOR get Textual's ANSI theme; the user's own choice still wins."""

from __future__ import annotations

import json
import re

import pytest

from aesthetix_tui.ui.terminal import few_colours
from tests.ui.profile_helpers import profile_open, ready, seed
from tests.ui.toolkit import make_app


@pytest.mark.parametrize("environ, expected", [
    ({"TERM": "linux"}, True),
    ({"TERM": "xterm"}, True),
    ({"TERM": "screen"}, True),
    ({"TERM": "vt100"}, True),
    ({"TERM": "xterm-256color"}, False),
    ({"TERM": "screen-256color"}, False),
    ({"TERM": "xterm", "COLORTERM": "truecolor"}, False),
    ({"TERM": "xterm-256color", "NO_COLOR": "1"}, True),
    ({"TERM": "linux", "TEXTUAL_COLOR_SYSTEM": "truecolor"}, False),
    ({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}, True),
])
def test_few_colours(environ, expected):
    assert few_colours(environ) is expected


async def test_a_16_colour_terminal_starts_in_the_ansi_theme_and_does_not_save_it(
        ui_db, clock, home, monkeypatch):
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.delenv("COLORTERM")
    seed(ui_db, clock)
    settings = home / "settings.json"
    app = make_app(ui_db, clock, settings_path=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.theme == "aesthetix-16"
    assert not settings.exists() or "theme" not in json.loads(settings.read_text())


async def test_a_theme_the_user_chose_wins_on_a_16_colour_terminal(ui_db, clock, home, monkeypatch):
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.delenv("COLORTERM")
    seed(ui_db, clock)
    settings = home / "settings.json"
    settings.write_text(json.dumps({"theme": "nord"}))
    app = make_app(ui_db, clock, settings_path=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.theme == "nord"


async def test_no_color_draws_no_colour(ui_db, clock, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    async with profile_open(ui_db, clock, "active", size=(80, 24)) as (app, _):
        assert app.theme == "aesthetix-16"
        # The picture holds only the terminal's default background and foreground (and the
        # foreground dimmed): every state is in the text. In colour there are more than ten.
        fills = set(re.findall(r"fill: (#[0-9a-f]{6})", app.export_screenshot()))
        assert len(fills) <= 3, fills
