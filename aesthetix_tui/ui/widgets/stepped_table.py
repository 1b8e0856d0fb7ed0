"""A DataTable whose columns have fixed widths, filled in steps.

The screen fits every column to the width and every row is one line, so there is nothing for
the table to measure. A DataTable measures a cell only through its `__rich_measure__`; `Fixed`
cells have none. It still visits every new row once, so a long list is added in steps (`fill`):
the first rows show at once and keys are answered while the rest arrive.
"""

from __future__ import annotations

from functools import partial

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable


class Fixed:
    """A cell for a column of fixed width: drawn as its renderable, never measured."""

    __slots__ = ("cell",)

    def __init__(self, cell) -> None:
        self.cell = cell

    def __rich_console__(self, console, options):
        cell = self.cell
        if isinstance(cell, Text) and cell.cell_len > options.max_width:
            # Cut where it is drawn (only the rows in sight): the "…" says there is more.
            cell = cell.copy()
            cell.truncate(options.max_width, overflow="ellipsis")
        yield cell

    def __str__(self) -> str:
        return str(self.cell)


class SteppedTable(DataTable):
    """A list filled in steps (`fill`); posts Resized when its size changes (columns fit again)."""

    FIRST_ROWS = 150  # more than a screen holds: added at once
    STEP_ROWS = 500  # then this many a step
    STEP_PAUSE = 0.02  # seconds between steps

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fills = 0  # each fill's number: a step of an older fill stops
        self.expected = 0  # the rows of the current fill

    @property
    def complete(self) -> bool:
        """Every row of the last fill is in the table."""
        return self.row_count >= self.expected

    def room(self, rows: int) -> int:
        """Cells the columns may take with ROWS rows: the inside, less the vertical scrollbar's
        place when the rows are more than the inside holds (or its gutter is stable). Decided from
        the count, not from the scrollbar shown now, which follows the rows only at the next
        layout (late on a busy machine): the widths are right at once. Before the first layout,
        the parent's inside less this table's border and scrollbar (Resized corrects any
        difference)."""
        styles = self.styles
        if not self.size.width:
            return self.parent.content_region.width - styles.gutter.width - styles.scrollbar_size_vertical
        inside = self.size  # less the border and padding (not the scrollbars)
        overflows = rows > inside.height - (self.header_height if self.show_header else 0)
        kept = overflows or styles.scrollbar_gutter == "stable"  # a stable gutter is always kept
        return inside.width - (styles.scrollbar_size_vertical if kept else 0)

    def show(self, columns: list[tuple[str, str]], widths: dict[str, int], header, rows: list[tuple],
             cursor_row: int | None = None) -> None:
        """Clear; add each of COLUMNS, (key, label), that WIDTHS keeps, at its width and headed
        header(key, label); then fill with ROWS (each a cell per column of COLUMNS)."""
        self.clear(columns=True)
        for key, label in columns:
            if key in widths:
                self.add_column(header(key, label), key=key, width=widths[key])
        self.fill(rows, [index for index, (key, _) in enumerate(columns) if key in widths], cursor_row)

    def fill(self, rows: list[tuple], columns: list[int], cursor_row: int | None = None) -> None:
        """Add ROWS (their cells at COLUMNS, as Fixed cells) to the cleared table in steps; put
        the cursor on CURSOR_ROW when it arrives."""
        self.fills += 1
        self.expected = len(rows)
        self.add_step(rows, columns, 0, cursor_row, self.fills)

    def add_step(self, rows: list[tuple], columns: list[int], start: int, cursor_row: int | None,
                 fill: int) -> None:
        if fill != self.fills or not self.is_attached:
            return  # cleared and filled again meanwhile, or gone
        end = start + (self.FIRST_ROWS if start == 0 else self.STEP_ROWS)
        self.add_rows([tuple(Fixed(cells[index]) for index in columns) for cells in rows[start:end]])
        if cursor_row is not None and start <= cursor_row < end:
            self.move_cursor(row=cursor_row, animate=False)
        if end < len(rows):
            # On the screen's timer: the table's own queue stays free, so a key pressed
            # meanwhile (it goes to the focused table) waits for one step at most.
            self.screen.set_timer(self.STEP_PAUSE, partial(self.add_step, rows, columns, end, cursor_row, fill))

    class Resized(Message):
        """The table's size changed: its columns are fitted again."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())
