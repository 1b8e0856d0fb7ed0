"""Private Integrations: list, create, edit, rotate and revoke scoped tokens.

Data comes from workers (one query for the whole list); a 1 s tick polls the
account's change marker so changes made elsewhere show within seconds.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from aesthetix_tui.domain.dates import format_instant
from aesthetix_tui.domain.errors import ConnectionLost, DomainError, StaleWrite
from aesthetix_tui.domain.integration_state import ROW_ACTIONS, IntegrationState, allowed_actions
from aesthetix_tui.ui.cancelled import say_cancelled
from aesthetix_tui.ui.modals.confirm import ConfirmModal
from aesthetix_tui.ui.modals.integration_detail import IntegrationDetailModal
from aesthetix_tui.ui.modals.integration_form import FormValues, IntegrationFormModal
from aesthetix_tui.ui.modals.revoke_integration import RevokeIntegrationModal
from aesthetix_tui.ui.modals.rotate_choice import RotateChoiceModal
from aesthetix_tui.ui.modals.show_secret import ShowSecretModal
from aesthetix_tui.ui.shown import markup_safe
from aesthetix_tui.ui.widgets.deprecation_banner import DeprecationBanner, FittedText
from aesthetix_tui.ui.widgets.integration_text import cells, hint_text
from aesthetix_tui.ui.widgets.key_bar import HEADER_ICON, KeyBar

REMINDER = (  # the longest that fits on one line is shown
    "[b]Tokens are secrets, like passwords:[/b] never share them publicly or in support tickets. "
    "Leaked? Revoke, re-issue.",
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

# (key, header); how a narrow list fits them: see fit_widths
COLUMNS = [
    ("name", "Name"),
    ("status", "Status"),
    ("token", "Token"),
    ("scopes", "Scopes"),
    ("last_used", "Last used"),
    ("created", "Created"),
]
WIDTH_CAPS = {"name": 24, "created": 20}  # longer names and creators are cut with "…"
SCOPES_MIN = 8  # "3 scopes"; narrower, the scopes column is hidden (the detail view lists them)
CUT_MIN = {"name": 10, "created": 10, "status": 12}  # the least they are cut to, in this order
STATE_ORDER = {IntegrationState.ACTIVE: 0, IntegrationState.ROTATING: 1, IntegrationState.REVOKED: 2}
FILTER_DELAY = 0.12  # seconds of quiet before the list is filtered again


class IntegrationTable(DataTable):
    """The list. Enter opens the highlighted integration's detail (RowSelected)."""

    BINDINGS = [Binding("enter", "select_cursor", "Detail", id="integrations.detail")]

    class Resized(Message):
        """The table's size changed: its columns are fitted again."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def _update_dimensions(self, new_rows) -> None:
        # The screen gives every column a width and every row is one line, so there is
        # nothing to measure: skipping 60,000 measurements keeps 10,000 rows quick.
        if self.ordered_columns and not any(column.auto_width for column in self.ordered_columns):
            new_rows = ()
        super()._update_dimensions(new_rows)


class IntegrationsScreen(Screen):
    # Its styles (and its dialogs') load when it first opens: not parsed before the first frame.
    CSS_PATH = "../integrations.tcss"
    BINDINGS = [
        Binding("n", "create", "New", id="integrations.create"),
        # enter (Detail) is the table's own binding: see IntegrationTable
        Binding("e", "edit", "Edit", id="integrations.edit"),
        Binding("r", "rotate", "Rotate", id="integrations.rotate"),
        Binding("c", "cancel_rotation", "Cancel rotation", id="integrations.cancel_rotation"),
        Binding("x", "expire_old", "Expire old", id="integrations.expire_old"),
        Binding("delete", "revoke", "Revoke", id="integrations.revoke"),
        Binding("slash", "filter", "Filter", id="integrations.filter"),
        Binding("v", "toggle_revoked", "Revoked", id="integrations.toggle_revoked"),
        Binding("s", "sort", "Sort", id="integrations.sort"),
        Binding("o", "reverse_sort", "Order", id="integrations.reverse_sort", show=False),
    ]

    PALETTE = [
        ("Create private integration", "A named token with only the scopes it needs", "create"),
        ("Show private integration details", "Scopes and history of the selected integration", "detail"),
        ("Edit private integration", "Change name, description or scopes; the token stays", "edit"),
        ("Rotate token", "Issue a new token; the old one ends in 7 days or now", "rotate"),
        ("Cancel rotation", "Keep the old token; the new one stops working", "cancel_rotation"),
        ("Expire old token now", "End the old token of a rotation at once", "expire_old"),
        ("Revoke private integration", "Its token stops working at once, for good", "revoke"),
        ("Filter integrations", "Show only integrations whose name contains a text", "filter"),
        ("Show revoked integrations", "List revoked integrations too", "toggle_revoked"),
        ("Hide revoked integrations", "List only live integrations", "toggle_revoked"),
        ("Sort integrations by the next column", "Name, status, scopes, token, created, last used", "sort"),
        ("Reverse the sort order", "Ascending or descending", "reverse_sort"),
    ]
    AUTO_FOCUS = None  # the table takes focus once there are rows; the hidden filter never does
    ROW_ACTIONS = ROW_ACTIONS  # the actions on the highlighted integration (integration_state)

    def __init__(self) -> None:
        super().__init__(id="integrations-screen")
        self.listing = None
        self.retry_load = False  # the first read failed on a lost connection
        self.rows = []  # every Row, revoked included
        self.shown = []  # the Rows in the table, in its order
        self.cell_cache: dict[int, tuple] = {}
        self.show_revoked = False
        self.filter_text = ""
        self.sort_key = "name"
        self.sort_reverse = False
        self.busy = False
        self.select_id: int | None = None  # keep (or move) the cursor to this integration
        self.next_expiry = None
        self.filter_timer = None
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
        self.load()
        self.set_interval(1.0, self.tick, name="integrations-tick")
        self.watch(self.app, "theme", self.theme_changed, init=False)

    # -- data ----------------------------------------------------------------

    @work(exclusive=True, group="integrations-load")
    async def load(self) -> None:
        try:
            account = await self.app.ensure_account()
            from aesthetix_tui.domain import integration_list

            listing = await self.app.gate.call(integration_list.read, account.id)
        except DomainError as error:
            # A lost connection: the app's banner says so, and tick() tries again.
            self.retry_load = isinstance(error, ConnectionLost)
            if not self.retry_load:
                self.show_problem(error.message)
            return
        now = self.app.clock.now()
        colors = dict(self.app.theme_variables)
        tz = listing.account.timezone
        cache = await asyncio.to_thread(lambda: {r.id: cells(r, now, tz, colors) for r in listing.rows})
        if self.is_attached:  # not when the app closed while the rows were being built
            self.show(listing, cache)

    def show(self, listing, cache) -> None:
        self.listing = listing
        self.rows = listing.rows
        self.cell_cache = cache
        now = self.app.clock.now()
        pending = [r.old_expires_at for r in self.rows if r.state(now) == IntegrationState.ROTATING]
        self.next_expiry = min(pending) if pending else None
        self.render_rows()
        # The list takes the focus once it has rows, unless a key pressed while it loaded
        # (e.g. / for the filter) already put the focus somewhere.
        if self.focused is None or not self.focused.display:
            self.focus_list()

    def show_problem(self, message: str) -> None:
        status = self.query_one("#list-status", Static)
        status.update(f"[b $error]{markup_safe(message)}[/]\nPress ctrl+q to quit, fix the problem, and start again.")
        self.notify(message, severity="error", timeout=10)

    def recompute_cells(self) -> None:
        """Statuses follow the clock: re-make every row's cells (e.g. when an old token ends)."""
        if self.listing is None:
            return
        now = self.app.clock.now()
        colors = dict(self.app.theme_variables)
        tz = self.listing.account.timezone
        self.cell_cache = {r.id: cells(r, now, tz, colors) for r in self.rows}
        pending = [r.old_expires_at for r in self.rows if r.state(now) == IntegrationState.ROTATING]
        self.next_expiry = min(pending) if pending else None
        self.render_rows()

    def theme_changed(self) -> None:
        self.recompute_cells()

    async def tick(self) -> None:
        """Every second: the clock may end a rotation; another process may have changed things."""
        if self.listing is None:
            if self.retry_load:
                self.load()  # the first read failed on a lost connection: keep trying
            return
        if self.next_expiry is not None and self.app.clock.now() >= self.next_expiry:
            self.recompute_cells()
        self.poll()

    @work(exclusive=True, group="integrations-poll")
    async def poll(self) -> None:
        if await self.app.changed_marker(self.listing.account.id, self.listing.marker) and not self.busy:
            self.load()

    # -- the table ----------------------------------------------------------------

    def sort_value(self, row):
        key = self.sort_key
        now = self.app.clock.now()
        if key == "status":
            return (STATE_ORDER[row.state(now)], row.name.casefold(), row.id)
        if key == "scopes":
            return (len(row.scopes), row.scopes, row.name.casefold(), row.id)
        if key == "token":
            return (row.hint[4:].casefold(), row.id)
        if key == "created":
            return (row.created_at, row.id)
        if key == "last_used":
            return (row.last_used_at is not None, row.last_used_at or row.created_at, row.id)
        return (row.name.casefold(), row.id)

    def compute_visible(self) -> list:
        text = self.filter_text.strip().casefold()
        rows = self.rows
        if not self.show_revoked:
            rows = [r for r in rows if r.revoked_at is None]
        if text:
            rows = [r for r in rows if text in r.name.casefold()]
        return sorted(rows, key=self.sort_value, reverse=self.sort_reverse)

    def render_rows(self) -> None:
        """Rebuild the table from the rows: filtered, sorted, in one add_rows call."""
        table = self.query_one(DataTable)
        keep = self.select_id
        if keep is None:
            current = self.current_row()
            keep = current.id if current else None
        self.select_id = None
        self.shown = self.compute_visible()
        visible_cells = [self.cell_cache[r.id] for r in self.shown]
        self.natural = {}
        for index, (key, label) in enumerate(COLUMNS):
            widest = max((c[index].cell_len for c in visible_cells), default=0)
            self.natural[key] = max(len(label) + 2, min(widest, WIDTH_CAPS.get(key, widest)))  # +2: "▲"
        self.widths = fit_widths(self.natural, self.room(), 2 * table.cell_padding)
        shown = [index for index, (key, _) in enumerate(COLUMNS) if key in self.widths]
        table.clear(columns=True)
        for key, label in COLUMNS:
            if key in self.widths:
                table.add_column(self.header(key, label), key=key, width=self.widths[key])
        if len(shown) < len(COLUMNS):
            visible_cells = [tuple(c[index] for index in shown) for c in visible_cells]
        table.add_rows(visible_cells)
        if keep is not None:
            for index, row in enumerate(self.shown):
                if row.id == keep:
                    table.move_cursor(row=index, animate=False)
                    break
        self.show_state()
        self.refresh_bindings()

    def room(self) -> int:
        """Cells the columns may take: the table's inside, less the place of its scrollbar."""
        table = self.query_one(DataTable)
        if table.size.width:
            return table.scrollable_content_region.width
        # Not laid out yet (it is shown with its first rows): the body's width, less the table's
        # border and scrollbar. The table's Resized corrects any difference.
        body = self.query_one("#integrations-body")
        return body.content_region.width - table.styles.gutter.width - table.styles.scrollbar_size_vertical

    @on(IntegrationTable.Resized)
    def refit(self) -> None:
        """A new width: rebuild the table only when its columns must change."""
        if self.listing is None:
            return
        padding = 2 * self.query_one(DataTable).cell_padding
        if fit_widths(self.natural, self.room(), padding) != self.widths:
            self.render_rows()

    def header(self, key: str, label: str) -> Text:
        if key != self.sort_key:
            return Text(label)
        return Text(f"{label} {'▼' if self.sort_reverse else '▲'}", style="bold")

    def show_state(self) -> None:
        table = self.query_one(DataTable)
        empty = self.query_one("#integrations-empty", Static)
        live = sum(1 for r in self.rows if r.revoked_at is None)
        revoked = len(self.rows) - live
        nothing = live == 0 and (revoked == 0 or not self.show_revoked)
        empty.display = nothing and not self.filter_text
        table.display = not empty.display
        table.disabled = empty.display  # hidden, it must not hold the focus (or offer its keys)
        parts = [f"{live:,} integration{'s' if live != 1 else ''}"]
        if revoked:
            parts.append(f"{revoked:,} revoked ({'shown' if self.show_revoked else 'hidden'}, v)")
        if self.filter_text:
            parts.append(f"{len(self.shown):,} matching “{markup_safe(self.filter_text)}”")
        label = dict(COLUMNS)[self.sort_key].lower()
        parts.append(f"sorted by {label} {'▼' if self.sort_reverse else '▲'} (s, o)")
        status = self.query_one("#list-status", Static)
        if empty.display:
            status.update(f"{revoked:,} revoked (hidden, v)" if revoked else "")
        elif self.filter_text and not self.shown:
            status.update(" · ".join(parts[:-1]) + " · [b]no match[/b] (esc clears)")
        else:
            status.update(" · ".join(parts))
        if nothing and revoked and not self.filter_text:
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

    @on(DataTable.HeaderSelected)
    def header_clicked(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        key = event.column_key.value
        if key == self.sort_key:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_key, self.sort_reverse = key, False
        self.resort()

    # -- filter, sort, show revoked ----------------------------------------------------

    def action_filter(self) -> None:
        self.show_filter(True)
        self.query_one("#integrations-filter", Input).focus()

    def show_filter(self, shown: bool) -> None:
        """Hidden, the filter box is also disabled, so that focus can never land in it."""
        box = self.query_one("#integrations-filter", Input)
        box.display = shown
        box.disabled = not shown

    @on(Input.Changed, "#integrations-filter")
    def filter_typed(self, event: Input.Changed) -> None:
        event.stop()
        if self.filter_timer is not None:
            self.filter_timer.stop()
        delay = FILTER_DELAY if len(self.rows) > 2000 else 0
        if delay:
            self.filter_timer = self.set_timer(delay, lambda: self.apply_filter(event.value))
        else:
            self.apply_filter(event.value)

    def apply_filter(self, text: str) -> None:
        self.filter_timer = None
        if text != self.filter_text:
            self.filter_text = text
            self.render_rows()

    @on(Input.Submitted, "#integrations-filter")
    def filter_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.apply_filter(event.value)
        self.focus_list()
        self.show_filter(bool(event.value))

    def on_key(self, event) -> None:
        box = self.query_one("#integrations-filter", Input)
        if event.key == "escape" and box.has_focus:
            event.stop()
            box.value = ""
            self.apply_filter("")
            self.focus_list()
            self.show_filter(False)
        elif event.key == "down" and box.has_focus:
            event.stop()
            self.focus_list()

    def on_screen_resume(self) -> None:
        if self.focused is None or not self.focused.display:
            self.focus_list()

    def focus_list(self) -> None:
        table = self.query_one(DataTable)
        if table.display:
            table.focus()
        else:
            self.set_focus(None)

    def action_toggle_revoked(self) -> None:
        self.show_revoked = not self.show_revoked
        self.render_rows()
        shown = sum(1 for r in self.rows if r.revoked_at is not None)
        self.notify(f"Showing {shown} revoked integration{'s' if shown != 1 else ''}." if self.show_revoked
                    else "Revoked integrations are hidden.", timeout=3)

    def action_sort(self) -> None:
        keys = [key for key, _ in COLUMNS]
        self.sort_key = keys[(keys.index(self.sort_key) + 1) % len(keys)]
        self.sort_reverse = False
        self.resort()

    def action_reverse_sort(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self.resort()

    def resort(self) -> None:
        """Reorder the rows in place (no rebuild: instant with 10,000 rows); the cursor stays
        on the same integration."""
        table = self.query_one(DataTable)
        current = self.current_row()
        row_of_cell = {id(self.cell_cache[r.id][0]): r for r in self.shown}
        table.sort(key=lambda values: self.sort_value(row_of_cell[id(values[0])]), reverse=self.sort_reverse)
        self.shown = sorted(self.shown, key=self.sort_value, reverse=self.sort_reverse)
        for key, label in COLUMNS:
            if key in table.columns:
                table.columns[key].label = self.header(key, label)
        table.refresh()
        if current is not None:
            table.move_cursor(row=self.shown.index(current), animate=False)
        self.show_state()
        self.refresh_bindings()

    # -- what the footer and palette offer ----------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.listing is None:  # still loading: only the filter can be typed ahead
            return action == "filter" or action not in {a for _, _, a in self.PALETTE}
        if action in self.ROW_ACTIONS:
            row = self.current_row()
            if row is None or self.query_one("#integrations-filter", Input).has_focus:
                return False
            return action in allowed_actions(row.state(self.app.clock.now()))
        if action in ("filter", "sort", "reverse_sort"):
            return bool(self.rows)  # nothing to filter or sort yet
        if action == "toggle_revoked":
            return any(r.revoked_at is not None for r in self.rows)
        return True

    def is_loaded(self) -> bool:
        return self.listing is not None

    def why_not(self, title: str) -> str:
        """Why a palette command does not apply now (said when it is chosen anyway)."""
        action = next(a for t, _, a in self.PALETTE if t == title)
        if action in ("filter", "sort", "reverse_sort"):
            return "There are no integrations yet: create one with n."
        if action == "toggle_revoked":
            if not any(r.revoked_at is not None for r in self.rows):
                return "No integration has been revoked."
            return f"Revoked integrations are already {'shown' if self.show_revoked else 'hidden'}."
        row = self.current_row()
        if row is None:
            return "Select an integration in the list first."
        state = row.state(self.app.clock.now())
        if state == IntegrationState.REVOKED:
            return f"“{row.name}” is revoked; nothing more can change."
        if action in ("cancel_rotation", "expire_old"):
            return f"“{row.name}” is not being rotated."
        return f"“{row.name}” is being rotated: cancel the rotation or expire the old token first."

    def palette_commands(self):
        """(title, help, callback) for each action that makes sense now."""
        row = self.current_row()
        for title, help_text, action in self.PALETTE:
            if self.check_action(action, ()) is not True:
                continue
            if action == "toggle_revoked" and (title.startswith("Show") == self.show_revoked):
                continue
            if action in self.ROW_ACTIONS and row is not None:
                help_text = f"{help_text} · “{row.name}”"
            yield title, help_text, getattr(self, f"action_{action}")

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
            created = await self.app.push_screen_wait(IntegrationFormModal(self.submit_create))
            if created is None:
                say_cancelled(self, "no integration was created.")
                return
            integration_id, name, token = created
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
                                         values.description)
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
        if row is None or row.state(self.app.clock.now()) != IntegrationState.ACTIVE:
            return
        later = format_instant(self.app.clock.now() + timedelta(days=7), self.listing.account.timezone)
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
            hidden = "" if self.show_revoked else " It is hidden from the list; press v to see it."
            self.notify(f"“{row.name}” is revoked: its token no longer works.{hidden}",
                        title="Integration revoked")

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


def fit_widths(natural: dict[str, int], room: int, padding: int) -> dict[str, int]:
    """The width of each column to show, so that all fit in `room` cells (each column also
    takes `padding`). The scopes give way first: cut down to SCOPES_MIN, then hidden; then the
    token is hidden; then name, created and status are cut, down to CUT_MIN. Last used stays whole."""
    widths = dict(natural)

    def over() -> int:
        return sum(width + padding for width in widths.values()) - room

    if over() > 0:
        widths["scopes"] = max(SCOPES_MIN, widths["scopes"] - over())
    for key in ("scopes", "token"):
        if over() > 0:
            del widths[key]
    for key, least in CUT_MIN.items():
        if over() > 0:
            widths[key] = max(min(least, natural[key]), widths[key] - over())
    return widths
