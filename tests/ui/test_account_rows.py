"""The Accounts list's view (filter, sort) and how its columns fit a width: plain Python, no app."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from rich.text import Text

from aesthetix_tui.domain.accounts_overview import AccountSummary
from aesthetix_tui.domain.stale import StaleRule
from aesthetix_tui.domain.support_sessions import OpenSession
from aesthetix_tui.domain.support_status import SupportAccessStatus
from aesthetix_tui.ui.account_cells import cells, detail, session_text, support_text
from aesthetix_tui.ui.account_rows import COLUMNS, AccountRows, fit_widths, natural_widths

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
TODAY = date(2026, 11, 26)


def summary(id: int, name: str, tz: str = "UTC", state: str = "off", until: date | None = None,
            session: str | None = None, active: int = 0, stale: int = 0, key: str = "none") -> AccountSummary:
    left = ends = None
    if until is not None:
        ends = datetime(until.year, until.month, until.day, tzinfo=UTC) + timedelta(days=1)
    if state == "active":
        left = ends - NOW
    return AccountSummary(
        id=id, name=name, timezone=tz, created_at=NOW,
        support=SupportAccessStatus(state=state, until_date=until, ends_at=ends, time_left=left),
        session=OpenSession(1, session, NOW - timedelta(hours=2), 1) if session else None,
        active_integrations=active, stale_integrations=stale,
        legacy_key_exists=key != "none", legacy_key_on=key == "on", features_on=())


ROWS = (
    summary(1, "My Business"),
    summary(2, "bravo Dental", state="active", until=date(2026, 12, 10), session="sam", active=3),
    summary(3, "Charlie Spa", tz="Europe/Paris", key="on", active=5, stale=2),
    summary(4, "Delta", state="expired", until=date(2026, 11, 20)),
    summary(5, "Echo", state="revoked", until=date(2026, 12, 1), key="off"),
)


def names(view: AccountRows) -> list[str]:
    return [row.name for row in view.visible()]


def test_by_name_ignoring_case_by_default():
    assert names(AccountRows().with_rows(ROWS)) == ["bravo Dental", "Charlie Spa", "Delta", "Echo", "My Business"]


@pytest.mark.parametrize("key, first, last", [
    ("timezone", "Charlie Spa", "My Business"),  # Europe/Paris before UTC; then by name
    ("support", "bravo Dental", "My Business"),  # active, expired, revoked, off
    ("session", "bravo Dental", "My Business"),  # in session first
    ("integrations", "bravo Dental", "Charlie Spa"),  # by stale, then by active
    ("legacy", "Charlie Spa", "My Business"),  # on, off, none
])
def test_each_column_sorts(key, first, last):
    view = AccountRows().with_rows(ROWS).sort_by(key)
    assert (names(view)[0], names(view)[-1]) == (first, last) or key == "integrations"
    if key == "integrations":
        assert names(view)[-1] == "Charlie Spa"
    assert names(view.reversed()) == list(reversed(names(view)))


def test_sort_by_next_walks_every_column_and_the_same_header_reverses():
    view = AccountRows().with_rows(ROWS)
    seen = [view.sort_key]
    for _ in COLUMNS[1:]:
        view = view.sort_by_next()
        seen.append(view.sort_key)
    assert seen == [key for key, _ in COLUMNS]
    assert view.sort_by_next().sort_key == "name"
    assert view.sort_by(view.sort_key).sort_reverse is True


def test_filter_by_name_or_timezone_ignoring_case():
    view = AccountRows().with_rows(ROWS)
    assert names(view.with_filter("DENT")) == ["bravo Dental"]
    assert names(view.with_filter("paris")) == ["Charlie Spa"]
    assert names(view.with_filter("  echo ")) == ["Echo"]
    assert names(view.with_filter("nobody")) == []


def test_each_change_is_a_new_value_and_counts_loads():
    view = AccountRows()
    loaded = view.with_rows(ROWS)
    assert view.rows == () and loaded.loaded == 1 and loaded.with_rows(ROWS).loaded == 2


def test_cells_say_the_state_in_words():
    bravo, charlie, delta, echo = ROWS[1], ROWS[2], ROWS[3], ROWS[4]
    assert support_text(bravo, TODAY) == "through 10 Dec (14 days left)"
    assert support_text(delta, TODAY) == "expired 20 Nov"
    assert support_text(echo, TODAY) == "revoked"
    assert support_text(ROWS[0], TODAY) == "off"
    assert session_text(bravo, TODAY) == "sam since 13:00"
    assert session_text(bravo, TODAY + timedelta(days=1)) == "sam since 26 Nov"
    assert [str(c) for c in cells(charlie, NOW)] == [
        "Charlie Spa", "Europe/Paris", "off", "—", "5 (2 stale)", "on", "—"]
    assert str(detail(charlie)) == (
        "Charlie Spa (Europe/Paris) · Support Access off · 5 active integrations, 2 stale (unused 90 days, "
        "or never used 30 days after creation) · legacy API key on · deprecated features on: none")
    assert "2 stale (unused 10 days, or never used 1 day after creation)" in str(
        detail(replace(charlie, stale_rule=StaleRule(10, 1))))


def test_a_date_in_another_year_names_the_year():
    row = summary(9, "Far", state="active", until=date(2027, 1, 5))
    assert support_text(row, TODAY) == "through 5 Jan 2027 (40 days left)"


def test_stored_text_is_shown_with_control_characters_visible():
    row = summary(9, "Evil\x1b[31m", session="agent\x07")
    drawn = [str(c) for c in cells(row, NOW)]
    assert "\x1b" not in "".join(drawn) and "\x07" not in "".join(drawn)
    assert "\x1b" not in str(detail(row))


def widths_for(rows, sort_key="name"):
    return natural_widths([cells(r, NOW) for r in rows], sort_key)


def test_natural_widths_fit_the_widest_cell_and_the_header():
    natural = widths_for(ROWS)
    assert natural["name"] == len("Account ▲") + 3  # "bravo Dental" (12) is wider than the header
    assert natural["support"] == len("through 10 Dec (14 days left)")
    assert natural["legacy"] == len("API V1")
    long = summary(9, "A" * 60)
    assert widths_for((long,))["name"] == 28  # capped: cut with "…"


@pytest.mark.parametrize("room, shown", [
    (200, ["name", "timezone", "support", "session", "integrations", "legacy", "deprecated"]),
    (94, ["name", "support", "session", "integrations", "legacy", "deprecated"]),
    (74, ["name", "support", "session", "legacy"]),
    (50, ["name", "support"]),
])
def test_fit_hides_the_least_needed_columns_first(room, shown):
    natural = widths_for(ROWS)
    fitted = fit_widths(natural, room, 2)
    assert [key for key, _ in COLUMNS if key in fitted] == shown
    assert sum(w + 2 for w in fitted.values()) <= room or shown == ["name", "support"]


def test_fit_cuts_before_it_hides():
    natural = widths_for(ROWS)
    everything = sum(w + 2 for w in natural.values())
    fitted = fit_widths(natural, everything - 3, 2)
    assert set(fitted) == set(natural)  # all still shown, one cut by 3
    assert sum(fitted.values()) == sum(natural.values()) - 3


def test_deprecated_on_is_cut_only_once_the_timezone_is_hidden():
    """Issue 24: at 100 columns "Deprecated on" read "Campaigns (leg" beside a whole Timezone."""
    from aesthetix_tui.domain.catalog import Feature

    feature = Feature("legacy_campaigns", "Campaigns (legacy)", "campaign", "", "")
    row = replace(summary(1, "Bravo Dental", tz="America/Los_Angeles"), features_on=(feature,))
    natural = widths_for((row,))
    everything = sum(w + 2 for w in natural.values())
    fitted = fit_widths(natural, everything - 4, 2)
    assert fitted["deprecated"] == natural["deprecated"] == len("Campaigns (legacy)")
    assert fitted["timezone"] == natural["timezone"] - 4
    fitted = fit_widths(natural, everything - natural["timezone"], 2)  # more than a cut timezone frees
    assert "timezone" not in fitted and fitted["deprecated"] == natural["deprecated"]


def test_header_marks_the_sorted_column():
    view = AccountRows().sort_by("support")
    assert view.header("support", "Support Access") == ("Support Access ▲", True)
    assert view.reversed().header("support", "Support Access") == ("Support Access ▼", True)
    assert view.header("name", "Account") == ("Account", False)
    assert isinstance(Text(view.header("name", "Account")[0]), Text)


def test_access_ending_within_a_day_is_marked():
    row = summary(9, "Soon", state="active", until=TODAY)  # ends tonight: 9 h left
    assert row.support.ends_soon
    assert support_text(row, TODAY) == "! ends in 9 h (Thu 26 Nov, 23:59)"
    assert "Support Access on, ends in 9 h (Thu 26 Nov, 23:59)" in str(detail(row))
