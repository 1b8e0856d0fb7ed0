"""The audit log's query: keyset pages, filters, and staying instant with 1,000,000 events."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import recorded
from sqlalchemy import event, text

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain import accounts, audit_query, features, legacy_key, support_access
from aesthetix_tui.domain.actor import SYSTEM, Actor
from aesthetix_tui.domain.audit_query import AuditFilters
from aesthetix_tui.domain.errors import InvalidInput
from aesthetix_tui.domain.seed import open_database

START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
BOB = Actor("bob", "owner")
MILLION = 1_000_000
# The 1M tests build a 1,000,000-row database (about 5 s); AESTHETIX_QUICK=1 skips them. They
# start first, on one worker, which builds `big` once.
quick = pytest.mark.skipif(os.environ.get("AESTHETIX_QUICK") == "1", reason="AESTHETIX_QUICK=1")


def million(test):
    return quick(pytest.mark.slow(pytest.mark.xdist_group("million")(test)))


SYNTHETIC_ACTIONS = ["feature.enabled", "feature.disabled", "integration.created", "integration.rotated",
                     "support_access.enabled", "support_access.revoked", "legacy_key.regenerated"]


def fill_audit(path, count: int, step_seconds: int = 30) -> None:
    """`count` events for account 1, seq 1..count, `step_seconds` apart, ending at START.

    One SQL statement in one transaction (secondary indexes rebuilt after): fast, and the
    hash chain is not valid, which the pagination tests do not need. Every 1000th event is
    by "rare-auditor"; actions cycle through SYNTHETIC_ACTIONS (seq % 7).
    """
    con = sqlite3.connect(str(path))
    try:
        indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                              "AND tbl_name = 'audit_event' AND sql IS NOT NULL").fetchall()
        cases = " ".join(f"WHEN {i} THEN '{a}'" for i, a in enumerate(SYNTHETIC_ACTIONS))
        with con:
            con.execute("DELETE FROM audit_event")
            for name, _ in indexes:
                con.execute(f'DROP INDEX "{name}"')
            con.execute(f"""
                WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n)
                INSERT INTO audit_event (account_id, seq, at, actor, actor_kind, action, target, details,
                                         prev_hash, hash)
                SELECT 1, i,
                       strftime('%Y-%m-%d %H:%M:%f', '2026-11-26 15:00:00',
                                '-' || ((:n - i) * :step) || ' seconds') || '000',
                       CASE WHEN i % 1000 = 0 THEN 'rare-auditor' ELSE 'owner' || (i % 4) END,
                       CASE WHEN i % 1000 = 0 THEN 'support' ELSE 'owner' END,
                       CASE i % 7 {cases} END,
                       'feature:f' || (i % 10), '{{"n":' || i || '}}', '', ''
                FROM s""", {"n": count, "step": step_seconds})
            for _, sql in indexes:
                con.execute(sql)
            con.execute("UPDATE account SET audit_seq = ?, audit_head = '' WHERE id = 1", (count,))
    finally:
        con.close()


def timed(fn):
    began = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - began


# -- one million events ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def big(tmp_path_factory):
    os.environ.setdefault("TZ", "UTC")
    path = tmp_path_factory.mktemp("million") / "million.db"
    db = open_database(resolve_target(db=str(path)), ManualClock(START))
    fill_audit(path, MILLION)
    yield db
    db.dispose()


@million
def test_paging_a_million_events(big):
    timings = {}
    with big.session() as s:
        newest, timings["newest page"] = timed(lambda: audit_query.page(s, 1))
        assert [e.seq for e in newest.events] == list(range(MILLION, MILLION - 50, -1))
        assert (newest.has_newer, newest.has_older) == (False, True)

        older, timings["older page"] = timed(lambda: audit_query.page(s, 1, before_seq=newest.oldest_seq))
        assert [e.seq for e in older.events] == list(range(MILLION - 50, MILLION - 100, -1))
        assert older.has_newer and older.has_older

        newer, timings["newer page"] = timed(lambda: audit_query.page(s, 1, after_seq=older.newest_seq))
        assert newer.events == newest.events and not newer.has_newer

        oldest, timings["oldest page"] = timed(lambda: audit_query.oldest_page(s, 1))
        assert [e.seq for e in oldest.events] == list(range(50, 0, -1))
        assert (oldest.has_newer, oldest.has_older) == (True, False)

        middle, timings["middle page"] = timed(lambda: audit_query.page(s, 1, before_seq=500_001))
        assert middle.newest_seq == 500_000 and middle.oldest_seq == 499_951

        back, timings["newer than the oldest"] = timed(lambda: audit_query.page(s, 1, after_seq=50))
        assert [e.seq for e in back.events] == list(range(100, 50, -1))

        filters = {
            "action exact": AuditFilters(action="integration.rotated"),
            "action prefix": AuditFilters(action="support_access."),
            "actor (1 in 1000)": AuditFilters(actor="rare-auditor"),
            "one old day": AuditFilters(from_date=date(2026, 1, 10), to_date=date(2026, 1, 10)),
            "actor + action + dates": AuditFilters(action="feature.", actor="rare-auditor",
                                                   to_date=date(2026, 6, 30)),
        }
        for name, f in filters.items():
            first, timings[f"{name}: newest"] = timed(lambda f=f: audit_query.page(s, 1, f, tz="UTC"))
            assert len(first.events) == 50 and first.has_older
            last, timings[f"{name}: oldest"] = timed(lambda f=f: audit_query.oldest_page(s, 1, f, tz="UTC"))
            assert last.events and not last.has_older
            assert first.events[0].seq > last.events[0].seq
    print("\n" + "\n".join(f"  {k:<36} {v * 1000:7.1f} ms" for k, v in timings.items()))


@million
def test_every_page_query_seeks_an_index(big):
    """No full scan of audit_event and no sort of its rows, for any page or filter."""
    statements: list[tuple[str, tuple]] = []

    def keep(conn, cursor, statement, parameters, context, executemany):
        if "FROM audit_event" in statement:
            statements.append((statement, parameters))

    event.listen(big.engine, "before_cursor_execute", keep)
    try:
        with big.session() as s:
            for f in (AuditFilters(), AuditFilters(action="feature.enabled"), AuditFilters(action="feature."),
                      AuditFilters(actor="rare-auditor"), AuditFilters(from_date=date(2026, 3, 1)),
                      AuditFilters(to_date=date(2026, 3, 1)),
                      AuditFilters(actor="owner1", from_date=date(2026, 3, 1), to_date=date(2026, 3, 2))):
                first = audit_query.page(s, 1, f, tz="UTC")
                audit_query.page(s, 1, f, before_seq=first.oldest_seq, tz="UTC")
                audit_query.page(s, 1, f, after_seq=first.oldest_seq, tz="UTC")
                audit_query.oldest_page(s, 1, f, tz="UTC")
            audit_query.distinct_actions(s, 1)
            audit_query.distinct_actors(s, 1)
    finally:
        event.remove(big.engine, "before_cursor_execute", keep)
    assert len(statements) > 40
    with big.engine.connect() as conn:
        for statement, parameters in statements:
            plan = " | ".join(row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}",
                                                                      parameters))
            assert "SCAN audit_event" not in plan, (statement, plan)
            assert "TEMP B-TREE" not in plan, (statement, plan)
            assert "OFFSET ?" not in statement or parameters[-1] == 0, statement


@million
def test_distinct_actions_and_actors_by_index_skips(big):
    with big.session() as s:
        actions = audit_query.distinct_actions(s, 1)
        assert actions == sorted(SYNTHETIC_ACTIONS)
        assert audit_query.distinct_actions(s, 1, prefix="support_access.") == [
            "support_access.enabled", "support_access.revoked"]
        assert audit_query.distinct_actors(s, 1) == ["owner0", "owner1", "owner2", "owner3", "rare-auditor"]


# -- filters, on real events ----------------------------------------------------------------

@pytest.fixture
def trail(database, clock, owner):
    """Real events by two people over three days, made with the domain functions."""
    with database.session() as s:
        account = accounts.resolve(s, None)  # seq 1: account.created, 26 Nov 15:00
        aid = account.id
        clock.advance(timedelta(hours=1))
        support_access.enable(s, clock, aid, date(2026, 12, 3), owner, reason="Ticket #1")  # 2: 26 Nov 16:00
        clock.advance(timedelta(hours=8))  # 27 Nov 00:00 UTC
        features.update(s, clock, aid, {"legacy_campaigns": True}, BOB)  # 3
        clock.advance(timedelta(hours=1))
        support_access.extend(s, clock, aid, date(2026, 12, 5), owner)  # 4: 27 Nov 01:00
        clock.advance(timedelta(days=1))
        legacy_key.regenerate(s, clock, aid, BOB)  # 5: 28 Nov 01:00
        support_access.revoke(s, clock, aid, owner)  # 6: 28 Nov 01:00
        features.update(s, clock, aid, {"legacy_campaigns": False}, owner)  # 7
    return database, aid


def seqs(page) -> list[int]:
    return [e.seq for e in page.events]


def test_newest_first_with_small_pages(trail, owner):
    database, aid = trail
    with database.session() as s:
        first = audit_query.page(s, aid, limit=3)
        assert seqs(first) == [7, 6, 5] and not first.has_newer and first.has_older
        second = audit_query.page(s, aid, before_seq=5, limit=3)
        assert seqs(second) == [4, 3, 2] and second.has_newer and second.has_older
        third = audit_query.page(s, aid, before_seq=2, limit=3)
        assert seqs(third) == [1] and third.has_newer and not third.has_older
        assert seqs(audit_query.page(s, aid, after_seq=1, limit=3)) == [4, 3, 2]
        assert seqs(audit_query.oldest_page(s, aid, limit=3)) == [3, 2, 1]
        # Past either end: the nearest full page, not an empty one.
        assert seqs(audit_query.page(s, aid, before_seq=1, limit=3)) == [3, 2, 1]
        assert seqs(audit_query.page(s, aid, after_seq=7, limit=3)) == [7, 6, 5]
        event = first.events[0]
        assert (event.actor, event.actor_kind, event.action, event.target) == (
            *recorded(database, owner), "feature.disabled", "feature:legacy_campaigns")


def test_filter_by_exact_action(trail):
    database, aid = trail
    with database.session() as s:
        page = audit_query.page(s, aid, AuditFilters(action="support_access.enabled"))
        assert seqs(page) == [2] and not page.has_older and not page.has_newer
        assert seqs(audit_query.page(s, aid, AuditFilters(action="support_access"))) == []


def test_filter_by_action_prefix_pages_across_actions(trail):
    database, aid = trail
    with database.session() as s:
        prefix = AuditFilters(action="support_access.")
        assert seqs(audit_query.page(s, aid, prefix)) == [6, 4, 2]
        assert seqs(audit_query.page(s, aid, AuditFilters(action="support_access*"))) == [6, 4, 2]
        first = audit_query.page(s, aid, prefix, limit=2)
        assert seqs(first) == [6, 4] and first.has_older
        second = audit_query.page(s, aid, prefix, before_seq=4, limit=2)
        assert seqs(second) == [2] and second.has_newer and not second.has_older
        assert seqs(audit_query.oldest_page(s, aid, prefix, limit=2)) == [4, 2]
        assert seqs(audit_query.page(s, aid, AuditFilters(action="feature."))) == [7, 3]
        assert seqs(audit_query.page(s, aid, AuditFilters(action="nothing."))) == []


def test_filter_by_actor(trail, owner):
    database, aid = trail
    bob, alice, system = (recorded(database, a)[0] for a in (BOB, owner, SYSTEM))
    with database.session() as s:
        def by(actor: str, action: str = "", limit: int = 50) -> list[int]:
            return seqs(audit_query.page(s, aid, AuditFilters(actor=actor, action=action), limit=limit))

        if database.engine.dialect.name == "postgresql":  # one login recorded every event
            assert by(bob) == by(alice) == by(system) == [7, 6, 5, 4, 3, 2, 1]
            assert by("bob") == by("alice") == by("system") == []  # the names passed are not recorded
        else:
            assert by(bob) == [5, 3]
            assert by(system) == [1]
        assert by(bob.capitalize()) == []  # exact
        assert by(alice, action="support_access.", limit=2) == [6, 4]


def test_filter_by_date_range_in_the_accounts_timezone(trail):
    database, aid = trail
    with database.session() as s:
        day = date(2026, 11, 27)
        assert seqs(audit_query.page(s, aid, AuditFilters(from_date=day, to_date=day))) == [4, 3]
        assert seqs(audit_query.page(s, aid, AuditFilters(from_date=day))) == [7, 6, 5, 4, 3]
        assert seqs(audit_query.page(s, aid, AuditFilters(to_date=date(2026, 11, 26)))) == [2, 1]
        assert seqs(audit_query.page(s, aid, AuditFilters(from_date=date(2026, 12, 1)))) == []
        assert seqs(audit_query.page(s, aid, AuditFilters(to_date=date(2026, 11, 1)))) == []
        # 27 Nov in Auckland (UTC+13) is 26 Nov 11:00 to 27 Nov 11:00 UTC: seq 1 to 4.
        auckland = AuditFilters(from_date=day, to_date=day)
        assert seqs(audit_query.page(s, aid, auckland, tz="Pacific/Auckland")) == [4, 3, 2, 1]
        # Without tz, the account's own zone is used.
        s.exec(text("UPDATE account SET timezone = 'Pacific/Auckland'"))
        s.commit()
        assert seqs(audit_query.page(s, aid, auckland)) == [4, 3, 2, 1]
        both = AuditFilters(action="feature.", actor=recorded(database, BOB)[0], from_date=day, to_date=day)
        assert seqs(audit_query.page(s, aid, both)) == [3]


def test_filters_from_typed_text():
    f = audit_query.parse_filters(" support_access. ", "alice ", "2026-11-01", "")
    assert (f.action, f.actor, f.from_date, f.to_date) == ("support_access.", "alice", date(2026, 11, 1), None)
    assert f.active and f.action_prefix == "support_access."
    assert not audit_query.parse_filters().active
    assert "2026-11-01" in f.describe() and "alice" in f.describe()
    with pytest.raises(InvalidInput, match="YYYY-MM-DD"):
        audit_query.parse_filters(from_text="26/11/2026")
    with pytest.raises(InvalidInput, match="must not be after"):
        audit_query.parse_filters(from_text="2026-11-27", to_text="2026-11-26")


def test_paging_arguments_are_checked(trail):
    database, aid = trail
    with database.session() as s:
        with pytest.raises(InvalidInput):
            audit_query.page(s, aid, before_seq=3, after_seq=1)
        with pytest.raises(InvalidInput):
            audit_query.page(s, aid, limit=0)


def test_distinct_values_on_real_events(trail, owner):
    database, aid = trail
    with database.session() as s:
        # SQLite: ["alice", "bob", "system"]; PostgreSQL: the one login.
        assert audit_query.distinct_actors(s, aid) == sorted({recorded(database, a)[0] for a in (owner, BOB, SYSTEM)})
        assert audit_query.distinct_actions(s, aid, prefix="feature.") == ["feature.disabled", "feature.enabled"]
        assert set(audit_query.distinct_actions(s, aid)) <= set(audit_query.KNOWN_ACTIONS)
        assert "support_session.started" in audit_query.actions_for_choice(["support_session.started"])


def test_a_details_summary():
    assert audit_query.summarize('{"until":"2026-12-03","reason":"Ticket #1"}') == \
        "until=2026-12-03, reason=Ticket #1"
    assert audit_query.summarize('{"a":null,"b":true,"c":[1,2],"d":{"x":1}}') == 'a=-, b=yes, c=1 2, d={"x":1}'
    assert audit_query.summarize("{}") == ""
    assert audit_query.summarize("not json") == "not json"
    assert audit_query.summarize('{"text":"' + "x" * 100 + '"}', width=20) == "text=" + "x" * 14 + "…"
