"""Random sequences of Support Access and Private Integration operations, and clock moves.

A small model, kept here independently of the product code, predicts which operations
succeed and which tokens work. After every step the invariants are checked against the
raw database: at most one live grant, a status that agrees with the clock, no plaintext
secret in any table, and an audit chain that verifies.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain import accounts, audit, integrations, legacy_key, support_access, tokens
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import AccessDenied, DomainError
from aesthetix_tui.domain.text import hidden
from tests.conftest import migrated_sqlite, seeded

TZ = "America/New_York"
START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
SCOPES = ["contacts.readonly", "contacts.write", "calendars.readonly"]
NAMES = ["alpha", "Alpha", "beta", "gamma"]
REASONS = [None, "", "Ticket 12", "x" * 501, "two\nlines"]
ACTOR = Actor("owner", "owner")
DAYS = st.integers(min_value=-2, max_value=33)
STEPS = st.one_of(
    st.integers(min_value=1, max_value=59).map(lambda m: timedelta(minutes=m)),
    st.integers(min_value=1, max_value=23).map(lambda h: timedelta(hours=h)),
    st.integers(min_value=1, max_value=9).map(lambda d: timedelta(days=d)),
    st.just(timedelta(days=7)),
)


@dataclass
class ModelIntegration:
    id: int
    name: str
    scopes: set[str]
    current: str
    old: str | None = None
    old_until: datetime | None = None
    revoked: bool = False


def stored(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


class AdminMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = tempfile.mkdtemp(prefix="aesthetix-sm-")
        self.path = os.path.join(self.folder, "machine.db")
        self.clock = ManualClock(START)
        migrated_sqlite(self.path)  # a copy of the migrated template, seeded as a first open: no migration per example
        self.database = seeded(resolve_target(db=self.path), self.clock)
        self.session = self.database.session()
        self.account = accounts.create(self.session, self.clock, "Clinic", TZ, ACTOR)
        self.secrets: list[str] = []  # every token and key issued so far
        self.issued: list[str] = []  # the Private Integration Tokens among them
        self.model: list[ModelIntegration] = []
        # The model of Support Access: the latest grant, or None.
        self.grant: dict | None = None

    def teardown(self) -> None:
        self.session.close()
        self.database.dispose()
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers --------------------------------------------------------------------

    def raw(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def snapshot(self) -> dict[str, list]:
        con = self.raw()
        try:
            tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            return {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
        finally:
            con.close()

    def attempt(self, label: str, expected_ok: bool, action):
        """Run one operation. A refusal must be predicted by the model and change nothing."""
        event(f"{label}: {'done' if expected_ok else 'refused'}")
        before = self.snapshot()
        try:
            result = action()
        except DomainError as error:
            assert not expected_ok, f"refused unexpectedly: {error.message}"
            assert error.message.strip(), "a refusal needs a message"
            assert self.snapshot() == before, "a refused operation changed the database"
            return None
        assert expected_ok, "the model predicted a refusal"
        return result

    def local_today(self) -> date:
        return self.clock.now().astimezone(ZoneInfo(TZ)).date()

    def active(self) -> bool:
        return (self.grant is not None and not self.grant["revoked"]
                and self.clock.now() < self.grant["ends_at"])

    def ends_at(self, day: date) -> datetime:
        nxt = day + timedelta(days=1)
        return datetime(nxt.year, nxt.month, nxt.day, tzinfo=ZoneInfo(TZ)).astimezone(UTC)

    def pick(self, index: int) -> ModelIntegration | None:
        return self.model[index % len(self.model)] if self.model else None

    def pending(self, item: ModelIntegration) -> bool:
        return item.old is not None and item.old_until is not None and self.clock.now() < item.old_until

    @initialize(scopes=st.sets(st.sampled_from(SCOPES), min_size=1, max_size=2))
    def first_integration(self, scopes: set[str]) -> None:
        """Start with one integration, so rotations come up early in short runs."""
        self.create("seed", scopes)

    # -- clock ------------------------------------------------------------------------

    @rule(step=STEPS)
    def advance(self, step: timedelta) -> None:
        self.clock.advance(step)

    # -- Support Access -----------------------------------------------------------------

    @rule(offset=DAYS, reason=st.sampled_from(REASONS))
    def enable(self, offset: int, reason: str | None) -> None:
        today = self.local_today()
        until = today + timedelta(days=offset)
        reason_ok = reason is None or len(reason.strip()) <= 500 and not hidden(reason.strip())
        ok = reason_ok and not self.active() and 0 <= offset <= 30
        result = self.attempt("enable", ok, lambda: support_access.enable(
            self.session, self.clock, self.account.id, until, ACTOR, reason))
        if result is not None:
            self.grant = {"until": until, "ends_at": self.ends_at(until), "revoked": False}
            assert result.ends_at == self.grant["ends_at"]

    @rule(offset=DAYS)
    def extend(self, offset: int) -> None:
        until = self.local_today() + timedelta(days=offset)
        ok = self.active() and until > self.grant["until"] and offset <= 30
        result = self.attempt("extend", ok, lambda: support_access.extend(
            self.session, self.clock, self.account.id, until, ACTOR))
        if result is not None:
            self.grant.update(until=until, ends_at=self.ends_at(until))

    @rule()
    def revoke_access(self) -> None:
        result = self.attempt("revoke access", self.active(), lambda: support_access.revoke(
            self.session, self.clock, self.account.id, ACTOR))
        if result is not None:
            self.grant["revoked"] = True

    # -- Private Integrations -------------------------------------------------------------

    @rule(name=st.sampled_from(NAMES), scopes=st.sets(st.sampled_from(SCOPES), max_size=2))
    def create(self, name: str, scopes: set[str]) -> None:
        taken = any(m.name.lower() == name.lower() and not m.revoked for m in self.model)
        ok = bool(scopes) and not taken
        issued = self.attempt("create", ok, lambda: integrations.create(
            self.session, self.clock, self.account.id, name, sorted(scopes), ACTOR))
        if issued is not None:
            self.secrets.append(issued.token)
            self.issued.append(issued.token)
            self.model.append(ModelIntegration(issued.integration.id, name, set(scopes), issued.token))

    @precondition(lambda self: self.model)
    @rule(index=st.integers(min_value=0, max_value=7), mode=st.sampled_from(["now", "7d"]))
    def rotate(self, index: int, mode: str) -> None:
        item = self.pick(index)
        ok = not item.revoked and not self.pending(item)
        issued = self.attempt(f"rotate {mode}", ok, lambda: integrations.rotate(
            self.session, self.clock, self.account.id, str(item.id), ACTOR, mode))
        if issued is not None:
            self.secrets.append(issued.token)
            self.issued.append(issued.token)
            if mode == "7d":
                item.old, item.old_until = item.current, self.clock.now() + timedelta(days=7)
            else:
                item.old = item.old_until = None
            item.current = issued.token

    @precondition(lambda self: self.model)
    @rule(index=st.integers(min_value=0, max_value=7))
    def cancel_rotation(self, index: int) -> None:
        item = self.pick(index)
        ok = not item.revoked and self.pending(item)
        if self.attempt("cancel rotation", ok, lambda: integrations.cancel_rotation(
                self.session, self.clock, self.account.id, str(item.id), ACTOR)) is not None:
            item.current, item.old, item.old_until = item.old, None, None

    @precondition(lambda self: self.model)
    @rule(index=st.integers(min_value=0, max_value=7))
    def expire_old(self, index: int) -> None:
        item = self.pick(index)
        ok = not item.revoked and self.pending(item)
        if self.attempt("expire old", ok, lambda: integrations.expire_old_now(
                self.session, self.clock, self.account.id, str(item.id), ACTOR)) is not None:
            item.old = item.old_until = None

    @precondition(lambda self: self.model)
    @rule(index=st.integers(min_value=0, max_value=7))
    def revoke_integration(self, index: int) -> None:
        item = self.pick(index)
        if self.attempt("revoke integration", not item.revoked, lambda: integrations.revoke(
                self.session, self.clock, self.account.id, str(item.id), ACTOR)) is not None:
            item.revoked = True

    @rule(index=st.integers(min_value=0, max_value=30), scope=st.sampled_from([None, *SCOPES]),
          kind=st.sampled_from(["issued", "issued", "issued", "unknown", "mangled"]))
    def verify(self, index: int, scope: str | None, kind: str) -> None:
        if kind == "issued" and self.issued:
            token = self.issued[index % len(self.issued)]
        elif kind == "mangled" and self.issued:
            token = self.issued[index % len(self.issued)][:-1]
        else:
            token = tokens.new_pit()
        owner = None
        for item in self.model:
            if not item.revoked and (token == item.current or (token == item.old and self.pending(item))):
                owner = item
        event(f"verify: {'valid' if owner else 'invalid'}")
        try:
            found = integrations.verify(self.session, self.clock, token, scope)
        except AccessDenied as error:
            if owner is not None:
                assert scope is not None and scope not in owner.scopes, error.message
            elif kind != "mangled":
                assert error.message == integrations.INVALID
            return
        assert owner is not None, "a token that should not work was accepted"
        assert found.id == owner.id
        assert scope is None or scope in owner.scopes

    @rule()
    def regenerate_legacy_key(self) -> None:
        self.secrets.append(legacy_key.regenerate(self.session, self.clock, self.account.id, ACTOR).key)

    # -- invariants ------------------------------------------------------------------------

    @invariant()
    def at_most_one_live_grant(self) -> None:
        con = self.raw()
        try:
            rows = con.execute("SELECT ends_at, revoked_at FROM support_grant WHERE account_id = ?",
                               (self.account.id,)).fetchall()
        finally:
            con.close()
        now = self.clock.now()
        live = [r for r in rows if r[1] is None and stored(r[0]) > now]
        assert len(live) <= 1

    @invariant()
    def status_agrees_with_the_clock(self) -> None:
        con = self.raw()
        try:
            latest = con.execute(
                "SELECT until_date, ends_at, revoked_at FROM support_grant WHERE account_id = ? "
                "ORDER BY enabled_at DESC, id DESC LIMIT 1", (self.account.id,)).fetchone()
        finally:
            con.close()
        now = self.clock.now()
        if latest is None:
            expected = "off"
        elif latest[2] is not None:
            expected = "revoked"
        elif now >= stored(latest[1]):
            expected = "expired"
        else:
            expected = "active"
        with self.database.session() as reader:
            status = support_access.status(reader, self.clock, self.account)
        assert status.state == expected
        assert (expected == "active") == self.active()
        if latest is not None:
            assert status.until_date == date.fromisoformat(latest[0])
            assert status.ends_at == stored(latest[1]) == self.ends_at(status.until_date)
        if expected == "active":
            assert status.time_left == stored(latest[1]) - now

    @invariant()
    def no_plaintext_secret_in_any_table(self) -> None:
        text = repr(self.snapshot())
        for secret in self.secrets:
            assert secret not in text

    @invariant()
    def audit_chain_verifies(self) -> None:
        with self.database.session() as reader:
            report = audit.verify(reader, accounts.get(reader, self.account.id))
        assert report.ok, report.message


AdminMachine.TestCase.settings = settings(
    max_examples=30, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestAdminMachine = pytest.mark.slow(AdminMachine.TestCase)
