"""Issue 14: one screen pattern. The palette and the help list come from the bindings only."""

from __future__ import annotations

from aesthetix_tui.ui.app import AesthetixApp
from aesthetix_tui.ui.modals.help import key_rows
from aesthetix_tui.ui.palette import Command
from aesthetix_tui.ui.screens.account_screen import AccountScreen
from aesthetix_tui.ui.screens.registry import screen_class
from tests.ui.profile_helpers import profile_open
from tests.ui.toolkit import until

DIALOG_ROWS = [
    ("tab", "Next control"),
    ("enter", "Press the focused button / pick the day"),
    ("escape", "Cancel the dialog"),
    ("^p", "Command palette: every action by name"),
    ("←↑→↓", "Move by day and week in the calendar"),
    ("pgup/pgdn", "Previous / next month"),
    ("home/end", "Start / end of the week"),
    ("t", "Jump to today in the calendar"),
]


def test_every_palette_command_is_a_binding_of_its_screen():
    for mode in ("profile", "integrations", "audit", "accounts"):
        cls = screen_class(mode)
        titles = [c.palette_title for c in cls.commands()]
        assert len(titles) == len(set(titles)), mode  # a title names one command
        ids = [c.id for c in cls.commands()]
        assert len(ids) == len(set(ids)) and all(ids), mode  # the palette runs a command by its binding id
        assert issubclass(cls, AccountScreen) and not hasattr(cls, "PALETTE"), mode
        assert all(isinstance(c, Command) and c.help for c in cls.commands())
        # Every palette command is something a key or the table's enter does.
        assert {c.action for c in cls.commands()} <= {b.action for b in cls.BINDINGS} | {"select_cursor"}


async def test_the_help_list_comes_from_the_bindings(ui_db, clock):
    async with profile_open(ui_db, clock, legacy="enabled") as (app, _):
        sections = dict(app.binding_sections())
        assert sections["Dialogs and pickers"] == DIALOG_ROWS
        profile_rows = sections["Business Profile"]
        assert ("k", "Disable or enable legacy API key") in profile_rows
        assert [key for key, _ in profile_rows] == ["e", "x", "r", "y", "n", "g", "k", "u"]  # k once
        assert sections["Everywhere"] == key_rows(app, AesthetixApp.BINDINGS)


async def test_k_runs_the_one_of_its_two_commands_that_applies(ui_db, clock):
    async with profile_open(ui_db, clock, legacy="enabled") as (app, pilot):
        titles = [t for t, _, _ in app.screen.palette_commands()]
        assert "Disable legacy API key" in titles and "Enable legacy API key" not in titles
        assert app.screen.why_not("profile.enable_legacy_key") == "The legacy API key is already enabled."
        await pilot.press("k")
        await until(pilot, lambda: app.screen.id == "toggle-key-confirm")
        assert "Disable the legacy API key?" in str(app.screen.query_one(".dialog-title").render())


def test_buttons_run_actions_and_screens_keep_their_styles_in_tcss():
    from pathlib import Path

    ui = Path(__file__).resolve().parents[2] / "aesthetix_tui" / "ui"
    for path in ui.rglob("*.py"):
        text = path.read_text()
        assert "def on_button_pressed" not in text, path  # Button(..., action="screen.x")
        if path.parent.name == "screens":
            assert "DEFAULT_CSS" not in text, path
    assert (ui / "business_profile.tcss").is_file()
    app_css = (ui / "app.tcss").read_text()
    assert "#profile-body" not in app_css and app_css.count(".date-dialog {") == 1


def test_every_button_action_of_a_screen_exists():
    import re
    from pathlib import Path

    from aesthetix_tui.ui.screens.business_profile import BusinessProfileScreen

    widgets = Path(__file__).resolve().parents[2] / "aesthetix_tui" / "ui" / "widgets"
    for name in ("legacy_key_panel", "features_panel", "support_access_panel", "requests_panel"):
        for action in re.findall(r'action="screen\.(\w+)"', (widgets / f"{name}.py").read_text()):
            assert hasattr(BusinessProfileScreen, f"action_{action}"), (name, action)


async def test_the_key_panels_button_toggles_the_key(ui_db, clock):
    async with profile_open(ui_db, clock, legacy="enabled", size=(100, 40)) as (app, pilot):
        app.screen.query_one("#toggle-key").press()
        await until(pilot, lambda: app.screen.id == "toggle-key-confirm")
