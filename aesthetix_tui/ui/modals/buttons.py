"""The row at the foot of a dialog (app.tcss: .dialog-buttons): Cancel, then the dialog's own
buttons."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widgets import Button


def cancel_and(*buttons: Button, cancel_id: str = "cancel") -> Horizontal:
    """Cancel (screen.cancel), then BUTTONS."""
    return Horizontal(Button("Cancel", id=cancel_id, compact=True, action="screen.cancel"), *buttons,
                      classes="dialog-buttons")
