"""The support console's screens: the account list, a read-only session, and the end notice.

The list and the session are `AccountScreen`s (ui/screens/account_screen.py): they load in a
worker, one read in flight (ui/one_read.py), and retry a lost connection. An agent has no cheap
change marker to poll, so each second a poll reads the whole view again (`ConsoleScreen`).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static, TabbedContent, TabPane

from aesthetix_tui.domain.dates import format_day, format_duration, format_instant
from aesthetix_tui.domain.errors import DomainError, SessionEnded
from aesthetix_tui.domain.support_status import sentence
from aesthetix_tui.ui.cancelled import say_cancelled
from aesthetix_tui.ui.screens.account_screen import AccountScreen
from aesthetix_tui.ui.shown import literal, visible
from aesthetix_tui.ui.widgets.integration_text import hint_text
from aesthetix_tui.ui.widgets.key_bar import HEADER_ICON, KeyBar

VIEWS = {  # tab id -> (title, the screen name the audit trail records)
    "access": ("Support Access", "support_access"),
    "integrations": ("Private Integrations", "integrations"),
    "features": ("Deprecated features", "features"),
    "legacy-key": ("Legacy API key", "legacy_key"),
}


def with_columns(table: DataTable, columns: list[tuple[str, str]]) -> DataTable:
    """TABLE with its (key, header) columns."""
    for key, label in columns:
        table.add_column(label, key=key)
    return table


class AccountTable(DataTable):
    """The account list: Enter opens the highlighted account."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="console.open_account",
                tooltip="Open the highlighted account: starts a support session"),
    ]


class ConsoleScreen(AccountScreen):
    """An agent's screen: not one account's (no app.ensure_account), and each second's poll reads
    the whole view again, unless a read is still in flight. A failed read is tried again the
    next second."""

    NEEDS_ACCOUNT = False

    def poll(self) -> None:
        if not self.reading:
            self.load()

    def load_failed(self, error: DomainError) -> bool:
        return True  # a busy database: the next second tries again


class AccountListScreen(ConsoleScreen):
    """Only the accounts whose Support Access is active now, and this agent's access requests,
    re-read every second while the list is shown."""

    NAME = "console"  # its reads: the worker group console-load

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new_request", "Request", id="console.new_request",
                tooltip="Request Support Access to an account"),
        Binding("r", "refresh", "Refresh", id="console.refresh", tooltip="Read the list again now"),
        Binding("q", "app.quit", "Quit", id="console.quit_list", tooltip="Quit the console"),
    ]

    def __init__(self) -> None:
        super().__init__(id="console-accounts")
        self.items: list = []
        self.shown: tuple | None = None
        self.requests: list = []
        self.requests_shown: tuple | None = None
        self.loaded = False  # the list was read once

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        yield Static("Accounts whose owners have turned Support Access on. Opening one starts a "
                     "recorded, read-only support session.", id="console-intro")
        yield with_columns(AccountTable(id="accounts", cursor_type="row", zebra_stripes=True), [
            ("name", "Account"), ("until", "Available through"), ("left", "Time left"),
            ("reason", "Owner's reason")])
        yield Static("", id="accounts-empty")
        yield Static("Your access requests", id="requests-title")
        yield with_columns(DataTable(id="requests", cursor_type="row", zebra_stripes=True), [
            ("account", "Account"), ("ticket", "Ticket"), ("days", "Days"), ("state", "State")])
        yield Static("None yet. Press n to ask an account's owner for Support Access.", id="requests-empty")
        yield KeyBar()

    def on_mount(self) -> None:  # then AccountScreen's: load, and tick every second
        self.query_one("#accounts-empty").display = False

    def polls(self) -> bool:
        return self.is_current  # under a session or a notice, the list waits until it is shown again

    def on_screen_resume(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        self.load()

    async def read(self, account):
        # The gate's thread loads the database stack; importing it here meanwhile could hand
        # either thread a half-loaded SQLAlchemy module.
        await self.app.gate.ready.wait()
        from aesthetix_tui.domain import support_requests, support_sessions

        clock, agent = self.app.clock, self.app.agent

        def both(session):
            return (support_sessions.accessible_accounts(session, clock),
                    support_requests.of_agent(session, clock, agent))

        return await self.app.gate.read(both)

    def load_failed(self, error: DomainError) -> bool:
        if not self.loaded:
            empty = self.query_one("#accounts-empty", Static)
            empty.update(literal(error.message))
            empty.display = True
        return True  # a busy database: the next second tries again

    def is_loaded(self) -> bool:
        return self.loaded

    def show(self, data) -> None:
        items, requests = data
        self.loaded = True
        self.show_accounts(items)
        self.show_requests(requests)

    def show_accounts(self, items) -> None:
        self.items = items
        rows = tuple((i.account_id, literal(i.name), format_day(i.until_date), format_duration(i.time_left),
                      literal(i.reason or "—")) for i in items)
        empty = self.query_one("#accounts-empty", Static)
        empty.update("No account has Support Access active now. An owner turns it on in their Business Profile.")
        empty.display = not items
        if rows == self.shown:
            return
        self.shown = rows
        table = self.query_one("#accounts", DataTable)
        keep = None
        if table.row_count and table.cursor_row is not None and table.cursor_row < table.row_count:
            keep = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
        table.clear()
        for account_id, *cells in rows:
            table.add_row(*cells, key=str(account_id))
        if keep is not None and any(str(r[0]) == keep for r in rows):
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    def show_requests(self, requests) -> None:
        """This agent's requests, newest first, with their state; stored text shown literally."""
        self.requests = requests
        rows = tuple((literal(r.account_name), literal(r.ticket), str(r.days), literal(r.outcome()))
                     for r in requests)
        self.query_one("#requests-empty").display = not rows
        if rows == self.requests_shown:
            return
        self.requests_shown = rows
        table = self.query_one("#requests", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*row)

    def highlighted_account(self) -> str:
        """The account name to start the request form with: the focused list's highlighted row."""
        table = self.focused if isinstance(self.focused, DataTable) else None
        if table is None or not table.row_count or table.cursor_row is None:
            return ""
        if table.id == "requests":
            return self.requests[table.cursor_row].account_name if table.cursor_row < len(self.requests) else ""
        return next((i.name for i in self.items if str(i.account_id) ==
                     table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value), "")

    @work(exclusive=True, group="console-request-action")  # waits on the form
    async def action_new_request(self) -> None:
        from aesthetix_tui.ui.modals.new_request import NewRequestModal

        clock, agent = self.app.clock, self.app.agent

        async def submit(values):
            return await self.app.gate.call(make_request, clock, agent, values)

        made = await self.app.push_screen_wait(NewRequestModal(submit, self.highlighted_account()))
        if made is None:
            say_cancelled(self, "no request was sent.")
            return
        self.notify(f"Asked the owner of {made.account_name} for {made.days} days of Support Access "
                    f"(ticket {made.ticket}).", title="Request sent")
        self.load()

    @on(DataTable.RowSelected, "#accounts")
    def row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.open_account(int(event.row_key.value))

    @work(exclusive=True, group="console-open")
    async def open_account(self, account_id: int) -> None:
        """Start a session: refused (and said so) unless access is active at this moment."""
        from aesthetix_tui.domain import support_sessions

        try:
            info = await self.app.gate.call(support_sessions.start, self.app.clock, account_id, self.app.agent)
        except DomainError as error:
            self.notify(error.message, severity="error", title="Not opened", timeout=8)
            self.load()
            return
        self.app.open_session_id = info.id
        await self.app.push_screen(SessionScreen(info))


def make_request(session, clock, agent: str, values):
    """In the gate's thread: the account the agent named (as `support request ACCOUNT` finds it,
    also one whose access is off), then the domain's request."""
    from aesthetix_tui.domain import support_requests

    chosen = support_requests.account_for_request(session, values.account)
    return support_requests.make(session, clock, chosen, support_requests.agent_of(session, agent),
                                 values.ticket, values.reason, values.day_count)


class SessionScreen(ConsoleScreen):
    """A read-only view of one account, re-checked against Support Access every second."""

    NAME = "session"  # its reads: the worker group session-load

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "end_session", "End session", id="console.end_session",
                tooltip="End the support session and go back to the accounts"),
        Binding("q", "end_session", "End session", id="console.end_session_q", show=False),
        Binding("1", "view('access')", "Access", id="console.view_access", tooltip="Support Access status"),
        Binding("2", "view('integrations')", "Integrations", id="console.view_integrations",
                tooltip="Private Integrations (no secrets)"),
        Binding("3", "view('features')", "Features", id="console.view_features", tooltip="Deprecated features"),
        Binding("4", "view('legacy-key')", "Legacy key", id="console.view_legacy_key",
                tooltip="Legacy API key status"),
    ]

    def __init__(self, info) -> None:
        super().__init__(id="console-session")
        self.info = info
        self.snapshot = None
        self.over = False  # ended: by the agent, or because access ended
        self.recorded: set[str] = set()
        self.last_view: str | None = None

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        yield Static(Content.from_markup(
            "Read-only · [b]$account[/] · agent [b]$agent[/] · since $since · every view is recorded",
            account=visible(self.info.account_name), agent=visible(self.info.agent),
            since=format_instant(self.info.started_at, self.info.timezone)), id="session-banner")
        with TabbedContent(initial="access", id="session-tabs"):
            with TabPane(VIEWS["access"][0], id="access"), VerticalScroll():
                yield Static("Checking Support Access…", id="view-access", classes="view")
            with TabPane(VIEWS["integrations"][0], id="integrations"):
                yield with_columns(DataTable(id="view-integrations", cursor_type="row", zebra_stripes=True), [
                    ("name", "Name"), ("scopes", "Scopes"), ("hint", "Token hint"), ("status", "Status")])
                yield Static("Tokens are never shown: only their last characters, as a hint.",
                             classes="view-note")
            with TabPane(VIEWS["features"][0], id="features"), VerticalScroll():
                yield Static("", id="view-features", classes="view")
            with TabPane(VIEWS["legacy-key"][0], id="legacy-key"), VerticalScroll():
                yield Static("", id="view-legacy-key", classes="view")
        yield KeyBar()

    def on_mount(self) -> None:  # then AccountScreen's: load, and tick every second
        self.record("access")

    # -- reading, every second -----------------------------------------------------

    def polls(self) -> bool:
        return not self.over and super().polls()

    async def read(self, account):
        from aesthetix_tui.domain import support_sessions

        # gate.call, not gate.read: once access ended, reading it ends the session (a write)
        return await self.app.gate.call(support_sessions.read_as_agent, self.app.clock, self.info.id)

    def load_failed(self, error: DomainError) -> bool:
        from aesthetix_tui.domain.support_sessions import AccessEnded

        if isinstance(error, (AccessEnded, SessionEnded)):  # SessionEnded: the agent opened it again elsewhere
            self.access_ended(error.message)
            return False
        return True  # a busy database: the next second tries again

    def is_loaded(self) -> bool:
        return self.snapshot is not None

    def show(self, snap) -> None:
        if self.over:
            return
        self.snapshot = snap
        tz = snap.session.timezone
        access = snap.access
        lines = [Content.from_markup("[b]$s[/]", s=visible(sentence(access, tz)))]
        if access.enabled_at is not None:
            lines.append(Content(visible(f"Enabled by {access.enabled_by} on {format_instant(access.enabled_at, tz)}.")))
        policy = snap.policy
        lines.append(Content(""))
        lines.append(Content.from_markup(
            "[dim]Agent policy: $p. Support agents can never change Support Access; the owner can revoke it "
            "at any moment, which ends this session.[/]", p=policy))
        self.query_one("#view-access", Static).update(Content("\n").join(lines))

        table = self.query_one("#view-integrations", DataTable)
        rows = [(literal(i.name), literal(" ".join(i.scopes)), literal(hint_text(i.token_hint)), literal(i.status))
                for i in snap.integrations]
        if rows != getattr(self, "_rows", None):
            self._rows = rows
            table.clear()
            for row in rows:
                table.add_row(*row)
            if not rows:
                table.add_row("No Private Integrations", "", "", "")

        features = [Content.from_markup("$mark $name — [b]$state[/]", mark="●" if f.enabled else "○",
                                        name=f.feature.name, state="on" if f.enabled else "off")
                    for f in snap.features]
        self.query_one("#view-features", Static).update(Content("\n").join(features) if features
                                                        else Content("No deprecated features."))

        key = snap.legacy_key
        if not key.exists:
            text = Content("There is no legacy API key (API V1).")
        else:
            text = Content.from_markup(
                "The legacy API key (API V1) is [b]$state[/]. Hint: $hint. Created by $by on $on.\n\n[dim]$dep[/]",
                state=str(key.state), hint=visible(key.hint), by=visible(key.created_by),
                on=format_instant(key.created_at, tz), dep=key.deprecation)
        self.query_one("#view-legacy-key", Static).update(text)

    # -- views, each one recorded ------------------------------------------------------

    def action_view(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#session-tabs")
    def tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane is not None and event.pane.id:
            self.record(event.pane.id)

    def record(self, tab: str) -> None:
        if tab == self.last_view or self.over:
            return
        self.last_view = tab
        self.record_view(VIEWS[tab][1])

    @work(group="session-view")
    async def record_view(self, screen_name: str) -> None:
        from aesthetix_tui.domain import support_sessions

        try:
            await self.app.gate.call(support_sessions.record_view, self.app.clock, self.info.id, screen_name)
        except support_sessions.AccessEnded as error:
            self.access_ended(error.message)
        except DomainError:
            pass  # the poll says what happened

    # -- the end ---------------------------------------------------------------------------

    def access_ended(self, message: str) -> None:
        """Access ended under the agent: the full-screen notice, then back to the list."""
        if self.over:
            return
        self.over = True
        self.app.open_session_id = None
        notice = AccessEndedScreen(message)
        if self.app.screen is self:
            self.app.switch_screen(notice)
        else:
            self.app.push_screen(notice)

    async def action_end_session(self) -> None:
        await self.end_session()

    async def end_session(self, leave: bool = True) -> None:
        if self.over:
            return
        self.over = True
        self.app.open_session_id = None
        from aesthetix_tui.domain import support_sessions

        try:
            await self.app.gate.call(support_sessions.end, self.app.clock, self.info.id, "closed")
        except DomainError:
            pass  # already over (revoked or expired, and recorded as such)
        if leave and self.app.screen is self:
            self.app.pop_screen()
            self.notify(f"Support session on {self.info.account_name} ended.", title="Session ended")


class AccessEndedScreen(Screen):
    """Full screen: the session is over because Support Access ended."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "back", "Back to accounts", id="console.back_to_accounts",
                tooltip="Return to the account list"),
        Binding("escape", "back", "Back to accounts", id="console.back_to_accounts_escape", show=False),
    ]

    def __init__(self, message: str) -> None:
        super().__init__(id="console-ended")
        self.message = message

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        with Vertical(id="ended-box"):
            yield Static("Support session ended", id="ended-title")
            yield Static(Content(visible(self.message)), id="ended-message")
            yield Static("The session cannot resume unless the owner enables Support Access again. "
                         "Press Enter to return to the account list.", id="ended-hint")
        yield KeyBar()

    def action_back(self) -> None:
        self.app.pop_screen()
