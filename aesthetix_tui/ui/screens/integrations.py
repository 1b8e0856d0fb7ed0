"""Private Integrations: list, create, edit, rotate and revoke scoped tokens.

Data comes from workers (one query for the whole list); a 1 s tick polls the
account's change marker so changes made elsewhere show within seconds.
"""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import DataTable, Header, Input, Static

from aesthetix_tui.domain.dates import format_instant, local_today, plural
from aesthetix_tui.domain.errors import DomainError, StaleWrite
from aesthetix_tui.domain.integration_state import (
    EXPIRE_NOW,
    OVERLAP_WORDS,
    ROTATION_OVERLAP,
    ROW_ACTIONS,
    IntegrationState,
    allowed_actions,
)
from aesthetix_tui.ui.cancelled import say_cancelled
from aesthetix_tui.ui.integration_rows import COLUMNS, IntegrationRows, fit_widths, natural_widths
from aesthetix_tui.ui.modals.confirm import ConfirmModal
from aesthetix_tui.ui.modals.integration_detail import IntegrationDetailModal
from aesthetix_tui.ui.modals.integration_form import FormValues, IntegrationFormModal
from aesthetix_tui.ui.modals.revoke_integration import RevokeIntegrationModal
from aesthetix_tui.ui.modals.revoke_stale import RevokeStaleModal, read_stale, revoke
from aesthetix_tui.ui.modals.rotate_choice import RotateChoiceModal
from aesthetix_tui.ui.modals.show_secret import ShowSecretModal
from aesthetix_tui.ui.palette import Command, commands_of
from aesthetix_tui.ui.screens.account_screen import AccountScreen
from aesthetix_tui.ui.screens.list_filter import ListFilter
from aesthetix_tui.ui.shown import markup_safe
from aesthetix_tui.ui.widgets.deprecation_banner import DeprecationBanner, FittedText
from aesthetix_tui.ui.widgets.integration_table import IntegrationTable
from aesthetix_tui.ui.widgets.integration_text import cells, hint_text
from aesthetix_tui.ui.widgets.key_bar import HEADER_ICON, KeyBar

REMINDER = (  # the longest that fits on one line is shown
    ("[b]Tokens are secrets, like passwords:[/b] never share them publicly or in support tickets. "
     "Leaked? Revoke, re-issue."),
    "[b]Tokens are passwords:[/b] never share them publicly or in support tickets. Leaked? Revoke, re-issue.",
    "[b]Tokens are passwords:[/b] never share them publicly or in tickets. Leaked? Revoke, re-issue.",
    "[b]Tokens are passwords:[/b] not in public, not in tickets. Leaked? Revoke, re-issue.",
)
EMPTY_TEXT = (
    "[b]No Private Integrations yet.[/b]\n\n"
    "A Private Integration is a named token for one app or script that calls the Aesthetix API "
    "(API V2). It grants only the scopes you choose, can be rotated without downtime, and can be "
    "revoked at any time. It replaces the deprecated legacy API key.\n\n"
    "Press [b]n[/b] to create the first one."
)
SECRET_NOTE = "Send it as a Bearer token in the Authorization header of API V2 requests."



class IntegrationsScreen(ListFilter, AccountScreen):
    NAME = "integrations"
    FILTER_ID = "integrations-filter"
    PROBLEM_AT = "#list-status"
    # Its styles (and its dialogs') load when it first opens: not parsed before the first frame.
    CSS_PATH = "../integrations.tcss"
    # Each key's second line is its palette entry: the title, and what it does.
    BINDINGS: ClassVar[list[BindingType]] = [
        Command("n", "create", "New", id="integrations.create",
                title="Create private integration", help="A named token with only the scopes it needs"),
        # enter (Detail) is the table's own binding: see IntegrationTable
        Command("e", "edit", "Edit", id="integrations.edit",
                title="Edit private integration", help="Change name, description or scopes; the token stays"),
        Command("r", "rotate", "Rotate", id="integrations.rotate",
                title="Rotate token", help=f"Issue a new token; the old one ends in {OVERLAP_WORDS} or now"),
        Command("c", "cancel_rotation", "Cancel rotation", id="integrations.cancel_rotation",
                title="Cancel rotation", help="Keep the old token; the new one stops working"),
        Command("x", "expire_old", "Expire old", id="integrations.expire_old",
                title="Expire old token now", help="End the old token of a rotation at once"),
        Command("delete", "revoke", "Revoke", id="integrations.revoke",
                title="Revoke private integration", help="Its token stops working at once, for good"),
        Command("slash", "filter", "Filter", id="integrations.filter",
                title="Filter integrations", help="Show only integrations whose name contains a text"),
        # One key, two states: v runs whichever of the two applies (check_action).
        Command("v", "show_revoked", "Revoked", id="integrations.show_revoked",
                title="Show revoked integrations", help="List revoked integrations too"),
        Command("v", "hide_revoked", "Revoked", id="integrations.hide_revoked",
                title="Hide revoked integrations", help="List only live integrations"),
        # One key, two states, like v: S shows only the stale integrations, or every one again.
        Command("S", "only_stale", "Stale", id="integrations.only_stale",
                title="Show only stale integrations", help="Unused for long, or never used since created"),
        Command("S", "every_integration", "Stale", id="integrations.every_integration",
                title="Show every integration", help="Not only the stale ones"),
        Command("X", "revoke_stale", "Revoke stale", id="integrations.revoke_stale",
                title="Revoke stale integrations", help="Review the stale ones, type their count, revoke them all"),
        Command("s", "sort", "Sort", id="integrations.sort",
                title="Sort integrations by the next column", help="Name, status, scopes, token, created, last used"),
        Command("o", "reverse_sort", "Order", id="integrations.reverse_sort", show=False,
                title="Reverse the sort order", help="Ascending or descending"),
    ]

    AUTO_FOCUS = None  # the table takes focus once there are rows; the hidden filter never does
    ROW_ACTIONS = ROW_ACTIONS  # the actions on the highlighted integration (integration_state)
    # Every row and the user's filter, sort and revoked choice (a plain, frozen model):
    # replacing it redraws the list (watch_view) and the footer's keys (bindings=True).
    view = var(IntegrationRows(), init=False, bindings=True)

    def __init__(self) -> None:
        super().__init__(id="integrations-screen")
        self.listing = None
        self.shown = []  # the Rows in the table, in its order
        self.cell_cache: dict[int, tuple] = {}
        self.select_id: int | None = None  # keep (or move) the cursor to this integration
        self.next_expiry = None  # when the first rotation's old token ends (the statuses change)
        self.stale_count = 0  # integrations stale at the last drawing (domain/stale.py)
        self.natural: dict[str, int] = {}  # each column's width with nothing cut
        self.widths: dict[str, int] = {}  # the shown columns' widths, fitted to the table

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        with Vertical(id="integrations-body"):
            yield DeprecationBanner(on_integrations=True, id="integrations-banner")
            yield FittedText(REMINDER, id="token-reminder")
            yield Input(placeholder="Filter by name · enter: back to the list · esc: clear",
                        id="integrations-filter", compact=True)
            yield Static("Loading integrations…", id="list-status")
            yield Static(EMPTY_TEXT, id="integrations-empty")
            table = IntegrationTable(id="integrations-table", cursor_type="row", zebra_stripes=True)
            table.border_title = "Private Integrations"
            yield table
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_filter(False)
        self.query_one("#integrations-empty").display = False
        table = self.query_one(DataTable)
        table.display, table.disabled = False, True  # until the first rows arrive
        self.watch(self.app, "theme", self.theme_changed, init=False)
        # then AccountScreen's on_mount: load, and tick every second

    # -- data ----------------------------------------------------------------

    async def read(self, account):
        from aesthetix_tui.domain import integration_list

        listing = await self.app.gate.read(integration_list.read, account.id)
        now = self.app.clock.now()
        colors = dict(self.app.theme_variables)
        tz = listing.account.timezone
        stale = listing.stale
        cache = await asyncio.to_thread(lambda: {r.id: cells(r, now, tz, colors, stale.is_stale(r, now))
                                                 for r in listing.rows})
        return listing, cache

    def show(self, data) -> None:
        listing, cache = data
        self.listing = listing
        self.cell_cache = cache
        self.view = self.view.with_rows(listing.rows, listing.stale)  # drawn by watch_view
        self.next_expiry = self.view.next_expiry(self.app.clock.now(), listing.account.timezone)
        # The list takes the focus once it has rows, unless a key pressed while it loaded
        # (e.g. / for the filter) already put the focus somewhere.
        if self.focused is None or not self.focused.display:
            self.focus_list()

    def is_loaded(self) -> bool:
        return self.listing is not None

    def watched(self) -> tuple[int, int]:
        return self.listing.account.id, self.listing.marker

    def recompute_cells(self) -> None:
        """Statuses follow the clock: re-make every row's cells (e.g. when an old token ends)."""
        if self.listing is None:
            return
        now = self.app.clock.now()
        colors = dict(self.app.theme_variables)
        tz = self.listing.account.timezone
        self.cell_cache = {r.id: cells(r, now, tz, colors, self.view.is_stale(r, now)) for r in self.view.rows}
        self.next_expiry = self.view.next_expiry(now, tz)
        self.render_rows()

    def theme_changed(self) -> None:
        self.recompute_cells()

    def clock_moved(self) -> None:
        """A rotation's old token may have ended: its status changes."""
        if self.next_expiry is not None and self.app.clock.now() >= self.next_expiry:
            self.recompute_cells()

    # -- the table ----------------------------------------------------------------

    def watch_view(self, old: IntegrationRows, new: IntegrationRows) -> None:
        if self.listing is None:
            return
        if new.same_rows_as(old):
            self.resort()
        else:
            self.render_rows()

    def render_rows(self) -> None:
        """Rebuild the table from the rows: filtered, sorted, added in steps (IntegrationTable.fill)."""
        table = self.query_one(IntegrationTable)
        keep = self.select_id
        if keep is None:
            current = self.current_row()
            keep = current.id if current else None
        self.select_id = None
        self.shown = self.view.visible(self.app.clock.now())
        self.stale_count = self.view.stale(self.app.clock.now())
        visible_cells = [self.cell_cache[r.id] for r in self.shown]
        self.natural = natural_widths(visible_cells)
        self.widths = fit_widths(self.natural, table.room(len(visible_cells)), 2 * table.cell_padding)
        cursor_row = next((index for index, row in enumerate(self.shown) if row.id == keep), None)
        table.show(COLUMNS, self.widths, self.header, visible_cells, cursor_row)
        self.show_state()

    @on(IntegrationTable.Resized)
    def refit(self) -> None:
        """A new width: rebuild the table only when its columns must change."""
        table = self.query_one(IntegrationTable)
        if self.listing is not None and fit_widths(self.natural, table.room(len(self.shown)), 2 * table.cell_padding) != self.widths:
            self.render_rows()

    def header(self, key: str, label: str) -> Text:
        text, sorted_here = self.view.header(key, label)
        return Text(text, style="bold" if sorted_here else "")

    def show_state(self) -> None:
        table = self.query_one(DataTable)
        empty = self.query_one("#integrations-empty", Static)
        view = self.view
        live, revoked = view.live, view.revoked
        nothing = live == 0 and (revoked == 0 or not view.show_revoked)
        empty.display = nothing and not view.filter_text
        table.display = not empty.display
        table.disabled = empty.display  # hidden, it must not hold the focus (or offer its keys)
        parts = [f"{live:,} integration{'s' if live != 1 else ''}"]
        if revoked:
            parts.append(f"{revoked:,} revoked ({'shown' if view.show_revoked else 'hidden'}, v)")
        if view.only_stale:
            parts.append(f"only stale: {self.stale_count:,} (S: all)")
        elif self.stale_count:
            parts.append(f"{self.stale_count:,} stale (S)")
        if view.filter_text:
            parts.append(f"{len(self.shown):,} matching “{markup_safe(view.filter_text)}”")
        label = dict(COLUMNS)[view.sort_key].lower()
        parts.append(f"sorted by {label} {'▼' if view.sort_reverse else '▲'} (s, o)")
        status = self.query_one("#list-status", Static)
        if empty.display:
            status.update(f"{revoked:,} revoked (hidden, v)" if revoked else "")
        elif view.filter_text and not self.shown:
            status.update(" · ".join(parts[:-1]) + " · [b]no match[/b] (esc clears)")
        else:
            status.update(" · ".join(parts))
        if nothing and revoked and not view.filter_text:
            empty.update(EMPTY_TEXT.replace("No Private Integrations yet.",
                                            f"No live Private Integrations ({revoked} revoked: press v to see them)."))
        else:
            empty.update(EMPTY_TEXT)
        if self.is_current and (self.focused is None or not self.focused.display):
            self.focus_list()  # e.g. the table has just appeared

    def current_row(self):
        table = self.query_one(DataTable)
        if not self.shown or not table.display:
            return None
        index = table.cursor_row
        if 0 <= index < len(self.shown):
            return self.shown[index]
        return None

    @on(DataTable.RowHighlighted)
    def row_moved(self) -> None:
        self.refresh_bindings()

    @on(DataTable.RowSelected)
    def row_chosen(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_detail()

    # -- show revoked (filter and sort: ListFilter) ---------------------------------------

    def on_screen_resume(self) -> None:
        if self.focused is None or not self.focused.display:
            self.focus_list()

    def action_show_revoked(self) -> None:
        self.toggle_revoked()

    def action_hide_revoked(self) -> None:
        self.toggle_revoked()

    def toggle_revoked(self) -> None:
        self.view = self.view.with_revoked_shown(not self.view.show_revoked)
        shown = self.view.revoked
        self.notify(f"Showing {shown} revoked integration{'s' if shown != 1 else ''}." if self.view.show_revoked
                    else "Revoked integrations are hidden.", timeout=3)

    def action_only_stale(self) -> None:
        self.view = self.view.with_only_stale(True)
        self.notify(f"Showing only the {plural(self.stale_count, 'stale integration')}: "
                    f"{self.view.stale_rule.words()}.", timeout=3)

    def action_every_integration(self) -> None:
        self.view = self.view.with_only_stale(False)
        self.notify("Showing every integration.", timeout=3)

    def resort(self) -> None:
        """Reorder the rows in place (no rebuild: instant with 10,000 rows); the cursor stays
        on the same integration."""
        table = self.query_one(IntegrationTable)
        if not table.complete:  # still filling: sort by rebuilding
            self.render_rows()
            return
        current = self.current_row()
        view, now = self.view, self.app.clock.now()
        row_of_cell = {id(cell.cell): row for row, cell in zip(self.shown, table.get_column_at(0))}
        table.sort(key=lambda values: view.sort_value(row_of_cell[id(values[0].cell)], now),
                   reverse=view.sort_reverse)
        self.shown = view.ordered(self.shown, now)
        for key, label in COLUMNS:
            if key in table.columns:
                table.columns[key].label = self.header(key, label)
        table.refresh()
        if current is not None:
            table.move_cursor(row=self.shown.index(current), animate=False)
        self.show_state()

    # -- what the footer and palette offer ----------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.listing is None:  # still loading: only the filter can be typed ahead
            return action == "filter" or not self.is_command(action)
        if action in self.ROW_ACTIONS:
            row = self.current_row()
            if row is None or self.query_one("#integrations-filter", Input).has_focus:
                return False
            return action in allowed_actions(row.state(self.app.clock.now()))
        if action in ("filter", "sort", "reverse_sort"):
            return bool(self.view.rows)  # nothing to filter or sort yet
        if action in ("show_revoked", "hide_revoked"):
            return self.view.revoked > 0 and self.view.show_revoked == (action == "hide_revoked")
        if action == "only_stale":
            return not self.view.only_stale and self.stale_count > 0
        if action == "every_integration":
            return self.view.only_stale
        if action == "revoke_stale":
            return self.stale_count > 0
        return True

    def why_not_now(self, action: str) -> str:
        if action in ("only_stale", "revoke_stale") and not self.stale_count:
            return f"No integration is stale ({self.view.stale_rule.words()})."
        if action in ("only_stale", "every_integration"):
            return "Only the stale integrations are shown." if self.view.only_stale else "Every integration is shown."
        if action in ("filter", "sort", "reverse_sort"):
            return "There are no integrations yet: create one with n."
        if action in ("show_revoked", "hide_revoked"):
            if not self.view.revoked:
                return "No integration has been revoked."
            return f"Revoked integrations are already {'shown' if self.view.show_revoked else 'hidden'}."
        row = self.current_row()
        if row is None:
            return "Select an integration in the list first."
        state = row.state(self.app.clock.now())
        if state == IntegrationState.REVOKED:
            return f"“{row.name}” is revoked; nothing more can change."
        if action in ("cancel_rotation", "expire_old"):
            return f"“{row.name}” is not being rotated."
        return f"“{row.name}” is being rotated: cancel the rotation or expire the old token first."

    @classmethod
    def commands(cls) -> list[Command]:
        """The screen's Commands, with the table's (enter: detail) after the first, as offered."""
        own = commands_of(cls.BINDINGS)
        return [*own[:1], *commands_of(IntegrationTable.BINDINGS), *own[1:]]

    def command_action(self, command: Command) -> str:
        return "detail" if command.action == "select_cursor" else command.action_name  # the table's enter

    def command_help(self, command: Command) -> str:
        row = self.current_row()
        if self.command_action(command) in self.ROW_ACTIONS and row is not None:
            return f"{command.help} · “{row.name}”"
        return command.help

    def has_unsaved_changes(self) -> bool:
        return False  # forms are modal: nothing is left half-done on this screen

    # -- actions ---------------------------------------------------------------------------

    @work(exclusive=True, group="integrations-detail")
    async def action_detail(self) -> None:
        row = self.current_row()
        if row is None:
            return
        from aesthetix_tui.domain import integration_list

        try:
            detail = await self.app.gate.call(integration_list.detail, self.listing.account.id, row.id)
        except DomainError as error:
            self.notify(error.message, severity="error", title="Not shown")
            self.load()
            return
        choice = await self.app.push_screen_wait(
            IntegrationDetailModal(detail, self.app.clock.now(), self.listing.account.timezone))
        if choice:
            getattr(self, f"action_{choice}")()

    @work(exclusive=True, group="integrations-action")
    async def action_create(self) -> None:
        if self.listing is None:
            return
        self.busy = True  # the list waits until the token has been shown
        created = None
        try:
            today = local_today(self.app.clock.now(), self.listing.account.timezone)  # for the expiry
            created = await self.app.push_screen_wait(IntegrationFormModal(self.submit_create, today=today))
            if created is None:
                say_cancelled(self, "no integration was created.")
                return
            _integration_id, name, token = created
            await self.app.push_screen_wait(ShowSecretModal(f"The token of “{name}”", token, "token",
                                                            note=SECRET_NOTE))
        finally:
            self.busy = False
            if created is not None:
                self.select_id = created[0]
                self.load()
        self.notify(f"“{name}” is ready. Its token was shown once; only its end is kept.",
                    title="Integration created")

    async def submit_create(self, values: FormValues):
        from aesthetix_tui.domain import integrations

        account_id, clock, actor = self.listing.account.id, self.app.clock, self.app.actor

        def create(session):
            issued = integrations.create(session, clock, account_id, values.name, values.scopes, actor,
                                         values.description, expires=values.expires)
            return issued.integration.id, issued.integration.name, issued.token

        return await self.app.gate.call(create)

    @work(exclusive=True, group="integrations-action")
    async def action_edit(self) -> None:
        row = self.current_row()
        if row is None or row.revoked_at is not None:
            return
        from aesthetix_tui.domain import integrations

        account_id, clock, actor = self.listing.account.id, self.app.clock, self.app.actor
        version = row.version  # the version the form shows; a stale save is refused

        async def submit(values: FormValues):
            return await self.app.gate.call(lambda session: integrations.edit(
                session, clock, account_id, str(row.id), actor, name=values.name,
                description=values.description, scopes=values.scopes, expected_version=version).name)

        async def reload():
            nonlocal version
            from aesthetix_tui.domain import integration_list

            try:
                fresh = (await self.app.gate.call(integration_list.detail, account_id, row.id)).row
            except DomainError:
                fresh = None
            if fresh is None or fresh.revoked_at is not None:
                return None
            version = fresh.version
            return FormValues(fresh.name, fresh.description, sorted(fresh.scopes))

        name = await self.app.push_screen_wait(IntegrationFormModal(
            submit, editing=row.name, name=row.name, description=row.description, scopes=row.scopes,
            reload=reload))
        if name is None:
            say_cancelled(self, f"“{row.name}” is unchanged.")
            return
        self.select_id = row.id
        self.load()
        self.notify(f"Saved “{name}”. The token is unchanged: apps that use it keep working.",
                    title="Integration edited")

    @work(exclusive=True, group="integrations-action")
    async def action_rotate(self) -> None:
        row = self.current_row()
        if row is None or "rotate" not in allowed_actions(row.state(self.app.clock.now())):
            return
        later = format_instant(self.app.clock.now() + ROTATION_OVERLAP, self.listing.account.timezone)
        if row.state(self.app.clock.now()) == IntegrationState.EXPIRED:
            choice = EXPIRE_NOW  # its token has ended: no grace period to choose (integrations.rotate)
        else:
            choice = await self.app.push_screen_wait(RotateChoiceModal(row.name, hint_text(row.hint), later))
        if choice is None:
            say_cancelled(self, f"“{row.name}” keeps its token.")
            return
        from aesthetix_tui.domain import integrations

        issued = await self.change(integrations.rotate, row.id, choice, reload=False, version=row.version,
                                   then=lambda done: (done.integration.old_expires_at, done.token))
        if issued is None:
            return
        try:
            await self.show_rotated(row, *issued)
        finally:
            self.busy = False
            self.select_id = row.id
            self.load()
        self.notify(f"“{row.name}” has a new token.", title="Token rotated")

    async def show_rotated(self, row, old_until, token: str) -> None:
        if old_until is None:
            note = f"{SECRET_NOTE} The old token ({hint_text(row.hint)}) has stopped working."
        else:
            note = (f"{SECRET_NOTE} The old token ({hint_text(row.hint)}) works until "
                    f"{format_instant(old_until, self.listing.account.timezone)}.")
        await self.app.push_screen_wait(ShowSecretModal(f"The new token of “{row.name}”", token, "token",
                                                        note=note))

    @work(exclusive=True, group="integrations-action")
    async def action_cancel_rotation(self) -> None:
        row = self.current_row()
        if row is None or row.state(self.app.clock.now()) != IntegrationState.ROTATING:
            return
        confirmed = await self.app.push_screen_wait(ConfirmModal(
            f"Cancel the rotation of “{row.name}”?",
            f"The new token ({hint_text(row.hint)}) stops working now. The old token "
            f"({hint_text(row.old_hint)}) stays valid, with no end date.",
            "Cancel rotation", cancel_label="Keep rotation", danger=True, id="cancel-rotation-confirm",
        ))
        if not confirmed:
            say_cancelled(self, f"the rotation of “{row.name}” goes on.")
            return
        from aesthetix_tui.domain import integrations

        if await self.change(integrations.cancel_rotation, row.id, version=row.version) is not None:
            self.notify(f"“{row.name}” uses its old token again: {hint_text(row.old_hint)}.",
                        title="Rotation cancelled")

    @work(exclusive=True, group="integrations-action")
    async def action_expire_old(self) -> None:
        row = self.current_row()
        if row is None or row.state(self.app.clock.now()) != IntegrationState.ROTATING:
            return
        confirmed = await self.app.push_screen_wait(ConfirmModal(
            f"Expire the old token of “{row.name}” now?",
            f"Apps still using the old token ({hint_text(row.old_hint)}) stop working at once. "
            f"The new token ({hint_text(row.hint)}) keeps working.",
            "Expire old token", danger=True, id="expire-old-confirm",
        ))
        if not confirmed:
            say_cancelled(self, f"the old token of “{row.name}” still works.")
            return
        from aesthetix_tui.domain import integrations

        if await self.change(integrations.expire_old_now, row.id, version=row.version) is not None:
            self.notify(f"The old token of “{row.name}” has stopped working.", title="Old token expired")

    @work(exclusive=True, group="integrations-action")
    async def action_revoke(self) -> None:
        row = self.current_row()
        if row is None or row.revoked_at is not None:
            return
        if not await self.app.push_screen_wait(RevokeIntegrationModal(row.name)):
            say_cancelled(self, f"“{row.name}” stays active.")
            return
        from aesthetix_tui.domain import integrations

        if await self.change(integrations.revoke, row.id, version=row.version) is not None:
            hidden = "" if self.view.show_revoked else " It is hidden from the list; press v to see it."
            self.notify(f"“{row.name}” is revoked: its token no longer works.{hidden}",
                        title="Integration revoked")

    @work(exclusive=True, group="integrations-action")
    async def action_revoke_stale(self) -> None:
        if self.listing is None:
            return

        account_id, clock, actor = self.listing.account.id, self.app.clock, self.app.actor
        try:
            stale = await self.app.gate.call(read_stale, clock, account_id)
        except DomainError as error:
            self.notify(error.message, severity="error", title="Not shown", timeout=8)
            return
        if not stale.items:
            self.notify(f"No integration is stale ({stale.words}): nothing to revoke.", title="Revoke stale")
            self.load()
            return
        self.busy = True
        try:
            if not await self.app.push_screen_wait(
                    RevokeStaleModal(stale, self.listing.account.timezone, clock.now())):
                say_cancelled(self, "no integration was revoked.")
                return
            try:
                revoked = await self.app.gate.call(revoke, clock, account_id, actor, stale.ids)
            except DomainError as error:  # e.g. one was used meanwhile: nothing changed
                self.notify(error.message, severity="error", title="Not done", timeout=10)
                return
        finally:
            self.busy = False
            self.load()
        self.view = self.view.with_only_stale(False)
        hidden = "" if self.view.show_revoked else \
            f" {'It is' if revoked == 1 else 'They are'} hidden from the list; press v to see {'it' if revoked == 1 else 'them'}."
        self.notify(f"Revoked {plural(revoked, 'stale integration')}: "
                    f"{'its token no longer works' if revoked == 1 else 'their tokens no longer work'}.{hidden}",
                    title="Stale integrations revoked")

    # -- one way to change things ----------------------------------------------------------

    async def change(self, fn, integration_id: int, *args, then=None, reload: bool = True,
                     version: int | None = None):
        """Run fn(session, clock, account_id, id, actor, *args), and `then` on its result, in a
        thread; show a refusal as a notification; reload the list. With reload=False (a token to
        show first) the screen stays busy after a success and the caller reloads. `version` is
        the row's version as listed: a change made elsewhere since is refused (StaleWrite)."""
        account_id, clock, actor = self.listing.account.id, self.app.clock, self.app.actor

        def run(session):
            result = fn(session, clock, account_id, str(integration_id), actor, *args,
                        expected_version=version)
            return then(result) if then else result

        self.busy = True
        done = False
        try:
            result = await self.app.gate.call(run)
            done = True
            return result
        except StaleWrite as error:  # changed elsewhere: say who and when; the reload shows it
            self.notify(error.message, severity="warning", title="Changed elsewhere", timeout=10)
            return None
        except DomainError as error:
            self.notify(error.message, severity="error", title="Not done", timeout=8)
            return None
        finally:
            if reload or not done:
                self.busy = False
                self.select_id = integration_id
                self.load()

