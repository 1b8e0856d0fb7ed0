"""Open a database: prepare the file, migrate, and seed the first account."""

from __future__ import annotations

from aesthetix_tui.clock import Clock
from aesthetix_tui.config import DatabaseTarget, local_timezone_name
from aesthetix_tui.db.engine import Database, is_read_only, make_engine, prepare_sqlite_file, read_only_url
from aesthetix_tui.db.errors import explain
from aesthetix_tui.db.migrate import upgrade
from aesthetix_tui.domain import accounts
from aesthetix_tui.domain.actor import SYSTEM
from aesthetix_tui.domain.errors import DomainError


def open_database(target: DatabaseTarget, clock: Clock, seed: bool = True) -> Database:
    """Ready to use, or a DatabaseProblem with one clear sentence."""
    engine = None
    try:
        if target.path is not None and not is_read_only(target.url):  # ?mode=ro creates nothing
            prepare_sqlite_file(target.path, create_folder=target.is_default)
        engine = make_engine(target.url)
        try:
            created = upgrade(engine)
        except Exception as error:
            if not needs_read_only(error, target):
                raise
            # A WAL file in a read-only folder cannot get its -shm beside it: open it read-only
            # (immutable: no one can write there either), so reading works and writes are refused.
            engine.dispose()
            engine = make_engine(read_only_url(target.path))
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


def needs_read_only(error: BaseException, target: DatabaseTarget) -> bool:
    """The file exists but SQLite cannot open it read-write (e.g. its folder is read-only)."""
    text = str(getattr(error, "orig", None) or error).lower()
    return target.path is not None and target.path.is_file() and "unable to open database" in text
