"""How keys are named on screen: in words a bitmap font can draw (Textual writes enter as ⏎)."""

from __future__ import annotations

from textual.binding import Binding

PLAIN = {"enter": "enter"}


class PlainKeyNames:
    """For an App: the footer, the help list and the palette name keys plainly."""

    def get_key_display(self, binding: Binding) -> str:
        if binding.key_display is None and binding.key in PLAIN:
            return PLAIN[binding.key]
        return super().get_key_display(binding)  # type: ignore[misc]
