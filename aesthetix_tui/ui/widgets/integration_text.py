"""How a Private Integration reads on screen: cells, status lines, history sentences.

Works on integration_list.Row objects; imports no database code. Stored text in a cell goes
through visible(); the sentences are made visible where they are shown (ui/shown.py).
"""

from __future__ import annotations

from datetime import datetime

from rich.cells import cell_len
from rich.measure import Measurement
from rich.text import Text
from textual.color import Color, ColorParseError

from aesthetix_tui.domain import integration_expiry
from aesthetix_tui.domain.dates import format_day, format_instant, local_today, plural, short_day, zone
from aesthetix_tui.domain.integration_state import IntegrationState
from aesthetix_tui.domain.text import visible


def hint_text(hint: str | None) -> str:
    """pit-abcd is shown as pit-…abcd: clearly only the end of a token."""
    if not hint:
        return "—"
    return f"pit-…{hint[4:]}" if hint.startswith("pit-") else f"…{hint}"


def local_short_day(when: datetime, tz: str, year: int | None = None) -> str:
    """The day of WHEN in TZ, as dates.short_day says it (26 Nov when `year` is the current year)."""
    return short_day(local_today(when, tz), year)


def short_instant(when: datetime, tz: str, year: int | None = None) -> str:
    return f"{local_short_day(when, tz, year)} {when.astimezone(zone(tz)):%H:%M}"


def scopes_text(scopes, width: int | None = None) -> str:
    """The scopes in at most `width` cells: every name if they fit, else the first names and
    "+2 more", else "3 scopes"; a single name that does not fit is cut by the cell ("…")."""
    names = list(scopes)
    full = ", ".join(names)
    if width is None or cell_len(full) <= width:
        return full
    for shown in range(len(names) - 1, 0, -1):
        text = f"{', '.join(names[:shown])}, +{len(names) - shown} more"
        if cell_len(text) <= width:
            return text
    return f"{len(names)} scopes" if len(names) > 1 else full


class ScopesCell:
    """A table cell that writes the scopes to fit the column's width (scopes_text).
    str() gives every name."""

    def __init__(self, scopes, style: str = "") -> None:
        self.names = [visible(name) for name in scopes]
        self.style = style
        self.full = ", ".join(self.names)
        self.cell_len = cell_len(self.full)

    def __str__(self) -> str:
        return self.full

    def __rich_console__(self, console, options):
        yield Text(scopes_text(self.names, options.max_width), style=self.style, no_wrap=True,
                   overflow="ellipsis", end="")

    def __rich_measure__(self, console, options) -> Measurement:
        return Measurement(min(self.cell_len, 8), self.cell_len)


def status_words(row, now: datetime, tz: str, long: bool = False) -> str:
    state = row.state(now)
    year = now.astimezone(zone(tz)).year
    if state == IntegrationState.ROTATING:
        if long:
            return f"rotating (the old token is valid until {format_instant(row.old_expires_at, tz)})"
        return f"rotating (old until {local_short_day(row.old_expires_at, tz, year)})"
    if state == IntegrationState.REVOKED:
        if long:
            return f"revoked on {format_instant(row.revoked_at, tz)} by {row.revoked_by}"
        return f"revoked {local_short_day(row.revoked_at, tz, year)}"
    if state == IntegrationState.EXPIRED and not long:
        last = integration_expiry.last_day(row.expires_at, tz)
        return f"expired on {short_day(last, year)}"
    if state == IntegrationState.EXPIRED or expiry_warned(row, now, tz):
        return integration_expiry.note(row.expires_at, now, tz)  # expires in 3 days, expired on …
    return IntegrationState.ACTIVE.value  # plain text, like the sentences above


def expiry_line(row, now: datetime, tz: str) -> str:
    """The detail view's expiry: "never", or "end of Thu 3 Dec 2026 (expires in 7 days) · new
    tokens last 30 days", or "expired on Thu 3 Dec 2026 · rotate: a new token for 30 days"."""
    if row.expires_at is None:
        return "never"
    when = integration_expiry.note(row.expires_at, now, tz)
    policy = plural(row.expiry_days, "day") if row.expiry_days is not None else "ever"
    if integration_expiry.expired(row.expires_at, now):
        return f"{when} · rotate: a new token for {policy}"
    return f"end of {format_day(integration_expiry.last_day(row.expires_at, tz))} ({when}) · new tokens last {policy}"


def expiry_warned(row, now: datetime, tz: str) -> bool:
    """An active token in its last WARN_DAYS days (integration_expiry.warns)."""
    return row.state(now) == IntegrationState.ACTIVE and integration_expiry.warns(row.expires_at, now, tz)


def rich_color(value: str | None) -> str:
    """A theme colour as Rich reads it: "ansi_green" (the ANSI theme) becomes "color(2)"."""
    try:
        return Color.parse(value).rich_color.name if value else ""
    except ColorParseError:
        return ""


def status_cell(row, now: datetime, tz: str, colors: dict[str, str]) -> Text:
    state = row.state(now)
    style = {IntegrationState.ACTIVE: rich_color(colors.get("text-success")),
             IntegrationState.ROTATING: f"bold {rich_color(colors.get('text-warning'))}",
             IntegrationState.EXPIRED: f"bold {rich_color(colors.get('text-error'))}",
             IntegrationState.REVOKED: "dim"}[state]
    if expiry_warned(row, now, tz):
        style = f"bold {rich_color(colors.get('text-warning'))}"
    return Text(visible(status_words(row, now, tz)), style=style.strip(), no_wrap=True, overflow="ellipsis",
                end="")


def name_cell(row, now: datetime) -> Text:
    style = "dim" if row.revoked_at is not None else "bold"
    return Text(visible(row.name), style=style, no_wrap=True, overflow="ellipsis", end="")


def last_used_cell(row, tz: str, year: int, dim: str, stale: bool, colors: dict[str, str]) -> Text:
    """26 Nov 10:00, or never; a stale integration (domain/stale.py) says so after it."""
    text = Text(short_instant(row.last_used_at, tz, year) if row.last_used_at else "never",
                style=dim or ("" if row.last_used_at else "italic"), no_wrap=True, end="")
    if stale:
        text.append(" · stale", style=f"bold {rich_color(colors.get('text-warning'))}".strip())
    return text


def cells(row, now: datetime, tz: str, colors: dict[str, str], stale: bool = False) -> tuple:
    dim = "dim" if row.revoked_at is not None else ""
    year = now.astimezone(zone(tz)).year
    return (
        name_cell(row, now),
        status_cell(row, now, tz, colors),
        Text(visible(hint_text(row.hint)), style=dim, no_wrap=True, end=""),
        ScopesCell(row.scopes, style=dim),
        last_used_cell(row, tz, year, dim, stale, colors),
        Text(f"{local_short_day(row.created_at, tz, year)} · {visible(row.created_by)}", style=dim, no_wrap=True,
             overflow="ellipsis", end=""),
    )


# -- history --------------------------------------------------------------------------

def history_sentence(action: str, details: dict, tz: str) -> str:
    """One sentence for one audit event about an integration. Hints only, never tokens."""
    if action == "integration.created":
        scopes = details.get("scopes", [])
        return f"Created with {len(scopes)} scope{'s' if len(scopes) != 1 else ''}, token {hint_text(details.get('hint'))}."
    if action == "integration.edited":
        parts = []
        if "name" in details:
            parts.append(f"renamed from “{details['name'].get('from')}” to “{details['name'].get('to')}”")
        if "description" in details:
            parts.append("description changed")
        if "scopes" in details:
            added, removed = details["scopes"].get("added", []), details["scopes"].get("removed", [])
            if added:
                parts.append("added " + ", ".join(added))
            if removed:
                parts.append("removed " + ", ".join(removed))
        return ("Edited: " + "; ".join(parts) + "." if parts else "Edited.") + " Token unchanged."
    if action == "integration.rotated":
        new, old = hint_text(details.get("new_hint")), hint_text(details.get("old_hint"))
        if details.get("expire_old") == "now" or not details.get("old_valid_until"):
            return f"Token rotated: {new} issued; the old token {old} expired at once."
        until = format_instant(datetime.fromisoformat(details["old_valid_until"]), tz)
        return f"Token rotated: {new} issued; the old token {old} valid until {until}."
    if action == "integration.rotation_cancelled":
        return (f"Rotation cancelled: {hint_text(details.get('cancelled_hint'))} stopped working; "
                f"{hint_text(details.get('kept_hint'))} kept.")
    if action == "integration.old_token_expired":
        return f"Old token {hint_text(details.get('old_hint'))} expired early."
    if action == "integration.revoked":
        return "Revoked: the token stopped working."
    return action.replace("integration.", "").replace("_", " ").capitalize() + "."


__all__ = [
    "ScopesCell",
    "cells",
    "format_day",
    "hint_text",
    "history_sentence",
    "local_short_day",
    "scopes_text",
    "status_words",
]
