"""One banner for a lost database connection, shared by the owner's app and the console."""

from __future__ import annotations

from aesthetix_tui.domain.errors import SLOW

CONNECTION_LOST = "Connection lost — retrying"


def show_connection(app, lost: bool, subtitle: str) -> None:
    """While the server is away the header says so (every screen shows it) plus one toast.
    Screens keep polling through the gate; the first call that works clears it."""
    if lost:
        app.sub_title = f"{CONNECTION_LOST} · {subtitle}"
        app.notify(f"{CONNECTION_LOST}. What you typed is kept; saving is refused until the server is back.",
                   title="Database", severity="warning", timeout=30)
    else:
        app.sub_title = subtitle
        app.clear_notifications()
        app.notify("Connection restored.", title="Database", timeout=5)


def say_slow(app, slow: bool) -> None:
    """A screen's read timed out (the database is slow): one sentence, once, until a read
    answers in time again. The screen keeps what it shows and tries again."""
    if slow:
        app.notify(SLOW, title="Database", severity="warning", timeout=10)
