"""One banner for a lost database connection, shared by the owner's app and the console."""

from __future__ import annotations

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
