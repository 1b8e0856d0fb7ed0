"""The Accounts list as the screen shows it: which rows, in which order.

Plain Python (no Textual): the screen holds one AccountRows and draws what it says; filtering
and sorting are tested without an app. Rows are accounts_overview.AccountSummary values.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from aesthetix_tui.domain.support_status import SupportState

# (key, header); how a narrow screen fits them: see fit_widths
COLUMNS = [
    ("name", "Account"),
    ("timezone", "Timezone"),
    ("support", "Support Access"),
    ("session", "Session"),
    ("integrations", "Integrations"),
    ("legacy", "API V1"),
    ("deprecated", "Deprecated on"),
]
WIDTH_CAPS = {"name": 28, "timezone": 20, "session": 24, "deprecated": 20}  # cut with "…" beyond
# Cut in this order, down to; "Deprecated on" only once Timezone is hidden (it says more).
CUT_MIN = {"timezone": 10, "deprecated": 10, "session": 12, "name": 12}
HIDE_ORDER = ("timezone", "deprecated", "integrations", "legacy", "session")  # then hidden in this order
SORT_KEYS = [key for key, _ in COLUMNS]


@dataclass(frozen=True, eq=False)
class AccountRows:
    """Every account and the user's view of them: filter and sort. Frozen: each change is a new value."""

    rows: tuple = ()
    filter_text: str = ""
    sort_key: str = "name"
    sort_reverse: bool = False
    loaded: int = 0

    def sort_value(self, row):
        key = self.sort_key
        name = (row.name.casefold(), row.id)
        if key == "timezone":
            return (row.timezone, *name)
        if key == "support":
            return (SupportState(row.support_state).rank, row.support_until or date.max, *name)
        if key == "session":
            return (row.session is None, row.session.started_at if row.session else 0, *name)
        if key == "integrations":
            return (row.stale_integrations, row.active_integrations, *name)
        if key == "legacy":
            return (not row.legacy_key_on, not row.legacy_key_exists, *name)
        if key == "deprecated":
            return (len(row.features_on), *name)
        return name

    def visible(self) -> list:
        """The rows to show, in order: names (or timezones) containing the filter."""
        text = self.filter_text.strip().casefold()
        rows = self.rows
        if text:
            rows = [r for r in rows if text in r.name.casefold() or text in r.timezone.casefold()]
        return sorted(rows, key=self.sort_value, reverse=self.sort_reverse)

    def with_rows(self, rows) -> AccountRows:
        return replace(self, rows=tuple(rows), loaded=self.loaded + 1)

    def with_filter(self, text: str) -> AccountRows:
        return replace(self, filter_text=text)

    def sort_by(self, key: str) -> AccountRows:
        if key == self.sort_key:
            return self.reversed()
        return replace(self, sort_key=key, sort_reverse=False)

    def sort_by_next(self) -> AccountRows:
        """The next column, ascending (the `s` key)."""
        return replace(self, sort_key=SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)],
                       sort_reverse=False)

    def reversed(self) -> AccountRows:
        return replace(self, sort_reverse=not self.sort_reverse)

    def header(self, key: str, label: str) -> tuple[str, bool]:
        if key != self.sort_key:
            return label, False
        return f"{label} {'▼' if self.sort_reverse else '▲'}", True


def natural_widths(row_cells: list[tuple], sort_key: str) -> dict[str, int]:
    """Each column's width with nothing cut: its widest cell (capped), at least its header (and
    " ▲" on the column sorted by)."""
    widths = {}
    for index, (key, label) in enumerate(COLUMNS):
        widest = max((c[index].cell_len for c in row_cells), default=0)
        header = len(label) + (2 if key == sort_key else 0)
        widths[key] = max(header, min(widest, WIDTH_CAPS.get(key, widest)))
    return widths


def fit_widths(natural: dict[str, int], room: int, padding: int) -> dict[str, int]:
    """The width of each column to show, so that all fit in ROOM cells (each column also takes
    PADDING): the fewest columns hidden (HIDE_ORDER), then the rest cut (CUT_MIN) as little as
    needed. The account's name and its Support Access always show; the detail line under the
    table says everything about the highlighted account."""
    for hidden in range(len(HIDE_ORDER) + 1):
        widths = {key: width for key, width in natural.items() if key not in HIDE_ORDER[:hidden]}
        for key, least in CUT_MIN.items():
            over = sum(width + padding for width in widths.values()) - room
            if over <= 0:
                return widths
            if key in widths and not (key == "deprecated" and "timezone" in widths):
                widths[key] = max(min(least, natural[key]), widths[key] - over)
        if sum(width + padding for width in widths.values()) <= room:
            return widths
    return widths
