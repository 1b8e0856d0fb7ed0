"""Every account at a glance (accounts_overview.overview): each column and state, the clock as
the only time, and a bounded number of queries whatever the number of accounts."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

from helpers import recorded
from sqlalchemy import event

from aesthetix_tui.db.engine import end_transaction
from aesthetix_tui.domain import accounts, features, integrations, legacy_key, support_access
from aesthetix_tui.domain import support_sessions as ss
from aesthetix_tui.domain.accounts_overview import overview
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.catalog import features as feature_catalog
from aesthetix_tui.domain.stale import DEFAULT_NEW_DAYS, DEFAULT_UNUSED_DAYS
from aesthetix_tui.domain.token_check import record_use
from tests.conftest import START

TODAY = date(2026, 11, 26)
OWNER = Actor("alice", "owner")


def add(session, clock, name: str, tz: str = "UTC"):
    return accounts.create(session, clock, name, tz, OWNER)


def by_name(session, clock) -> dict:
    return {s.name: s for s in overview(session, clock)}


def integration(session, clock, account, name: str, *, created_days_ago: int = 0, used_days_ago: int | None = None,
                revoked: bool = False) -> None:
    now = clock.now()
    clock.set(now - timedelta(days=created_days_ago))
    issued = integrations.create(session, clock, account.id, name, ["contacts.readonly"], OWNER)
    clock.set(now)
    if used_days_ago is not None:  # a use at that time: the clock there (the server's too, on PostgreSQL)
        clock.set(now - timedelta(days=used_days_ago))
        end_transaction(session)
        record_use(session, issued.integration.id, clock.now())
        clock.set(now)
    if revoked:
        integrations.revoke(session, clock, account.id, name, OWNER)


def test_one_account_with_nothing(session, clock, account):
    [summary] = overview(session, clock)
    assert (summary.id, summary.name, summary.timezone, summary.created_at) == (
        account.id, account.name, account.timezone, account.created_at)
    assert summary.support_state == "off" and not summary.support_active
    assert summary.support_until is None and summary.support_days_left is None
    assert summary.session is None
    assert (summary.active_integrations, summary.stale_integrations) == (0, 0)
    assert (summary.legacy_key_exists, summary.legacy_key_on) == (False, False)
    assert summary.features_on == () and summary.feature_keys == ()


def test_support_access_states(session, clock, account):
    active, expired, revoked, again = (add(session, clock, n) for n in ("Active", "Expired", "Revoked", "Again"))
    support_access.enable(session, clock, active.id, TODAY + timedelta(days=7), OWNER)
    support_access.enable(session, clock, revoked.id, TODAY + timedelta(days=3), OWNER)
    support_access.revoke(session, clock, revoked.id, OWNER)
    # Enabled, revoked, then enabled again: the latest grant counts.
    support_access.enable(session, clock, again.id, TODAY + timedelta(days=2), OWNER)
    support_access.revoke(session, clock, again.id, OWNER)
    support_access.enable(session, clock, again.id, TODAY + timedelta(days=5), OWNER)
    clock.set(START - timedelta(days=10))
    support_access.enable(session, clock, expired.id, TODAY - timedelta(days=8), OWNER)
    clock.set(START)

    rows = by_name(session, clock)
    assert list(rows) == sorted(rows)  # by name
    assert rows["My Business"].support_state == "off"
    assert rows["Active"].support_state == "active" and rows["Active"].support_active
    assert rows["Active"].support_until == TODAY + timedelta(days=7)
    assert rows["Active"].support_days_left == 7  # 7 days 9 hours: whole days, as the status line says
    assert (rows["Expired"].support_state, rows["Expired"].support_until) == ("expired", TODAY - timedelta(days=8))
    assert rows["Expired"].support_days_left is None
    assert rows["Revoked"].support_state == "revoked" and rows["Revoked"].support_days_left is None
    assert (rows["Again"].support_state, rows["Again"].support_days_left) == ("active", 5)
    # The same answer as the one-account status.
    for summary in rows.values():
        assert summary.support == support_access.status(session, clock, accounts.get(session, summary.id))


def test_time_comes_from_the_clock(session, clock, account):
    support_access.enable(session, clock, account.id, TODAY, OWNER)
    integration(session, clock, account, "Fresh")
    [summary] = overview(session, clock)
    assert (summary.support_state, summary.support_days_left) == ("active", 0)  # 9 hours left
    assert summary.stale_integrations == 0
    clock.advance(timedelta(days=DEFAULT_NEW_DAYS))  # never used, 30 days after its creation: stale
    [summary] = overview(session, clock)
    assert summary.support_state == "expired"
    assert (summary.active_integrations, summary.stale_integrations) == (1, 1)


def test_support_session_in_progress(database, session, clock, account):
    ended, expired = add(session, clock, "Ended"), add(session, clock, "Expired")
    support_access.enable(session, clock, account.id, TODAY + timedelta(days=7), OWNER)
    clock.advance(timedelta(hours=1))
    info = ss.start(session, clock, account.id, "bob")
    # A session closed by the agent is over.
    support_access.enable(session, clock, ended.id, TODAY + timedelta(days=7), OWNER)
    ss.end(session, clock, ss.start(session, clock, ended.id, "bob").id)
    # A session still open when access expired is not in progress (it ends at the agent's next read).
    support_access.enable(session, clock, expired.id, TODAY, OWNER)
    ss.start(session, clock, expired.id, "bob")
    clock.set(START + timedelta(hours=10))

    rows = by_name(session, clock)
    live = rows["My Business"].session
    assert live is not None
    assert (live.id, live.agent, live.started_at) == (info.id, recorded(database, Actor("bob", "support"))[0],
                                                      START + timedelta(hours=1))
    assert rows["Ended"].session is None
    assert rows["Expired"].support_state == "expired" and rows["Expired"].session is None

    # A revoke ends the session in the same transaction.
    support_access.revoke(session, clock, account.id, OWNER)
    assert by_name(session, clock)["My Business"].session is None


def test_integrations_active_revoked_and_stale(session, clock, account):
    other = add(session, clock, "Other")
    integration(session, clock, account, "New, never used")
    integration(session, clock, account, "Used lately", created_days_ago=200, used_days_ago=10)
    integration(session, clock, account, "Used long ago", created_days_ago=200, used_days_ago=DEFAULT_UNUSED_DAYS + 1)
    integration(session, clock, account, "Used 90 days ago", created_days_ago=200, used_days_ago=DEFAULT_UNUSED_DAYS)
    integration(session, clock, account, "Used 89 days ago", created_days_ago=200,
                used_days_ago=DEFAULT_UNUSED_DAYS - 1)
    integration(session, clock, account, "Never used, 30 days", created_days_ago=DEFAULT_NEW_DAYS)
    integration(session, clock, account, "Never used, 29 days", created_days_ago=DEFAULT_NEW_DAYS - 1)
    integration(session, clock, account, "Revoked", revoked=True)
    integration(session, clock, account, "Revoked and stale", created_days_ago=300, revoked=True)
    integration(session, clock, other, "Only one", created_days_ago=1)
    # A rotation in progress is still an active integration.
    integrations.rotate(session, clock, account.id, "Used lately", OWNER)

    rows = by_name(session, clock)
    assert (rows["My Business"].active_integrations, rows["My Business"].stale_integrations) == (7, 3)
    assert (rows["Other"].active_integrations, rows["Other"].stale_integrations) == (1, 0)


def test_legacy_key_none_on_and_disabled(session, clock, account):
    on, disabled = add(session, clock, "On"), add(session, clock, "Disabled")
    legacy_key.regenerate(session, clock, on.id, OWNER)
    legacy_key.regenerate(session, clock, disabled.id, OWNER)
    legacy_key.disable(session, clock, disabled.id, OWNER)
    rows = by_name(session, clock)
    assert (rows["My Business"].legacy_key_exists, rows["My Business"].legacy_key_on) == (False, False)
    assert (rows["On"].legacy_key_exists, rows["On"].legacy_key_on) == (True, True)
    assert (rows["Disabled"].legacy_key_exists, rows["Disabled"].legacy_key_on) == (True, False)


def test_deprecated_features_turned_on(session, clock, account):
    both, was_on = add(session, clock, "Both"), add(session, clock, "Was on")
    catalog = feature_catalog()
    keys = list(catalog)
    features.update(session, clock, both.id, {k: True for k in reversed(keys)}, OWNER)
    features.update(session, clock, was_on.id, {keys[0]: True}, OWNER)
    features.update(session, clock, was_on.id, {keys[0]: False}, OWNER)
    rows = by_name(session, clock)
    assert rows["My Business"].features_on == ()
    assert rows["Both"].feature_keys == tuple(keys)  # in catalogue order
    assert rows["Both"].features_on == tuple(catalog.values())
    assert rows["Was on"].features_on == ()


# -- a bounded number of queries -------------------------------------------------------------

@contextmanager
def counting(engine):
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def busy_accounts(session, clock, first: int, last: int) -> None:
    """Accounts with a grant, a session, integrations (one stale), a legacy key and a feature on."""
    key = next(iter(feature_catalog()))
    for n in range(first, last):
        account = add(session, clock, f"Clinic {n:02}")
        support_access.enable(session, clock, account.id, TODAY + timedelta(days=3), OWNER)
        ss.start(session, clock, account.id, "bob")
        integration(session, clock, account, "A")
        integration(session, clock, account, "B", created_days_ago=DEFAULT_NEW_DAYS)
        legacy_key.regenerate(session, clock, account.id, OWNER)
        features.update(session, clock, account.id, {key: True}, OWNER)


def queries_for_overview(database, clock) -> tuple[int, list]:
    with database.session() as fresh, counting(database.engine) as statements:
        rows = overview(fresh, clock)
    return len(statements), rows


def test_the_query_count_does_not_grow_with_the_accounts(database, session, clock, account):
    busy_accounts(session, clock, 1, 3)
    few, rows = queries_for_overview(database, clock)
    assert len(rows) == 3
    busy_accounts(session, clock, 3, 30)
    many, rows = queries_for_overview(database, clock)
    assert len(rows) == 30
    assert few == many <= 3, (few, many)  # BEGIN (SQLite only), the summary, the features
    busy = [r for r in rows if r.name.startswith("Clinic")]
    assert all(r.support_active and r.session is not None and r.active_integrations == 2
               and r.stale_integrations == 1 and r.legacy_key_on and len(r.features_on) == 1 for r in busy)
