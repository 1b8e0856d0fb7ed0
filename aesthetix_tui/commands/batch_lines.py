"""Lines from standard input in chunks, for a command that answers each line (verify --batch).

A reader thread reads the lines; the command takes, each time, every line already waiting (up
to CHUNK), so a gateway that writes one token and waits gets its answer at once, and one that
pours many in gets them checked many at a time. A line longer than LONGEST bytes is cut there
(the rest of it skipped), undecodable bytes are replaced: every line still gets its one answer.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from typing import BinaryIO

CHUNK = 1000  # lines checked at once, at most
LONGEST = 256  # bytes of a line kept (a token is 50)
AHEAD = 4 * CHUNK  # lines read ahead of the answers, at most


def lines(stream: BinaryIO) -> Iterator[str]:
    """Each line without its end, decoded; cut at LONGEST bytes."""
    while True:
        line = stream.readline(LONGEST + 1)
        if not line:
            return
        rest = line
        while rest and not rest.endswith(b"\n"):  # skip what is past LONGEST, up to the line's end
            rest = stream.readline(1 << 16)
        yield line[:LONGEST].rstrip(b"\r\n").decode("utf-8", errors="replace")


def chunks(stream: BinaryIO, size: int = CHUNK) -> Iterator[list[str]]:
    """Lists of the lines waiting (at least one, at most SIZE), in order, until the stream ends."""
    waiting: deque[str] = deque()
    ready = threading.Condition()
    state = {"done": False, "error": None}

    def read() -> None:
        try:
            for line in lines(stream):
                with ready:
                    ready.wait_for(lambda: len(waiting) < AHEAD)
                    waiting.append(line)
                    ready.notify_all()
        except BaseException as error:  # noqa: BLE001 - handed to the command, which says it in one sentence
            state["error"] = error
        finally:
            with ready:
                state["done"] = True
                ready.notify_all()

    threading.Thread(target=read, name="stdin-lines", daemon=True).start()
    while True:
        with ready:
            ready.wait_for(lambda: waiting or state["done"])
            chunk = [waiting.popleft() for _ in range(min(size, len(waiting)))]
            ready.notify_all()
        if chunk:
            yield chunk
        elif state["error"] is not None:
            raise state["error"]
        else:
            return
