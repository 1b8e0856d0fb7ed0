"""Revoke an account's stale integrations (domain/stale.py) in one step.

The owner first sees the list (`stale_list`), then confirms the number they saw. The revoke
reads the list again under the account's lock and refuses, changing nothing, when it is no
longer that many (or, given, not those integrations): one became used, or stale, meanwhile.
Otherwise every one is revoked in one transaction, each with the usual revoke event, reason
"stale".
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db.engine import end_transaction
from aesthetix_tui.db.models import Account, Integration
from aesthetix_tui.domain import accounts
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.dates import plural
from aesthetix_tui.domain.errors import Conflict, InvalidInput
from aesthetix_tui.domain.integrations import mark_revoked
from aesthetix_tui.domain.stale import StaleRule, stale_clause
from aesthetix_tui.domain.transaction import mutation

REASON = "stale"


@dataclass(frozen=True)
class StaleList:
    rule: StaleRule
    integrations: list[Integration]  # by name

    @property
    def ids(self) -> tuple[int, ...]:
        return tuple(i.id for i in self.integrations)


def _stale(session: Session, clock: Clock, account: Account) -> list[Integration]:
    rule = StaleRule.of(account)
    query = (select(Integration)
             .where(Integration.account_id == account.id,
                    stale_clause(session.get_bind().dialect.name, clock.now(), rule.unused_days, rule.new_days))
             .order_by(Integration.name, Integration.id)
             .execution_options(populate_existing=True))
    return list(session.exec(query).all())


def stale_list(session: Session, clock: Clock, account_id: int) -> StaleList:
    """The account's stale integrations now, as the confirmation shows them."""
    end_transaction(session)  # read the database as it is now
    account = accounts.get(session, account_id)
    found = _stale(session, clock, account)
    end_transaction(session)
    return StaleList(StaleRule.of(account), found)


def check_count(count) -> int:
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise InvalidInput("Give the number of stale integrations you reviewed, a whole number.", field="count")
    return count


def revoke_stale(session: Session, clock: Clock, account_id: int, actor: Actor, expected_count: int,
                 expected_ids: tuple[int, ...] | list[int] | None = None) -> StaleList:
    """Revoke every stale integration, if they are EXPECTED_COUNT (and, given, exactly
    EXPECTED_IDS); else refuse with Conflict and change nothing. Returns what was revoked."""
    expected_count = check_count(expected_count)
    with mutation(session, account_id) as account:
        rule = StaleRule.of(account)
        found = _stale(session, clock, account)
        if not found:
            raise Conflict(f"No integration is stale ({rule.words()}); nothing was revoked.")
        if len(found) != expected_count:
            now_stale = plural(len(found), "stale integration")
            raise Conflict(f"The account now has {now_stale}, not the {expected_count:,} you confirmed; "
                           "nothing was revoked, so review the list and confirm again.")
        if expected_ids is not None and sorted(expected_ids) != sorted(i.id for i in found):
            raise Conflict("The stale integrations changed since you reviewed them; nothing was revoked, "
                           "so review the list and confirm again.")

        for integration in found:
            mark_revoked(session, clock, account, integration, actor, reason=REASON)
    return StaleList(rule, found)


__all__ = ["REASON", "StaleList", "check_count", "revoke_stale", "stale_list"]
