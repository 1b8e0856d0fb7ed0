"""The TUI and stale writes (changed elsewhere meanwhile) and SQLite faults (busy, read-only)."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox, Input, Static

from aesthetix_tui.db import engine
from aesthetix_tui.db.errors import BUSY
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.ui import database_gate
from aesthetix_tui.ui.widgets.features_panel import FeaturesPanel
from tests.faults.sqlite_faults import immutable, lock_held
from tests.ui.integrations_helpers import integrations_open, screen_of, seed_sample
from tests.ui.profile_helpers import profile_open, ready, seed
from tests.ui.toolkit import make_app, messages, settle, until

BOB = Actor("bob", "owner")


def through_domain(path, clock, fn):
    """Someone else changes things meanwhile (another TUI, a script)."""
    from tests.ui.integrations_helpers import seed as run_in_session

    return run_in_session(path, clock, fn)


def boxes(app) -> dict[str, bool]:
    return {key: app.screen.query_one(f"#feature-{key}", Checkbox).value
            for key in ("legacy_campaigns", "legacy_triggers")}



def unsaved(app) -> str:
    return str(app.screen.query_one("#unsaved", Static).render())


def saved_settings(path, clock) -> dict[str, bool]:
    from aesthetix_tui.domain import accounts, features

    return through_domain(path, clock, lambda s, c, a: {
        st.feature.key: st.enabled for st in features.settings(s, accounts.get(s, a))})


# -- stale writes ------------------------------------------------------------------------

async def test_a_stale_features_update_shows_who_and_reloads_the_fresh_settings(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        app.screen.query_one("#feature-legacy_triggers", Checkbox).focus()
        await pilot.press("space")
        await pilot.pause()
        assert unsaved(app) == "● 1 unsaved change"
        from aesthetix_tui.domain import features

        through_domain(ui_db, clock, lambda s, c, a: features.update(s, c, a, {"legacy_campaigns": True}, BOB))
        panel = app.screen.query_one(FeaturesPanel)
        await until(pilot, lambda: panel.latest_version != panel.version)  # the poll reloaded: still stale
        await pilot.press("u")
        await ready(pilot)
        assert "These settings were changed by bob at 15:00; review and update again." in messages(app)
        # the fresh saved values replace the user's edit; nothing of it was saved
        assert boxes(app) == {"legacy_campaigns": True, "legacy_triggers": False}
        assert unsaved(app) == "No changes to save"
        assert saved_settings(ui_db, clock) == {"legacy_campaigns": True, "legacy_triggers": False}
        # updating again, now from the fresh state, works
        app.screen.query_one("#feature-legacy_triggers", Checkbox).focus()
        await pilot.press("space", "u")
        await ready(pilot)
        assert saved_settings(ui_db, clock) == {"legacy_campaigns": True, "legacy_triggers": True}


async def test_a_stale_integration_edit_shows_who_and_the_fresh_values(ui_db, clock, monkeypatch):
    from aesthetix_tui.domain import integrations
    from aesthetix_tui.ui.modals.integration_form import IntegrationFormModal

    seed_sample(ui_db, clock, monkeypatch)
    app = make_app(ui_db, clock)
    async with integrations_open(app) as pilot:
        names = [r.name for r in screen_of(app).shown]
        app.screen.query_one("#integrations-table").move_cursor(row=names.index("CRM Sync"))
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IntegrationFormModal)
        form.query_one("#name", Input).value = "CRM Sync v2"
        through_domain(ui_db, clock, lambda s, c, a: integrations.edit(
            s, c, a, "CRM Sync", BOB, description="Hourly now"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        message = "The integration 'CRM Sync' was changed by bob at 15:00; review and try again."
        assert message in messages(app)
        assert app.screen is form  # still open, showing the fresh values to review
        assert form.query_one("#name", Input).value == "CRM Sync"
        assert form.query_one("#description", Input).value == "Hourly now"
        assert message in str(form.query_one("#form-error", Static).render())
        form.query_one("#name", Input).value = "CRM Sync v2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen_of(app) is app.screen
        assert screen_of(app).current_row().name == "CRM Sync v2"
        assert screen_of(app).current_row().description == "Hourly now"


async def test_a_stale_revoke_of_support_access_is_refused(ui_db, clock):
    from datetime import timedelta

    from aesthetix_tui.domain import support_access
    from tests.ui.profile_helpers import TODAY, current_status

    async with profile_open(ui_db, clock, "active") as (app, pilot):
        app.screen.busy = True  # hold the screen's view (no poll reload) while it changes elsewhere
        through_domain(ui_db, clock, lambda s, c, a: support_access.extend(s, c, a, TODAY + timedelta(days=9), BOB))
        await pilot.press("r")
        await until(pilot, lambda: app.screen.id == "revoke-confirm")
        app.screen.busy = False
        await pilot.press("tab", "enter")
        await ready(pilot)
        assert "Support Access was changed by bob at 15:00; review and try again." in messages(app)
        assert current_status(ui_db, clock).state == "active"  # not revoked on a stale view


# -- a lock held by another process ----------------------------------------------------------------

@pytest.fixture
def short_busy(monkeypatch):
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 200)
    monkeypatch.setattr(database_gate, "BUSY_RETRIES", (0.3, 0.3, 0.3))


async def test_busy_the_tui_retries_by_itself(ui_db, clock, short_busy):
    async with profile_open(ui_db, clock) as (app, pilot):
        app.screen.query_one("#feature-legacy_triggers", Checkbox).focus()
        await pilot.press("space")
        with lock_held(ui_db, 0.6):  # released before the retries run out
            await pilot.press("u")
            await until(pilot, lambda: any("Database busy — retrying" in m for m in messages(app)))
            assert boxes(app)["legacy_triggers"] is True
        await ready(pilot)
    assert saved_settings(ui_db, clock)["legacy_triggers"] is True
    assert BUSY not in messages(app)


async def test_busy_too_long_keeps_the_unsaved_checkboxes(ui_db, clock, short_busy):
    async with profile_open(ui_db, clock) as (app, pilot):
        app.screen.query_one("#feature-legacy_triggers", Checkbox).focus()
        await pilot.press("space")
        with lock_held(ui_db, 30):
            await pilot.press("u")
            await until(pilot, lambda: BUSY in messages(app), timeout=10)
            await ready(pilot)
            assert boxes(app) == {"legacy_campaigns": False, "legacy_triggers": True}
            assert unsaved(app) == "● 1 unsaved change"
        assert saved_settings(ui_db, clock)["legacy_triggers"] is False
        await pilot.press("u")  # the lock is gone: the same edit saves
        await ready(pilot)
    assert saved_settings(ui_db, clock)["legacy_triggers"] is True


async def test_busy_too_long_keeps_what_was_typed_in_the_form(ui_db, clock, monkeypatch, short_busy):
    from aesthetix_tui.ui.modals.integration_form import IntegrationFormModal

    seed_sample(ui_db, clock, monkeypatch)
    app = make_app(ui_db, clock)
    async with integrations_open(app) as pilot:
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, IntegrationFormModal)
        form.query_one("#name", Input).value = "Typed name"
        form.query_one("#description", Input).value = "Typed description"
        form.query_one("#scope-picker").set_chosen(["contacts.readonly"])
        with lock_held(ui_db, 30):
            await pilot.press("ctrl+s")
            await until(pilot, lambda: BUSY in str(form.query_one("#form-error", Static).render()), timeout=10)
        assert app.screen is form
        assert form.query_one("#name", Input).value == "Typed name"
        assert form.query_one("#description", Input).value == "Typed description"
        assert form.query_one("#scope-picker").chosen == {"contacts.readonly"}


# -- read-only and unusable databases ------------------------------------------------------------

async def test_a_read_only_database_shows_and_refuses_changes(ui_db, clock):
    seed(ui_db, clock)
    app = make_app(ui_db, clock)
    with immutable(ui_db):
        async with app.run_test(size=(100, 30)) as pilot:
            await ready(pilot)
            assert app.screen.profile is not None  # reading works
            app.screen.query_one("#feature-legacy_triggers", Checkbox).focus()
            await pilot.press("space", "u")
            await ready(pilot)
            assert any("is read-only, so changes cannot be saved" in m for m in messages(app))
            assert boxes(app)["legacy_triggers"] is True  # the edit is kept
    assert saved_settings(ui_db, clock)["legacy_triggers"] is False


@pytest.mark.parametrize("where, sentence", [
    ("folder", "does not exist; create it or choose another --db path."),
    ("url", "The database URL nonsense is not valid; check --database-url."),
])
async def test_a_missing_folder_or_bad_url_is_one_sentence(ui_db, clock, where, sentence):
    from aesthetix_tui.config import resolve_target
    target = (resolve_target(db=str(ui_db.parent / "no" / "x.db")) if where == "folder"
              else resolve_target(database_url="nonsense"))
    app = make_app(target, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        notice = str(app.screen.query_one("#profile-notice", Static).render())
        assert sentence in notice and "Traceback" not in notice
