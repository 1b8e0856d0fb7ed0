"""Date filters go by each event's time, even when hosts' clocks disagree and seq order is not
time order; `audit verify` warns about such events without calling the chain broken."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli
from aesthetix_tui.domain import accounts, audit, audit_query, features
from aesthetix_tui.domain.audit_query import AuditFilters

NAME = "Skewed Co"


def at(day: int, hour: int) -> datetime:
    return datetime(2026, 12, day, hour, 0, tzinfo=UTC)


# seq -> the time on the clock of the host that wrote it (a shared database, clocks that differ)
TIMES = {1: at(3, 10), 2: at(2, 9), 3: at(3, 8), 4: at(2, 8), 5: at(1, 23), 6: at(3, 11)}


@pytest.fixture
def skewed(database, clock, owner):
    """An account whose six events are not in time order."""
    with database.session() as s:
        clock.set(TIMES[1])
        account = accounts.create(s, clock, NAME, "UTC", owner)  # seq 1
        for seq in range(2, 7):
            clock.set(TIMES[seq])
            features.update(s, clock, account.id, {"legacy_triggers": seq % 2 == 0}, owner)
    return database, account.id


def seqs(page) -> list[int]:
    return [e.seq for e in page.events]


def shown(database, account_id, filters, **kwargs) -> list[int]:
    with database.session() as s:
        return seqs(audit_query.page(s, account_id, filters, tz="UTC", **kwargs))


def test_the_events_are_as_written(skewed):
    database, account_id = skewed
    with database.session() as s:
        events = audit_query.page(s, account_id, tz="UTC").events
    assert {e.seq: e.at for e in events} == TIMES


@pytest.mark.parametrize("filters, expected", [
    (AuditFilters(from_date=date(2026, 12, 2)), [6, 4, 3, 2, 1]),
    (AuditFilters(to_date=date(2026, 12, 2)), [5, 4, 2]),
    (AuditFilters(from_date=date(2026, 12, 2), to_date=date(2026, 12, 2)), [4, 2]),
    (AuditFilters(from_date=date(2026, 12, 3)), [6, 3, 1]),
    (AuditFilters(to_date=date(2026, 12, 1)), [5]),
    (AuditFilters(from_date=date(2026, 12, 4)), []),
    (AuditFilters(to_date=date(2026, 11, 30)), []),
])
def test_a_date_filter_finds_every_event_in_its_days(skewed, filters, expected):
    database, account_id = skewed
    assert shown(database, account_id, filters) == expected
    with database.session() as s:
        assert seqs(audit_query.oldest_page(s, account_id, filters, tz="UTC")) == expected


def test_keyset_pages_through_a_date_filter(skewed):
    database, account_id = skewed
    since = AuditFilters(from_date=date(2026, 12, 2))
    with database.session() as s:
        first = audit_query.page(s, account_id, since, limit=2, tz="UTC")
        assert seqs(first) == [6, 4] and first.has_older and not first.has_newer
        second = audit_query.page(s, account_id, since, before_seq=first.oldest_seq, limit=2, tz="UTC")
        assert seqs(second) == [3, 2] and second.has_older and second.has_newer
        last = audit_query.page(s, account_id, since, before_seq=second.oldest_seq, limit=2, tz="UTC")
        assert seqs(last) == [1] and not last.has_older
        back = audit_query.page(s, account_id, since, after_seq=second.newest_seq, limit=2, tz="UTC")
        assert seqs(back) == [6, 4]


def test_verify_warns_about_time_going_backwards_but_stays_ok(skewed):
    database, account_id = skewed
    with database.session() as s:
        report = audit.verify(s, accounts.get(s, account_id))
    assert report.ok and report.checked == 6
    assert report.warnings == (
        "Event #2 is dated before event #1: a clock on some host may be wrong.",
        "Event #4 is dated before event #3: a clock on some host may be wrong.",
        "Event #5 is dated before event #4: a clock on some host may be wrong.",
    )
    assert report.message == "The audit trail is intact: 6 events verified."


def test_an_ordered_trail_has_no_warnings(database, account):
    with database.session() as s:
        assert audit.verify(s, accounts.get(s, account.id)).warnings == ()


def test_the_cli_prints_the_warnings(skewed, clock):
    database, _ = skewed
    runner = CliRunner()
    base = ["--database-url", database.target.url, "audit", "verify", "--account", NAME]
    result = runner.invoke(cli, base, catch_exceptions=False, obj=clock)
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "The audit trail is intact: 6 events verified."
    assert "Warning: Event #2 is dated before event #1" in result.stderr
    assert result.stderr.count("Warning: ") == 3

    result = runner.invoke(cli, base + ["--json"], catch_exceptions=False, obj=clock)
    report = json.loads(result.stdout)
    assert report["ok"] is True and len(report["warnings"]) == 3
