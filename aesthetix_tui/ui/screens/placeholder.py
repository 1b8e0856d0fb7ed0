"""A screen whose issue has not landed yet."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class PlaceholderScreen(Screen):
    def __init__(self, title: str, name: str) -> None:
        super().__init__(id=f"{name}-screen")
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield Header()
        with Middle():
            with Center():
                yield Static(f"[b]{self.title_text}[/b] arrives in a coming release.\n"
                             "Press [b]b[/b] for Business Profile.", classes="placeholder")
        yield Footer(compact=True)
