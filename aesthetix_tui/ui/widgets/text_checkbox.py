"""A checkbox whose state is in its text: `[x]` or `[ ]`, readable in 16 colours and without colour."""

from __future__ import annotations

from textual.widgets import Checkbox


class TextCheckbox(Checkbox):
    BUTTON_LEFT = ""
    BUTTON_RIGHT = ""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Checkbox draws this between the sides
        return "[x]" if self.value else "[ ]"
