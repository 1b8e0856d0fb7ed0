"""The audit log's export dialog: a format (CSV or JSON) and the file to write.

It only asks; the audit screen writes the file (domain/audit_export_file.py).
Its styles are in ui/audit_log.tcss, loaded by the audit screen that opens it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from aesthetix_tui.ui.modals.buttons import cancel_and
from aesthetix_tui.ui.modals.discard import CancelAsks
from aesthetix_tui.ui.modals.path_field import select_all


@dataclass(frozen=True)
class ExportChoice:
    fmt: str
    path: str  # as typed: "~" is expanded when written


class AuditExportModal(CancelAsks, ModalScreen):
    """Format and path. The path is pre-filled; Export confirms it."""

    unsaved = "The file name you typed is not used yet."

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="audit_export.cancel")]

    def __init__(self, default_stem: str, fmt: str = "csv") -> None:
        super().__init__(id="audit-export")
        self.stem = default_stem
        self.fmt = fmt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog audit-dialog"):
            yield Static("Export the audit log", classes="dialog-title")
            yield Static("Every event of the account, oldest first: the same file as "
                         "`aesthetix-tui audit export`.", classes="dialog-body")
            with Horizontal(classes="audit-field"):
                yield Static("Format", classes="audit-label")
                with RadioSet(id="export-format", compact=True):
                    yield RadioButton("CSV", value=self.fmt == "csv", id="format-csv", compact=True)
                    yield RadioButton("JSON", value=self.fmt == "json", id="format-json", compact=True)
            with Horizontal(classes="audit-field"):
                yield Static("File", classes="audit-label")
                yield Input(f"{self.stem}.{self.fmt}", id="export-path", compact=True)
            yield Static("An existing file is replaced only after you confirm.", classes="audit-hint")
            yield Static("", id="export-error")
            yield cancel_and(Button("Export", id="export-confirm", variant="primary", compact=True,
                                    action="screen.export"), cancel_id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-error").display = False
        select_all(self.query_one("#export-path", Input))
        self.start = self.typed()  # Escape asks before throwing away a typed path

    def typed(self) -> str:
        return self.query_one("#export-path", Input).value.removesuffix(f".{self.fmt}")

    @on(RadioSet.Changed)
    def format_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        fmt = "json" if event.pressed.id == "format-json" else "csv"
        path = self.query_one("#export-path", Input)
        for old in ("csv", "json"):
            if path.value.endswith(f".{old}"):
                path.value = path.value[: -len(old)] + fmt
        self.fmt = fmt

    def action_export(self) -> None:
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            error = self.query_one("#export-error", Static)
            error.update("Give a file to write, e.g. ~/audit.csv.")
            error.display = True
            return
        self.dismiss(ExportChoice(self.fmt, path))

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_export()
