"""Every key binding, in one list."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


def key_rows(app, bindings, *, merge: bool = False) -> list[tuple[str, str]]:
    """(key as shown, what it does) for each Binding: the tooltip's long name, else the label.

    A key bound once per state (the same row twice) is listed once. With merge, keys that do the
    same in a row share one ("pgup/pgdn", "←↑→↓"), and two things one key does share its row
    ("a / b"): for bindings gathered from several widgets (the dialogs and pickers)."""
    rows: list[tuple[list[str], str]] = []  # (keys, what they do)
    for binding in bindings:
        if not isinstance(binding, Binding):
            continue
        key, text = app.get_key_display(binding), binding.tooltip or binding.description
        if any(keys == [key] and said == text for keys, said in rows):
            continue
        same_key = [index for index, (keys, _) in enumerate(rows) if keys == [key]] if merge else []
        if merge and rows and rows[-1][1] == text:
            rows[-1][0].append(key)
        elif same_key:
            keys, said = rows[same_key[0]]
            rows[same_key[0]] = (keys, f"{said} / {text[:1].lower()}{text[1:]}")
        else:
            rows.append(([key], text))
    return [(("" if all(len(k) == 1 for k in keys) else "/").join(keys), text) for keys, text in rows]


class HelpModal(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss_help", "Close", id="help.close"),
        Binding("question_mark", "dismiss_help", "Close", show=False, id="help.close_again"),
    ]

    def __init__(self, sections: list[tuple[str, list[tuple[str, str]]]]) -> None:
        super().__init__(classes="-tall")  # the header and the footer stay in sight (app.tcss)
        self.sections = sections

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog help-dialog"):
            yield Static("Keys", classes="dialog-title")
            # Above the list, so a short terminal (80x24) shows it whatever the list's length.
            yield Static("Escape closes. ctrl+p finds any action by name.", classes="dialog-hint")
            with VerticalScroll(id="help-body"):
                for heading, rows in self.sections:
                    yield Static(heading, classes="help-heading")
                    for key, description in rows:
                        yield Static(f"[b]{key:>10}[/b]  {description}", classes="help-row")

    def action_dismiss_help(self) -> None:
        self.dismiss(None)
