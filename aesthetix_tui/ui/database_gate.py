"""The TUI's door to the database: opened in a worker, used from threads.

Nothing here imports the database stack at module level, so the first frame
paints before SQLAlchemy loads.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, TypeVar

from aesthetix_tui.clock import Clock
from aesthetix_tui.config import DatabaseTarget

T = TypeVar("T")


class DatabaseGate:
    def __init__(self, target: DatabaseTarget, clock: Clock) -> None:
        self.target = target
        self.clock = clock
        self.database = None
        self.error: str | None = None
        self.ready = asyncio.Event()

    async def open(self) -> None:
        try:
            self.database = await asyncio.to_thread(self._open)
        except Exception as error:  # told to the user as one sentence
            self.error = self._explain(error)
        finally:
            self.ready.set()

    def _open(self):
        from aesthetix_tui.db.open import open_database

        return open_database(self.target, self.clock)

    def _explain(self, error: BaseException) -> str:
        from aesthetix_tui.domain.errors import DomainError

        if isinstance(error, DomainError):
            return error.message
        from aesthetix_tui.db.errors import explain

        return explain(error, self.target).message

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run fn(session, *args) in a thread. Raises DomainError with a clear message."""
        await self.ready.wait()
        if self.database is None:
            from aesthetix_tui.domain.errors import DatabaseProblem

            raise DatabaseProblem(self.error or "The database is not open.")
        return await asyncio.to_thread(self._run, fn, args, kwargs)

    def _run(self, fn, args, kwargs):
        from aesthetix_tui.domain.errors import DomainError

        try:
            with self.database.session() as session:
                return fn(session, *args, **kwargs)
        except DomainError:
            raise
        except Exception as error:
            from aesthetix_tui.db.errors import explain

            raise explain(error, self.target) from None

    def close(self) -> None:
        if self.database is not None:
            self.database.dispose()
