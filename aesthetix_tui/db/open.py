"""Open a database: prepare the file, migrate, and seed the first account."""

from __future__ import annotations

from aesthetix_tui.clock import Clock
from aesthetix_tui.config import DatabaseTarget, local_timezone_name
from aesthetix_tui.db.engine import Database, make_engine, prepare_sqlite_file
from aesthetix_tui.db.errors import explain
from aesthetix_tui.db.migrate import upgrade
from aesthetix_tui.domain import accounts
from aesthetix_tui.domain.actor import SYSTEM
from aesthetix_tui.domain.errors import DomainError


def open_database(target: DatabaseTarget, clock: Clock, seed: bool = True) -> Database:
    """Ready to use, or a DatabaseProblem with one clear sentence."""
    engine = None
    try:
        if target.path is not None:
            prepare_sqlite_file(target.path, create_folder=target.is_default)
        engine = make_engine(target.url)
        created = upgrade(engine)
        database = Database(engine, target)
        if seed and created:
            with database.session() as session:
                accounts.ensure_first(session, clock, local_timezone_name(), SYSTEM)
        return database
    except DomainError:
        if engine is not None:
            engine.dispose()
        raise
    except Exception as error:
        if engine is not None:
            engine.dispose()
        raise explain(error, target) from None
