"""Open a database for use: storage prepares and migrates it (db/open.py), and on first use
the domain adds the first account, 'My Business', in the machine's timezone."""

from __future__ import annotations

from sqlmodel import Session

from aesthetix_tui.clock import Clock
from aesthetix_tui.config import DatabaseTarget, local_timezone_name
from aesthetix_tui.db.engine import Database
from aesthetix_tui.db.open import open_database as open_storage
from aesthetix_tui.domain import accounts
from aesthetix_tui.domain.actor import SYSTEM


def open_database(target: DatabaseTarget, clock: Clock, seed: bool = True) -> Database:
    """Ready to use, or a DatabaseProblem with one clear sentence. `seed=False`: no first account."""
    return open_storage(target, after=(lambda conn: seed_first(conn, clock)) if seed else None)


def seed_first(conn, clock: Clock) -> None:
    """The first account, in the migration's own transaction (see db/migrate.upgrade)."""
    with Session(bind=conn, expire_on_commit=False) as session:
        accounts.ensure_first(session, clock, local_timezone_name(), SYSTEM)
