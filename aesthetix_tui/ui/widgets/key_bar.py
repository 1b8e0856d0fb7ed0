"""The footer: the keys of this screen that fit, with `?` and `^p` always shown.

Textual's Footer cuts keys off at 80 columns. This bar shows the current screen's keys first,
then the app's, as many as fit; help and the command palette are pinned on the right, and
everything left out stays in `?` and the palette. A click on a key presses it.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from textual.app import RenderResult
from textual.binding import Binding
from textual.content import Content
from textual.events import Click
from textual.widget import Widget

# Pinned right: help (`?`, or f1 while a text field takes `?`), then the palette.
PINNED = (("question_mark", "f1"), ("ctrl+p",))
PINNED_KEYS = {key for keys in PINNED for key in keys}


class KeyBar(Widget):
    places: Sequence[tuple[int, int, str]] = ()  # replaced on every render

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen) -> None:
        self.refresh()

    def keys(self) -> tuple[list[Binding], list[Binding]]:
        """(the screen's and then the app's shown keys, the pinned ones), enabled only."""
        ours, app, pinned = [], [], {}
        seen_actions = set()
        for node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.key in PINNED_KEYS:
                pinned[binding.key] = binding
                continue
            if not (binding.show and enabled) or binding.action in seen_actions:
                continue
            seen_actions.add(binding.action)
            (app if node is self.app else ours).append(binding)
        firsts = (next((pinned[key] for key in keys if key in pinned), None) for keys in PINNED)
        return ours + app, [binding for binding in firsts if binding is not None]

    def item(self, binding: Binding) -> Content:
        key = self.app.get_key_display(binding)
        label = "palette" if binding.key == "ctrl+p" else binding.description
        return Content.from_markup("[b $footer-key-foreground]$key[/] $label ", key=key, label=label)

    def render(self) -> RenderResult:
        shown, pinned = self.keys()
        right = [(b, self.item(b)) for b in pinned]
        room = self.size.width - 1 - sum(cell_len(item.plain) for _, item in right)
        left = []
        for binding in shown:
            item = self.item(binding)
            if cell_len(item.plain) > room:
                break  # in order of importance: the rest stays in ? and the palette
            left.append((binding, item))
            room -= cell_len(item.plain)
        gap = (None, Content(" " * max(room, 0)))
        parts = [(None, Content(" ")), *left, gap, *right]
        self.places = []  # (first cell, end cell, key) of each item, for clicks
        x = 0
        for binding, item in parts:
            width = cell_len(item.plain)
            if binding is not None:
                self.places.append((x, x + width, binding.key))
            x += width
        return Content.assemble(*(item for _, item in parts))

    def on_click(self, event: Click) -> None:
        for start, end, key in self.places:
            if start <= event.x < end:
                event.stop()
                self.app.simulate_key(key)

# The header's icon (it opens the palette when clicked): a character common bitmap fonts have.
HEADER_ICON = "≡"
