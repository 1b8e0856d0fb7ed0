"""A list screen's filter box and sort keys, for a screen with a table and a `view` (a frozen
value with with_filter, sort_by, sort_by_next and reversed: integration_rows, account_rows).

`/` shows the filter box; typing filters (after a short quiet on a long list); Enter goes back
to the list and keeps the box while it holds text; Escape clears and hides it; Down goes to the
list. `s` sorts by the next column, `o` reverses, a click on a header sorts by it.
"""

from __future__ import annotations

from typing import ClassVar

from textual.widgets import DataTable, Input

FILTER_DELAY = 0.12  # seconds of quiet before a long list is filtered again
LONG_LIST = 2000  # rows: filtered after FILTER_DELAY, not at each key


class ListFilter:
    FILTER_ID: ClassVar[str] = ""
    """The id of the screen's filter Input."""

    filter_timer = None

    def filter_box(self) -> Input:
        return self.query_one(f"#{self.FILTER_ID}", Input)

    def action_filter(self) -> None:
        self.show_filter(True)
        self.filter_box().focus()

    def show_filter(self, shown: bool) -> None:
        """Hidden, the filter box is also disabled, so that focus can never land in it."""
        box = self.filter_box()
        box.display = shown
        box.disabled = not shown

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != self.FILTER_ID:
            return
        event.stop()
        if self.filter_timer is not None:
            self.filter_timer.stop()
        if len(self.view.rows) > LONG_LIST:
            self.filter_timer = self.set_timer(FILTER_DELAY, lambda: self.apply_filter(event.value))
        else:
            self.apply_filter(event.value)

    def apply_filter(self, text: str) -> None:
        self.filter_timer = None
        if text != self.view.filter_text:
            self.view = self.view.with_filter(text)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != self.FILTER_ID:
            return
        event.stop()
        self.apply_filter(event.value)
        self.focus_list()
        self.show_filter(bool(event.value))

    def on_key(self, event) -> None:
        box = self.filter_box()
        if event.key == "escape" and box.has_focus:
            event.stop()
            box.value = ""
            self.apply_filter("")
            self.focus_list()
            self.show_filter(False)
        elif event.key == "down" and box.has_focus:
            event.stop()
            self.focus_list()

    def focus_list(self) -> None:
        table = self.query_one(DataTable)
        if table.display:
            table.focus()
        else:
            self.set_focus(None)

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.view = self.view.sort_by(event.column_key.value)

    def action_sort(self) -> None:
        self.view = self.view.sort_by_next()

    def action_reverse_sort(self) -> None:
        self.view = self.view.reversed()
