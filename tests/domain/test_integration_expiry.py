"""Private Integration tokens that expire: create with a policy, verify to the end of the last
local day, rotate keeping the policy, and every refused expiry (one sentence, nothing changed)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import refused

from aesthetix_tui.db.models import Account
from aesthetix_tui.domain import audit, durations, integration_expiry, integrations
from aesthetix_tui.domain.errors import AccessDenied, InvalidInput
from aesthetix_tui.domain.integration_state import IntegrationState, allowed_actions

READ = "contacts.readonly"
TZ = "America/New_York"  # START (Thu 26 Nov 2026 15:00 UTC) is 10:00 there: today is 26 Nov
TODAY = date(2026, 11, 26)


@pytest.fixture
def account(session):
    from aesthetix_tui.domain import accounts

    found = accounts.resolve(session, None)
    session.get(Account, found.id).timezone = TZ
    session.commit()
    return found


@pytest.fixture
def make(session, clock, account, owner):
    def make(expires=None, name="CRM Sync"):
        return integrations.create(session, clock, account.id, name, [READ], owner, expires=expires)
    return make


def local_midnight_after(day: date) -> datetime:
    """The first instant after `day` in TZ, in UTC (EST is UTC-5 in November and December)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=UTC) + timedelta(hours=5)


def denied(session, clock, token) -> str:
    with pytest.raises(AccessDenied) as info:
        integrations.verify(session, clock, token)
    return info.value.message


# -- create --------------------------------------------------------------------------------

def test_no_expiry_is_the_default(make):
    item = make().integration
    assert item.expires_at is None and item.expiry_days is None


@pytest.mark.parametrize("days", [30, 90, 365])
def test_each_preset_ends_at_the_end_of_that_local_day(make, days):
    item = make(expires=days).integration
    assert item.expiry_days == days
    assert item.expires_at == local_midnight_after(TODAY + timedelta(days=days))


@pytest.mark.parametrize("expires", ["2026-12-03", date(2026, 12, 3), " 2026-12-03 "])
def test_a_date_sets_the_policy_in_days_from_creation(make, expires):
    item = make(expires=expires).integration
    assert item.expiry_days == 7
    assert item.expires_at == local_midnight_after(date(2026, 12, 3))


def test_today_and_the_366th_day_are_the_edges_of_the_window(make):
    assert make(expires="2026-11-26", name="A").integration.expiry_days == 0
    assert make(expires=TODAY + timedelta(days=366), name="B").integration.expiry_days == 366


def test_the_expiry_is_in_the_audit_event_and_the_json(session, make, account, clock):
    item = make(expires=30).integration
    event = audit.for_target(session, account, f"integration:{item.id}")[-1]
    details = json.loads(event.details)
    assert details["expiry_days"] == 30 and details["expires_at"] == item.expires_at.isoformat()
    data = integrations.as_dict(item, clock.now())
    assert data["expires_at"] == item.expires_at.isoformat() and data["expiry_days"] == 30
    plain = integrations.as_dict(make(name="Plain").integration, clock.now())
    assert plain["expires_at"] is None and plain["expiry_days"] is None


@pytest.mark.parametrize("expires, message", [
    ("2026-11-25", "The expiry date Wed 25 Nov 2026 is in the past; choose today or later."),
    ((TODAY + timedelta(days=367)).isoformat(),
     "The expiry date Sun 28 Nov 2027 is more than 366 days ahead; choose Sat 27 Nov 2027 or earlier."),
    ("2026-13-01", "2026-13-01 is not a date."),
    ("tomorrow", "Write the date as YYYY-MM-DD, for example 2026-12-03."),
    (-1, "The expiry date Wed 25 Nov 2026 is in the past; choose today or later."),
    (367, "The expiry date Sun 28 Nov 2027 is more than 366 days ahead; choose Sat 27 Nov 2027 or earlier."),
    (1.5, "Choose an expiry: none, a number of days or a date."),
])
def test_a_bad_expiry_is_refused_with_one_sentence_and_nothing_changes(database, make, expires, message):
    with refused(database, InvalidInput, "^" + message.replace(".", r"\.").replace("(", r"\(") + "$") as info:
        make(expires=expires)
    assert info.value.field == "expires"


# -- verify --------------------------------------------------------------------------------

def test_a_token_works_through_its_last_local_day(session, clock, make):
    issued = make(expires="2026-12-03")
    clock.set(local_midnight_after(date(2026, 12, 3)) - timedelta(seconds=1))  # 23:59:59 in New York
    assert integrations.verify(session, clock, issued.token).id == issued.integration.id
    session.commit()
    clock.set(local_midnight_after(date(2026, 12, 3)))  # 00:00 on Fri 4 Dec in New York
    assert denied(session, clock, issued.token) == "This token is not valid: it expired on Thu 3 Dec 2026."


def test_an_expired_token_writes_nothing(database, session, clock, make):
    issued = make(expires=0)
    clock.advance(timedelta(days=1))
    with refused(database, AccessDenied, "expired on Thu 26 Nov 2026"):
        integrations.verify(session, clock, issued.token)


def test_the_day_is_named_in_the_accounts_timezone_now(session, clock, make, account):
    issued = make(expires="2026-12-03")
    session.get(Account, account.id).timezone = "Asia/Tokyo"  # changed after creation
    session.commit()
    clock.set(datetime(2026, 12, 10, tzinfo=UTC))
    # 2026-12-04 05:00 UTC is 14:00 on 4 Dec in Tokyo: the last moment was on 4 Dec there.
    assert denied(session, clock, issued.token) == "This token is not valid: it expired on Fri 4 Dec 2026."


def test_an_unknown_or_revoked_token_still_gets_the_one_answer(session, clock, make, owner, account):
    issued = make(expires=1)
    integrations.revoke(session, clock, account.id, "CRM Sync", owner)
    clock.advance(timedelta(days=5))
    assert denied(session, clock, issued.token) == integrations.INVALID


# -- state ---------------------------------------------------------------------------------

def test_an_expired_integration_is_listed_as_expired(session, clock, make, account):
    item = make(expires=0).integration
    assert integrations.state_of(item, clock.now()) == IntegrationState.ACTIVE
    clock.set(local_midnight_after(TODAY))
    assert integrations.state_of(item, clock.now()) == IntegrationState.EXPIRED
    assert [i.id for i in integrations.list_for(session, account)] == [item.id]
    assert allowed_actions(IntegrationState.EXPIRED) == {"detail", "edit", "rotate", "revoke"}


# -- rotate --------------------------------------------------------------------------------

def test_rotate_keeps_the_policy(session, clock, make, account, owner):
    make(expires=30)
    clock.advance(timedelta(days=10))
    issued = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    assert issued.integration.expiry_days == 30
    assert issued.integration.expires_at == local_midnight_after(TODAY + timedelta(days=40))
    assert integrations.verify(session, clock, issued.token).id == issued.integration.id


def test_a_picked_date_becomes_a_policy_in_days(session, clock, make, account, owner):
    make(expires="2026-12-06")  # 10 days
    clock.advance(timedelta(days=3))
    issued = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "now")
    assert issued.integration.expires_at == local_midnight_after(date(2026, 12, 9))


def test_rotate_without_a_policy_never_expires(session, clock, make, account, owner):
    make()
    issued = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    assert issued.integration.expires_at is None and issued.integration.expiry_days is None


def test_rotating_an_expired_token_gives_a_new_one_and_no_grace(session, clock, make, account, owner):
    old = make(expires=0)
    clock.advance(timedelta(days=2))
    issued = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    assert integrations.state_of(issued.integration, clock.now()) == IntegrationState.ACTIVE
    assert issued.integration.old_token_hash is None  # the expired token is not revived
    assert integrations.verify(session, clock, issued.token).id == issued.integration.id
    session.commit()
    assert denied(session, clock, old.token) == integrations.INVALID


def test_an_old_token_never_outlives_its_own_expiry(session, clock, make, account, owner):
    old = make(expires=2)
    issued = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    assert issued.integration.old_expires_at == local_midnight_after(TODAY + timedelta(days=2))
    clock.set(issued.integration.old_expires_at)
    assert denied(session, clock, old.token) == integrations.INVALID


# -- the rules on their own ----------------------------------------------------------------

def test_notes_and_warnings():
    now = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    ends = local_midnight_after(date(2026, 11, 29))
    assert integration_expiry.note(ends, now, TZ) == "expires in 3 days"
    assert integration_expiry.note(local_midnight_after(TODAY), now, TZ) == "expires today"
    assert integration_expiry.note(local_midnight_after(date(2026, 11, 27)), now, TZ) == "expires in 1 day"
    assert integration_expiry.note(ends, ends, TZ) == "expired on Sun 29 Nov 2026"
    assert integration_expiry.note(None, now, TZ) == "never expires"
    assert integration_expiry.warns(local_midnight_after(TODAY + timedelta(days=7)), now, TZ)
    assert not integration_expiry.warns(local_midnight_after(TODAY + timedelta(days=8)), now, TZ)
    assert not integration_expiry.warns(ends, ends, TZ)  # expired: no longer "expiring"


def test_next_change():
    now = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
    far = local_midnight_after(TODAY + timedelta(days=20))
    # the warning starts at local midnight 7 days before the last day
    assert integration_expiry.next_change(far, now, TZ) == local_midnight_after(TODAY + timedelta(days=12))
    near = local_midnight_after(TODAY + timedelta(days=3))
    assert integration_expiry.next_change(near, now, TZ) == local_midnight_after(TODAY)  # tonight
    assert integration_expiry.next_change(None, now, TZ) is None


@pytest.mark.parametrize("text, days", [("7d", 7), ("0d", 0), (" 30D ", 30)])
def test_parse_days(text, days):
    assert durations.parse_days(text) == days


@pytest.mark.parametrize("text", ["7", "d", "-1d", "7 days", "1w", "", "١d", "99999d"])
def test_parse_days_refuses(text):
    with pytest.raises(InvalidInput, match=r"^Write a number of days like 7d, not .*\.$"):
        durations.parse_days(text)
