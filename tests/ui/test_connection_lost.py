"""The PostgreSQL server stopping while the TUI is open: one banner, polling goes on, it recovers.

This test stops and restarts the server, so it uses a cluster of its own (pg_own_cluster),
not the session's shared one.
"""

from __future__ import annotations

import pytest

from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.errors import ConnectionLost
from tests.ui.profile_helpers import ready
from tests.ui.toolkit import make_app, messages, until

LOST = "Connection lost — retrying"


@pytest.fixture
def pg_target(pg_own_cluster, home):
    cluster = pg_own_cluster
    cluster.admin("CREATE DATABASE aesthetix")
    return cluster, resolve_target(database_url=cluster.url("aesthetix"))


async def test_server_stop_shows_connection_lost_and_recovers(pg_target, clock):
    from aesthetix_tui.domain import features

    cluster, target = pg_target
    app = make_app(target, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.screen.profile is not None and app.gate.error is None
        assert LOST not in app.sub_title

        cluster.stop("fast")
        await until(pilot, lambda: app.gate.connection_lost, timeout=10)
        assert app.sub_title.startswith(LOST)
        await until(pilot, lambda: any(LOST in said for said in messages(app)))

        # An edit while the server is away is refused clearly, and nothing is half-applied.
        account_id = app.screen.profile.account.id
        with pytest.raises(ConnectionLost, match="cannot be reached|was lost"):
            await app.gate.call(lambda s: features.update(s, clock, account_id, {"legacy_triggers": True},
                                                          app.actor))

        cluster.start()
        await until(pilot, lambda: not app.gate.connection_lost, timeout=10)
        assert LOST not in app.sub_title
        states = await app.gate.call(lambda s: {x.feature.key: x.enabled
                                                for x in features.settings(s, profile_account(s))})
        assert states.get("legacy_triggers") is False  # the refused edit left no trace


def profile_account(session):
    from aesthetix_tui.domain import accounts

    return accounts.resolve(session, None)


async def test_a_screen_first_opened_while_the_server_is_away_loads_when_it_is_back(pg_target, clock):
    cluster, target = pg_target
    app = make_app(target, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        cluster.stop("fast")
        await pilot.press("i")  # Private Integrations: its first read fails
        await until(pilot, lambda: app.gate.connection_lost, timeout=10)
        assert app.screen.listing is None and app.sub_title.startswith(LOST)
        cluster.start()
        await until(pilot, lambda: app.screen.listing is not None, timeout=10)
        assert not app.gate.connection_lost and LOST not in app.sub_title


async def test_saving_while_the_server_is_away_is_refused_keeps_the_edit_and_works_after(pg_target, clock):
    from textual.widgets import Checkbox, Static

    cluster, target = pg_target
    app = make_app(target, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        box = app.screen.query_one("#feature-legacy_triggers", Checkbox)
        box.focus()
        await pilot.press("space")
        await pilot.pause()
        cluster.stop("fast")
        await pilot.press("u")
        await until(pilot, lambda: any("cannot be reached" in said or "was lost" in said
                                       for said in messages(app)), timeout=10)
        assert app.screen.query_one("#feature-legacy_triggers", Checkbox).value is True  # the edit is kept
        assert "unsaved" in str(app.screen.query_one("#unsaved", Static).render())
        cluster.start()
        await until(pilot, lambda: not app.gate.connection_lost, timeout=10)
        await pilot.press("u")
        await until(pilot, lambda: str(app.screen.query_one("#unsaved", Static).render()) == "No changes to save",
                    timeout=10)
        states = await app.gate.call(lambda s: {x.feature.key: x.enabled
                                                for x in features_of(s)})
        assert states["legacy_triggers"] is True


def features_of(session):
    from aesthetix_tui.domain import features

    return features.settings(session, profile_account(session))
