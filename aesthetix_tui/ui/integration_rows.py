"""The Private Integrations list as the screen shows it: which rows, in which order, in which columns.

Plain Python (no Textual): the screen holds one IntegrationRows and draws what it says, and
tests check filtering, sorting and column fitting without an app.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from aesthetix_tui.domain import integration_expiry
from aesthetix_tui.domain.integration_state import IntegrationState
from aesthetix_tui.domain.stale import StaleRule

# (key, header); how a narrow list fits them: see fit_widths
COLUMNS = [
    ("name", "Name"),
    ("status", "Status"),
    ("token", "Token"),
    ("scopes", "Scopes"),
    ("last_used", "Last used"),
    ("created", "Created"),
]
SORT_KEYS = [key for key, _ in COLUMNS]
WIDTH_CAPS = {"name": 24, "created": 20}  # longer names and creators are cut with "…"
SCOPES_MIN = 8  # "3 scopes"; narrower, the scopes column is hidden (the detail view lists them)
CUT_MIN = {"name": 10, "created": 10, "status": 12}  # the least they are cut to, in this order
STATE_ORDER = {IntegrationState.ACTIVE: 0, IntegrationState.ROTATING: 1, IntegrationState.EXPIRED: 2,
               IntegrationState.REVOKED: 3}


@dataclass(frozen=True, eq=False)
class IntegrationRows:
    """Every row (revoked included) and the user's view of them: filter, sort, revoked shown.

    Frozen: each change is a new value (`with_*`, `sort_by*`), so a screen can hold it in one
    reactive and redraw when it is replaced.
    """

    rows: tuple = ()
    filter_text: str = ""
    sort_key: str = "name"
    sort_reverse: bool = False
    show_revoked: bool = False
    loaded: int = 0  # how many times rows were given: new rows are a rebuild, even if equal
    stale_rule: StaleRule = StaleRule()  # the account's settings (domain/stale.py)
    only_stale: bool = False  # show only the stale integrations (the S key)

    @property
    def live(self) -> int:
        return sum(1 for r in self.rows if r.revoked_at is None)

    @property
    def revoked(self) -> int:
        return len(self.rows) - self.live

    def is_stale(self, row, now: datetime) -> bool:
        return self.stale_rule.is_stale(row, now)

    def stale(self, now: datetime) -> int:
        """How many integrations are stale now (never a revoked one)."""
        return sum(1 for r in self.rows if self.is_stale(r, now))

    def sort_value(self, row, now: datetime):
        key = self.sort_key
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

    def visible(self, now: datetime) -> list:
        """The rows to show, in order: revoked ones only when shown, names containing the filter."""
        text = self.filter_text.strip().casefold()
        rows = self.rows
        if not self.show_revoked:
            rows = [r for r in rows if r.revoked_at is None]
        if self.only_stale:
            rows = [r for r in rows if self.is_stale(r, now)]
        if text:
            rows = [r for r in rows if text in r.name.casefold()]
        return self.ordered(rows, now)

    def ordered(self, rows, now: datetime) -> list:
        return sorted(rows, key=lambda row: self.sort_value(row, now), reverse=self.sort_reverse)

    def with_rows(self, rows, stale_rule: StaleRule | None = None) -> IntegrationRows:
        return replace(self, rows=tuple(rows), loaded=self.loaded + 1, stale_rule=stale_rule or self.stale_rule)

    def with_only_stale(self, only: bool) -> IntegrationRows:
        return replace(self, only_stale=only)

    def with_filter(self, text: str) -> IntegrationRows:
        return replace(self, filter_text=text)

    def with_revoked_shown(self, shown: bool) -> IntegrationRows:
        return replace(self, show_revoked=shown)

    def sort_by(self, key: str) -> IntegrationRows:
        """A column chosen (a header clicked): the same one again reverses the order."""
        if key == self.sort_key:
            return self.reversed()
        return replace(self, sort_key=key, sort_reverse=False)

    def sort_by_next(self) -> IntegrationRows:
        """The next column, ascending (the `s` key)."""
        return replace(self, sort_key=SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)],
                       sort_reverse=False)

    def reversed(self) -> IntegrationRows:
        return replace(self, sort_reverse=not self.sort_reverse)

    def same_rows_as(self, other: IntegrationRows) -> bool:
        """The same rows shown, perhaps in another order (a re-sort, not a rebuild)."""
        return (self.loaded == other.loaded and self.filter_text == other.filter_text
                and self.show_revoked == other.show_revoked and self.only_stale == other.only_stale)

    def next_expiry(self, now: datetime, tz: str = "UTC") -> datetime | None:
        """When a status next reads differently (an old token of a rotation ends; a token's
        expiry warning starts, counts a day down, or the token ends), or None."""
        pending = [r.old_expires_at for r in self.rows if r.state(now) == IntegrationState.ROTATING]
        pending += [integration_expiry.next_change(r.expires_at, now, tz) for r in self.rows
                    if r.revoked_at is None and r.expires_at is not None]
        pending = [when for when in pending if when is not None]
        return min(pending) if pending else None

    def header(self, key: str, label: str) -> tuple[str, bool]:
        """A column's header text, and whether it is the sorted one (drawn bold)."""
        if key != self.sort_key:
            return label, False
        return f"{label} {'▼' if self.sort_reverse else '▲'}", True


def natural_widths(row_cells: list[tuple]) -> dict[str, int]:
    """Each column's width with nothing cut: its widest cell (capped), at least its header + "▲"."""
    widths = {}
    for index, (key, label) in enumerate(COLUMNS):
        widest = max((c[index].cell_len for c in row_cells), default=0)
        widths[key] = max(len(label) + 2, min(widest, WIDTH_CAPS.get(key, widest)))
    return widths


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
