"""One transaction per operation: the change and its audit event, or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from sqlalchemy import text
from sqlmodel import Session, select

from aesthetix_tui.db.engine import begin_write, end_transaction
from aesthetix_tui.db.models import Account
from aesthetix_tui.domain import audit
from aesthetix_tui.domain.errors import NotFound


@contextmanager
def mutation(session: Session, account_id: int) -> Iterator[Account]:
    """Lock the account (serializing its writers) and commit on success, else roll back.

    A transaction the caller's session still holds (its earlier reads) is committed first, so
    the change starts from the database as it is now; then the write transaction begins."""
    end_transaction(session)
    begin_write(session)
    try:
        # populate_existing: an Account this session loaded earlier is re-read, so the
        # audit chain continues from the committed head, not from a stale copy.
        account = session.scalars(locked(session, account_id).execution_options(populate_existing=True)).first()
        if account is None:
            raise NotFound("That account does not exist.")
        yield account
        audit.follow_head(session, account)
        session.commit()
    except BaseException:
        session.rollback()
        raise


def locked(session: Session, account_id: int):
    """The account row, locked for this transaction.

    PostgreSQL: through aesthetix_lock_account, which locks only for a login that may write
    there (db/security.py), so an agent needs no UPDATE privilege on accounts to take the lock.
    """
    if session.get_bind().dialect.name == "postgresql":
        return select(Account).from_statement(
            text("SELECT * FROM aesthetix_lock_account(:id)").bindparams(id=account_id))
    return select(Account).where(Account.id == account_id).with_for_update()


Shown = TypeVar("Shown")


def hand_over(session: Session, secret: Shown, deliver: Callable[[Shown], None] | None) -> Shown:
    """Inside a mutation, once every write has reached the database: show a new secret once.
    If showing it fails, the error rolls the transaction back, so an unseen secret never holds."""
    if deliver is not None:
        session.flush()
        deliver(secret)
    return secret
