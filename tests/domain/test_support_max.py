"""The owner's Support Access maximum (support_access.set_max_days, `accounts set-support-max`):
1 to 30 days, audited, refused with one sentence and nothing changed; the window follows it."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from helpers import query, refused

from aesthetix_tui.domain import accounts, support_access
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import AccessDenied, Conflict, InvalidInput, NotFound
from aesthetix_tui.domain.support_status import MAX_DAYS_RANGE, allowed_window, preset_dates

OWNER = Actor("alice", "owner")
AGENT = Actor("sam", "support")


def events(database) -> list[dict]:
    return [json.loads(details) if isinstance(details, str) else details for (details,) in query(
        database, "SELECT details FROM audit_event WHERE action = 'support_access.max_days' ORDER BY seq")]


def test_the_owner_sets_the_maximum_and_it_is_audited(database, session, clock, account):
    assert support_access.set_max_days(session, clock, account.id, 7, OWNER) == 7
    assert support_access.set_max_days(session, clock, account.id, " 14 ", OWNER) == 14  # as typed
    fresh = accounts.get(session, account.id)
    assert fresh.support_max_days == 14
    first, last = allowed_window(fresh, clock)
    assert (last - first).days == 14
    assert [days for days, _ in preset_dates(fresh, clock)] == [1, 3, 7, 14]
    assert events(database) == [{"from": 30, "to": 7}, {"from": 7, "to": 14}]


def test_the_window_is_refused_past_the_new_maximum(database, session, clock, account):
    support_access.set_max_days(session, clock, account.id, 3, OWNER)
    _, last = allowed_window(accounts.get(session, account.id), clock)
    with refused(database, InvalidInput, "at most 3 days"):
        support_access.enable(session, clock, account.id, last + timedelta(days=1), OWNER)
    assert support_access.enable(session, clock, account.id, last, OWNER).until_date == last


SENTENCE = "The Support Access maximum must be a whole number of days from 1 to 30."


@pytest.mark.parametrize("days", [0, 31, -1, "", "seven", "7.5", 2.0, True, None])
def test_bad_days_are_refused_with_one_sentence(database, session, clock, account, days):
    with refused(database, InvalidInput, SENTENCE) as caught:
        support_access.set_max_days(session, clock, account.id, days, OWNER)
    assert (caught.value.message, caught.value.field) == (SENTENCE, "days")


def test_the_range_is_the_database_limit():
    assert MAX_DAYS_RANGE == (1, 30)


def test_other_refusals_change_nothing(database, session, clock, account):
    with refused(database, Conflict, "Nothing to change: Support Access can already be enabled for at most 30 days."):
        support_access.set_max_days(session, clock, account.id, 30, OWNER)
    with refused(database, AccessDenied, "Support agents cannot change the Support Access maximum; only the "
                                         "account owner can."):
        support_access.set_max_days(session, clock, account.id, 5, AGENT)
    with refused(database, NotFound, "."):
        support_access.set_max_days(session, clock, 999, 5, OWNER)
    assert accounts.get(session, account.id).support_max_days == 30
