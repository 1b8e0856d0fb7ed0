"""Shared by the access-request UI tests (issue 16): requests recorded and answered as another
writer would, the owner's Requests line, the agents' console, and opening a dialog by its key."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor
from tests.ui.profile_helpers import OWNER, ready, seed
from tests.ui.steady import steady
from tests.ui.toolkit import listen, make_app, until

SAM = Actor("sam", "support")
NO_REQUEST = "There is no pending support request."


def database(path: Path, clock):
    from tests.conftest import opened

    return opened(path, clock)


def ask(path: Path, clock, agent: Actor = SAM, ticket: str = "T-1042", reason: str = "Billing sync fails",
        days: int = 3, account: str | None = None):
    """A request recorded by another writer (as the agent's process would)."""
    from aesthetix_tui.domain import accounts, support_requests

    db = database(path, clock)
    try:
        with db.session() as s:
            return support_requests.make(s, clock, accounts.resolve(s, account).id, agent, ticket, reason, days)
    finally:
        db.dispose()


def answer(path: Path, clock, request_id: int, decline: str | None = None, until=None):
    from aesthetix_tui.domain import support_requests

    db = database(path, clock)
    try:
        with db.session() as s:
            if decline is not None:
                return support_requests.decline(s, clock, request_id, decline, OWNER)
            return support_requests.approve(s, clock, request_id, until, OWNER)
    finally:
        db.dispose()


def requests_of(path: Path, clock, account: str | None = None):
    from aesthetix_tui.domain import accounts, support_requests

    db = database(path, clock)
    try:
        with db.session() as s:
            return support_requests.for_account(s, clock, accounts.resolve(s, account).id)
    finally:
        db.dispose()


def panel(app):
    from aesthetix_tui.ui.widgets.requests_panel import RequestsPanel

    return app.screen.query_one(RequestsPanel)


def line(app) -> str:
    return str(app.screen.query_one("#request-line", Static).render())



async def with_request(pilot) -> None:
    await ready(pilot)
    await until(pilot, lambda: panel(pilot.app).display)


def asked_app(path: Path, clock, **request):
    """The owner's app over a seeded account with one pending request (ask's arguments)."""
    seed(path, clock)
    ask(path, clock, **request)
    return make_app(path, clock)


async def open_dialog(pilot, key: str, dialog: str) -> None:
    """Press the key and wait for the dialog with that id."""
    await pilot.press(key)
    await until(pilot, lambda: pilot.app.screen.id == dialog)


async def answer_dialog(pilot, key: str, dialog: str) -> None:
    """Once the Requests line shows, press y (approve) or n (decline) and wait for its dialog."""
    await with_request(pilot)
    await open_dialog(pilot, key, dialog)


async def console_ready(pilot) -> None:
    """The console's account list loaded and steady (its columns measured, tests/ui/steady.py)."""
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "AccountListScreen" and pilot.app.screen.loaded)
    await steady(pilot)


def console(path: Path, clock, agent: str = "bob"):
    from aesthetix_tui.ui.console.app import SupportConsoleApp

    app = SupportConsoleApp(resolve_target(db=str(path)), agent=agent, clock=clock)
    listen(app)  # its notifications, for messages()
    return app
