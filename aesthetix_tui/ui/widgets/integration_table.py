"""The Private Integrations table: a SteppedTable (fixed column widths, filled in steps) whose
columns the screen fits to the width (integration_rows.fit_widths)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType

from aesthetix_tui.ui.palette import Command
from aesthetix_tui.ui.widgets.stepped_table import SteppedTable


class IntegrationTable(SteppedTable):
    """The list. Enter opens the highlighted integration's detail (RowSelected)."""

    # Also the screen's palette command "Show private integration details" (IntegrationsScreen.commands).
    BINDINGS: ClassVar[list[BindingType]] = [Command("enter", "select_cursor", "Detail", id="integrations.detail",
                                                     title="Show private integration details",
                                                     help="Scopes and history of the selected integration")]
