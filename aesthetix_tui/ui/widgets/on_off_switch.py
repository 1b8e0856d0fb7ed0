"""A Switch that says what it is: `[ On  ]` or `[ Off ]`, readable in 16 colours and without colour."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Switch


class OnOffSwitch(Switch):
    DEFAULT_CSS = """
    OnOffSwitch {
        border: none;
        height: 1;
        padding: 0;
        background: $panel;
        color: $text-muted;
        text-style: bold;
        &.-on { color: $text-success; }
        &:focus { border: none; background: $primary; color: $text; }
        &:ansi { background: ansi_default; }
        &:ansi:focus { text-style: bold reverse; }
    }
    """

    def render(self) -> RenderResult:
        return Content("[ On  ]" if self.value else "[ Off ]")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 7
