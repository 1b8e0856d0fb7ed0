"""The UI tests' toolkit: the app as `aesthetix-tui` builds it, what it told the user, and waiting.

- `make_app`: the package's factory (`aesthetix_tui/ui/run.make_app`, which cli.py runs) on a test's
  database and clock, acting as alice, listening to its notifications.
- `messages(app)`: what the app told the user, heard through App.notify (`listen`), never its
  private list.
- `until(pilot, predicate)`: wait on a condition, never a fixed pause.
- `settle(pilot)`: let the workers that end by themselves end and a long table fill in.
- `palette_search(pilot, text)`: the command palette's matches for TEXT.
The fixed clock is the `clock` fixture of tests/conftest.py.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable
from pathlib import Path

from textual.app import App
from textual.screen import ModalScreen
from textual.worker import WorkerCancelled

from aesthetix_tui.clock import Clock
from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.ui import run
from tests.ui.steady import finite

HEARD: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # app -> its messages (listen)
TITLES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # app -> their titles


def make_app(database: DatabaseTarget | str | os.PathLike, clock: Clock, *, account_ref: str | None = None,
             settings_path: Path | None = None, actor_name: str = "alice"):
    """The owner's app (ui/run.make_app) on DATABASE (a target or a SQLite file), on the test's CLOCK."""
    app = run.make_app(database, clock, account_ref=account_ref, actor_name=actor_name,
                       settings_path=settings_path)
    listen(app)
    return app


def listen(app) -> list[str]:
    """Every notification's message from now on: App.notify wrapped on this app instance (screens'
    notify goes through it too); clear_notifications forgets them, as it clears the toasts."""
    heard: list[str] = []
    notify, clear = app.notify, app.clear_notifications

    def recording(message, *args, **kwargs):
        heard.append(str(message))
        TITLES.setdefault(app, []).append(str(kwargs.get("title", "")))  # title is keyword-only
        return notify(message, *args, **kwargs)

    def clearing() -> None:
        heard.clear()
        TITLES.pop(app, None)
        clear()

    app.notify, app.clear_notifications = recording, clearing
    HEARD[app] = heard
    return heard


def messages(app) -> list[str]:
    """The messages the app has told the user since it was made (or since clear_notifications)."""
    assert app in HEARD, "listen(app) first (toolkit.make_app does)"
    return list(HEARD[app])


def titles(app) -> list[str]:
    """The titles of those notifications (empty where none was given)."""
    assert app in HEARD, "listen(app) first (toolkit.make_app does)"
    return list(TITLES.get(app, []))


async def until(pilot, predicate: Callable[[], object], timeout: float = 30.0, step: float = 0.02) -> None:
    """Pause STEP, then look, until predicate() is true. The timeout (counted in steps, so a
    busy machine gets longer) only guards against a hang: no UI test times the app."""
    for _ in range(max(1, int(timeout / step))):
        await pilot.pause(step)
        if predicate():
            return
    raise AssertionError("the app never reached the expected state")


def palette_text(app) -> str:
    """The command palette's matches, as shown (empty while it is closed or has none)."""
    from textual.command import CommandList

    found = app.screen.query(CommandList)
    if not found:
        return ""
    options = found.first()
    return " ".join(str(options.get_option_at_index(i).prompt) for i in range(options.option_count))


async def palette_search(pilot, text: str, expect: str = "") -> str:
    """Open the command palette, type TEXT, and wait for its matches (one holding EXPECT, if given)."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: pilot.app.screen.id == "--command-palette")
    await pilot.press(*["space" if c == " " else c for c in text])
    await until(pilot, lambda: palette_text(pilot.app) != "" and expect in palette_text(pilot.app))
    return palette_text(pilot.app)


def ends_by_itself(app, worker) -> bool:
    """Not a worker waiting for a dialog's answer (tests/ui/steady.py); a navigation too while no
    dialog is open."""
    if worker.is_finished:
        return False
    if worker.group == "navigate":
        return not isinstance(app.screen, ModalScreen)
    return finite(worker)


async def settle(pilot, done: Callable[[App], object] | None = None, *, every_worker: bool = False) -> None:
    """Wait until DONE(app) (when given); then let the workers that end by themselves end, the screen
    repaint and a long list's table fill in. EVERY_WORKER: the action workers too (only when no
    dialog is open nor about to open)."""
    app = pilot.app
    if done is not None:
        await until(pilot, lambda: done(app))
    for _ in range(3):
        await pilot.pause()
        for worker in [w for w in app.workers if every_worker or ends_by_itself(app, w)]:
            try:
                await worker.wait()
            except WorkerCancelled:
                pass  # an exclusive worker replaced by a newer one
    await pilot.pause()
    await filled(pilot)


async def filled(pilot) -> None:
    """Wait until the screen's integrations table holds every row (a long list is added in steps)."""
    from aesthetix_tui.ui.widgets.integration_table import IntegrationTable

    def complete() -> bool:
        tables = pilot.app.screen.query(IntegrationTable)
        return not tables or tables.first().complete

    if not complete():
        await until(pilot, complete, timeout=30.0, step=0.01)
