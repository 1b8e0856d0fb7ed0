"""Snapshots of the Private Integrations screen: a fixed clock, a fixed size, a fake token.

Regenerate with --snapshot-update, then look at every SVG before accepting it.
"""

from __future__ import annotations

from pathlib import Path

from tests.ui.integrations_helpers import CAL, READ, seed_sample, steps
from tests.ui.toolkit import make_app, until

SNAPSHOTS = Path(__file__).parent / "__snapshots__" / "test_integrations_snapshots"
WIDE, NARROW = (100, 30), (80, 24)


async def type_zapier_form(pilot) -> None:
    from aesthetix_tui.ui.widgets.scope_picker import ScopePicker

    await pilot.press(*"Zapier")
    pilot.app.screen.query_one(ScopePicker).set_chosen([READ, CAL])
    await pilot.press("ctrl+s")


async def type_and_escape(pilot) -> None:
    """In the edit form: type a new name, press Escape, wait for the discard question."""
    await pilot.press(*"Sync", "escape")
    await until(pilot, lambda: pilot.app.screen.id == "discard-confirm")


async def type_wrong_case(pilot) -> None:
    """In the revoke dialog: the name in the wrong case, then Enter."""
    await pilot.press(*"zapier", "enter")


def test_empty_state(snap_compare, empty_app):
    assert snap_compare(empty_app, terminal_size=WIDE, run_before=steps())


def test_populated_list(snap_compare, sample_app):
    assert snap_compare(sample_app, terminal_size=WIDE, run_before=steps("down"))


def test_pending_rotation(snap_compare, sample_app):
    # The cursor on the rotating integration: the footer offers Cancel rotation and Expire old.
    assert snap_compare(sample_app, terminal_size=WIDE, run_before=steps())


def test_create_form_with_errors(snap_compare, empty_app):
    assert snap_compare(empty_app, terminal_size=WIDE, run_before=steps("n", "ctrl+s"))


def test_show_once_modal(snap_compare, empty_app):
    assert snap_compare(empty_app, terminal_size=WIDE, run_before=steps("n", then=type_zapier_form))


def test_detail_view(snap_compare, sample_app):
    assert snap_compare(sample_app, terminal_size=WIDE, run_before=steps("down", "enter"))


def test_rotate_choice(snap_compare, sample_app):
    assert snap_compare(sample_app, terminal_size=WIDE, run_before=steps("down", "down", "r"))


def test_revoke_modal(snap_compare, sample_app):
    assert snap_compare(sample_app, terminal_size=WIDE, run_before=steps("down", "down", "delete"))


def test_list_at_80x24(snap_compare, sample_app):
    assert snap_compare(sample_app, terminal_size=NARROW, run_before=steps("down"))


def test_create_form_at_80x24(snap_compare, empty_app):
    assert snap_compare(empty_app, terminal_size=NARROW, run_before=steps("n"))


# -- 80x24: every dialog of the screen --------------------------------------------------------

def test_detail_view_at_80x24(snap_compare, sample_app):
    assert snap_compare(sample_app, terminal_size=NARROW, run_before=steps("down", "enter"))


def test_edit_form_discard_question_at_80x24(snap_compare, sample_app):
    assert snap_compare(sample_app, terminal_size=NARROW, run_before=steps("down", "e", then=type_and_escape))


def test_revoke_mismatch_at_80x24(snap_compare, sample_app):
    assert snap_compare(sample_app, terminal_size=NARROW,
                        run_before=steps("down", "down", "delete", then=type_wrong_case))


def test_rotate_choice_at_80x24(snap_compare, sample_app):
    assert snap_compare(sample_app, terminal_size=NARROW, run_before=steps("down", "down", "r"))


def test_show_once_modal_at_80x24(snap_compare, empty_app):
    assert snap_compare(empty_app, terminal_size=NARROW, run_before=steps("n", then=type_zapier_form))


def test_list_ansi_theme_at_80x24(snap_compare, sample_app):
    sample_app.theme = "aesthetix-16"
    assert snap_compare(sample_app, terminal_size=NARROW, run_before=steps("down"))


async def typing_in_the_filter(pilot) -> None:
    await pilot.press("slash", *"crm")


def test_filter_typing_keeps_help_in_the_footer_at_80x24(snap_compare, sample_app):
    # Issue 24: while ? is typed into the filter, the footer offers f1 Help.
    assert snap_compare(sample_app, terminal_size=NARROW, run_before=steps(then=typing_in_the_filter))


def test_edit_form_with_a_stored_value_that_cannot_be_typed(snap_compare, ui_db, monkeypatch, clock):
    # Issue 24: the note beside a description holding an ESC: kept unless the user changes it.
    import sqlite3

    seed_sample(ui_db, clock, monkeypatch)
    with sqlite3.connect(ui_db) as con:
        con.execute("UPDATE integration SET description = 'keep\x1bme' WHERE name = 'CRM Sync'")
    assert snap_compare(make_app(ui_db, clock), terminal_size=WIDE, run_before=steps("down", "e"))
