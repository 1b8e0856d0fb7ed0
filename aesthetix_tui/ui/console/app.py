"""The support console app: the accessible accounts, read-only sessions, and their end.

Like the owner's app, this module does not import the database stack: a worker opens it.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from aesthetix_tui.clock import Clock, SystemClock
from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.ui.connection import say_slow, show_connection
from aesthetix_tui.ui.console.screens import AccountListScreen, SessionScreen
from aesthetix_tui.ui.database_gate import DatabaseGate
from aesthetix_tui.ui.keys import PlainKeyNames
from aesthetix_tui.ui.modals.help import HelpModal, key_rows
from aesthetix_tui.ui.shown import LiteralNotifications, visible
from aesthetix_tui.ui.terminal import ansi_theme, terminal_theme


class SupportConsoleApp(PlainKeyNames, LiteralNotifications, App):
    TITLE = "Aesthetix Support Console"
    # app.tcss: the owner's look (dialogs, buttons, 16 colours); console.tcss: the screens
    CSS_PATH: ClassVar[list[str]] = ["../app.tcss", "console.tcss"]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark", "help", "Help", id="console.help", tooltip="Show every key"),
        Binding("ctrl+q", "quit", "Quit", id="console.quit", priority=True, show=False, tooltip="End any session and quit"),
    ]

    def __init__(self, target: DatabaseTarget, agent: str, clock: Clock | None = None) -> None:
        theme = terminal_theme()
        super().__init__(ansi_color=True if theme else None)  # as in AesthetixApp: 16 colours, NO_COLOR
        self.register_theme(ansi_theme())
        if theme:
            self.theme = theme
        self.target = target
        self.agent = agent
        self.clock = clock or SystemClock()
        self.gate = DatabaseGate(target, self.clock)
        self.gate.on_connection_change = self.connection_changed
        self.gate.on_slow = self.database_slow
        self.open_session_id: int | None = None  # the session this console has open, if any

    def action_help(self) -> None:
        if isinstance(self.screen, HelpModal):
            return
        sections = [("Everywhere", key_rows(self, self.BINDINGS))]
        if self.screen.BINDINGS:
            sections.append(("This screen", key_rows(self, self.screen.BINDINGS)))
        self.push_screen(HelpModal(sections))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette offers each key of the screen by its long name (what `?` lists)."""
        yield from super().get_system_commands(screen)
        for binding in screen.BINDINGS:
            if isinstance(binding, Binding) and binding.show and screen.check_action(binding.action, ()) is not False:
                yield SystemCommand(binding.tooltip or binding.description, f"Key: {self.get_key_display(binding)}",
                                    partial(self.run_action, binding.action, screen))

    def get_default_screen(self) -> AccountListScreen:
        return AccountListScreen()

    def on_mount(self) -> None:
        self.sub_title = visible(f"agent {self.agent} · {self.target.label}")
        self.run_worker(self.gate.open(), exclusive=True, group="open-database")

    def connection_changed(self, lost: bool) -> None:
        show_connection(self, lost, visible(f"agent {self.agent} · {self.target.label}"))

    def database_slow(self, slow: bool) -> None:
        """The list's read timed out: said once; the list keeps its rows and tries again."""
        say_slow(self, slow)

    async def action_quit(self) -> None:
        screen = self.screen
        if isinstance(screen, SessionScreen):
            await screen.end_session(leave=False)
        self.exit()

    def on_unmount(self) -> None:
        """A session still open when the console stops (ctrl+c, a lost terminal) is closed."""
        session_id, self.open_session_id = self.open_session_id, None
        if session_id is not None and self.gate.database is not None:
            try:
                from aesthetix_tui.domain import support_sessions

                with self.gate.database.session() as session:
                    support_sessions.end(session, self.clock, session_id, "closed")
            except Exception:  # noqa: BLE001, S110 - access ended meanwhile, or the database is gone
                pass
        self.gate.close()
