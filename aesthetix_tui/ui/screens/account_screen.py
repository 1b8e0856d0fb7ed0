"""One pattern for the screens of an account's data: load, tick, poll, retry, problem, palette.

A screen says how to read its data (`read`, through `self.app.gate.call`) and how to show it
(`show`); this class loads it in a worker, ticks every second, polls the account's change marker
(`app.changed_marker`) to load again when another writer changed something, retries a load
that failed on a lost connection or a slow database (keeping what it shows), and shows any other
failure in the screen's problem line.

One statement in flight per screen: a poll or a load starts only once the screen's last read
(`reading`) has ended; a load asked for meanwhile runs right after it (the newest asked wins).

Its palette commands are the `Command`s in its BINDINGS (ui/palette.py); `check_action` is the one
rule of when each applies, and `why_not_now` says why one does not.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Static

from aesthetix_tui.domain.errors import AccountGone, ConnectionLost, DomainError, SlowRead
from aesthetix_tui.ui.one_read import OneRead
from aesthetix_tui.ui.palette import Command, commands_of
from aesthetix_tui.ui.shown import markup_safe

QUIT_HINT = "\nPress ctrl+q to quit, fix the problem, and start again."


class AccountScreen(OneRead, Screen):
    NAME: ClassVar[str] = "account"
    """Names its workers and timer: NAME-load, NAME-poll (they finish by themselves), NAME-tick."""
    PROBLEM_AT: ClassVar[str] = ""
    """The Static (a selector) that says why loading failed."""
    PROBLEM_HINT: ClassVar[str] = QUIT_HINT
    """Said under the failure."""
    NEEDS_ACCOUNT: ClassVar[bool] = True
    """Reads one account's data (app.ensure_account first); False for a screen of every account."""

    busy = var(False)
    """A change is being saved (or its result shown): a change made elsewhere is not loaded meanwhile."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.retry_load = False  # the last load failed on a lost connection or timed out: tick() tries again
        self.fetching = False  # a load is running
        self.answered = asyncio.Event()  # set once a load showed its data, or said why it could not

    # -- what a screen says ---------------------------------------------------------------

    async def read(self, account, *args: Any, **kwargs: Any) -> Any:
        """Read the data to show (in the load worker), through `self.app.gate.call`. Import the
        domain here, not at the top: `account` is known once the gate's thread has loaded it."""
        raise NotImplementedError

    def show(self, data: Any) -> None:
        """Show what `read` returned (the screen is still attached)."""
        raise NotImplementedError

    def is_loaded(self) -> bool:
        raise NotImplementedError

    def watched(self) -> tuple[int, int]:
        """(account id, change marker) of what is shown: a different marker means a change elsewhere."""
        raise NotImplementedError

    def clock_moved(self) -> None:
        """Every second, once loaded: what the clock alone changes (a status running out)."""

    def changed_elsewhere(self, marker: int) -> None:
        """Another writer moved the account's change marker to MARKER: show the change."""
        if not self.busy:
            self.load()

    def why_not_now(self, action: str) -> str:
        """Why ACTION does not apply now (said when the palette runs it anyway)."""
        return "This does not apply now."

    def load_failed(self, error: DomainError) -> bool:
        """A load failed, not on a lost connection or a slow database (tick() retries those):
        say why. True: tick() tries again."""
        self.show_problem(error.message)
        return False

    def polls(self) -> bool:
        """Whether this screen polls now: only the screens of the mode shown do (an idle app has
        one read in flight at most); a screen of another mode (behind Accounts) waits."""
        return self in self.app.screen_stack

    # -- load, tick, poll ------------------------------------------------------------------

    def on_mount(self) -> None:
        """Runs after the subclass's own on_mount (Textual calls each class's handler). The first
        load starts after the next frame: by then every panel inside the screen is composed."""
        self.call_after_refresh(self.load)
        self.set_interval(1.0, self.tick, name=f"{self.NAME}-tick")

    def load(self, *args: Any, **kwargs: Any) -> None:
        """Read and show the data again: now, or once the read in flight ended (the newest wins)."""
        self.read_soon("load", self.loading_worker, *args, **kwargs)

    async def loading_worker(self, *args: Any, **kwargs: Any) -> None:
        self.fetching = True
        try:
            # Before any domain module is imported: the gate's thread loads the database stack.
            account = await self.app.ensure_account() if self.NEEDS_ACCOUNT else None
            data = await self.read(account, *args, **kwargs)
        except DomainError as error:
            self.fetching = False
            if isinstance(error, AccountGone):
                self.app.account_gone(error)  # removed meanwhile: the app says so and shows the others
                return
            # A lost connection or a slow database: the app says so once, the screen keeps what
            # it shows, and tick() tries again.
            self.retry_load = isinstance(error, (ConnectionLost, SlowRead))
            if not self.retry_load and self.is_attached:
                self.retry_load = self.load_failed(error)
                self.answered.set()
            return
        self.fetching = False
        self.retry_load = False
        if self.read_next is not None:
            return  # a newer load was asked for meanwhile: it runs next, and shows its data
        if self.is_attached and self.app.is_running:  # not once the app is closing (its widgets go)
            self.show(data)
            self.answered.set()

    def show_problem(self, message: str) -> None:
        where = self.query_one(self.PROBLEM_AT, Static)
        where.update(f"[b $error]{markup_safe(message)}[/]{self.PROBLEM_HINT}")
        if not where.display:
            where.display = True
        self.notify(message, severity="error", timeout=10)

    async def tick(self) -> None:
        """Every second: the clock's changes, and a poll for changes made elsewhere (unless a
        read is still in flight: then this second starts none). Only the screens of the mode
        shown poll: an idle app has one read in flight at most."""
        if self.is_loaded():
            self.clock_moved()
        if self.reading or not self.polls():
            return  # one read at a time
        if self.retry_load:
            self.load()  # the last load failed on a lost connection or timed out: keep trying
        elif self.is_loaded():
            self.poll()

    def poll(self) -> None:
        self.start_read("poll", self.polling_worker)

    async def polling_worker(self) -> None:
        account_id, known = self.watched()
        marker = await self.app.changed_marker(account_id, known)
        if marker is not None and not self.fetching and self.is_attached:
            self.changed_elsewhere(marker)

    # -- the palette -------------------------------------------------------------------------

    @classmethod
    def commands(cls) -> list[Command]:
        """This screen's palette commands: the Commands among its bindings."""
        return commands_of(cls.BINDINGS)

    def command_action(self, command: Command) -> str:
        """The screen action a palette command runs."""
        return command.action_name

    def command_help(self, command: Command) -> str:
        return command.help

    def palette_commands(self):
        """(title, help, callback) of each palette command that applies now."""
        for command in self.commands():
            action = self.command_action(command)
            if self.check_action(action, ()) is True:
                yield command.palette_title, self.command_help(command), getattr(self, f"action_{action}")

    def command(self, command_id: str) -> Command:
        """The palette command whose binding id is COMMAND_ID."""
        return next(c for c in self.commands() if c.id == command_id)

    def why_not(self, command_id: str) -> str:
        """Why the palette command COMMAND_ID does not apply now."""
        return self.why_not_now(self.command_action(self.command(command_id)))

    async def run_command(self, command_id: str) -> None:
        """Run the palette command COMMAND_ID if it applies now (check_action), else say why."""
        command = self.command(command_id)
        action = self.command_action(command)
        if self.check_action(action, ()) is True:
            await self.run_action(action)
        else:
            self.notify(self.why_not_now(action), title=command.palette_title, severity="warning", timeout=5)

    def is_command(self, action: str) -> bool:
        return any(self.command_action(c) == action for c in self.commands())
