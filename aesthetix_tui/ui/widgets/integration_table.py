"""The Private Integrations table: a DataTable whose columns have fixed widths.

The screen fits every column to the width (integration_rows.fit_widths) and every row is one
line, so there is nothing for the table to measure. A DataTable measures a cell only through
its `__rich_measure__`; `Fixed` cells have none, so adding 10,000 rows measures nothing.
"""

from __future__ import annotations

from textual.message import Message
from textual.widgets import DataTable

from aesthetix_tui.ui.palette import Command


class Fixed:
    """A cell for a column of fixed width: drawn as its renderable, never measured."""

    __slots__ = ("cell",)

    def __init__(self, cell) -> None:
        self.cell = cell

    def __rich_console__(self, console, options):
        yield self.cell

    def __str__(self) -> str:
        return str(self.cell)


class IntegrationTable(DataTable):
    """The list. Enter opens the highlighted integration's detail (RowSelected)."""

    # Also the screen's palette command "Show private integration details" (IntegrationsScreen.commands).
    BINDINGS = [Command("enter", "select_cursor", "Detail", id="integrations.detail",
                        title="Show private integration details",
                        help="Scopes and history of the selected integration")]

    class Resized(Message):
        """The table's size changed: its columns are fitted again."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())
