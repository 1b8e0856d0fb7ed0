"""What the Accounts screen draws for one account: its table cells and its detail line.

Rows are accounts_overview.AccountSummary values. Stored text (names, timezones, agents) is
shown literally, with control characters made visible (ui/shown.py).
"""

from __future__ import annotations

from datetime import date

from rich.text import Text

from aesthetix_tui.domain.dates import format_day, format_duration, format_instant, local_today, plural, short_day, zone
from aesthetix_tui.domain.legacy_key_state import LegacyKeyState
from aesthetix_tui.domain.support_status import EXPIRED, ending_text
from aesthetix_tui.ui.shown import literal

NONE = "—"
LEGACY_CELL = {LegacyKeyState.ENABLED: "on", LegacyKeyState.DISABLED: "off", LegacyKeyState.NONE: NONE}


def support_text(row, today: date) -> str:
    """through 10 Dec (14 days left); ! ends in 5 h (Thu 3 Dec, 23:59) within a day; expired 2 Dec;
    revoked; off."""
    state = row.support_state
    if row.support.ends_soon:
        return f"! {ending_text(row.support, row.timezone)}"
    if row.support_active:
        return f"through {short_day(row.support_until, today.year)} ({format_duration(row.support.time_left)} left)"
    if state == EXPIRED and row.support_until is not None:
        return f"expired {short_day(row.support_until, today.year)}"
    return str(state)


def session_text(row, today: date) -> str:
    """sam since 15:00 when it began today (the account's timezone), else sam since 26 Nov."""
    local = row.session.started_at.astimezone(zone(row.timezone))
    when = f"{local:%H:%M}" if local.date() == today else short_day(local.date(), today.year)
    return f"{row.session.agent} since {when}"


def integrations_text(row) -> str:
    """5, or 5 (2 stale) when some are stale by the account's settings (domain/stale.py)."""
    text = f"{row.active_integrations:,}"
    return f"{text} ({row.stale_integrations:,} stale)" if row.stale_integrations else text


def legacy_text(row) -> str:
    return LEGACY_CELL[row.legacy_key_state]


def cells(row, now) -> tuple:
    """One row's cells, in account_rows.COLUMNS order."""
    today = local_today(now, row.timezone)
    dim = Text(NONE, style="dim")
    return (
        literal(row.name),
        literal(row.timezone),
        Text(support_text(row, today), style="bold" if row.support_active else ""),
        literal(session_text(row, today), style="bold") if row.session else dim,
        Text(integrations_text(row), style="bold" if row.stale_integrations else ""),
        Text(legacy_text(row), style="bold" if row.legacy_key_on else ("" if row.legacy_key_exists else "dim")),
        Text(", ".join(f.name for f in row.features_on)) if row.features_on else dim,
    )


def detail(row) -> Text:
    """Everything about the highlighted account, in words: what a narrow table cuts or hides."""
    parts = [f"{row.name} ({row.timezone})"]
    if row.support.ends_soon:
        parts.append(f"Support Access on, {ending_text(row.support, row.timezone)}")
    elif row.support_active:
        parts.append(f"Support Access on through {format_day(row.support_until)} "
                     f"({format_duration(row.support.time_left)} left)")
    elif row.support_state == EXPIRED and row.support_until is not None:
        parts.append(f"Support Access expired on {format_day(row.support_until)}")
    else:
        parts.append(f"Support Access {row.support_state}")
    if row.session:
        parts.append(f"{row.session.agent} in a support session since "
                     f"{format_instant(row.session.started_at, row.timezone)}")
    integrations = plural(row.active_integrations, "active integration")
    if row.stale_integrations:
        integrations += f", {row.stale_integrations:,} stale ({row.stale_rule.words()})"
    parts.append(integrations)
    parts.append("legacy API key " + ("none" if row.legacy_key_state == LegacyKeyState.NONE else legacy_text(row)))
    parts.append("deprecated features on: " + (", ".join(f.name for f in row.features_on) or "none"))
    return literal(" · ".join(parts))
