"""Expiring tokens in the TUI: the create form's expiry choice (none, 30/90/365 days, a date from
the calendar), the list's "expires in N days" / "expired on DATE", the detail's Expires line,
and rotating an expired token. Snapshots: the form at 80x24, the list at 100x30."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from textual.widgets import Button, Static

from aesthetix_tui.ui.modals.choose_date import ChooseDateModal
from aesthetix_tui.ui.modals.integration_detail import IntegrationDetailModal
from aesthetix_tui.ui.modals.integration_form import IntegrationFormModal
from aesthetix_tui.ui.modals.show_secret import ShowSecretModal
from aesthetix_tui.ui.widgets.date_picker import DatePicker
from aesthetix_tui.ui.widgets.scope_picker import ScopePicker
from tests.ui.integrations_helpers import (
    ALICE,
    CAL,
    READ,
    START,
    fake_tokens,
    move_to,
    open_integrations,
    screen_of,
    seed,
    seed_sample,
    steps,
)
from tests.ui.toolkit import make_app, settle, until

TODAY = START.date()  # Thu 26 Nov 2026 (the account's zone is UTC here)
WIDE, NARROW = (100, 30), (80, 24)


def more_tokens(monkeypatch) -> None:
    """Fake, numbered, never valid, and unlike seed_sample's."""
    from aesthetix_tui.domain import tokens

    counter = iter(range(900005, 10**6))
    monkeypatch.setattr(tokens, "new_pit", lambda: "pit-" + "X" * 40 + f"{next(counter):06d}")


@pytest.fixture
def expiring_app(ui_db, clock, monkeypatch):
    """The sample list, plus "Payroll export" whose token ends in 3 days and "Old widget" whose
    token ended yesterday."""
    from aesthetix_tui.domain import integrations

    seed_sample(ui_db, clock, monkeypatch)
    more_tokens(monkeypatch)

    def fill(session, clk, account_id):
        clk.set(START - timedelta(days=5))
        integrations.create(session, clk, account_id, "Old widget", [CAL], ALICE, expires=3)
        clk.set(START)
        integrations.create(session, clk, account_id, "Payroll export", [READ], ALICE, "Monthly payroll CSV",
                            expires=3)
        session.commit()

    seed(ui_db, clock, fill)
    fake_tokens(monkeypatch)
    return make_app(ui_db, clock)


def stored(db, clock, name: str):
    from aesthetix_tui.domain import accounts, integrations

    return seed(db, clock, lambda session, clk, account_id: integrations.find(
        session, accounts.get(session, account_id), name))


def chosen_line(app) -> str:
    return str(app.screen.query_one("#expiry-chosen", Static).render())


def status_of(app, name: str) -> str:
    screen = screen_of(app)
    row = next(r for r in screen.shown if r.name == name)
    return str(screen.cell_cache[row.id][1])


async def fill_form(app, pilot, name: str) -> None:
    """Open the list and the create form; type the name and choose one scope."""
    await open_integrations(app, pilot)
    await pilot.press("n")
    await pilot.pause()
    await pilot.press(*name)
    app.screen.query_one(ScopePicker).set_chosen([READ])


async def open_calendar(pilot) -> None:
    await pilot.click("#expiry-date")
    await until(pilot, lambda: isinstance(pilot.app.screen, ChooseDateModal))


# -- the form ---------------------------------------------------------------------------------

async def test_the_default_is_never_and_a_preset_is_saved(empty_app, ui_db, clock):
    app = empty_app
    async with app.run_test(size=WIDE) as pilot:
        await fill_form(app, pilot, "Sync")
        form = app.screen
        assert isinstance(form, IntegrationFormModal)
        assert str(form.query_one("#expiry-none", Button).label) == "(•) never"
        assert chosen_line(app) == "Never expires (the default)."
        await pilot.click("#expiry-90")
        await pilot.pause()
        assert str(form.query_one("#expiry-90", Button).label) == "(•) 90 days"
        assert str(form.query_one("#expiry-none", Button).label) == "( ) never"
        assert chosen_line(app) == "Works through Wed 24 Feb 2027; rotations renew 90 days."
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ShowSecretModal)
    item = stored(ui_db, clock, "Sync")
    assert item.expiry_days == 90 and item.expires_at.date() == date(2027, 2, 25)


async def test_never_saves_no_expiry(empty_app, ui_db, clock):
    app = empty_app
    async with app.run_test(size=WIDE) as pilot:
        await fill_form(app, pilot, "Sync")
        await pilot.press("ctrl+s")
        await settle(pilot)
    item = stored(ui_db, clock, "Sync")
    assert item.expires_at is None and item.expiry_days is None


async def test_a_date_from_the_calendar(empty_app, ui_db, clock):
    app = empty_app
    async with app.run_test(size=WIDE) as pilot:
        await fill_form(app, pilot, "Sync")
        await open_calendar(pilot)
        dialog = app.screen
        picker = dialog.query_one(DatePicker)
        assert (picker.min_date, picker.max_date) == (TODAY, TODAY + timedelta(days=366))
        assert not dialog.query("#reason")  # no reason to give for an expiry
        picker.pick(date(2026, 12, 10))
        await pilot.pause()
        assert "The token will work through Thu 10 Dec 2026." in str(dialog.query_one("#chosen", Static).render())
        await pilot.click("#submit")
        await until(pilot, lambda: isinstance(app.screen, IntegrationFormModal))
        assert str(app.screen.query_one("#expiry-date", Button).label) == "(•) date…"
        assert chosen_line(app) == "Works through Thu 10 Dec 2026; rotations renew 14 days."
        await pilot.press("ctrl+s")
        await settle(pilot)
    item = stored(ui_db, clock, "Sync")
    assert item.expiry_days == 14 and item.expires_at.date() == date(2026, 12, 11)


async def test_escape_in_the_calendar_keeps_the_choice(empty_app):
    app = empty_app
    async with app.run_test(size=WIDE) as pilot:
        await fill_form(app, pilot, "Sync")
        await pilot.click("#expiry-30")
        await open_calendar(pilot)
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, IntegrationFormModal))
        assert str(app.screen.query_one("#expiry-30", Button).label) == "(•) 30 days"


async def test_a_refused_expiry_shows_beside_the_field(empty_app, clock):
    app = empty_app
    async with app.run_test(size=WIDE) as pilot:
        await fill_form(app, pilot, "Sync")
        await open_calendar(pilot)
        app.screen.query_one(DatePicker).pick(TODAY + timedelta(days=1))
        await pilot.click("#submit")
        await until(pilot, lambda: isinstance(app.screen, IntegrationFormModal))
        clock.advance(timedelta(days=3))  # the form stayed open: the day is now past
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = app.screen.query_one("#expires-error", Static)
        assert error.display
        assert str(error.render()) == "✗ The expiry date Fri 27 Nov 2026 is in the past; choose today or later."


async def test_the_edit_form_has_no_expiry(expiring_app):
    app = expiring_app
    async with app.run_test(size=WIDE) as pilot:
        await open_integrations(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, IntegrationFormModal)
        assert not app.screen.query("#expiry-field")


# -- the list and the detail -------------------------------------------------------------------

async def test_the_list_warns_and_shows_expired(expiring_app, clock):
    app = expiring_app
    async with app.run_test(size=WIDE) as pilot:
        await open_integrations(app, pilot)
        assert status_of(app, "Payroll export") == "expires in 3 days"
        assert status_of(app, "Old widget") == "expired on 24 Nov"
        assert status_of(app, "Zapier") == "active"
        clock.advance(timedelta(days=3))  # the last day: the statuses follow the clock
        await until(pilot, lambda: status_of(app, "Payroll export") == "expires today")
        clock.advance(timedelta(days=1))
        await until(pilot, lambda: status_of(app, "Payroll export") == "expired on 29 Nov")


async def test_the_detail_shows_the_expiry(expiring_app):
    app = expiring_app
    async with app.run_test(size=WIDE) as pilot:
        await open_integrations(app, pilot)
        await move_to(app, pilot, "Payroll export")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, IntegrationDetailModal))
        facts = str(app.screen.query_one("#detail-facts", Static).render())
        assert "Expires    end of Sun 29 Nov 2026 (expires in 3 days) · new tokens last 3 days" in facts


async def test_rotating_an_expired_token_issues_a_new_one(expiring_app, ui_db, clock):
    app = expiring_app
    async with app.run_test(size=WIDE) as pilot:
        await open_integrations(app, pilot)
        await move_to(app, pilot, "Old widget")
        screen = screen_of(app)
        assert screen.check_action("rotate", ()) and not screen.check_action("cancel_rotation", ())
        await pilot.press("r")  # no grace period to choose: straight to the new token
        await until(pilot, lambda: isinstance(app.screen, ShowSecretModal))
        assert "has stopped working" in app.screen.note
    item = stored(ui_db, clock, "Old widget")
    assert item.expiry_days == 3 and item.expires_at.date() == TODAY + timedelta(days=4)


# -- snapshots ---------------------------------------------------------------------------------

async def choose_30_days(pilot) -> None:
    await pilot.press(*"Zapier")
    await pilot.click("#expiry-30")


def test_create_form_with_expiry_at_80x24(snap_compare, empty_app):
    assert snap_compare(empty_app, terminal_size=NARROW, run_before=steps("n", then=choose_30_days))


def test_list_with_an_expiring_row(snap_compare, expiring_app):
    assert snap_compare(expiring_app, terminal_size=WIDE, run_before=steps())
