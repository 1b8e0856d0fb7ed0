"""A pre-filled file path, as file dialogs show one: focused and selected, so Enter takes it
and typing replaces it (no deleting it character by character)."""

from __future__ import annotations

from textual.widgets import Input
from textual.widgets.input import Selection


def select_all(field: Input) -> None:
    """Focus the field with its whole value selected, however the focus arrives (Textual
    selects on focus only when the focus does not come from the terminal window)."""
    field.focus()
    field.selection = Selection(0, len(field.value))
