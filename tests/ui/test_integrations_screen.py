"""Pilot tests for the Private Integrations screen: the whole token lifecycle, by keyboard."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from textual.widgets import Button, DataTable, Input, Static

from aesthetix_tui.domain.text import visible
from aesthetix_tui.ui.modals.confirm import ConfirmModal
from aesthetix_tui.ui.modals.integration_detail import IntegrationDetailModal
from aesthetix_tui.ui.modals.integration_form import IntegrationFormModal
from aesthetix_tui.ui.modals.revoke_integration import RevokeIntegrationModal
from aesthetix_tui.ui.modals.rotate_choice import RotateChoiceModal
from aesthetix_tui.ui.modals.show_secret import ShowSecretModal
from aesthetix_tui.ui.widgets.scope_picker import ScopePicker
from tests.ui.integrations_helpers import (
    ALICE,
    CAL,
    FAKE_TOKEN,
    READ,
    START,
    WRITE,
    fake_tokens,
    integrations_open,
    move_to,
    names_shown,
    open_integrations,
    screen_of,
    seed,
    seed_many,
)
from tests.ui.toolkit import make_app, messages, palette_search, settle, until

NAME_MISSING = "Give the integration a name."  # the domain's messages, shown beside their fields
SCOPE_MISSING = "Choose at least one scope: grant only what the integration needs."


@pytest.fixture
def db(ui_db):
    return ui_db  # under a fake HOME: the header shows ~/aesthetix.db


def read_rows(db, clock):
    """The integrations as the domain sees them: name -> Integration."""
    from aesthetix_tui.domain import integrations

    def fn(session, clk, account_id):
        from aesthetix_tui.domain import accounts

        # list_for defers the token hashes (no list shows them); these checks compare them.
        items = integrations.list_for(session, accounts.get(session, account_id), True)
        for item in items:
            session.refresh(item, ["token_hash", "old_token_hash"])
        return {i.name: i for i in items}

    return seed(db, clock, fn)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


# -- the fake token and import hygiene ------------------------------------------------------

def test_fake_token_can_never_verify(db, clock, monkeypatch):
    from aesthetix_tui.domain import integrations, tokens
    from aesthetix_tui.domain.errors import AccessDenied

    assert tokens.PIT_PATTERN.match(FAKE_TOKEN), "the fake token has the real shape"
    assert not tokens.is_well_formed(FAKE_TOKEN)
    assert tokens.find_in_text(f"token: {FAKE_TOKEN}") == []
    fake_tokens(monkeypatch)

    def create_and_verify(session, clk, account_id):
        issued = integrations.create(session, clk, account_id, "Fake", [READ], ALICE)
        assert issued.token == FAKE_TOKEN  # even stored as this integration's hash...
        with pytest.raises(AccessDenied):  # ...it is refused before any lookup
            integrations.verify(session, clk, FAKE_TOKEN)
        with pytest.raises(AccessDenied):
            integrations.verify(session, clk, FAKE_TOKEN, READ)

    seed(db, clock, create_and_verify)


def test_screen_modules_do_not_import_the_database_stack():
    code = ("import sys, aesthetix_tui.ui.app, aesthetix_tui.ui.screens.integrations, "
            "aesthetix_tui.ui.modals.integration_form, aesthetix_tui.ui.modals.integration_detail; "
            "print([m for m in ('sqlmodel', 'sqlalchemy', 'alembic') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- list ---------------------------------------------------------------------------------

async def test_empty_state_explains_and_n_creates(empty_app):
    app = empty_app
    async with integrations_open(app) as pilot:
        empty = app.screen.query_one("#integrations-empty", Static)
        assert empty.display and not app.screen.query_one(DataTable).display
        assert "A Private Integration is a named token" in str(empty.render())
        assert "Press n to create the first one" in str(empty.render())
        assert "never share them publicly or in support tickets" in text_of(app, "#token-reminder")
        assert "API V1" in text_of(app, "#integrations-banner")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, IntegrationFormModal)


async def test_list_shows_columns_and_hides_revoked(sample_app):
    app = sample_app
    async with integrations_open(app) as pilot:
        assert names_shown(app) == ["Booking widget", "CRM Sync", "Zapier"]
        table = app.screen.query_one(DataTable)
        assert [str(c.label).split(" ")[0] for c in table.ordered_columns] == \
            ["Name", "Status", "Token", "Scopes", "Last", "Created"]
        booking = [str(c) for c in table.get_row_at(0)]
        assert booking[1] == "rotating (old until 1 Dec)"
        assert booking[2].startswith("pit-…")
        crm = [str(c) for c in table.get_row_at(1)]
        assert crm[1] == "active"
        assert crm[3] == "calendars.readonly, contacts.readonly, contacts.write"  # drawn to fit
        assert crm[4] == "26 Nov 12:00"
        assert crm[5] == "17 Oct · bob"
        assert "1 revoked (hidden, v)" in text_of(app, "#list-status")
        await pilot.press("v")
        await pilot.pause()
        assert "Old reporting" in names_shown(app)
        assert str(table.get_row_at(names_shown(app).index("Old reporting"))[1]) == "revoked 24 Nov"
        await pilot.press("v")
        await pilot.pause()
        assert "Old reporting" not in names_shown(app)


def test_scopes_text_fits_the_width():
    from aesthetix_tui.ui.widgets.integration_text import scopes_text

    names = [CAL, READ, WRITE]
    assert scopes_text(names) == "calendars.readonly, contacts.readonly, contacts.write"
    assert scopes_text(names, 60) == "calendars.readonly, contacts.readonly, contacts.write"
    assert scopes_text(names, 46) == "calendars.readonly, contacts.readonly, +1 more"
    assert scopes_text(names, 45) == "calendars.readonly, +2 more"
    assert scopes_text(names, 30) == "calendars.readonly, +2 more"
    assert scopes_text(names, 10) == "3 scopes"
    assert scopes_text([READ], 8) == READ  # one name: the cell cuts it with "…"


def test_narrow_lists_give_up_scopes_then_token():
    from aesthetix_tui.ui.integration_rows import fit_widths

    natural = {"name": 14, "status": 26, "token": 9, "scopes": 52, "last_used": 12, "created": 13}
    wide = fit_widths(natural, 200, 2)
    assert wide == natural
    at_120 = fit_widths(natural, 114, 2)
    assert at_120["scopes"] == 28 and sum(w + 2 for w in at_120.values()) == 114
    at_100 = fit_widths(natural, 94, 2)
    assert at_100["scopes"] == 8 and "token" in at_100
    at_80 = fit_widths(natural, 74, 2)
    assert list(at_80) == ["name", "status", "last_used", "created"]
    assert at_80 == {k: natural[k] for k in at_80}  # nothing else cut
    at_60 = fit_widths(natural, 54, 2)
    assert at_60["last_used"] == 12 and sum(w + 2 for w in at_60.values()) <= 54


@pytest.mark.parametrize("width", [80, 100, 120])
async def test_columns_fit_without_a_horizontal_scrollbar(sample_app, width):
    app = sample_app
    async with app.run_test(size=(width, 24)) as pilot:
        await open_integrations(app, pilot)
        table = app.screen.query_one(DataTable)
        assert not table.show_horizontal_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width
        keys = [column.key.value for column in table.ordered_columns]
        assert {"name", "status", "last_used", "created"} <= set(keys)
        crm = dict(zip(keys, (str(c) for c in table.get_row_at(names_shown(app).index("CRM Sync")))))
        assert crm["last_used"] == "26 Nov 12:00" and crm["created"] == "17 Oct · bob"
        if width >= 100:
            assert "scopes" in keys and "token" in keys


async def test_columns_fit_again_after_a_resize(sample_app):
    app = sample_app
    async with integrations_open(app, size=(120, 24)) as pilot:
        table = app.screen.query_one(DataTable)
        assert "scopes" in table.columns
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert not table.show_horizontal_scrollbar
        assert table.virtual_size.width <= table.scrollable_content_region.width
        assert "last_used" in table.columns and "created" in table.columns
        assert screen_of(app).current_row().name == "Booking widget"  # the cursor stayed
        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        assert "scopes" in table.columns
        assert table.virtual_size.width <= table.scrollable_content_region.width


async def test_filter_by_name(sample_app):
    app = sample_app
    async with integrations_open(app) as pilot:
        await pilot.press("slash")
        box = app.screen.query_one("#integrations-filter", Input)
        assert box.has_focus and box.display
        await type_text(pilot, "cRm")
        await pilot.pause()
        assert names_shown(app) == ["CRM Sync"]
        assert "1 matching “cRm”" in text_of(app, "#list-status")
        await pilot.press("enter")  # back to the list, the filter stays
        await pilot.pause()
        assert app.screen.query_one(DataTable).has_focus and box.display
        await pilot.press("slash", "backspace", "backspace", "backspace", "q", "q")
        await pilot.pause()
        assert names_shown(app) == []
        assert "no match" in text_of(app, "#list-status")
        await pilot.press("escape")  # clears and hides the filter
        await pilot.pause()
        assert names_shown(app) == ["Booking widget", "CRM Sync", "Zapier"]
        assert not box.display and app.screen.query_one(DataTable).has_focus


async def test_sort_by_key_and_by_header_click(sample_app):
    app = sample_app
    async with integrations_open(app) as pilot:
        screen = screen_of(app)
        await pilot.press("s")  # status: active first, then rotating
        await pilot.pause()
        assert screen.view.sort_key == "status"
        assert names_shown(app) == ["CRM Sync", "Zapier", "Booking widget"]
        assert "Status ▲" in str(app.screen.query_one(DataTable).ordered_columns[1].label)
        await pilot.press("o")  # reverse
        await pilot.pause()
        assert names_shown(app) == ["Booking widget", "Zapier", "CRM Sync"]
        for _ in range(3):  # token, scopes, last used
            await pilot.press("s")
        await pilot.pause()
        assert screen.view.sort_key == "last_used"
        assert names_shown(app)[-1] == "CRM Sync"  # the only one ever used
        await pilot.press("s", "s")  # created, then back to name
        await pilot.pause()
        assert screen.view.sort_key == "name"
        assert names_shown(app) == ["Booking widget", "CRM Sync", "Zapier"]
        # A click on a header sorts by it; a second click reverses.
        table = app.screen.query_one(DataTable)
        x = sum(c.get_render_width(table) for c in table.ordered_columns[:4]) + 2  # "Last used"
        await pilot.click(DataTable, offset=(x, 1))
        await pilot.pause()
        assert screen.view.sort_key == "last_used" and not screen.view.sort_reverse
        assert names_shown(app) == ["Booking widget", "Zapier", "CRM Sync"]
        await pilot.click(DataTable, offset=(x, 1))
        await pilot.pause()
        assert screen.view.sort_reverse
        assert names_shown(app) == ["CRM Sync", "Zapier", "Booking widget"]


# -- create -------------------------------------------------------------------------------------

async def test_create_shows_each_validation_error_inline(empty_app, db, clock):
    app = empty_app
    async with integrations_open(app) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IntegrationFormModal)

        await pilot.press("ctrl+s")  # nothing filled in: both errors at once
        await settle(pilot)
        assert text_of(app, "#name-error") == f"✗ {NAME_MISSING}"
        assert text_of(app, "#scopes-error") == f"✗ {SCOPE_MISSING}"
        assert app.screen.query_one("#name", Input).has_focus

        await type_text(pilot, "CRM Sync")  # typing the name clears its error
        await pilot.pause()
        assert not app.screen.query_one("#name-error").display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not app.screen.query_one("#name-error").display
        assert text_of(app, "#scopes-error") == f"✗ {SCOPE_MISSING}"
        assert app.screen.query_one("#scope-options").has_focus

        await pilot.press("enter")  # on the Business heading: all its read-only scopes
        await pilot.pause()
        picker = app.screen.query_one(ScopePicker)
        assert picker.chosen == {"businesses.readonly"}
        assert not app.screen.query_one("#scopes-error").display
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ShowSecretModal)  # created
        app.screen.dismiss(None)
        await settle(pilot)

        await pilot.press("n")  # the same name again: the domain's Conflict, beside the name
        await pilot.pause()
        await type_text(pilot, "crm sync")
        app.screen.query_one(ScopePicker).set_chosen([READ])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, IntegrationFormModal)
        assert "already exists" in text_of(app, "#name-error")
        assert app.screen.query_one("#name", Input).has_focus
    assert list(read_rows(db, clock)) == ["CRM Sync"]


async def test_scope_picker_filters_by_typing_and_counts(empty_app):
    app = empty_app
    async with integrations_open(app) as pilot:
        await pilot.press("n")
        await pilot.pause()
        picker = app.screen.query_one(ScopePicker)
        assert str(picker.query_one("#scope-count", Static).render()) == "0 of 33 chosen"
        await pilot.press("tab", "tab", "tab")  # name, about, filter, list
        assert app.screen.query_one("#scope-options").has_focus
        await type_text(pilot, "contacts")  # typing in the list goes to the filter
        await pilot.pause()
        box = app.screen.query_one("#scope-filter", Input)
        assert box.value == "contacts" and box.has_focus
        ids = [o.id for o in picker.query_one("#scope-options").options]
        assert ids == ["group:Contacts", "scope:contacts.readonly", "scope:contacts.write"]
        await pilot.press("enter")  # from the filter into the list
        await pilot.press("down", "down", "space")  # contacts.write
        await pilot.pause()
        assert picker.chosen == {"contacts.write"}
        await pilot.press("up", "up", "enter")  # the heading: select all read-only
        await pilot.pause()
        assert picker.chosen == {"contacts.readonly", "contacts.write"}
        assert str(picker.query_one("#scope-count", Static).render()) == "2 of 33 chosen (1 read-only)"


async def test_create_then_show_once_copy_and_escape_asks(empty_app, db, clock):
    app = empty_app
    async with integrations_open(app) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Zapier")
        await pilot.press("tab")
        await type_text(pilot, "Contacts to Sheets")
        app.screen.query_one(ScopePicker).set_chosen([READ, CAL])
        await pilot.press("ctrl+s")
        await settle(pilot)

        secret = app.screen
        assert isinstance(secret, ShowSecretModal)
        assert str(secret.query_one("#secret", Static).render()) == FAKE_TOKEN
        await pilot.press("c")
        assert app.clipboard == FAKE_TOKEN

        await pilot.press("escape")  # asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        assert app.screen.focused.id == "cancel"  # "Go back"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is secret
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm")  # "Close anyway"
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert names_shown(app) == ["Zapier"]
        assert screen_of(app).current_row().name == "Zapier"

    made = read_rows(db, clock)["Zapier"]
    assert made.description == "Contacts to Sheets"
    assert made.scopes == f"{CAL} {READ}"
    assert made.created_by == "alice"


async def test_stored_button_closes_the_secret(empty_app):
    app = empty_app
    async with integrations_open(app) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Backup")
        app.screen.query_one(ScopePicker).set_chosen([READ])
        await pilot.click("#save")
        await settle(pilot)
        assert isinstance(app.screen, ShowSecretModal)
        await pilot.click("#stored")  # "I have stored it"
        await settle(pilot)
        assert screen_of(app) is app.screen


# -- detail and edit --------------------------------------------------------------------------

async def test_enter_opens_detail_with_grouped_scopes_and_history(sample_app):
    app = sample_app
    async with integrations_open(app) as pilot:
        await pilot.press("enter")  # Booking widget
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, IntegrationDetailModal)
        scopes = str(detail.query_one("#detail-scopes", Static).render())
        assert scopes == "Calendars: calendars.readonly, calendars/events.readonly"
        history = str(detail.query_one("#detail-history", Static).render()).splitlines()
        assert len(history) == 2
        assert "alice  Token rotated: pit-…0004 issued; the old token pit-…0001 valid until Tue 1 Dec 2026" \
            in history[0]
        assert history[1].endswith("Created with 2 scopes, token pit-…0001.")
        facts = str(detail.query_one("#detail-facts", Static).render())
        assert "Old token  pit-…0001 works until Tue 1 Dec 2026 15:00" in facts
        await pilot.press("escape")
        await pilot.pause()
        assert screen_of(app) is app.screen


async def test_edit_keeps_the_token_and_says_so(sample_app, db, clock):
    app = sample_app
    before = read_rows(db, clock)["CRM Sync"]
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "CRM Sync")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IntegrationFormModal)
        assert "Saving keeps the same token" in text_of(app, "#edit-note")
        assert form.query_one("#name", Input).value == "CRM Sync"
        assert form.query_one(ScopePicker).chosen == {READ, WRITE, CAL}
        form.query_one("#name", Input).value = "CRM Sync v2"
        form.query_one(ScopePicker).set_chosen([READ])
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert screen_of(app).current_row().name == "CRM Sync v2"
        assert any("The token is unchanged" in said for said in messages(app))

        await pilot.press("e", "ctrl+s")  # nothing changed: the domain says so, inline
        await settle(pilot)
        assert "Nothing to change" in text_of(app, "#form-error")
        await pilot.press("escape")
        await pilot.pause()
    after = read_rows(db, clock)["CRM Sync v2"]
    assert after.token_hash == before.token_hash and after.token_hint == before.token_hint
    assert after.scopes == READ


async def discard_question(app, pilot) -> None:
    await until(pilot, lambda: app.screen.id == "discard-confirm")


OSC_TITLE = "\x1b]0;pwned\x07" + "x" * 490  # a title sequence, longer than the field's 500


@pytest.mark.parametrize("stored", ["keep\x1bme", OSC_TITLE], ids=["esc", "osc-title"])
async def test_edit_leaves_a_field_it_did_not_touch_exactly_as_stored(sample_app, db, clock, stored):
    """Issue 24: a description with control characters, written behind the app's back, survives
    an edit that does not touch it; an untouched form says "Nothing to change"."""
    import sqlite3

    with sqlite3.connect(db) as con:
        con.execute("UPDATE integration SET description = ? WHERE name = 'CRM Sync'", (stored,))
    before = read_rows(db, clock)["CRM Sync"]
    app = sample_app
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "CRM Sync")
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, IntegrationFormModal))
        form = app.screen
        assert form.query_one("#description", Input).value == visible(stored)  # shown, not emptied
        assert text_of(app, "#description-kept").startswith("Holds characters that cannot be typed")
        assert not form.query("#name-kept")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: form.query_one("#form-error").display)
        assert text_of(app, "#form-error").startswith("✗ Nothing to change")
        assert read_rows(db, clock)["CRM Sync"].version == before.version

        form.query_one("#name", Input).value = "CRM Sync v2"  # the name only: the description stays
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen_of(app) is app.screen
    after = read_rows(db, clock)["CRM Sync v2"]
    assert after.description == stored and after.version == before.version + 1


async def test_edit_asks_before_throwing_typed_changes_away(sample_app, db, clock):
    app = sample_app
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "CRM Sync")
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(pilot)
        assert screen_of(app) is app.screen

        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "CRM v2")  # the name is selected on focus: typing replaces it
        await pilot.press("escape")
        await discard_question(app, pilot)
        assert "The integration changes you typed are not saved yet." in text_of(app, ".dialog-body")
        await pilot.press("enter")  # "Keep editing" is focused
        await until(pilot, lambda: app.screen is form)
        assert form.query_one("#name", Input).value == "CRM v2"
        await pilot.click("#cancel")  # Cancel asks too
        await discard_question(app, pilot)
        await pilot.click("#confirm")  # Discard changes
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert screen_of(app).current_row().name == "CRM Sync"
    assert "CRM Sync" in read_rows(db, clock) and "CRM v2" not in read_rows(db, clock)


async def test_edit_asks_when_only_scopes_changed(sample_app):
    app = sample_app
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "CRM Sync")
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(ScopePicker).set_chosen([READ])
        await pilot.press("escape")
        await discard_question(app, pilot)
        await pilot.press("escape")  # Escape on the question keeps editing
        await until(pilot, lambda: isinstance(app.screen, IntegrationFormModal))
        app.screen.query_one(ScopePicker).set_chosen([READ, WRITE, CAL])  # back as it was
        await pilot.press("escape")
        await settle(pilot)
        assert screen_of(app) is app.screen


async def test_create_asks_before_throwing_typed_changes_away(empty_app, db, clock):
    app = empty_app
    async with integrations_open(app) as pilot:
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # an empty form closes at once
        await settle(pilot)
        assert screen_of(app) is app.screen

        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "Zap")
        await pilot.press("escape")
        await discard_question(app, pilot)
        await pilot.press("enter")  # Keep editing
        await until(pilot, lambda: app.screen is form)
        assert form.query_one("#name", Input).value == "Zap"
        await pilot.press("escape")
        await discard_question(app, pilot)
        await pilot.click("#confirm")
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert app.screen.query_one("#integrations-empty", Static).display  # still nothing
    assert read_rows(db, clock) == {}


# -- rotate ------------------------------------------------------------------------------------------

async def rotate(app, pilot, name: str, choice: str) -> None:
    await move_to(app, pilot, name)
    await pilot.press("r")
    await pilot.pause()
    modal = app.screen
    assert isinstance(modal, RotateChoiceModal)
    assert modal.focused.id == "later"  # the safe choice
    await pilot.click(f"#{choice}")
    await settle(pilot)


async def open_rotate_choice(app, pilot, name: str) -> None:
    await open_integrations(app, pilot)
    await move_to(app, pilot, name)
    await pilot.press("r")
    await pilot.pause()


def assert_old_token_kept_7_days(db, clock, before) -> None:
    after = read_rows(db, clock)["Zapier"]
    assert after.old_token_hash == before.token_hash
    assert after.old_expires_at == START + timedelta(days=7)


async def test_rotate_keeping_the_old_token_for_7_days(sample_app, db, clock):
    app = sample_app
    before = read_rows(db, clock)["Zapier"]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_rotate_choice(app, pilot, "Zapier")
        assert "Expire the old token in 7 days" in str(app.screen.query_one("#later", Button).label)
        assert str(app.screen.query_one("#now", Button).label) == "Expire it now"
        await pilot.press("escape")  # cancels
        await pilot.pause()
        assert screen_of(app) is app.screen

        await rotate(app, pilot, "Zapier", "later")
        secret = app.screen
        assert isinstance(secret, ShowSecretModal)
        assert "works until Thu 3 Dec 2026 15:00" in str(secret.query_one(".dialog-body", Static).render())
        secret.dismiss(None)
        await settle(pilot)
        row = screen_of(app).current_row()
        assert row.name == "Zapier"
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(table.cursor_row)[1]) == "rotating (old until 3 Dec)"
        screen = screen_of(app)
        assert screen.check_action("cancel_rotation", ()) and screen.check_action("expire_old", ())
        assert screen.check_action("rotate", ()) is False
    assert_old_token_kept_7_days(db, clock, before)


async def test_enter_in_rotate_choice_keeps_the_old_token_7_days(sample_app, db, clock):
    app = sample_app
    before = read_rows(db, clock)["Zapier"]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_rotate_choice(app, pilot, "Zapier")
        assert app.screen.focused.id == "later"
        await pilot.press("enter")  # what the screen shows as chosen: 7 days
        await settle(pilot)
        assert isinstance(app.screen, ShowSecretModal)
        assert "works until Thu 3 Dec 2026 15:00" in str(app.screen.query_one(".dialog-body", Static).render())
    assert_old_token_kept_7_days(db, clock, before)


async def test_rotate_cancelled_by_escape_changes_nothing(sample_app, db, clock):
    app = sample_app
    before = read_rows(db, clock)["Zapier"]
    async with app.run_test(size=(100, 30)) as pilot:
        await open_rotate_choice(app, pilot, "Zapier")
        await pilot.press("escape")
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert screen_of(app).current_row().state(clock.now()) == "active"
    after = read_rows(db, clock)["Zapier"]
    assert after.token_hash == before.token_hash and after.old_token_hash is None


async def test_rotate_expiring_the_old_token_now(sample_app, db, clock):
    app = sample_app
    before = read_rows(db, clock)["Zapier"]
    async with integrations_open(app) as pilot:
        await rotate(app, pilot, "Zapier", "now")
        assert isinstance(app.screen, ShowSecretModal)
        assert "has stopped working" in str(app.screen.query_one(".dialog-body", Static).render())
        app.screen.dismiss(None)
        await settle(pilot)
        table = app.screen.query_one(DataTable)
        assert str(table.get_row_at(table.cursor_row)[1]) == "active"
    after = read_rows(db, clock)["Zapier"]
    assert after.token_hash != before.token_hash and after.old_token_hash is None


async def test_cancel_rotation(sample_app, db, clock):
    app = sample_app
    before = read_rows(db, clock)["Booking widget"]
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "Booking widget")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("enter")  # Cancel ("Keep rotation") is focused: nothing happens
        await settle(pilot)
        assert screen_of(app).current_row().state(clock.now()) == "rotating"
        await pilot.press("c")
        await pilot.pause()
        await pilot.click("#confirm")
        await settle(pilot)
        assert screen_of(app).current_row().state(clock.now()) == "active"
    after = read_rows(db, clock)["Booking widget"]
    assert after.token_hash == before.old_token_hash and after.old_token_hash is None


async def test_expire_old_token_now(sample_app, db, clock):
    app = sample_app
    before = read_rows(db, clock)["Booking widget"]
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "Booking widget")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmModal)
        await pilot.click("#confirm")
        await settle(pilot)
        assert screen_of(app).current_row().state(clock.now()) == "active"
    after = read_rows(db, clock)["Booking widget"]
    assert after.token_hash == before.token_hash and after.old_token_hash is None


async def test_rotation_ends_by_itself_when_the_clock_passes(sample_app, clock):
    app = sample_app
    async with integrations_open(app) as pilot:
        clock.advance(timedelta(days=6))  # the old token works until 1 Dec 15:00
        await screen_of(app).tick()
        await settle(pilot)
        assert str(app.screen.query_one(DataTable).get_row_at(0)[1]) == "active"


# -- revoke -----------------------------------------------------------------------------------------

async def test_revoke_needs_the_typed_name(sample_app, db, clock):
    app = sample_app
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "Zapier")
        await pilot.press("delete")
        await pilot.pause()
        modal = app.screen
        assert isinstance(modal, RevokeIntegrationModal)
        assert modal.focused.id == "confirm-name"  # typing goes to the name at once
        assert "stop working at once" in str(modal.query_one(".dialog-warning", Static).render())
        assert "cannot be undone" in str(modal.query_one(".dialog-warning", Static).render())
        revoke = modal.query_one("#revoke", Button)
        assert revoke.disabled
        assert not modal.query_one("#confirm-error").display
        await type_text(pilot, "zapier")  # the name must match exactly: capitals too
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is modal and revoke.disabled
        assert modal.query_one("#confirm-error").display
        assert text_of(app, "#confirm-error") == \
            "Type the name exactly as shown: “Zapier” (capital letters count)."
        assert modal.focused.id == "confirm-name"
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", "backspace")
        await type_text(pilot, "Zapier")
        await pilot.pause()
        assert not revoke.disabled
        await pilot.click("#revoke")
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert "Zapier" not in names_shown(app)
    assert read_rows(db, clock)["Zapier"].revoked_by == "alice"


async def test_revoke_by_enter_in_the_name_field(sample_app, db, clock):
    app = sample_app
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "Zapier")
        await pilot.press("delete")
        await pilot.pause()
        await type_text(pilot, "Zapier")
        await pilot.press("enter")
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert "Zapier" not in names_shown(app)
    assert read_rows(db, clock)["Zapier"].revoked_at is not None


async def test_revoke_cancelled_by_escape_or_cancel(sample_app, db, clock):
    app = sample_app
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "Zapier")
        table = app.screen.query_one(DataTable)
        before = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        await pilot.press("delete")
        await pilot.pause()
        await type_text(pilot, "Zap")  # typed, then Escape: nothing happens
        await pilot.press("escape")
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert messages(app) == ["Cancelled: “Zapier” stays active."]
        app.clear_notifications()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("tab", "enter")  # Enter on Cancel
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert messages(app) == ["Cancelled: “Zapier” stays active."]
        # The list is as it was: Zapier still active, the cursor still on it.
        assert [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)] == before
        assert screen_of(app).current_row().name == "Zapier"
        assert screen_of(app).current_row().state(clock.now()) == "active"
        assert table.has_focus
    assert read_rows(db, clock)["Zapier"].revoked_at is None


async def test_revoked_row_offers_only_detail(sample_app):
    app = sample_app
    async with integrations_open(app) as pilot:
        await pilot.press("v")
        await move_to(app, pilot, "Old reporting")
        screen = screen_of(app)
        assert screen.check_action("detail", ())
        for action in ("edit", "rotate", "cancel_rotation", "expire_old", "revoke"):
            assert screen.check_action(action, ()) is False


# -- palette, bindings, live changes ---------------------------------------------------------------------

async def test_every_action_has_a_binding_id_and_a_palette_name(sample_app):
    from aesthetix_tui.ui.screens.integrations import IntegrationsScreen, IntegrationTable

    ids = {b.id for b in IntegrationsScreen.BINDINGS} | {b.id for b in IntegrationTable.BINDINGS}
    assert ids == {"integrations.create", "integrations.detail", "integrations.edit", "integrations.rotate",
                   "integrations.cancel_rotation", "integrations.expire_old", "integrations.revoke",
                   "integrations.filter", "integrations.show_revoked", "integrations.hide_revoked",
                   "integrations.sort", "integrations.reverse_sort", "integrations.only_stale",
                   "integrations.every_integration", "integrations.revoke_stale"}
    app = sample_app
    async with integrations_open(app) as pilot:
        await move_to(app, pilot, "Booking widget")
        titles = [title for title, _, _ in screen_of(app).palette_commands()]
        assert {"Create private integration", "Edit private integration", "Cancel rotation",
                "Expire old token now", "Revoke private integration", "Filter integrations",
                "Show revoked integrations"} <= set(titles)
        assert "Rotate token" not in titles  # not while a rotation is pending
        await move_to(app, pilot, "Zapier")
        titles = [title for title, _, _ in screen_of(app).palette_commands()]
        assert "Rotate token" in titles and "Cancel rotation" not in titles
        system = [c.title for c in app.get_system_commands(app.screen)]
        assert "Rotate token" in system and "Create private integration" in system


async def test_palette_runs_an_action(sample_app):
    app = sample_app
    async with integrations_open(app) as pilot:
        await palette_search(pilot, "Create private integration", expect="Create private integration")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, IntegrationFormModal)


async def test_change_by_another_process_appears(sample_app, db, clock):
    from aesthetix_tui.domain import integrations

    app = sample_app
    async with integrations_open(app) as pilot:
        assert "Zapier" in names_shown(app)
        seed(db, clock, lambda session, clk, account_id: integrations.revoke(
            session, clk, account_id, "Zapier", ALICE))
        await screen_of(app).tick()  # what the 1 s timer does
        await settle(pilot)
        assert "Zapier" not in names_shown(app)


# -- 10,000 integrations ------------------------------------------------------------------------------------

@pytest.mark.slow
async def test_ten_thousand_rows_load_without_blocking_input(db, clock):
    """Order and outcome only: how long it takes is `make bench` (test_integrations_open)."""
    seed_many(db, clock, 10_000)
    app = make_app(db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await until(pilot, lambda: type(app.screen).__name__ == "IntegrationsScreen")
        await pilot.press("slash")  # pressed while the list is (most likely) still loading
        screen = screen_of(app)
        await settle(pilot)
        assert app.screen.query_one(DataTable).row_count == 10_000
        # The key pressed during loading was handled: the filter is open and has the focus.
        assert app.focused is screen.query_one("#integrations-filter", Input)
        await type_text(pilot, "09999")
        # The filter waits for a short quiet spell on big lists, then narrows 10,000 rows.
        await until(pilot, lambda: names_shown(app) == ["Integration 09999"])
        await pilot.press("escape", "end")
        await settle(pilot)  # the whole list back, in steps
        assert app.screen.query_one(DataTable).cursor_row == 9_999


async def test_a_long_list_fills_in_steps_and_keeps_the_cursor_and_the_order(db, clock, monkeypatch):
    """The first rows show at once; the rest arrive in steps. A sort pressed meanwhile sorts
    every row, and the cursor stays on its integration even when its row arrives later."""
    from aesthetix_tui.ui.widgets.integration_table import IntegrationTable

    count = IntegrationTable.FIRST_ROWS + 3 * IntegrationTable.STEP_ROWS
    seed_many(db, clock, count)
    steps = {}  # each fill's number -> the rows each of its steps added
    add_rows = IntegrationTable.add_rows
    monkeypatch.setattr(IntegrationTable, "add_rows",
                        lambda self, rows: steps.setdefault(self.fills, []).append(len(rows))
                        or add_rows(self, rows))
    app = make_app(db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await until(pilot, lambda: type(app.screen).__name__ == "IntegrationsScreen"
                    and app.screen.query_one(IntegrationTable).row_count > 0)
        table = app.screen.query_one(IntegrationTable)
        await pilot.press("o")  # reverse the order, most likely while the rest is still arriving
        await settle(pilot)
        assert table.row_count == count and table.complete
        # Whether the sort came mid-fill (it fills again, sorted) or after (it sorts in place):
        # the last fill arrived whole, in steps, and any fill it interrupted stopped short.
        whole = [IntegrationTable.FIRST_ROWS] + 3 * [IntegrationTable.STEP_ROWS]
        assert steps[max(steps)] == whole
        assert all(sizes == whole[:len(sizes)] for sizes in steps.values())
        assert str(table.get_row_at(0)[0]) == f"Integration {count - 1:05d}"  # the table itself
        assert str(table.get_row_at(count - 1)[0]) == "Integration 00000"
        assert names_shown(app)[0] == f"Integration {count - 1:05d}"
        await pilot.press("end")  # the last row, which arrived in the last step
        await pilot.pause()
        last = screen_of(app).current_row().name
        screen_of(app).render_rows()  # a rebuild (as after a reload) fills again in steps
        await settle(pilot)
        assert screen_of(app).current_row().name == last == "Integration 00000"
        assert table.cursor_row == count - 1
