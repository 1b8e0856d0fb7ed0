"""Support Access: grants, end-of-day semantics, expiry by the clock, and every refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from helpers import query, recorded, refused, stored_instant

from aesthetix_tui.domain import accounts, audit, support_access
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.dates import format_day
from aesthetix_tui.domain.errors import Conflict, InvalidInput

TODAY = date(2026, 11, 26)  # the fixture clock's day, in UTC (the seeded account's zone)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def midnight_after(day: date, tz: str) -> datetime:
    """Computed here, independently: 00:00 of the next day in `tz`, as UTC."""
    nxt = day + timedelta(days=1)
    return datetime(nxt.year, nxt.month, nxt.day, tzinfo=ZoneInfo(tz)).astimezone(UTC)


@pytest.fixture
def new_york(session, clock):
    return accounts.create(session, clock, "Clinic NY", "America/New_York", Actor("root", "support"))


def grants(database, account_id: int) -> list[tuple]:
    return query(database, "SELECT id, until_date, ends_at, reason, enabled_by, revoked_at, revoked_by "
                           "FROM support_grant WHERE account_id = ? ORDER BY id", (account_id,))


def actions(database, account_id: int) -> list[str]:
    return [r[0] for r in query(database, "SELECT action FROM audit_event WHERE account_id = ? ORDER BY seq",
                                (account_id,))]


# -- status and enable ---------------------------------------------------------

def test_never_enabled_reads_off(session, clock, account):
    status = support_access.status(session, clock, account)
    assert status.state == "off"
    assert status.until_date is None and status.ends_at is None and status.time_left is None
    assert not status.is_active
    assert support_access.sentence(status, account.timezone) == "Support Access is off"


def test_enable_through_a_date(session, clock, account, owner, database):
    result = support_access.enable(session, clock, account.id, days(3), owner, reason="Ticket 4411")
    assert result.state == "active"
    assert result.until_date == date(2026, 11, 29)
    assert result.ends_at == datetime(2026, 11, 30, 0, 0, tzinfo=UTC)
    assert result.enabled_at == clock.now()
    assert result.enabled_by == "alice"
    assert result.reason == "Ticket 4411"
    assert result.time_left == timedelta(days=3, hours=9)
    # What another reader sees matches what enable returned.
    with database.session() as other:
        assert support_access.status(other, clock, account) == result
    rows = grants(database, account.id)
    assert len(rows) == 1
    assert rows[0][1] == "2026-11-29"
    assert stored_instant(rows[0][2]) == datetime(2026, 11, 30, tzinfo=UTC)
    assert actions(database, account.id)[-1] == "support_access.enabled"


def test_enable_writes_an_audit_event_with_the_actor(session, clock, account, database):
    sam = Actor("sam", "support")
    support_access.enable(session, clock, account.id, days(1), sam, reason="T-1")
    event = audit.recent(session, account, limit=1)[0]
    assert (event.action, event.actor, event.actor_kind, event.target) == (
        "support_access.enabled", *recorded(database, sam), "support_access")
    assert event.at == clock.now()
    assert '"until":"2026-11-27"' in event.details and '"reason":"T-1"' in event.details


def test_reason_is_optional_and_blank_means_none(session, clock, account, owner):
    assert support_access.enable(session, clock, account.id, days(1), owner).reason is None
    support_access.revoke(session, clock, account.id, owner)
    assert support_access.enable(session, clock, account.id, days(1), owner, reason="   ").reason is None


def test_reason_is_trimmed_and_may_be_500_characters(session, clock, account, owner):
    reason = "x" * 500
    assert support_access.enable(session, clock, account.id, days(1), owner, reason=f"  {reason} ").reason == reason


def test_enable_today_runs_to_midnight(session, clock, account, owner):
    result = support_access.enable(session, clock, account.id, TODAY, owner)
    assert result.ends_at == datetime(2026, 11, 27, tzinfo=UTC)
    assert result.time_left == timedelta(hours=9)


def test_enable_at_the_policy_maximum(session, clock, account, owner):
    result = support_access.enable(session, clock, account.id, days(30), owner)
    assert result.until_date == date(2026, 12, 26)


def test_end_of_day_is_in_the_account_timezone(session, clock, new_york, owner):
    result = support_access.enable(session, clock, new_york.id, date(2026, 11, 27), owner)
    # 00:00 on 28 Nov in New York is 05:00 UTC (EST, UTC-5).
    assert result.ends_at == datetime(2026, 11, 28, 5, 0, tzinfo=UTC)
    assert result.ends_at == midnight_after(date(2026, 11, 27), "America/New_York")
    assert result.time_left == datetime(2026, 11, 28, 5, tzinfo=UTC) - clock.now()


def test_end_of_day_follows_daylight_saving(session, clock, new_york, owner):
    clock.set(datetime(2027, 3, 1, 15, tzinfo=UTC))
    result = support_access.enable(session, clock, new_york.id, date(2027, 3, 20), owner)
    # After the March change New York is on EDT, UTC-4.
    assert result.ends_at == datetime(2027, 3, 21, 4, 0, tzinfo=UTC)


def test_today_is_the_account_local_day(session, clock, new_york, owner, database):
    # 03:00 UTC on the 27th is still the evening of the 26th in New York.
    clock.set(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))
    result = support_access.enable(session, clock, new_york.id, date(2026, 11, 26), owner)
    assert result.ends_at == datetime(2026, 11, 27, 5, 0, tzinfo=UTC)
    assert result.time_left == timedelta(hours=2)
    assert support_access.allowed_window(new_york, clock) == (date(2026, 11, 26), date(2026, 12, 26))


def test_a_day_already_over_in_the_account_zone_is_past(session, clock, owner, database):
    auckland = accounts.create(session, clock, "Clinic AKL", "Pacific/Auckland", owner)
    # 15:00 UTC on the 26th is already 04:00 on the 27th in Auckland.
    with refused(database, InvalidInput, "has passed"):
        support_access.enable(session, clock, auckland.id, date(2026, 11, 26), owner)
    assert support_access.enable(session, clock, auckland.id, date(2026, 11, 27), owner).ends_at == \
        midnight_after(date(2026, 11, 27), "Pacific/Auckland")


# -- expiry by the clock -----------------------------------------------------------

def test_expiry_needs_no_job(session, clock, account, owner, database):
    support_access.enable(session, clock, account.id, TODAY, owner)
    clock.advance(timedelta(hours=8, minutes=59))
    status = support_access.status(session, clock, account)
    assert status.state == "active" and status.time_left == timedelta(minutes=1)
    clock.advance(timedelta(minutes=1))  # exactly the end instant
    for reader in (session, database.session()):
        status = support_access.status(reader, clock, account)
        assert status.state == "expired"
        assert status.time_left is None
        assert status.until_date == TODAY
    # Nothing was written to make it expire.
    assert grants(database, account.id)[0][5] is None


def test_time_left_counts_down(session, clock, account, owner):
    support_access.enable(session, clock, account.id, days(2), owner)
    expected_end = datetime(2026, 11, 29, tzinfo=UTC)
    for step in (timedelta(hours=5), timedelta(days=1), timedelta(minutes=17)):
        clock.advance(step)
        assert support_access.status(session, clock, account).time_left == expected_end - clock.now()


# -- extend --------------------------------------------------------------------

def test_extend_moves_the_end_of_the_same_grant(session, clock, account, owner, database):
    first = support_access.enable(session, clock, account.id, days(3), owner)
    clock.advance(timedelta(hours=1))
    result = support_access.extend(session, clock, account.id, days(10), Actor("bob"))
    assert result.state == "active"
    assert result.grant_id == first.grant_id
    assert result.until_date == date(2026, 12, 6)
    assert result.ends_at == datetime(2026, 12, 7, tzinfo=UTC)
    assert result.enabled_by == "alice" and result.enabled_at == first.enabled_at
    assert len(grants(database, account.id)) == 1
    event = audit.recent(session, account, limit=1)[0]
    assert (event.action, event.actor) == ("support_access.extended", recorded(database, Actor("bob"))[0])
    assert '"from":"2026-11-29"' in event.details and '"until":"2026-12-06"' in event.details


def test_extend_maximum_counts_from_today(session, clock, account, owner):
    support_access.enable(session, clock, account.id, days(10), owner)
    clock.advance(timedelta(days=5))
    # 35 days after the first day is 30 days after the new today.
    assert support_access.extend(session, clock, account.id, days(35), owner).until_date == days(35)


def test_extend_in_the_account_timezone(session, clock, new_york, owner):
    support_access.enable(session, clock, new_york.id, date(2026, 11, 27), owner)
    result = support_access.extend(session, clock, new_york.id, date(2026, 12, 1), owner)
    assert result.ends_at == datetime(2026, 12, 2, 5, tzinfo=UTC)


# -- revoke and enable again -----------------------------------------------------

def test_revoke_ends_access_now(session, clock, account, owner, database):
    support_access.enable(session, clock, account.id, days(5), owner)
    clock.advance(timedelta(minutes=30))
    result = support_access.revoke(session, clock, account.id, Actor("bob"))
    assert result.state == "revoked"
    assert result.revoked_at == clock.now()
    assert result.revoked_by == "bob"
    assert result.time_left is None
    row = grants(database, account.id)[0]
    assert stored_instant(row[5]) == clock.now() and row[6] == "bob"
    assert actions(database, account.id)[-1] == "support_access.revoked"
    assert support_access.sentence(result, account.timezone) == \
        "Support Access was revoked on Thu 26 Nov 2026 15:30 by bob"
    # Revoked stays revoked, even after its end date passes.
    clock.advance(timedelta(days=10))
    assert support_access.status(session, clock, account).state == "revoked"


def test_enable_after_revoke_starts_a_new_grant(session, clock, account, owner, database):
    first = support_access.enable(session, clock, account.id, days(5), owner)
    support_access.revoke(session, clock, account.id, owner)
    second = support_access.enable(session, clock, account.id, days(2), owner, reason="again")
    assert second.state == "active"
    assert second.grant_id != first.grant_id
    assert second.until_date == days(2) and second.reason == "again"
    rows = grants(database, account.id)
    assert len(rows) == 2
    assert rows[0][5] is not None and rows[1][5] is None  # history kept


def test_enable_after_expiry_starts_a_new_grant(session, clock, account, owner, database):
    first = support_access.enable(session, clock, account.id, TODAY, owner)
    clock.advance(timedelta(days=2))
    assert support_access.status(session, clock, account).state == "expired"
    second = support_access.enable(session, clock, account.id, days(3), owner)
    assert second.state == "active" and second.grant_id != first.grant_id
    assert second.ends_at == datetime(2026, 11, 30, tzinfo=UTC)
    assert len(grants(database, account.id)) == 2


def test_grants_are_per_account(session, clock, account, new_york, owner):
    support_access.enable(session, clock, account.id, days(1), owner)
    assert support_access.status(session, clock, new_york).state == "off"
    assert support_access.enable(session, clock, new_york.id, days(1), owner).state == "active"


# -- the status sentence and presets -------------------------------------------------

def test_sentence_when_active(session, clock, account, owner):
    status = support_access.enable(session, clock, account.id, days(4), owner, reason="Ticket 7")
    assert support_access.sentence(status, account.timezone) == (
        "Support Access is active — available through Mon 30 Nov 2026 (4 days left). Reason: Ticket 7")


@pytest.mark.parametrize("advance, left", [
    (timedelta(0), "9 h"),
    (timedelta(hours=7, minutes=30), "1 h"),
    (timedelta(hours=8, minutes=58), "2 min"),
    (timedelta(hours=8, minutes=59), "1 min"),
    (timedelta(hours=8, minutes=59, seconds=30), "less than a minute"),
])
def test_sentence_time_left(session, clock, account, owner, advance, left):
    """Within its last day, the sentence warns when it ends (domain/support_status.ENDS_SOON)."""
    support_access.enable(session, clock, account.id, TODAY, owner)
    clock.advance(advance)
    status = support_access.status(session, clock, account)
    assert support_access.sentence(status, account.timezone) == (
        f"Support Access is active — ends in {left} (Thu 26 Nov, 23:59)")


def test_sentence_a_day_and_more_left(session, clock, account, owner):
    support_access.enable(session, clock, account.id, TODAY + timedelta(days=1), owner)
    status = support_access.status(session, clock, account)
    assert support_access.sentence(status, account.timezone) == (
        "Support Access is active — available through Fri 27 Nov 2026 (1 day left)")


def test_sentence_when_expired_uses_the_account_timezone(session, clock, new_york, owner):
    support_access.enable(session, clock, new_york.id, date(2026, 11, 27), owner)
    clock.advance(timedelta(days=3))
    status = support_access.status(session, clock, new_york)
    assert support_access.sentence(status, new_york.timezone) == "Support Access expired on Sat 28 Nov 2026 00:00"
    assert support_access.sentence(status, "UTC") == "Support Access expired on Sat 28 Nov 2026 05:00"


def test_status_as_dict(session, clock, account, owner):
    status = support_access.enable(session, clock, account.id, days(1), owner, reason="r")
    data = status.as_dict()
    assert data["state"] == "active"
    assert data["available_through"] == "2026-11-27"
    assert datetime.fromisoformat(data["ends_at"]) == datetime(2026, 11, 28, tzinfo=UTC)
    assert data["seconds_left"] == int(timedelta(days=1, hours=9).total_seconds())
    assert data["enabled_by"] == "alice" and data["reason"] == "r" and data["revoked_at"] is None


def test_presets(clock, account):
    assert support_access.PRESET_DAYS == (1, 3, 7, 14, 30)
    assert support_access.preset_dates(account, clock) == [
        (1, date(2026, 11, 27)), (3, date(2026, 11, 29)), (7, date(2026, 12, 3)),
        (14, date(2026, 12, 10)), (30, date(2026, 12, 26))]


def test_presets_respect_a_smaller_policy(session, clock, account, owner, database):
    account.support_max_days = 7
    session.add(account)
    session.commit()
    assert [d for d, _ in support_access.preset_dates(account, clock)] == [1, 3, 7]
    assert support_access.allowed_window(account, clock) == (TODAY, days(7))
    with refused(database, InvalidInput, "at most 7 days"):
        support_access.enable(session, clock, account.id, days(8), owner)


def test_the_extend_window_starts_after_the_current_end(clock, account):
    from aesthetix_tui.domain.support_status import extend_window, not_after_end

    assert extend_window(account, clock, days(3)) == (days(4), days(30))
    assert extend_window(account, clock, days(-2)) == (TODAY, days(30))  # an end already past: today
    assert not_after_end(days(4), days(3)) is None
    for day in (days(3), days(1)):
        assert not_after_end(day, days(3)) == (
            f"{format_day(day)} is not after the current end, Sun 29 Nov 2026.")


def test_presets_use_the_account_local_day(clock, new_york):
    clock.set(datetime(2026, 11, 27, 3, 0, tzinfo=UTC))  # still the 26th in New York
    assert support_access.preset_dates(new_york, clock)[0] == (1, date(2026, 11, 27))


# -- refusals: a clear message, and nothing changed --------------------------------------

def test_enable_a_past_date_is_refused(session, clock, account, owner, database):
    with refused(database, InvalidInput, r"Wed 25 Nov 2026 has passed; choose today or a later date"):
        support_access.enable(session, clock, account.id, days(-1), owner)
    assert support_access.status(session, clock, account).state == "off"


def test_enable_beyond_the_maximum_is_refused(session, clock, account, owner, database):
    with refused(database, InvalidInput, r"at most 30 days.*Sat 26 Dec 2026 or earlier"):
        support_access.enable(session, clock, account.id, days(31), owner)


def test_enable_while_active_points_to_extend(session, clock, account, owner, database):
    support_access.enable(session, clock, account.id, days(3), owner)
    with refused(database, Conflict, r"already active through Sun 29 Nov 2026.*extend"):
        support_access.enable(session, clock, account.id, days(5), owner)


def test_enable_with_a_too_long_reason_is_refused(session, clock, account, owner, database):
    with refused(database, InvalidInput, "reason must be at most 500"):
        support_access.enable(session, clock, account.id, days(1), owner, reason="x" * 501)


def test_enable_with_a_multiline_reason_is_refused(session, clock, account, owner, database):
    with refused(database, InvalidInput, "printable characters on one line"):
        support_access.enable(session, clock, account.id, days(1), owner, reason="line one\nline two")


@pytest.mark.parametrize("setup", ["off", "expired", "revoked"])
def test_extend_when_not_active_is_refused(session, clock, account, owner, database, setup):
    if setup != "off":
        support_access.enable(session, clock, account.id, TODAY, owner)
        if setup == "revoked":
            support_access.revoke(session, clock, account.id, owner)
        else:
            clock.advance(timedelta(days=1))
    with refused(database, Conflict, rf"Support Access is {setup}; enable it instead"):
        support_access.extend(session, clock, account.id, days(5), owner)


@pytest.mark.parametrize("offset", [3, 2, 0])
def test_extend_to_an_earlier_or_equal_date_is_refused(session, clock, account, owner, database, offset):
    support_access.enable(session, clock, account.id, days(3), owner)
    with refused(database, InvalidInput, r"is not after the current end, Sun 29 Nov 2026\."):
        support_access.extend(session, clock, account.id, days(offset), owner)


def test_extend_beyond_the_maximum_is_refused(session, clock, account, owner, database):
    support_access.enable(session, clock, account.id, days(3), owner)
    with refused(database, InvalidInput, "at most 30 days"):
        support_access.extend(session, clock, account.id, days(31), owner)


@pytest.mark.parametrize("setup", ["off", "expired", "revoked"])
def test_revoke_when_not_active_is_refused(session, clock, account, owner, database, setup):
    if setup != "off":
        support_access.enable(session, clock, account.id, TODAY, owner)
        if setup == "revoked":
            support_access.revoke(session, clock, account.id, owner)
        else:
            clock.advance(timedelta(hours=9))
    with refused(database, Conflict, rf"Support Access is {setup}; there is nothing to revoke"):
        support_access.revoke(session, clock, account.id, owner)


def test_a_missing_account_is_refused(session, clock, owner, database):
    from aesthetix_tui.domain.errors import NotFound

    with refused(database, NotFound, "account does not exist"):
        support_access.enable(session, clock, 999, days(1), owner)


def test_the_latest_grant_is_the_last_let_in_whatever_its_recorded_start(session, clock, account, owner,
                                                                          database):
    """PostgreSQL records a change at its transaction's start (now()), which can come before the
    wait for the account's lock: a grant let in after another may carry the earlier time. The
    latest grant is the last one let in, so it is the one that is live, revoked and refused."""
    support_access.enable(session, clock, account.id, days(3), owner)
    support_access.revoke(session, clock, account.id, owner)
    clock.set(clock.now() - timedelta(minutes=1))  # this change's transaction began before the revoke
    support_access.enable(session, clock, account.id, days(5), owner)
    clock.set(clock.now() + timedelta(minutes=1))
    status = support_access.status(session, clock, account)
    assert status.state == "active" and status.until_date == days(5)
    with refused(database, Conflict, "already active"):
        support_access.enable(session, clock, account.id, days(7), owner)
    support_access.revoke(session, clock, account.id, owner)
    assert support_access.status(session, clock, account).state == "revoked"
