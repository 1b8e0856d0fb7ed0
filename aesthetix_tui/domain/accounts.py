"""Accounts: one database may hold several (support agents see many)."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from aesthetix_tui.clock import Clock
from aesthetix_tui.db import account_ref
from aesthetix_tui.db.engine import begin_write, end_transaction
from aesthetix_tui.db.models import Account
from aesthetix_tui.domain import audit
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.dates import zone
from aesthetix_tui.domain.errors import AccessDenied, AccountGone, Conflict, InvalidInput, NotFound
from aesthetix_tui.domain.identity import is_shared, who
from aesthetix_tui.domain.stale import StaleRule, check_days
from aesthetix_tui.domain.text import check_drawn
from aesthetix_tui.domain.transaction import mutation

DEFAULT_NAME = "My Business"


def list_accounts(session: Session) -> list[Account]:
    return list(session.exec(select(Account).order_by(Account.name)).all())


def get(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None:
        raise AccountGone(f"There is no account with id {account_id}; it may have been removed.")
    return account


def resolve(session: Session, id_or_name: str | None) -> Account:
    """Find an account by id or name (the rule: db/account_ref.py, which the fast reads of
    db/quick.py follow too); with none given, the only account there is."""
    ref = account_ref.parse(id_or_name)
    if ref is None:
        accounts = session.exec(select(Account).limit(2)).all()
        if len(accounts) == 1:
            return accounts[0]
        if not accounts:
            raise NotFound(no_accounts_sentence(session))
        raise InvalidInput("This database holds several accounts; choose one with --account ID_OR_NAME.")
    account = account_ref.find(ref, lambda name: session.exec(select(Account).where(Account.name == name)).first(),
                               lambda id_: session.get(Account, id_))
    if account is None:
        raise account_ref.not_found(
            ref, lambda limit: session.exec(select(Account.name).order_by(Account.name).limit(limit)).all(),
            lambda: session.exec(select(func.count()).select_from(Account)).one())
    return account


OWNS_NONE = "You own no accounts in this database; ask the administrator to run roles add-owner."


def no_accounts_sentence(session: Session) -> str:
    """An owner login on PostgreSQL sees only its own accounts: none is not "none exist"."""
    if is_shared(session) and who(session).kind == "owner":
        return OWNS_NONE
    return "There are no accounts yet; create one with `accounts create NAME`."


def create(session: Session, clock: Clock, name: str, timezone: str, actor: Actor) -> Account:
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("An account name must be 1 to 100 printable characters.")
    check_drawn(name, "account name")
    if name.isdigit():
        raise InvalidInput("An account name cannot be only digits, so that it is never mistaken for an id.")
    zone(timezone)
    end_transaction(session)  # the caller's reads end here; the write starts from the database as it is
    begin_write(session)
    try:
        check_new_name(session, name)
        account = Account(name=name, timezone=timezone, created_at=clock.now())
        session.add(account)
        try:
            session.flush()
        except IntegrityError:  # PostgreSQL: another host created it since the check above
            raise Conflict(taken_sentence(name)) from None
        audit.append(session, clock, account, actor, "account.created", f"account:{account.id}",
                     {"name": name, "timezone": timezone})
        audit.follow_head(session, account)
        session.commit()
    except BaseException:
        session.rollback()
        raise
    return account


def check_new_name(session: Session, name: str) -> None:
    """Account names are unique without case ("my business" beside "My Business" is refused), in
    every script (casefold); the database's unique index on lower(name) backs it (migration 0008)."""
    key = name.casefold()
    for existing in session.exec(select(Account.name)).all():
        if existing.casefold() == key:
            raise Conflict(taken_sentence(existing))


def taken_sentence(name: str) -> str:
    return f"An account named {name!r} already exists (names ignore capital letters); choose another name."


def ensure_first(session: Session, clock: Clock, timezone: str, actor: Actor) -> Account | None:
    """On first use the database holds one account, 'My Business'."""
    if session.exec(select(func.count()).select_from(Account)).one() > 0:
        return None
    return create(session, clock, DEFAULT_NAME, timezone, actor)


def set_stale(session: Session, clock: Clock, account_id: int, actor: Actor, unused_days: int | str | None = None,
              new_days: int | str | None = None):
    """The owner changes when the account's integrations count as stale (domain/stale.py):
    after UNUSED_DAYS without use, or NEW_DAYS after creation when never used (None: unchanged).
    Returns the account's StaleRule as it now is."""
    if unused_days is None and new_days is None:
        raise InvalidInput("Give the days unused, the days never used after creation, or both.")
    if unused_days is not None:
        unused_days = check_days(unused_days, "unused_days", "The days unused")
    if new_days is not None:
        new_days = check_days(new_days, "new_days", "The days never used after creation")
    if actor.kind == "support":
        raise AccessDenied("Support agents cannot change when integrations count as stale; only the account "
                           "owner can.")
    with mutation(session, account_id) as account:
        before = StaleRule.of(account)
        after = StaleRule(before.unused_days if unused_days is None else unused_days,
                          before.new_days if new_days is None else new_days)
        if after == before:
            raise Conflict(f"Nothing to change: integrations already count as stale when {before.words()}.")
        account.stale_unused_days, account.stale_new_days = after.unused_days, after.new_days
        session.add(account)
        audit.append(session, clock, account, actor, "account.stale_settings_changed", f"account:{account.id}",
                     {"from": before.as_dict(), "to": after.as_dict()})
    return after
