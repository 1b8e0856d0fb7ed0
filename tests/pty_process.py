"""Run a program in a real pseudo-terminal and time what appears on it (the benchmarks, through
tests/benchmarks/ptyrun.py, and tests/test_no_raw_control_output.py).

The program is not told it is measured: it gets a pty of 120x40 and TERM=xterm-256color,
and we read what it writes, looking for text (Textual writes each segment's text as is).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

COLS, ROWS = 120, 40
PYTHON = sys.executable
AESTHETIX = str(Path(sys.executable).with_name("aesthetix-tui"))


class Timeout(AssertionError):
    pass


class PtyProcess:
    """A child on a pty; `began` is taken just before fork, i.e. process start."""

    def __init__(self, argv: list[str], env: dict | None = None) -> None:
        environment = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor", **(env or {})}
        if env and "FAKETIME" in env:  # a clocked child: no faketime setting of this process
            environment = {k: v for k, v in environment.items() if not k.startswith("FAKETIME") or k in env}
        for key in ("TEXTUAL", "TEXTUAL_DRIVER", "PYTEST_CURRENT_TEST"):
            environment.pop(key, None)
        self.output = bytearray()
        self.began = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the child: size the terminal, then become the program
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
            try:
                os.execve(argv[0], argv, environment)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.status = None
        self.rusage = None

    def read_until(self, needle: bytes | str, timeout: float = 30.0, start: int = 0) -> float:
        """Seconds since process start when `needle` first appears in output past `start`."""
        needle = needle.encode() if isinstance(needle, str) else needle
        deadline = time.perf_counter() + timeout
        while True:
            if self.output.find(needle, start) != -1:
                return self.last_read - self.began
            left = deadline - time.perf_counter()
            if left <= 0:
                tail = bytes(self.output[-400:])
                raise Timeout(f"{needle!r} did not appear in {timeout}s; output ends {tail!r}")
            self._read(left)

    def _read(self, wait: float) -> None:
        ready, _, _ = select.select([self.fd], [], [], wait)
        if not ready:
            return
        try:
            data = os.read(self.fd, 65536)
        except OSError:
            data = b""
        self.last_read = time.perf_counter()
        if not data:
            raise Timeout("the program closed its terminal; output ends " + repr(bytes(self.output[-400:])))
        self.output += data

    def drain(self, seconds: float) -> None:
        """Read (and keep) whatever comes for `seconds`."""
        end = time.perf_counter() + seconds
        while (left := end - time.perf_counter()) > 0:
            try:
                self._read(left)
            except Timeout:
                return

    def press(self, data: bytes | str) -> tuple[int, float]:
        """Write key bytes; returns (output offset, time) to search and measure from."""
        data = data.encode() if isinstance(data, str) else data
        self.drain(0)  # take what is pending, so the offset is after it
        mark = len(self.output)
        sent = time.perf_counter()
        os.write(self.fd, data)
        return mark, sent

    def until_after(self, mark: int, sent: float, needle: bytes | str, timeout: float = 30.0) -> float:
        """Seconds from `sent` until `needle` appears in output written after `mark`."""
        self.read_until(needle, timeout, start=mark)
        return self.last_read - sent

    def peak_rss_mb(self) -> float:
        """The program's peak resident memory so far (VmHWM). Not wait4's ru_maxrss: that also
        counts the forked pytest process's memory before exec."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise AssertionError("no VmHWM for the program")

    def wait_exit(self, timeout: float = 10.0):
        """Wait for the child (draining its output); returns (status, rusage)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            pid, status, rusage = os.wait4(self.pid, os.WNOHANG)
            if pid:
                self.status, self.rusage = status, rusage
                return status, rusage
            self.drain(0.02)
        self.kill()
        raise Timeout("the program did not exit")

    def kill(self) -> None:
        # The child leads its own session (pty.fork): kill the whole group, so that a program
        # started through a wrapper (faketime forks it) never outlives the test.
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.status is None:
            try:
                _, self.status, self.rusage = os.wait4(self.pid, 0)
            except ChildProcessError:
                pass
        try:
            os.close(self.fd)
        except OSError:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
