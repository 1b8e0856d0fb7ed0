"""The audit log: every change, newest first, a page at a time.

Pages come from `domain.audit_query` (keyset pagination: a page is one index
seek, however long the trail). Filters, export and the integrity check run in
workers; the database stack is imported only inside them. Each load and each
check also asks this client's witness (aesthetix_tui/witness.py) whether the
history it saw before is still there; if not, the banner says so.

This file holds the screen; its dialogs are in ui/modals/audit_filter.py and
ui/modals/audit_export.py, the file writing in domain/audit_export_file.py, and
the styles of all three in ui/audit_log.tcss.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.reactive import var
from textual.widgets import DataTable, Header, Static

from aesthetix_tui import witness
from aesthetix_tui.domain.audit_export_file import write_export
from aesthetix_tui.domain.dates import format_instant, local_today, plural
from aesthetix_tui.domain.errors import DomainError
from aesthetix_tui.ui.modals.audit_export import AuditExportModal
from aesthetix_tui.ui.modals.audit_filter import AuditFilterModal
from aesthetix_tui.ui.modals.confirm import ConfirmModal
from aesthetix_tui.ui.palette import Command
from aesthetix_tui.ui.screens.account_screen import AccountScreen
from aesthetix_tui.ui.shown import literal, markup_safe, visible
from aesthetix_tui.ui.widgets.key_bar import HEADER_ICON, KeyBar

# (key, header, widest it may get); details takes what is left
COLUMNS = [("seq", "#", 9), ("time", "Time", 17), ("actor", "Actor", 20), ("action", "Action", 24),
           ("target", "Target", 14), ("details", "Details", 200)]
MIN_DETAILS = 12
SHRINKABLE = {2: 10, 3: 16, 4: 10}  # column index: the narrowest it may get
CONTEXT_ROWS = 10  # newer events shown above a broken entry


ACTION = 3  # the Action column's index
LAST_SEQ = 2**63 - 1  # select_seq for the newest event of a page; 0 selects the oldest


class AuditTable(DataTable):
    """One page of events (at most 50 rows), newest first."""


def short_action(action: str, width: int) -> str:
    """An action cut to `width` keeping what tells events apart, the verb after the last dot:
    support_access.extended -> suppor….extended (a plain cut would leave support_access.…)."""
    if len(action) <= width or "." not in action:
        return action
    tail = action[action.rindex("."):]
    head = width - 1 - len(tail)
    return action[:head] + "…" + tail if head > 0 else "…" + tail[len(tail) - width + 1:]


# -- the screen --------------------------------------------------------------------------------

class AuditLogScreen(AccountScreen):
    """Newest first, 50 events a page. Keys page, jump, filter, export and verify."""

    NAME = "audit"
    PROBLEM_AT = "#audit-status"
    PROBLEM_HINT = ""
    CSS_PATH = "../audit_log.tcss"  # with its dialogs' styles (AuditFilterModal, AuditExportModal)

    BINDINGS: ClassVar[list[BindingType]] = [
        Command("pagedown,n", "older", "Older", id="audit.next_page", tooltip="Older audit events (next page)",
                priority=True, title="Older audit events", help="The next page: older events"),
        Command("pageup,p", "newer", "Newer", id="audit.previous_page",
                tooltip="Newer audit events (previous page)", priority=True, title="Newer audit events",
                help="The previous page: newer events"),
        Command("home", "newest", "Newest", id="audit.newest", tooltip="Newest audit events", priority=True,
                show=False, help="Jump to the newest events"),
        Command("end", "oldest", "Oldest", id="audit.oldest", tooltip="Oldest audit events", priority=True,
                show=False, help="Jump to the oldest events"),
        Command("f", "filter", "Filter", id="audit.filter", tooltip="Filter the audit log",
                title="Filter audit log", help="By action, actor and date range"),
        Command("c", "clear_filters", "Clear", id="audit.clear_filters", tooltip="Clear audit log filters",
                help="Show every event again"),
        Command("x", "export", "Export", id="audit.export", tooltip="Export the audit log (CSV or JSON)",
                title="Export audit log", help="Write every event to a CSV or JSON file"),
        Command("v", "verify", "Verify", id="audit.verify", tooltip="Verify integrity",
                help="Check the audit trail's hash chain"),
    ]

    # What the keys depend on (bindings=True: the footer and the palette follow them).
    page = var(None, always_update=True, bindings=True)  # the AuditPage shown
    filters = var(None, bindings=True)  # AuditFilters, once chosen
    new_events = var(False, init=False, bindings=True)  # newer events arrived while an older page is shown
    verifying = var(False, bindings=True)

    def __init__(self) -> None:
        super().__init__(id="audit-screen")
        self.account = None
        self.at_newest = True  # follow new events while on the newest page
        self.marker: int | None = None
        self.broken_seq: int | None = None
        self.witness_problem = ""  # the history was rewritten since this client saw it
        self.load_began = 0.0
        self.load_seconds: float | None = None  # the last page's query and render, for tests and tuning

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        with Vertical(id="audit-body"):
            yield Static("Opening the database…", id="audit-status")
            yield Static("", id="audit-verify")
            table = AuditTable(id="audit-table", cursor_type="row", zebra_stripes=True)
            table.border_title = "Audit log"
            yield table
            yield Static("", id="audit-detail")
        yield KeyBar()

    def on_resize(self) -> None:
        if self.page is not None:
            self.render_page()

    # -- data -------------------------------------------------------------------------

    async def read(self, account, where: str = "newest", seq: int | None = None, select_seq: int | None = None):
        """where: newest, oldest, older (than seq) or newer (than seq)."""
        self.load_began = time.perf_counter()
        from aesthetix_tui.domain import audit_query, profile

        filters = self.filters or audit_query.NO_FILTERS
        tz = account.timezone
        target, clock = self.app.target, self.app.clock

        def query(session):
            marker = profile.marker(session, account.id)
            if where == "oldest":
                page = audit_query.oldest_page(session, account.id, filters, tz=tz)
            elif where == "older":
                page = audit_query.page(session, account.id, filters, before_seq=seq, tz=tz)
            elif where == "newer":
                page = audit_query.page(session, account.id, filters, after_seq=seq, tz=tz)
            else:
                page = audit_query.page(session, account.id, filters, tz=tz)
            return marker, page, witness.check_and_advance(session, target, account, clock)

        return (account, *await self.app.gate.read(query), select_seq)

    def show(self, data) -> None:
        account, marker, page, seen, select_seq = data
        self.account = account
        self.marker = marker
        self.page = page
        self.at_newest = not page.has_newer
        self.new_events = False if self.at_newest else self.new_events
        self.show_witness(seen)
        self.render_page(select_seq)
        self.load_seconds = time.perf_counter() - self.load_began

    def is_loaded(self) -> bool:
        return self.page is not None

    def watched(self) -> tuple[int, int]:
        return self.account.id, self.marker

    def changed_elsewhere(self, marker: int) -> None:
        """Follow new events on the newest page; elsewhere, say they are there."""
        if self.at_newest:
            self.load()
        else:
            self.marker = marker
            self.new_events = True  # said in the status line (watch_new_events)

    def watch_new_events(self) -> None:
        if self.page is not None:
            self.show_status()

    def show_witness(self, seen) -> None:
        """A rewritten history in the banner (and once as a notice); cleared if it is gone."""
        banner = self.query_one("#audit-verify", Static)
        if seen.ok:
            if self.witness_problem and banner.has_class("-broken") and self.broken_seq is None:
                banner.set_classes("")
                banner.update("")
            self.witness_problem = ""
            return
        if seen.problem != self.witness_problem:
            self.notify(seen.problem, severity="error", title="Audit history rewritten", timeout=15)
        self.witness_problem = seen.problem
        if not self.verifying and self.broken_seq is None:
            banner.set_classes("-broken")
            banner.update(f"✗ {markup_safe(seen.problem)}")

    # -- the table ---------------------------------------------------------------------

    def cells(self, event) -> list[Text]:
        from aesthetix_tui.domain.audit import actor_text
        from aesthetix_tui.domain.audit_query import summarize

        if event.seq == self.broken_seq:
            seq = Text(f"✗{event.seq}", style="bold red", justify="right")
        else:
            seq = Text(str(event.seq), justify="right")
        actor = Text.assemble(visible(actor_text(event)), (f" ({visible(event.actor_kind)})", "dim"))
        when = format_instant(event.at, self.account.timezone).split(" ", 1)[1]  # the weekday is in the detail
        action = event.action
        prefix = self.filters.action_prefix if self.filters is not None else None
        if prefix and action.startswith(prefix) and action != prefix:
            action = action[len(prefix):]  # the status line names the filter's prefix
        return [seq, Text(when), actor, literal(action), literal(event.target),
                literal(summarize(event.details, 200))]

    def render_page(self, select_seq: int | None = None) -> None:
        table = self.query_one(AuditTable)
        rows = [self.cells(e) for e in self.page.events]
        keep = select_seq
        if keep is None and table.row_count and self.page.events:
            current = self.current_event()
            keep = current.seq if current else None
        table.clear(columns=True)
        widths = []
        for index, (key, label, cap) in enumerate(COLUMNS[:-1]):
            widest = max((c[index].cell_len for c in rows), default=0)
            widths.append(max(len(label), min(widest, cap)))
        # Details gets the rest of the line: border 2, scrollbar 2, 1 cell padding each side.
        room = self.size.width - 2 - 2 - 2 * len(COLUMNS) - sum(widths)
        while room < MIN_DETAILS:  # a narrow terminal: the widest of actor/action/target gives way
            index = max(SHRINKABLE, key=lambda i: widths[i] - SHRINKABLE[i])
            if widths[index] <= SHRINKABLE[index]:
                break
            widths[index] -= 1
            room += 1
        widths.append(max(MIN_DETAILS, room))
        for (key, label, _), width in zip(COLUMNS, widths):
            table.add_column(label, key=key, width=width)
        for cells in rows:  # a cut value ends in "…", so it is never mistaken for a whole one
            cells[ACTION] = literal(short_action(cells[ACTION].plain, widths[ACTION]))
            for cell, width in zip(cells, widths):
                cell.truncate(width, overflow="ellipsis")
        table.add_rows(rows)
        if keep is not None and rows:
            # The newest event at or before `keep`; the oldest row when all are newer (keep 0).
            index = next((i for i, e in enumerate(self.page.events) if e.seq <= keep), len(rows) - 1)
            table.move_cursor(row=index, animate=False)
        self.show_status()
        self.show_detail()
        if self.is_current and self.focused is None:
            table.focus()

    def show_status(self) -> None:
        status = self.query_one("#audit-status", Static)
        page = self.page
        filtered = self.filters is not None and self.filters.active
        where = f" · filtered: {markup_safe(self.filters.describe())} (c clears)" if filtered else ""
        if not page.events:
            status.update(("No event matches these filters." if filtered else "No events yet.") + where)
            return
        place = []
        if not page.has_newer:
            place.append("newest")
        if not page.has_older:
            place.append("oldest")
        shown = f"#{page.newest_seq:,}" + (f" to #{page.oldest_seq:,}" if page.oldest_seq != page.newest_seq else "")
        text = f"Newest first · {plural(len(page.events), 'event')}, {shown}"
        if place:
            text += f" ({' and '.join(place)})"
        text += where
        if self.new_events:
            text += " · [b]new events: home[/b]"
        status.update(text)

    def current_event(self):
        table = self.query_one(AuditTable)
        if self.page is None or not self.page.events:
            return None
        index = table.cursor_row
        return self.page.events[index] if 0 <= index < len(self.page.events) else None

    @on(DataTable.RowHighlighted)
    def row_moved(self) -> None:
        self.show_detail()

    def show_detail(self) -> None:
        detail = self.query_one("#audit-detail", Static)
        event = self.current_event()
        if event is None:
            detail.update("")
            return
        from aesthetix_tui.domain.audit import actor_text
        from aesthetix_tui.domain.audit_query import summarize

        head = (f"#{event.seq} · {format_instant(event.at, self.account.timezone)} · "
                f"{actor_text(event)} ({event.actor_kind}) · {event.action} · {event.target}")
        text = Text(visible(head) + "\n" + visible(summarize(event.details, 400)))
        if event.seq == self.broken_seq:
            text = Text.assemble(("✗ the first broken entry · ", "bold red"), text)
        detail.update(text)

    # -- what the footer and palette offer ----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        page = self.page
        if page is None:
            return not self.is_command(action) or None
        rules = {
            "older": page.has_older,
            "newer": page.has_newer or self.new_events,
            "newest": bool(page.events) or self.new_events,
            "oldest": bool(page.events),
            "clear_filters": self.filters is not None and self.filters.active,
            "verify": not self.verifying,
        }
        allowed = rules.get(action, True)
        if action == "clear_filters":
            return allowed  # hidden when there is nothing to clear
        return True if allowed else None

    def why_not_now(self, action: str) -> str:
        return {
            "older": "These are the oldest events.",
            "oldest": "No event is shown.",
            "newer": "These are the newest events.",
            "newest": "No event is shown.",
            "clear_filters": "No filter is set.",
            "verify": "The check is already running.",
        }.get(action, "This does not apply now.")

    # -- paging --------------------------------------------------------------------------

    def action_older(self) -> None:
        if self.page is not None and self.page.has_older:
            self.load("older", self.page.oldest_seq)

    def action_newer(self) -> None:
        if self.page is not None and (self.page.has_newer or self.new_events):
            if self.page.events:
                self.load("newer", self.page.newest_seq)
            else:
                self.load()

    def action_newest(self) -> None:
        """Home: the newest event (on this page, or by loading the newest page)."""
        if self.page is None:
            return
        if self.page.has_newer or self.new_events:
            self.load("newest", None, LAST_SEQ)
        elif self.page.events:
            self.query_one(AuditTable).move_cursor(row=0, animate=False)

    def action_oldest(self) -> None:
        """End: the oldest event (on this page, or by loading the oldest page)."""
        if self.page is None:
            return
        if self.page.has_older:
            self.load("oldest", None, 0)
        elif self.page.events:
            self.query_one(AuditTable).move_cursor(row=len(self.page.events) - 1, animate=False)

    # -- filters ----------------------------------------------------------------------------

    @work(exclusive=True, group="audit-action")
    async def action_filter(self) -> None:
        if self.account is None:
            return
        from aesthetix_tui.domain import audit_query

        account_id = self.account.id

        def choices(session):
            return (audit_query.actions_for_choice(audit_query.distinct_actions(session, account_id)),
                    audit_query.distinct_actors(session, account_id))

        try:
            actions, actors = await self.app.gate.call(choices)
        except DomainError:
            actions, actors = list(audit_query.KNOWN_ACTIONS), []
        chosen = await self.app.push_screen_wait(
            AuditFilterModal(self.filters, self.account.timezone, actions, actors))
        if chosen is None:
            return
        self.apply_filters(chosen)

    def apply_filters(self, filters) -> None:
        self.filters = filters if filters.active else None
        self.load()

    def action_clear_filters(self) -> None:
        if self.filters is not None:
            self.filters = None
            self.load()
            self.notify("Filters cleared: every event is shown.")

    # -- export --------------------------------------------------------------------------

    @work(exclusive=True, group="audit-action")
    async def action_export(self) -> None:
        if self.account is None:
            return
        today = local_today(self.app.clock.now(), self.account.timezone)
        choice = await self.app.push_screen_wait(AuditExportModal(f"~/aesthetix-audit-{today:%Y%m%d}"))
        if choice is None:
            return
        path = Path(choice.path).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        if path.is_file():
            replace = await self.app.push_screen_wait(ConfirmModal(
                "Replace the file?", f"{path} exists. Exporting replaces it with the whole audit log.",
                "Replace file", danger=True, id="export-replace"))
            if not replace:
                return
        # A long trail takes a while: say so, unless it is done at once.
        slow = self.set_timer(0.5, lambda: self.notify(f"Exporting the audit log to {path}…", timeout=4))
        try:
            count = await self.app.gate.call(write_export, self.account.id, choice.fmt, path)
        except DomainError as error:
            slow.stop()
            self.notify(error.message, severity="error", title="Not exported", timeout=10)
            return
        slow.stop()
        self.notify(f"Wrote {plural(count, 'event')} to {path}.", title="Audit log exported", timeout=10)

    # -- integrity ------------------------------------------------------------------------

    @work(exclusive=True, group="audit-verify")
    async def action_verify(self) -> None:
        if self.account is None or self.verifying:
            return
        self.verifying = True
        banner = self.query_one("#audit-verify", Static)
        banner.set_classes("-running")
        banner.update("Verifying the hash chain of every event…")
        account_id = self.account.id
        target, clock = self.app.target, self.app.clock

        def check(session):
            from aesthetix_tui.domain import accounts, audit

            account = accounts.get(session, account_id)
            report = audit.verify(session, account)
            return report, witness.check_and_advance(session, target, account, clock, advance_on_ok=report.ok)

        try:
            report, seen = await self.app.gate.call(check)
        except DomainError as error:
            banner.set_classes("-broken")
            banner.update(f"✗ The check could not run: {markup_safe(error.message)}")
            return
        finally:
            self.verifying = False
        self.witness_problem = "" if seen.ok else seen.problem
        if report.ok and not seen.ok:  # the chain holds together, but it is not the one seen before
            self.broken_seq = None
            banner.set_classes("-broken")
            banner.update(f"✗ {markup_safe(seen.problem)}")
            self.notify(seen.problem, severity="error", title="Integrity check failed", timeout=15)
            if self.page is not None:
                self.render_page()
            return
        if report.ok:
            self.broken_seq = None
            banner.set_classes("-ok")
            warned = f" Warning: {report.warnings[0]}" if report.warnings else ""
            more = f" (+{len(report.warnings) - 1} more: `aesthetix-tui audit verify`)" if len(report.warnings) > 1 else ""
            banner.update(f"✓ {markup_safe(report.message + warned + more)}")
            self.notify(report.message + warned, title="Integrity verified",
                        severity="warning" if warned else "information")
            if self.page is not None:
                self.render_page()
            return
        self.broken_seq = report.broken_seq
        banner.set_classes("-broken")
        also = "" if seen.ok else f" {seen.problem}"
        banner.update(f"✗ {markup_safe(report.message)} The row is marked below.{markup_safe(also)}")
        self.notify(report.message + also, severity="error", title="Integrity check failed", timeout=15)
        # Show the first broken entry, unfiltered, with some newer events above it.
        self.filters = None
        self.load("older", report.broken_seq + 1 + CONTEXT_ROWS, select_seq=report.broken_seq)
