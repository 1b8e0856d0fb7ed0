"""What the app tells the user, read through the public door (App.notify), not its private list."""

from __future__ import annotations


def listen(app) -> list[str]:
    """Every notification's message from now on: App.notify wrapped on this app instance
    (screens' notify goes through it too)."""
    heard: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        heard.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return heard
