"""No real token in any committed picture: every snapshot and screenshot SVG is scanned the way
a secret scanner would. It reads the committed files, so it passes in any order."""

from __future__ import annotations

from pathlib import Path

from aesthetix_tui.domain import tokens
from tests.ui.integrations_helpers import FAKE_TOKEN

ROOT = Path(__file__).parents[1]
PICTURES = sorted([*ROOT.glob("tests/**/__snapshots__/**/*.svg"), *ROOT.glob("screenshots/*.svg")])


def test_there_are_pictures_to_scan():
    assert len(PICTURES) > 20


def test_no_real_token_in_any_picture():
    flagged = {svg.name: tokens.find_in_text(svg.read_text()) for svg in PICTURES}
    assert {name: found for name, found in flagged.items() if found} == {}


def test_the_show_once_pictures_show_the_fake_token():
    shown = ROOT / "tests/ui/__snapshots__/test_integrations_snapshots/test_show_once_modal.svg"
    assert FAKE_TOKEN in shown.read_text(), "the show-once snapshot should show the fake token"
    assert not tokens.is_well_formed(FAKE_TOKEN)
