"""The TUI's door to the database: opened in a worker, used from threads.

Nothing here imports the database stack at module level, so the first frame
paints before SQLAlchemy loads.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable
from typing import Any, TypeVar

from aesthetix_tui.clock import Clock
from aesthetix_tui.config import DatabaseTarget
from aesthetix_tui.domain.errors import ConnectionLost, DatabaseBusy, DatabaseProblem, DomainError, SlowRead

T = TypeVar("T")

# Another process holding the write lock past the busy timeout: wait this long (seconds)
# before each retry. A busy refusal changed nothing (the write lock is taken first), so
# retrying is safe; the screen keeps the user's unsaved input meanwhile.
BUSY_RETRIES = (0.5, 1.0, 2.0)
# A screen's read (`read`): on PostgreSQL each statement may run this long (ms), then the read
# fails with SlowRead and the screen keeps what it shows and tries again.
READ_TIMEOUT_MS = 5000
WARM_IMPORTS = tuple(f"aesthetix_tui.domain.{name}" for name in (
    "profile", "support_access", "support_sessions", "features", "legacy_key", "integrations",
    "integration_list", "accounts", "audit", "audit_query"))


def support_preview(target: DatabaseTarget, account_ref: str | None = None):
    """The first frame's Support Access, read with stdlib sqlite3 (db/quick.py), or None."""
    from aesthetix_tui.db.quick import support_preview as read

    return read(target, account_ref)


class DatabaseGate:
    def __init__(self, target: DatabaseTarget, clock: Clock) -> None:
        self.target = target
        self.clock = clock
        self.database = None
        self.error: str | None = None
        self.ready = asyncio.Event()
        # The server went away (PostgreSQL stopped, network cut): calls fail with
        # ConnectionLost until one succeeds again. The app shows one banner for it.
        self.connection_lost = False
        self.on_connection_change: Callable[[bool], None] | None = None
        self.on_busy: Callable[[], None] | None = None  # told before each busy retry
        self.slow = False  # the last read ran past READ_TIMEOUT_MS
        self.on_slow: Callable[[bool], None] | None = None  # told when reads become slow, and fast again

    async def open(self) -> None:
        try:
            self.database = await asyncio.to_thread(self._open)
        except Exception as error:  # noqa: BLE001 - told to the user as one sentence
            self.error = self._explain(error)
        finally:
            self.ready.set()

    def _open(self):
        from aesthetix_tui.domain.seed import open_database

        database = open_database(self.target, self.clock)
        # Load here, in the thread, what screens import lazily, so that their imports on the
        # event loop find the modules loaded and never block the UI (sqlmodel & co.).
        for name in WARM_IMPORTS:
            importlib.import_module(name)
        return database

    def _explain(self, error: BaseException) -> str:
        if isinstance(error, DomainError):
            return error.message
        from aesthetix_tui.db.errors import explain

        return explain(error, self.target).message

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run fn(session, *args) in a thread. Raises DomainError with a clear message."""
        return await self._call(fn, args, kwargs, None)

    async def read(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """call() for a screen's reads (its load and its poll): on PostgreSQL under a statement
        timeout; past it, SlowRead (told once to on_slow, until a read answers in time)."""
        try:
            result = await self._call(fn, args, kwargs, READ_TIMEOUT_MS)
        except SlowRead:
            self._slow(True)
            raise
        self._slow(False)
        return result

    def _slow(self, slow: bool) -> None:
        if slow != self.slow:
            self.slow = slow
            if self.on_slow is not None:
                self.on_slow(slow)

    async def _call(self, fn, args, kwargs, timeout_ms: int | None):
        await self.ready.wait()
        if self.database is None:
            raise DatabaseProblem(self.error or "The database is not open.")

        try:
            result = await self._run_retrying_busy(fn, args, kwargs, timeout_ms)
        except ConnectionLost:
            self._connection(lost=True)
            raise
        self._connection(lost=False)
        return result

    async def _run_retrying_busy(self, fn, args, kwargs, timeout_ms=None):
        """_run in a thread; a busy database (DatabaseBusy) is retried with backoff, then told."""
        for delay in (*BUSY_RETRIES, None):
            try:
                return await asyncio.to_thread(self._run, fn, args, kwargs, timeout_ms)
            except DatabaseBusy:
                if delay is None:
                    raise
            if self.on_busy is not None:
                self.on_busy()
            await asyncio.sleep(delay)

    def _connection(self, lost: bool) -> None:
        """Tell the app when the connection is lost and when it is back (once each)."""
        if lost != self.connection_lost:
            self.connection_lost = lost
            if self.on_connection_change is not None:
                self.on_connection_change(lost)

    def _run(self, fn, args, kwargs, timeout_ms=None):
        try:
            with self.database.session(timeout_ms) as session:
                return fn(session, *args, **kwargs)
        except DomainError:
            raise
        except Exception as error:  # noqa: BLE001 - the UI's one door: any failure becomes one sentence
            from aesthetix_tui.db.errors import explain, explain_read

            # where it happened decides: a read past its timeout is slow, a write's is TIMED_OUT
            raise (explain_read if timeout_ms else explain)(error, self.target) from None

    def close(self) -> None:
        if self.database is not None:
            self.database.dispose()
