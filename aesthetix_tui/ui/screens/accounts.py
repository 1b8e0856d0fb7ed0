"""Accounts: every account the user may manage at a glance; Enter switches the app to one.

The overview (domain/accounts_overview: a bounded number of queries) is read in the gate's
thread, cells and all. Every second a cheap marker (accounts_overview.marker) says whether
another process changed anything, so changes show within 3 s; the clock alone (days left) is
read again every minute. The table is rebuilt only when what it shows changed.
`R` revokes Support Access in every account (ui/modals/revoke_everywhere.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import DataTable, Header, Input, Static

from aesthetix_tui.domain.dates import plural
from aesthetix_tui.domain.errors import DomainError
from aesthetix_tui.ui.account_cells import cells, detail
from aesthetix_tui.ui.account_rows import COLUMNS, AccountRows, fit_widths, natural_widths
from aesthetix_tui.ui.cancelled import say_cancelled
from aesthetix_tui.ui.modals.revoke_everywhere import RevokeEverywhereModal, preview
from aesthetix_tui.ui.palette import Command
from aesthetix_tui.ui.screens.account_screen import AccountScreen
from aesthetix_tui.ui.screens.list_filter import ListFilter
from aesthetix_tui.ui.shown import markup_safe, visible
from aesthetix_tui.ui.widgets.key_bar import HEADER_ICON, KeyBar
from aesthetix_tui.ui.widgets.stepped_table import SteppedTable

ACCOUNT_STEP_ROWS = 2000  # rows a step after the first screen: fewer, larger steps (each redraws the table)
CLOCK_READ_EVERY = 60  # seconds: what the clock alone changes ("14 days left") is read again


@dataclass(frozen=True)
class Overview:
    rows: tuple  # accounts_overview.AccountSummary, by name
    cells: dict  # account id -> its cells (ui/account_cells.cells)
    marker: tuple  # accounts_overview.marker when read
    empty: str  # what to say when there is no account

    def same_view(self, other: Overview | None) -> bool:
        """The same accounts drawn the same way: nothing to redraw."""
        return other is not None and self.cells == other.cells


def read_overview(session, clock) -> Overview:
    """In the gate's thread: the domain loads there, never on the event loop."""
    from aesthetix_tui.domain.accounts import no_accounts_sentence
    from aesthetix_tui.domain.accounts_overview import marker, overview

    mark = marker(session)  # first: a change made meanwhile moves it again, and is read next time
    rows = overview(session, clock)
    now = clock.now()
    return Overview(tuple(rows), {row.id: cells(row, now) for row in rows}, mark,
                    no_accounts_sentence(session) if not rows else "")


def read_marker(session) -> tuple:
    from aesthetix_tui.domain.accounts_overview import marker

    return marker(session)


class AccountsScreen(ListFilter, AccountScreen):
    NAME = "accounts"
    FILTER_ID = "accounts-filter"
    PROBLEM_AT = "#accounts-status"
    NEEDS_ACCOUNT = False  # it lists them: it opens even when the open account is gone
    CSS_PATH = "../accounts.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Command("enter", "choose", "Open", id="accounts.choose",
                title="Open the selected account", help="Switch the app to the highlighted account"),
        Command("slash", "filter", "Filter", id="accounts.filter",
                title="Filter accounts", help="Show only accounts whose name or timezone contains a text"),
        Command("s", "sort", "Sort", id="accounts.sort",
                title="Sort accounts by the next column", help="Name, timezone, support, session, integrations…"),
        Command("o", "reverse_sort", "Order", id="accounts.reverse_sort", show=False,
                title="Reverse the accounts order", help="Ascending or descending"),
        Command("R", "revoke_all", "Revoke all", id="accounts.revoke_all",
                title="Revoke support access in every account",
                help="End Support Access and live support sessions in every account at once"),
    ]

    AUTO_FOCUS = None
    view = var(AccountRows(), init=False, bindings=True)

    def __init__(self) -> None:
        super().__init__(id="accounts-screen")
        self.data: Overview | None = None  # the last overview read, None until loaded
        self.shown: list = []  # the rows in the table, in its order
        self.widths: dict[str, int] = {}
        self.natural: dict[str, int] = {}
        self.read_at = None  # the clock when data was read

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        with Vertical(id="accounts-body"):
            yield Input(placeholder="Filter by name or timezone · enter: back to the list · esc: clear",
                        id="accounts-filter", compact=True)
            yield Static("Loading accounts…", id="accounts-status")
            table = SteppedTable(id="accounts-table", cursor_type="row", zebra_stripes=True)
            table.STEP_ROWS = ACCOUNT_STEP_ROWS
            table.border_title = "Accounts"
            yield table
            yield Static("", id="accounts-empty")
            yield Static("", id="account-detail")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_filter(False)
        self.query_one("#accounts-empty").display = False

    # -- data ------------------------------------------------------------------

    async def read(self, account):
        return await self.app.gate.read(read_overview, self.app.clock)

    def show(self, data: Overview) -> None:
        self.read_at = self.app.clock.now()
        same = data.same_view(self.data)
        self.data = data
        self.app.accounts_seen(data.rows)
        if same:
            self.show_detail()
            return  # nothing drawn changed: keep the table (and its cursor) as it is
        self.view = self.view.with_rows(data.rows)

    def is_loaded(self) -> bool:
        return self.data is not None

    def watched(self) -> tuple[int, int]:
        return (0, 0)  # not used: poll() reads the accounts' marker

    def poll(self) -> None:
        if not self.busy:
            self.start_read("poll", self.polling)

    async def polling(self) -> None:
        """Read everything again when another process changed something, or a minute went by."""
        if (self.app.clock.now() - self.read_at).total_seconds() >= CLOCK_READ_EVERY:
            self.load()  # runs once this poll has ended
            return
        try:
            mark = await self.app.gate.read(read_marker)
        except DomainError:
            return  # busy or disconnected: the next tick tries again
        if self.is_attached and self.data is not None and mark != self.data.marker and not self.fetching:
            self.load()

    # -- the table ---------------------------------------------------------------------

    def watch_view(self) -> None:
        if self.data is not None:
            self.render_rows()

    def render_rows(self) -> None:
        table = self.query_one(SteppedTable)
        current = self.current_row()
        keep = current.id if current is not None else getattr(self.app.account, "id", None)
        self.shown = self.view.visible()
        row_cells = [self.data.cells[row.id] for row in self.shown]
        self.natural = natural_widths(row_cells, self.view.sort_key)
        self.widths = fit_widths(self.natural, table.room(len(row_cells)), 2 * table.cell_padding)
        cursor_row = next((i for i, row in enumerate(self.shown) if row.id == keep), None)
        table.show(COLUMNS, self.widths, self.header, row_cells, cursor_row)
        self.show_state()

    def header(self, key: str, label: str) -> Text:
        text, sorted_here = self.view.header(key, label)
        return Text(text, style="bold" if sorted_here else "")

    @on(SteppedTable.Resized)
    def refit(self) -> None:
        """A new width: rebuild the table only when its columns must change."""
        table = self.query_one(SteppedTable)
        if self.data is not None and fit_widths(self.natural, table.room(len(self.shown)), 2 * table.cell_padding) != self.widths:
            self.render_rows()

    def show_state(self) -> None:
        view = self.view
        table = self.query_one(SteppedTable)
        empty = self.query_one("#accounts-empty", Static)
        nothing = not view.rows
        empty.display = nothing
        empty.update(visible(self.data.empty))
        table.display = not nothing
        table.disabled = nothing  # hidden, it must not hold the focus (or offer its keys)
        active = sum(1 for r in view.rows if r.support_active)
        sessions = sum(1 for r in view.rows if r.session is not None)
        parts = [plural(len(view.rows), "account"), f"Support Access on: {active:,}", f"in session: {sessions:,}"]
        if view.filter_text:
            parts.append(f"{len(self.shown):,} matching “{markup_safe(view.filter_text)}”"
                         if self.shown else "[b]no match[/b] (esc clears)")
        self.query_one("#accounts-status", Static).update(" · ".join(parts))
        self.show_detail()
        if self.is_current and (self.focused is None or not self.focused.display):
            self.focus_list()

    def show_detail(self) -> None:
        line = self.query_one("#account-detail", Static)
        row = self.current_row()
        line.display = row is not None
        if row is not None:
            opened = getattr(self.app.account, "id", None) == row.id
            text = detail(row)
            line.update(Text.assemble(("Open now: " if opened else "", "bold"), text))

    def current_row(self):
        table = self.query_one(SteppedTable)
        index = table.cursor_row
        return self.shown[index] if self.shown and 0 <= index < len(self.shown) else None

    @on(DataTable.RowHighlighted)
    def row_moved(self) -> None:
        self.show_detail()
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    async def row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        await self.action_choose()

    # -- coming back (filter and sort: ListFilter) --------------------------------------

    def on_screen_resume(self) -> None:
        if self.focused is None or not self.focused.display:
            self.focus_list()
        if self.data is not None:
            self.show_detail()  # "Open now:" may have moved

    # -- switching, revoking ------------------------------------------------------------

    async def action_choose(self) -> None:
        row = self.current_row()
        if row is None:
            return
        if getattr(self.app.account, "id", None) == row.id:
            await self.app.action_open("profile")  # already open: its screens keep their state
        else:
            self.app.switch_account(row.id)

    def action_revoke_all(self) -> None:
        self.revoke_all()

    @work(exclusive=True, group="accounts-revoke-action")
    async def revoke_all(self) -> None:
        try:
            counts = await self.app.gate.call(preview, self.app.clock)
        except DomainError as error:
            self.notify(error.message, title="Revoke everywhere", severity="error", timeout=10)
            return
        if counts.accounts == 0:
            self.notify("Support Access is already off in every account: nothing to revoke.",
                        title="Revoke everywhere", timeout=5)
            return
        self.busy = True
        try:
            summary = await self.app.push_screen_wait(RevokeEverywhereModal(counts.accounts, counts.sessions))
        finally:
            self.busy = False
        if summary is None:
            say_cancelled(self, "Support Access stays as it was in every account.")
            return
        self.notify(summary.sentence(), title="Revoke everywhere",
                    severity="warning" if summary.failed else "information", timeout=8)
        self.load()

    # -- what the footer and palette offer ----------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.data is None:
            return not self.is_command(action)
        filtering = self.query_one("#accounts-filter", Input).has_focus
        if action == "choose":
            return self.current_row() is not None and not filtering
        if action in ("filter", "sort", "reverse_sort"):
            return bool(self.view.rows)
        if action == "revoke_all":
            return bool(self.view.rows) and not filtering
        return True

    def why_not_now(self, action: str) -> str:
        if self.data is None:
            return "The accounts are still loading."
        if action == "choose":
            return "No account is highlighted."
        return "There are no accounts."
