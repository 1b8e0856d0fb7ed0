"""Issue 25: the owner's screens are written once (ui/screens/registry.py); the app's keys, modes
and palette entries follow it, and no screen module is imported before its screen is wanted."""

from __future__ import annotations

import json
import subprocess
import sys

from aesthetix_tui.ui.app import AesthetixApp
from aesthetix_tui.ui.screens import registry
from tests.ui.profile_helpers import make_app, ready, seed

SCREEN_MODULES = [f"aesthetix_tui.ui.screens.{name}" for name in ("business_profile", "integrations", "audit_log",
                                                                 "accounts")]


def test_importing_the_app_imports_no_screen():
    code = ("import json, sys, aesthetix_tui.ui.app, aesthetix_tui.ui.run; "
            f"print(json.dumps([m for m in {SCREEN_MODULES!r} if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_the_keys_and_modes_come_from_the_registry():
    opening = [b for b in AesthetixApp.BINDINGS if b.action.startswith("open(")]
    assert [(b.key, b.action, b.id) for b in opening] == [
        (e.key, f"open('{e.mode}')", e.binding_id) for e in registry.SCREENS]
    assert list(AesthetixApp.MODES) == [e.mode for e in registry.SCREENS]
    assert registry.ACCOUNT_MODES == ("profile", "integrations", "audit")
    for entry in registry.SCREENS:
        assert entry.screen_class().__module__ in SCREEN_MODULES


async def test_the_palette_opens_every_other_screen_by_its_entry(ui_db, clock):
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert [e.opens for e in registry.SCREENS if e.opens in titles] == [
            "Open Private Integrations", "Open audit log", "Open accounts"]
        sections = dict(app.binding_sections())
        assert "Business Profile" in sections
