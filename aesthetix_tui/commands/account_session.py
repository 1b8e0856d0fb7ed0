"""What the commands on one account share: a session, and the account --account names."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlmodel import Session

    from aesthetix_tui.commands.context import CliContext
    from aesthetix_tui.domain.accounts import Account


@contextmanager
def account_session(cli: CliContext, account: str | None) -> Iterator[tuple[Session, Account]]:
    """A session on the database, and in it the account named or numbered `account` (with
    none given, the only one there is: accounts.resolve)."""
    # CLI start-up: the domain loads only when this command runs
    from aesthetix_tui.domain import accounts

    with cli.database().session() as session:
        yield session, accounts.resolve(session, account)
