"""The Aesthetix TUI app: the shell, its keys, and its command palette.

Its screens come from ui/screens/registry.py (modes, keys, palette entries). This module must
not import the database stack: the first frame paints while a worker opens the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen, Screen

from aesthetix_tui.clock import Clock, SystemClock
from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.domain.errors import AccountGone, DomainError, NotFound
from aesthetix_tui.ui import settings
from aesthetix_tui.ui.connection import say_slow, show_connection
from aesthetix_tui.ui.database_gate import DatabaseGate
from aesthetix_tui.ui.keys import PlainKeyNames
from aesthetix_tui.ui.modals.discard import may_discard
from aesthetix_tui.ui.modals.help import HelpModal, key_rows
from aesthetix_tui.ui.screens import registry
from aesthetix_tui.ui.shown import LiteralNotifications, visible
from aesthetix_tui.ui.terminal import ansi_theme, terminal_theme

COMMAND_WAIT = 30  # seconds a palette command waits for its screen's data (a slow link)


class AesthetixApp(PlainKeyNames, LiteralNotifications, App):
    TITLE = "Aesthetix TUI"
    # integrations.tcss loads with its screen (IntegrationsScreen.CSS_PATH)
    CSS_PATH: ClassVar[list[str]] = ["app.tcss"]
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        *registry.bindings(),  # b, i, a, A: open a screen
        Binding("question_mark", "help", "Help", id="app.help", tooltip="Show every key"),
        # In a text field ? is typed: the footer then pins f1 Help.
        Binding("f1", "help", "Help", show=False, id="app.help_f1", tooltip="Show every key"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True, show=False),
    ]

    MODES: ClassVar[dict[str, Callable[[], Screen]]] = registry.MODES
    DEFAULT_MODE = "profile"

    def __init__(self, target: DatabaseTarget, clock: Clock | None = None, *,
                 settings_path: Path | None = None, actor_name: str | None = None,
                 account_ref: str | None = None) -> None:
        self.automatic_theme = terminal_theme()
        # 16 colours or NO_COLOR: the terminal's own colours (and no colour at all under NO_COLOR).
        super().__init__(ansi_color=True if self.automatic_theme else None)
        self.register_theme(ansi_theme())
        self.target = target
        self.account_ref = account_ref  # --account: the id or name to open (default: the first)
        self.settings_path = settings_path
        # Without --account, the account used last (settings), if it still exists, else the first.
        self.remembered_account = False
        if account_ref is None:
            last = settings.load(settings_path).get("account")
            if isinstance(last, (str, int)) and str(last).strip():
                self.account_ref = str(last)
                self.remembered_account = True
        self.clock = clock or SystemClock()
        self.gate = DatabaseGate(target, self.clock)
        self.gate.on_connection_change = self.connection_changed
        self.gate.on_busy = self.database_busy
        self.gate.on_slow = self.database_slow
        self.settings_path = settings_path
        # Who acts: read from the connection with the account (domain/identity.py). In-process
        # callers (the tests) may fix a name, as they fix the clock; `aesthetix-tui` never does.
        self.actor_name = actor_name
        self.actor = None
        self.account = None
        self.overview_offered = False  # several accounts, none named: the Accounts screen once
        self.switching: asyncio.Event | None = None  # set while switch_account makes the screens afresh
        saved = settings.load(settings_path).get("theme")
        if saved in self.available_themes:
            self.theme = saved
        elif self.automatic_theme:
            self.theme = self.automatic_theme

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # no need to offer the screen you are on
        return not (action == "open" and parameters and parameters[0] == self.current_mode)

    def watch_current_mode(self) -> None:
        self.refresh_bindings()

    def on_mount(self) -> None:
        self.sub_title = visible(self.target.label)
        # After the first frame: importing the database stack in a thread still takes the GIL.
        self.call_after_refresh(self.open_database)

    @work(exclusive=True, group="open-database")
    async def open_database(self) -> None:
        await self.gate.open()

    def connection_changed(self, lost: bool) -> None:
        base = visible(f"{self.account.name} · {self.target.label}") if self.account else visible(self.target.label)
        show_connection(self, lost, base)

    def database_busy(self) -> None:
        """The gate waits on a busy database and retries: say so (the screen keeps its input)."""
        self.notify("Database busy — retrying…", title="Database", severity="warning", timeout=3)

    def database_slow(self, slow: bool) -> None:
        """A screen's read timed out: said once; the screen keeps its data and tries again."""
        say_slow(self, slow)

    async def changed_marker(self, account_id: int, known: int) -> int | None:
        """The account's change marker if another writer moved it, else None (also when busy)."""
        from aesthetix_tui.domain import profile

        try:
            marker = await self.gate.read(profile.marker, account_id)
        except AccountGone as error:
            self.account_gone(error)
            return None
        except DomainError:
            return None  # busy or disconnected: the next tick tries again
        return marker if marker != known else None

    async def ensure_actor(self):
        """Who makes the changes, as the CLI makes it; read once."""
        if self.actor is None:
            await self.gate.ready.wait()  # the gate's thread loads the domain; importing it here would block
            from aesthetix_tui.domain.identity import actor

            self.actor = await self.gate.call(actor, None, self.actor_name)
        return self.actor

    async def ensure_account(self):
        """The account this app manages (--account, else the first one), read once."""
        if self.switching is not None:
            await self.switching.wait()  # a new account's screens load once they are composed
        if self.account is None:
            await self.ensure_actor()
            from aesthetix_tui.domain import profile

            try:
                self.account = await self.gate.call(profile.choose_account, self.account_ref)
            except NotFound:
                if not self.remembered_account:
                    raise
                self.account_ref = None  # the remembered account is gone: the first one
                self.remembered_account = False
                self.account = await self.gate.call(profile.choose_account, None)
            self.sub_title = visible(f"{self.account.name} · {self.target.label}")
            if self.account_ref is None and not self.overview_offered:
                await self.offer_overview()
        return self.account

    async def offer_overview(self) -> None:
        """No account named or remembered, and several there: the Accounts screen to choose from
        (the first account's Business Profile stays behind it). With one account, nothing."""
        from aesthetix_tui.domain.accounts_overview import marker

        self.overview_offered = True
        try:
            count = (await self.gate.call(marker))[0]
        except DomainError:
            return
        if not self.is_running:
            return  # closing: its screens are being removed
        if count > 1 and self.current_mode == self.DEFAULT_MODE and not isinstance(self.screen, ModalScreen):
            self.switch_mode("accounts")

    @work(exclusive=True, group="navigate")
    async def switch_account(self, account_id: int) -> None:
        """The whole app shows ACCOUNT_ID: the header names it, and the account's screens are made
        afresh (they load it); remembered for the next run; then its Business Profile."""
        from aesthetix_tui.domain import profile

        await self.ensure_account()
        try:
            chosen = await self.gate.call(profile.choose_account, str(account_id))
        except DomainError as error:
            self.notify(error.message, title="Accounts", severity="error", timeout=8)
            return
        switching = self.switching = asyncio.Event()
        try:
            self.account = chosen
            self.account_ref = str(chosen.id)
            self.remembered_account = False
            self.sub_title = visible(f"{chosen.name} · {self.target.label}")
            data = settings.load(self.settings_path)
            if data.get("account") != str(chosen.id):
                settings.save(self.settings_path, {**data, "account": str(chosen.id)})
            await self.remake_account_screens()
            await self.switch_mode("profile")
        finally:
            # After the next frame: the new screen and its panels are composed before their data
            # comes. Also when cancelled: nothing waits for ever.
            self.call_after_refresh(self.switched, switching)
        self.notify(visible(f"Now managing {chosen.name}."), title="Accounts", timeout=3)

    async def remake_account_screens(self) -> None:
        """One account's screens (all but the current one) are made afresh when next opened. Each
        mode is replaced at once (no await between): a cancelled worker never leaves one missing."""
        removals = []
        for mode in registry.ACCOUNT_MODES:
            if mode != self.current_mode:
                removals.append(self.remove_mode(mode))  # its old screens go on the next message
                self.add_mode(mode, self.MODES[mode])
        for removal in removals:
            await removal

    def accounts_seen(self, rows) -> None:
        """The Accounts screen read every account: if the open one is not among them, it is gone."""
        if self.account is not None and self.switching is None and all(r.id != self.account.id for r in rows):
            self.account_gone(None)

    def account_gone(self, error) -> None:
        """The open account was removed (by another process): say so, and show the Accounts screen."""
        if self.account is None or self.switching is not None:
            return
        gone, self.account = self.account, None
        self.account_ref = None  # the next account screen opens the first account, unless one is chosen
        self.sub_title = visible(f"no account open · {self.target.label}")
        self.notify(visible(f"The account {gone.name} was removed from the database. Choose another one."),
                    title="Accounts", severity="warning", timeout=10)
        self.show_accounts_after_removal()

    @work(exclusive=True, group="navigate")
    async def show_accounts_after_removal(self) -> None:
        if not self.is_running:
            return  # closing: its screens are being removed
        if self.current_mode != "accounts":
            await self.switch_mode("accounts")
        await self.remake_account_screens()

    def switched(self, switching: asyncio.Event) -> None:
        if self.switching is switching:
            self.switching = None
        switching.set()

    def watch_theme(self, theme: str) -> None:
        data = settings.load(self.settings_path)
        if theme == self.automatic_theme and "theme" not in data:
            return  # chosen for this terminal, not by the user
        if data.get("theme") != theme:
            settings.save(self.settings_path, {**data, "theme": theme})

    def on_unmount(self) -> None:
        self.gate.close()

    # -- navigation ------------------------------------------------------------

    @work(exclusive=True, group="navigate")
    async def action_open(self, mode: str) -> None:
        if self.current_mode == mode:
            return
        if not await self.may_leave():
            return
        self.switch_mode(mode)

    async def may_leave(self) -> bool:
        screen = self.screen
        if getattr(screen, "has_unsaved_changes", lambda: False)():
            return await may_discard(self, "The deprecated-feature changes you made are not saved yet.")
        return True

    @work(exclusive=True, group="navigate")
    async def action_quit(self) -> None:
        if await self.may_leave():
            self.exit()

    def push_screen(self, screen, *args, **kwargs):
        """A dialog starts clear of notifications: at 80x24 a toast would cover its buttons."""
        if isinstance(screen, ModalScreen):
            self.clear_notifications()
        return super().push_screen(screen, *args, **kwargs)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpModal):
            return
        self.push_screen(HelpModal(self.binding_sections()))

    def binding_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The help list: the app's keys, this screen's, and the dialogs' (their BINDINGS)."""
        from aesthetix_tui.ui.modals.choose_date import ChooseDateModal
        from aesthetix_tui.ui.widgets.date_picker import DatePicker

        screen = self.screen
        sections = [("Everywhere", key_rows(self, self.BINDINGS))]
        if hasattr(screen, "BINDINGS") and screen.BINDINGS:
            entry = registry.BY_MODE.get(self.current_mode)
            sections.append((entry.title if entry else "This screen", key_rows(self, screen.BINDINGS)))
        dialogs = [*ChooseDateModal.BINDINGS, *DatePicker.BINDINGS]
        sections.append(("Dialogs and pickers", key_rows(self, dialogs, merge=True)))
        return sections

    # -- command palette -----------------------------------------------------------

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of every screen, by its plain name, from anywhere. Choosing one opens its
        screen and starts it there; if it does not apply now, the screen says why."""
        yield from super().get_system_commands(screen)
        if screen is not self.screen_stack[0]:
            return  # the palette was opened over a dialog: finish that first
        for entry in registry.SCREENS:
            if entry.mode != self.current_mode:
                yield SystemCommand(entry.opens, entry.help, lambda mode=entry.mode: self.action_open(mode))
        yield SystemCommand("Show keys", "Every key binding", self.action_help)
        for entry in registry.SCREENS:
            where = "" if entry.mode == self.current_mode else f" · {entry.title}"
            for command in entry.screen_class().commands():
                yield SystemCommand(command.palette_title, command.help + where,
                                    lambda mode=entry.mode, command_id=command.id: self.run_command(mode, command_id))

    def base_screen(self, mode: str) -> Screen | None:
        """MODE's screen, if it was opened (a mode gets its stack when first opened)."""
        try:
            stack = self.get_screen_stack(mode)
        except KeyError:
            return None
        return stack[0] if stack else None

    @work(exclusive=True, group="navigate")
    async def run_command(self, mode: str, command_id: str) -> None:
        """Open MODE's screen (if not on it), wait until its data is read, and run there the
        palette command whose binding id is COMMAND_ID if it applies now, else say why."""
        if self.current_mode != mode:
            if not await self.may_leave():
                return
            await self.switch_mode(mode)
        screen = self.base_screen(mode)
        try:  # set once its first load showed its data, or said why not
            await asyncio.wait_for(screen.answered.wait(), COMMAND_WAIT)
        except TimeoutError:
            return  # not read yet (a lost connection: the app says so): the command is dropped
        if screen.is_loaded():
            await screen.run_command(command_id)
