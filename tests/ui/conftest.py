"""UI fixtures: a database under a fake HOME, so the header shows a stable path, apps on the
Private Integrations states, UTC, and snapshots taken only once the screen is steady."""

from __future__ import annotations

import inspect

import pytest

from tests.ui.steady import steady
from tests.ui.toolkit import make_app


@pytest.fixture
def snap_compare(snap_compare):
    """pytest-textual-snapshot's snap_compare, but the picture is taken on a steady screen
    (tests/ui/steady.py), so a busy machine takes the same picture as an idle one."""

    def compare(app, press=(), terminal_size=(80, 24), run_before=None):
        async def prepared(pilot) -> None:
            if run_before is not None:
                result = run_before(pilot)
                if inspect.isawaitable(result):
                    await result
            await pilot.press(*press)
            await steady(pilot)

        return snap_compare(app, terminal_size=terminal_size, run_before=prepared)

    return compare


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Every UI test in UTC: the account's day and the times shown do not follow the machine's zone."""
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TZ", "UTC")
    return tmp_path


@pytest.fixture
def ui_db(home):
    return home / "aesthetix.db"


@pytest.fixture
def empty_app(ui_db, clock, monkeypatch):
    """The owner's app on an account without integrations; new tokens are FAKE_TOKEN."""
    from tests.ui.integrations_helpers import fake_tokens, seed

    seed(ui_db, clock, lambda *args: None)
    fake_tokens(monkeypatch)
    return make_app(ui_db, clock)


@pytest.fixture
def sample_app(ui_db, clock, monkeypatch):
    """The owner's app on the populated integrations list (integrations_helpers.seed_sample)."""
    from tests.ui.integrations_helpers import seed_sample

    seed_sample(ui_db, clock, monkeypatch)
    return make_app(ui_db, clock)
