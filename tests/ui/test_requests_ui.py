"""Issue 16: support agents' access requests in the UI. The owner's Requests line (it appears
when another writer records a request), approve (the date dialog, preset) and decline (a note);
the agents' console lists its requests and makes one. Snapshots of each."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from aesthetix_tui.domain.actor import Actor
from tests.ui.profile_helpers import OWNER, TODAY, current_status, profile_open, seed
from tests.ui.requests_helpers import (
    NO_REQUEST,
    answer,
    answer_dialog,
    ask,
    asked_app,
    console,
    console_ready,
    database,
    line,
    open_dialog,
    panel,
    requests_of,
    with_request,
)
from tests.ui.toolkit import make_app, messages, until

# -- the owner's Requests line ----------------------------------------------------------------

async def test_a_request_made_elsewhere_shows_on_the_profile(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        assert not panel(app).display  # nothing pending: no line
        assert app.screen.check_action("approve_request", ()) is False
        assert app.screen.why_not("profile.approve_request") == NO_REQUEST
        assert app.screen.why_not("profile.decline_request") == NO_REQUEST
        ask(ui_db, clock)  # the marker moves: the screen reloads
        await until(pilot, lambda: panel(app).display)
        assert line(app) == "sam asks for 3 days: ticket T-1042, “Billing sync fails” (Thu 26 Nov 2026 15:00)"
        assert not app.screen.query_one("#request-more").display
        titles = [title for title, _, _ in app.screen.palette_commands()]
        assert "Approve support request" in titles and "Decline support request" in titles


async def test_stored_text_shows_literally(ui_db, clock):
    import sqlite3

    seed(ui_db, clock)
    ask(ui_db, clock)
    with sqlite3.connect(ui_db) as con:  # written past the domain's checks, as a tampered row
        con.execute("UPDATE support_request SET agent = 'sam\x07', reason = 'Billing\x1b[31m [b]sync'")
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await with_request(pilot)
        assert line(app) == "sam␇ asks for 3 days: ticket T-1042, “Billing␛[31m [b]sync” (Thu 26 Nov 2026 15:00)"


async def test_the_newest_request_comes_first_and_the_line_counts_the_others(ui_db, clock):
    seed(ui_db, clock)
    ask(ui_db, clock)
    clock.advance(timedelta(minutes=5))
    ask(ui_db, clock, Actor("bob", "support"), ticket="T-7", days=2)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await with_request(pilot)
        assert line(app).startswith("bob asks for 2 days: ticket T-7")
        assert str(app.screen.query_one("#request-more", Static).render()) == (
            "1 more request is waiting; it shows once this one is answered.")


async def test_a_request_past_its_seven_days_leaves_the_line_by_the_clock(ui_db, clock):
    app = asked_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await with_request(pilot)
        clock.advance(timedelta(days=7))
        await until(pilot, lambda: not panel(app).display)
        assert app.screen.check_action("approve_request", ()) is False


async def test_the_palette_runs_approve_or_says_why_not(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        app.run_command("profile", "profile.decline_request")
        await until(pilot, lambda: NO_REQUEST in messages(app))
        ask(ui_db, clock)
        await until(pilot, lambda: panel(app).display)
        app.run_command("profile", "profile.approve_request")
        # The dialog up and mounted (its picker focused), before the test ends and the app closes:
        # an app closed between the two found no picker in the dialog's mount (a loaded machine).
        await until(pilot, lambda: app.screen.id == "approve-request"
                    and app.focused is not None and app.focused.id in ("picker", "submit"))


# -- approve ------------------------------------------------------------------------------------

async def test_approve_enables_access_through_the_chosen_day(ui_db, clock):
    from aesthetix_tui.ui.widgets.date_picker import DatePicker

    app = asked_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_dialog(pilot, "y", "approve-request")
        picker = app.screen.query_one(DatePicker)
        assert picker.value == TODAY + timedelta(days=3)  # preset to the days asked
        assert not app.screen.query("#reason")  # the grant's reason is the ticket
        picker.pick(TODAY + timedelta(days=5))
        await pilot.pause()
        await pilot.press("enter")  # the submit button has the focus once a day is picked
        await until(pilot, lambda: not panel(app).display)
        status = current_status(ui_db, clock)
        assert status.is_active and status.until_date == TODAY + timedelta(days=5)
        assert requests_of(ui_db, clock)[0].state == "approved"
        assert "Support Access is on through Tue 1 Dec 2026 for sam (ticket T-1042)." in messages(app)


async def test_approve_when_on_extends_access(ui_db, clock):
    seed(ui_db, clock, "active")  # on through TODAY + 7
    ask(ui_db, clock, days=10)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_dialog(pilot, "y", "approve-request")
        assert "approving extends it" in str(app.screen.query_one("#date-intro", Static).render())
        assert app.screen.focused.id == "submit"  # the days asked are chosen: Enter approves them
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.id == "business-profile" and not panel(app).display)
    status = current_status(ui_db, clock)
    assert status.until_date == TODAY + timedelta(days=10)
    assert requests_of(ui_db, clock)[0].approved_until == TODAY + timedelta(days=10)


async def test_approving_as_an_extension_shows_the_ticket_and_the_dialogs_own_line_break(ui_db, clock):
    seed(ui_db, clock, "active")
    ask(ui_db, clock, days=10, ticket="T-3000")
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_dialog(pilot, "y", "approve-request")
        intro = str(app.screen.query_one("#date-intro", Static).render())
        assert intro == ("sam asks for 10 days · ticket T-3000\n"  # the app's own line break, not ␊
                         "On through Thu 3 Dec 2026: approving extends it.")
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.id == "business-profile" and not panel(app).display)
        detail = app.screen.query_one("#support-detail", Static)
        await until(pilot, lambda: str(detail.render()).endswith("Extended for ticket T-3000."))
    assert current_status(ui_db, clock).until_date == TODAY + timedelta(days=10)


async def test_escape_cancels_approve_and_decline(ui_db, clock):
    app = asked_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await with_request(pilot)
        for key, dialog in (("y", "approve-request"), ("n", "decline-request")):
            app.clear_notifications()
            await open_dialog(pilot, key, dialog)
            await pilot.press("escape")
            await until(pilot, lambda: "Cancelled: the request from sam is still pending." in messages(app))
        assert panel(app).display
    assert [r.state for r in requests_of(ui_db, clock)] == ["pending"]
    assert not current_status(ui_db, clock).is_active


# -- decline ------------------------------------------------------------------------------------

async def test_decline_with_a_note(ui_db, clock):
    app = asked_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_dialog(pilot, "n", "decline-request")
        await pilot.press(*"Not this week")
        await pilot.press("enter")
        await until(pilot, lambda: not panel(app).display)
        assert "Declined the request from sam (ticket T-1042)." in messages(app)
    (request,) = requests_of(ui_db, clock)
    assert (request.state, request.note, request.answered_by) == ("declined", "Not this week", "alice")
    assert not current_status(ui_db, clock).is_active


async def test_a_refused_note_shows_in_the_dialog(ui_db, clock):
    app = asked_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await answer_dialog(pilot, "n", "decline-request")
        app.screen.query_one("#note", Input).value = "x" * 501
        await pilot.press("enter")
        error = app.screen.query_one("#note-error", Static)
        await until(pilot, lambda: error.display)
        assert str(error.render()) == "✗ The note is 501 characters; use at most 500."
    assert [r.state for r in requests_of(ui_db, clock)] == ["pending"]


# -- the agents' console ----------------------------------------------------------------------------

def seed_console(path: Path, clock) -> None:
    """My Business (access on), Zen Spa and Closed Co (access off); bob's requests in each state:
    Closed Co pending (an earlier one expired), Zen Spa declined, My Business approved."""
    from aesthetix_tui.domain import accounts, support_access

    db = database(path, clock)
    try:
        with db.session() as s:
            mine = accounts.resolve(s, None)
            accounts.create(s, clock, "Zen Spa", "Europe/Paris", OWNER)
            accounts.create(s, clock, "Closed Co", "UTC", OWNER)
            support_access.enable(s, clock, mine.id, TODAY + timedelta(days=7), OWNER, reason="Ticket #4521")
    finally:
        db.dispose()
    bob = Actor("bob", "support")
    ask(path, clock, bob, ticket="T-1", reason="Old question", days=2, account="Closed Co")
    clock.advance(timedelta(days=8))
    approved = ask(path, clock, bob, ticket="T-2", reason="Sync", days=3, account="My Business")
    answer(path, clock, approved.id)
    declined = ask(path, clock, bob, ticket="T-3", reason="Spa calendar", days=5, account="Zen Spa")
    answer(path, clock, declined.id, decline="Ask again next week")
    ask(path, clock, bob, ticket="T-4", reason="Login fails", days=1, account="Closed Co")


def request_rows(app) -> list[list[str]]:
    table = app.screen.query_one("#requests", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def test_the_console_lists_the_agents_requests_and_their_state(home, ui_db, clock):
    seed_console(ui_db, clock)
    app = console(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await console_ready(pilot)
        assert request_rows(app) == [
            ["Closed Co", "T-4", "1", "pending until Fri 11 Dec 2026 15:00"],
            ["Zen Spa", "T-3", "5", "declined by alice: Ask again next week"],
            ["My Business", "T-2", "3", "approved through Mon 7 Dec 2026 by alice"],
            ["Closed Co", "T-1", "2", "expired on Thu 3 Dec 2026 15:00"],
        ]
        assert not app.screen.query_one("#requests-empty").display


async def test_the_console_makes_a_request_for_a_named_account(home, ui_db, clock):
    seed_console(ui_db, clock)
    app = console(ui_db, clock, agent="sam")
    async with app.run_test(size=(100, 30)) as pilot:
        await console_ready(pilot)
        assert request_rows(app) == [] and app.screen.query_one("#requests-empty").display
        await open_dialog(pilot, "n", "new-request")
        form = app.screen
        assert form.query_one("#account", Input).value == "My Business"  # the highlighted account
        assert form.focused is form.query_one("#ticket", Input)
        await pilot.press(*"T-9", "tab", *"Export stuck", "tab")
        await pilot.press("ctrl+s")
        days_error = form.query_one("#days-error", Static)
        await until(pilot, lambda: days_error.display)
        assert str(days_error.render()) == "✗ Ask for 1 to 30 days; 30 is the account's maximum."
        assert form.focused is form.query_one("#days", Input)
        form.query_one("#account", Input).value = "Nowhere Inc"
        await pilot.press("4", "ctrl+s")
        account_error = form.query_one("#account-error", Static)
        await until(pilot, lambda: account_error.display)
        assert "Nowhere Inc" in str(account_error.render())
        form.query_one("#account", Input).value = "Zen Spa"  # access off: named, not listed
        await pilot.press("ctrl+s")
        await until(pilot, lambda: type(app.screen).__name__ == "AccountListScreen")
        assert "Asked the owner of Zen Spa for 4 days of Support Access (ticket T-9)." in messages(app)
        await until(pilot, lambda: request_rows(app) and request_rows(app)[0][:3] == ["Zen Spa", "T-9", "4"])
    (made, _declined) = requests_of(ui_db, clock, "Zen Spa")
    assert (made.agent, made.ticket, made.reason, made.days, made.state) == ("sam", "T-9", "Export stuck", 4,
                                                                              "pending")


async def test_the_console_request_form_cancels(home, ui_db, clock):
    seed_console(ui_db, clock)
    app = console(ui_db, clock, agent="sam")
    async with app.run_test(size=(100, 30)) as pilot:
        await console_ready(pilot)
        await open_dialog(pilot, "n", "new-request")
        await pilot.press("escape")  # nothing typed: no question
        await until(pilot, lambda: "Cancelled: no request was sent." in messages(app))
        assert "Request Support Access to an account" in [
            c.title for c in app.get_system_commands(app.screen)]


# -- snapshots ------------------------------------------------------------------------------------

@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
def test_snapshot_request_line(snap_compare, ui_db, clock, size):
    seed(ui_db, clock)
    ask(ui_db, clock)
    clock.advance(timedelta(minutes=5))
    ask(ui_db, clock, Actor("bob", "support"), ticket="T-7", reason="Calendar sync", days=2)
    app = make_app(ui_db, clock)
    assert snap_compare(app, terminal_size=size, run_before=with_request)


def test_snapshot_approve_dialog_preset(snap_compare, ui_db, clock):
    app = asked_app(ui_db, clock)

    async def run_before(pilot) -> None:
        await answer_dialog(pilot, "y", "approve-request")

    assert snap_compare(app, run_before=run_before)


def test_snapshot_decline_dialog(snap_compare, ui_db, clock):
    app = asked_app(ui_db, clock)

    async def run_before(pilot) -> None:
        await answer_dialog(pilot, "n", "decline-request")
        await pilot.press(*"Not this week")

    assert snap_compare(app, run_before=run_before)


def test_snapshot_console_requests(snap_compare, home, ui_db, clock):
    seed_console(ui_db, clock)
    assert snap_compare(console(ui_db, clock), terminal_size=(100, 30), run_before=console_ready)


def test_snapshot_console_new_request_form(snap_compare, home, ui_db, clock):
    seed_console(ui_db, clock)

    async def open_form(pilot) -> None:
        await console_ready(pilot)
        await open_dialog(pilot, "n", "new-request")
        await pilot.press(*"T-9", "tab", *"Export stuck", "tab", "ctrl+s")
        await until(pilot, lambda: pilot.app.screen.query_one("#days-error").display)

    assert snap_compare(console(ui_db, clock), terminal_size=(80, 24), run_before=open_form)
