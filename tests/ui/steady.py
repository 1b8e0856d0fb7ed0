"""A steady screen for snapshots: every finite worker done, no animation, every table's columns
measured, no blinking cursor.

Snapshots must come out the same on an idle and on a busy machine, so nothing is left to a
fixed pause: the loading and polling workers are awaited, scheduled animations are awaited,
the tables' auto-width columns are waited for until their widest cell fits (a DataTable
measures new rows when it is next idle) and the tables are then painted afresh (a line
painted before the measure keeps its widths otherwise), and every text cursor is held still
(drawn). (The footer, KeyBar, draws from the screen's bindings as it paints, so there is
nothing to wait for.)
"""

from __future__ import annotations

import time

from textual.widgets import Input
from textual.worker import WorkerCancelled

# Action workers wait for a dialog's answer: waiting for them would wait for ever while one is
# open. Every other worker (loading, polling, navigation, saving a form) finishes by itself.
WAITS_FOR_A_DIALOG = ("-action", "-detail", "console-open", "navigate", "default")


def finite(worker) -> bool:
    return not worker.group.endswith(WAITS_FOR_A_DIALOG) and not worker.is_finished


async def workers_done(app) -> None:
    for worker in [w for w in app.workers if finite(w)]:
        try:
            await worker.wait()
        except WorkerCancelled:
            pass  # an exclusive worker replaced by a newer one


def hold_cursors(app) -> None:
    """A blinking cursor is drawn or not depending on when the picture is taken: hold it on."""
    for screen in app.screen_stack:
        for field in screen.query(Input):
            field.cursor_blink = False


async def steady(pilot, timeout: float = 30.0) -> None:
    app = pilot.app
    for _ in range(3):
        await workers_done(app)
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
    deadline = time.monotonic() + timeout
    while not columns_measured(app):  # however busy the machine
        assert time.monotonic() < deadline, "a table's columns were never measured"
        await pilot.pause(0.02)
    repaint_tables(app)
    hold_cursors(app)
    await pilot.pause()


def repaint_tables(app) -> None:
    """Paint each shown table afresh, as measured. A DataTable caches its painted lines by its
    count of changes, which measuring does not move: a line painted between adding rows and
    measuring them (the header, on a busy machine) would keep the old widths. Setting a cell
    to the value it holds moves the count, and nothing else."""
    from textual.coordinate import Coordinate
    from textual.widgets import DataTable

    for table in app.screen.query(DataTable):
        if table.display and table.row_count and table.columns:
            table.update_cell_at(Coordinate(0, 0), table.get_cell_at(Coordinate(0, 0)))


def columns_measured(app) -> bool:
    """Every auto-width column of the screen's tables is as wide as its widest text cell: a
    DataTable measures new rows when it is next idle, which a busy machine may not have reached."""
    from rich.cells import cell_len
    from rich.text import Text
    from textual.widgets import DataTable

    for table in app.screen.query(DataTable):
        if not table.display:
            continue  # not drawn
        for index, column in enumerate(table.ordered_columns):
            cells = [table.get_row_at(row)[index] for row in range(table.row_count)]
            texts = [str(cell) for cell in cells if isinstance(cell, (str, Text))]
            if column.auto_width and texts and column.content_width < max(cell_len(t) for t in texts):
                return False
    return True
