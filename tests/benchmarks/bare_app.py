"""The floor: a bare Textual app (Header, Label, Footer). Benchmarks start it in a pty.

With --checkbox it also has a focused Checkbox (space toggles it and a label says so) and
`r` opens a ModalScreen; with --rows N, `i` opens a screen with a DataTable of N rows built
from memory (the same rows the TUI benchmark stores); `?` opens a small modal.
"""

from __future__ import annotations

import sys
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen
from textual.widgets import Checkbox, DataTable, Footer, Header, Label


class Modal(ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", "Close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield Label(self.text)


class Rows(Screen):
    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for name, width in (("Name", 24), ("Scopes", 44), ("Token", 10), ("Status", 10),
                            ("Created", 18), ("Last used", 18)):
            table.add_column(name, width=width)
        rows = [(f"Integration {n:05d}", "contacts.readonly", f"pit-{n % 10000:04d}", "active",
                 "Thu 26 Nov 2026", "never") for n in range(self.count)]
        table.add_rows(rows)
        table.focus()


class BareApp(App):
    TITLE = "Bare Textual"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("r", "modal", "Modal"), Binding("i", "rows", "Rows"),
                                             Binding("question_mark", "help", "Help")]

    def __init__(self, checkbox: bool = False, rows: int = 0) -> None:
        super().__init__()
        self.checkbox, self.rows = checkbox, rows

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("A bare Textual app: the floor for the benchmarks.")
        if self.checkbox:
            yield Checkbox("Legacy feature", id="box")
            yield Label("", id="changed")
        yield Footer()

    def on_mount(self) -> None:
        if self.checkbox:
            self.query_one("#box").focus()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#changed", Label).update("Bare change pending" if event.value else "")

    def action_modal(self) -> None:
        self.push_screen(Modal("Bare modal: revoke?"))

    def action_rows(self) -> None:
        if self.rows:
            self.push_screen(Rows(self.rows))

    def action_help(self) -> None:
        self.push_screen(Modal("Bare help keys"))


if __name__ == "__main__":
    args = sys.argv[1:]
    rows = int(args[args.index("--rows") + 1]) if "--rows" in args else 0
    BareApp(checkbox="--checkbox" in args, rows=rows).run()
