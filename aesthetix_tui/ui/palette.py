"""Keys that are also command-palette commands.

A screen's palette is its BINDINGS, never a parallel list: every `Command` in them is offered
by its title (the binding's long name, `tooltip`, unless `title` words one state of it), with
`help` as the line under it. Two Commands may share a key when their actions apply in
complementary states (the screen's `check_action` is the one rule): the key runs the one that
applies now, the footer shows it, and the palette offers only it (e.g. "Disable legacy API key"
and "Enable legacy API key" on k).

Each Command has its own binding `id` (unique on its screen): the palette runs a command by it
(`AesthetixApp.run_command(mode, id)`), never by its title, so rewording a title changes nothing.

Textual copies bindings into plain `Binding`s when it maps keys, so these fields are read from
the class's BINDINGS only (the palette and the help list), never from the active bindings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Command(Binding):
    title: str = ""
    """The palette's name for it, when not the long name (tooltip): one state's wording."""
    help: str = ""
    """The palette's line under the title: what it does."""

    @property
    def palette_title(self) -> str:
        return self.title or self.tooltip or self.description

    @property
    def action_name(self) -> str:
        """The action without its namespace ("screen.detail" -> "detail")."""
        return self.action.split(".", 1)[-1].split("(", 1)[0]


def commands_of(bindings: Iterable[object]) -> list[Command]:
    """The palette commands among BINDINGS, in their order."""
    return [b for b in bindings if isinstance(b, Command)]
