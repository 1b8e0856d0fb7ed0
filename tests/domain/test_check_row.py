"""versions.check_row: one stale-write check for every versioned row (legacy key, grant, integration)."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.domain.errors import StaleWrite
from aesthetix_tui.domain.versions import check_row

NOW = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
MADE = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)
CHANGED = datetime(2026, 11, 26, 14, 2, tzinfo=UTC)


def row(**values):
    base = {"version": 3, "updated_by": None, "updated_at": None, "created_by": "carol", "created_at": MADE,
            "enabled_by": "erin", "enabled_at": MADE}
    return SimpleNamespace(**{**base, **values})


def refusal(expected, found, made="created") -> str:
    with pytest.raises(StaleWrite) as refused:
        check_row(expected, found, "The thing", ManualClock(NOW), "UTC", made=made)
    return refused.value.message


def test_no_check_or_the_same_version_passes():
    clock = ManualClock(NOW)
    check_row(None, row(), "The thing", clock, "UTC")
    check_row(3, row(), "The thing", clock, "UTC")
    check_row(0, None, "The thing", clock, "UTC")  # none yet: version 0


def test_a_stale_version_names_who_changed_it_last_else_who_made_it():
    assert refusal(2, row(updated_by="bob", updated_at=CHANGED)) == \
        "The thing was changed by bob at 14:02; review and try again."
    assert refusal(2, row()) == "The thing was changed by carol at 09:30; review and try again."
    assert refusal(2, row(), made="enabled") == "The thing was changed by erin at 09:30; review and try again."
    assert refusal(1, None) == "The thing was changed elsewhere; review and try again."
