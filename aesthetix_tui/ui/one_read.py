"""One statement in flight per screen (issue 23).

A screen's reads (its load, its poll) go through `start_read` / `read_soon`: while one runs, a
poll is skipped and a load waits to run right after it (the newest asked for wins). A cancelled
asyncio task would not stop its statement in the gate's thread, so no read is ever cancelled to
make room for another: an idle screen never piles statements up on a slow database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class OneRead:
    NAME = "screen"  # the reads' worker groups: NAME-KIND

    reading = False  # a read is in flight
    read_next: tuple | None = None  # (kind, worker, args, kwargs) asked for meanwhile

    def start_read(self, kind: str, worker: Callable, *args: Any, **kwargs: Any) -> None:
        """Run the read WORKER(*args, **kwargs) in the worker group NAME-KIND. The caller
        checked `reading` (a poll skips its turn, `read_soon` queues)."""
        self.reading = True
        self.run_worker(self._one_read(worker, args, kwargs), name=kind, group=f"{self.NAME}-{kind}")

    def read_soon(self, kind: str, worker: Callable, *args: Any, **kwargs: Any) -> None:
        """The read now, or once the one in flight has ended."""
        if self.reading:
            self.read_next = (kind, worker, args, kwargs)
        else:
            self.start_read(kind, worker, *args, **kwargs)

    async def _one_read(self, worker: Callable, args: tuple, kwargs: dict) -> None:
        try:
            await worker(*args, **kwargs)
        finally:
            self.reading = False
            wanted, self.read_next = self.read_next, None
            if wanted is not None and self.is_attached and self.app.is_running:
                kind, worker, args, kwargs = wanted
                self.start_read(kind, worker, *args, **kwargs)
