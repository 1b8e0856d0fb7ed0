"""Revoke Support Access in every account: type `revoke all` to confirm, then the dialog runs it
(each account in its own transaction, domain/revoke_everywhere.py) and shows the summary, naming
any account that failed. Dismissed with the RevokeSummary, or None when cancelled."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from aesthetix_tui.domain.dates import plural
from aesthetix_tui.domain.errors import DomainError
from aesthetix_tui.ui.modals.buttons import cancel_and
from aesthetix_tui.ui.shown import literal

PHRASE = "revoke all"
WARNING = ("Support agents lose access to every account at once and live support sessions end. "
           "Each account gets its own audit event. Enable access again account by account.")


def preview(session, clock):
    """In the gate's thread: (accounts with access active, live sessions in them)."""
    from aesthetix_tui.domain.revoke_everywhere import revoke_everywhere_preview

    return revoke_everywhere_preview(session, clock)


def revoke(session, clock, actor, on_progress):
    from aesthetix_tui.domain.revoke_everywhere import revoke_everywhere

    return revoke_everywhere(session, clock, actor, on_progress)


def affects(accounts: int, sessions: int) -> str:
    return (f"This affects {plural(accounts, 'account')} with Support Access on, "
            f"and {plural(sessions, 'live support session')}.")


class RevokeEverywhereModal(ModalScreen):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="revoke_everywhere.cancel")]

    def __init__(self, accounts: int, sessions: int) -> None:
        super().__init__(id="revoke-everywhere")
        self.accounts = accounts
        self.sessions = sessions
        self.summary = None
        self.running = False
        self.progress = (0, 0)  # (done, total), written by the gate's thread while revoking

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog danger revoke-all-dialog"):
            yield Static("Revoke Support Access in every account?", classes="dialog-title")
            yield Static(affects(self.accounts, self.sessions), id="revoke-all-affects", classes="dialog-body")
            yield Static(f"! {WARNING}", classes="dialog-warning")
            yield Static(f"Type {PHRASE} to confirm:", classes="dialog-body confirm-label")
            yield Input(placeholder=PHRASE, id="confirm-phrase", compact=True)
            yield Static("", id="revoke-all-message")
            yield cancel_and(Button("Revoke all", id="revoke-all", variant="error", compact=True, disabled=True,
                                    action="screen.revoke"))

    def on_mount(self) -> None:
        self.query_one("#revoke-all-message").display = False
        self.query_one("#confirm-phrase", Input).focus()

    def matches(self) -> bool:
        return self.query_one("#confirm-phrase", Input).value.strip() == PHRASE

    @on(Input.Changed, "#confirm-phrase")
    def typed(self) -> None:
        matched = self.matches()
        self.query_one("#revoke-all", Button).disabled = not matched
        if matched:
            self.query_one("#revoke-all-message").display = False

    @on(Input.Submitted, "#confirm-phrase")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.matches():
            self.action_revoke()
            return
        self.say(f"Type {PHRASE} exactly (lower case) to revoke everywhere, or press Escape.", error=True)

    def say(self, text: str, error: bool = False) -> None:
        message = self.query_one("#revoke-all-message", Static)
        message.update(Text("\n").join(literal(line) for line in text.splitlines()))
        message.set_class(error, "error")
        message.display = True

    def action_revoke(self) -> None:
        if self.summary is not None:
            self.dismiss(self.summary)
            return
        if self.running or not self.matches():
            return
        self.running = True
        self.query_one("#confirm-phrase", Input).disabled = True
        self.query_one("#revoke-all", Button).disabled = True
        self.query_one("#cancel", Button).disabled = True
        self.say("Revoking…")
        self.progress_timer = self.set_interval(0.2, self.show_progress)
        self.run_revoke()

    def progress_made(self, done: int, total: int) -> None:
        """In the gate's thread, after each account: only stored (the timer shows it)."""
        self.progress = (done, total)

    def show_progress(self) -> None:
        done, total = self.progress
        if self.running and total:
            self.say(f"Revoking… {done:,} of {total:,} accounts done.")

    @work(exclusive=True, group="revoke-everywhere-action")
    async def run_revoke(self) -> None:
        app = self.app
        try:
            actor = await app.ensure_actor()
            summary = await app.gate.call(revoke, app.clock, actor, self.progress_made)
        except DomainError as error:
            self.running = False
            self.progress_timer.stop()
            self.query_one("#confirm-phrase", Input).disabled = False
            self.query_one("#cancel", Button).disabled = False
            self.query_one("#revoke-all", Button).disabled = not self.matches()
            self.say(error.message, error=True)
            return
        self.running = False
        self.progress_timer.stop()
        self.summary = summary
        self.show_summary(summary)

    def show_summary(self, summary) -> None:
        lines = [summary.sentence()]
        lines += [r.line() for r in summary.failed]
        if summary.failed:
            lines.append("Run it again to finish the job.")
        self.say("\n".join(lines), error=bool(summary.failed))
        failed = len(summary.failed)
        title = f"{plural(failed, 'account')} failed" if failed else "Support Access is off in every account"
        self.query_one(".dialog-title", Static).update(title)
        self.query_one("#revoke-all-affects", Static).display = False
        for question in self.query(".dialog-warning, .confirm-label, #confirm-phrase"):
            question.display = False  # the question is answered: only the outcome stays
        cancel = self.query_one("#cancel", Button)
        cancel.display = False
        close = self.query_one("#revoke-all", Button)
        close.label = "Close"
        close.variant = "default"
        close.disabled = False
        close.focus()

    def action_cancel(self) -> None:
        if self.running:
            return
        self.dismiss(self.summary)
