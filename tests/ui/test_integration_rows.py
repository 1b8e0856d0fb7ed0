"""The integrations list model: filter, sort and fitting, without an app."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from aesthetix_tui.domain.integration_list import Row
from aesthetix_tui.ui.integration_rows import COLUMNS, IntegrationRows, natural_widths

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)


def row(id_, name, *, scopes=("contacts.read",), hint="pit-abcd", days_old=10, used=None, revoked=False,
        rotating=False):
    created = NOW - timedelta(days=days_old)
    return Row(id_, name, "", tuple(scopes), hint, created, "owner", used,
               NOW - timedelta(days=1) if revoked else None, "owner" if revoked else None,
               "pit-old1" if rotating else None, NOW + timedelta(days=3) if rotating else None, 1)


ROWS = (row(1, "zapier", days_old=3, used=NOW - timedelta(hours=1)),
        row(2, "Booking widget", scopes=("a", "b", "c"), hint="pit-zzzz", rotating=True),
        row(3, "analytics", revoked=True, days_old=30),
        row(4, "Billing", hint="pit-aaaa", days_old=1))


def names(rows):
    return [r.name for r in rows]


def test_revoked_rows_are_hidden_until_shown():
    view = IntegrationRows(ROWS)
    assert names(view.visible(NOW)) == ["Billing", "Booking widget", "zapier"]
    assert (view.live, view.revoked) == (3, 1)
    assert "analytics" in names(view.with_revoked_shown(True).visible(NOW))


def test_the_filter_matches_names_ignoring_case_and_outer_spaces():
    view = IntegrationRows(ROWS).with_filter("  B ")
    assert names(view.visible(NOW)) == ["Billing", "Booking widget"]
    assert names(view.with_filter("nothing").visible(NOW)) == []


def test_each_column_sorts_and_the_same_column_again_reverses():
    view = IntegrationRows(ROWS)
    view = view.sort_by("status")
    assert names(view.visible(NOW)) == ["Billing", "zapier", "Booking widget"]  # active, then rotating
    assert names(view.sort_by("status").visible(NOW)) == ["Booking widget", "zapier", "Billing"]
    assert names(view.sort_by("token").visible(NOW)) == ["Billing", "zapier", "Booking widget"]
    assert names(view.sort_by("created").visible(NOW)) == ["Booking widget", "zapier", "Billing"]
    assert names(view.sort_by("last_used").visible(NOW))[-1] == "zapier"  # never used first
    assert names(view.sort_by("scopes").visible(NOW))[-1] == "Booking widget"


def test_s_walks_the_columns_in_order_ascending():
    view = IntegrationRows(ROWS).reversed()
    seen = []
    for _ in COLUMNS:
        view = view.sort_by_next()
        seen.append((view.sort_key, view.sort_reverse))
    assert seen == [(key, False) for key, _ in COLUMNS[1:] + COLUMNS[:1]]


def test_the_sorted_header_carries_its_arrow():
    view = IntegrationRows(ROWS)
    assert view.header("name", "Name") == ("Name ▲", True)
    assert view.reversed().header("name", "Name") == ("Name ▼", True)
    assert view.header("status", "Status") == ("Status", False)


def test_a_changed_order_is_a_resort_and_anything_else_a_rebuild():
    view = IntegrationRows(ROWS)
    assert view.sort_by("status").same_rows_as(view)
    assert not view.with_filter("b").same_rows_as(view)
    assert not view.with_revoked_shown(True).same_rows_as(view)
    assert not view.with_rows(ROWS).same_rows_as(view)


def test_the_next_expiry_is_the_first_old_token_to_end():
    assert IntegrationRows(ROWS).next_expiry(NOW) == NOW + timedelta(days=3)
    assert IntegrationRows(ROWS[:1]).next_expiry(NOW) is None


class Cell:
    def __init__(self, width):
        self.cell_len = width


def test_natural_widths_cap_long_names_and_leave_room_for_the_arrow():
    widths = natural_widths([tuple(Cell(w) for w in (40, 6, 9, 30, 5, 50))])
    assert widths == {"name": 24, "status": 8, "token": 9, "scopes": 30, "last_used": 11, "created": 20}
    assert natural_widths([]) == {key: len(label) + 2 for key, label in COLUMNS}
