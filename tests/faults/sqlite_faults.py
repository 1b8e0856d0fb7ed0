"""Helpers for SQLite fault tests: a lock held by another process, a read-only file or folder.

We run as root, which ignores file modes (chmod 0444 / 0555 changes nothing for us), so a
read-only file or folder is made with the immutable attribute (chattr +i): even root cannot
write it, create files in it, or delete it. Tests skip when the filesystem does not support it.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

LOCKER = """
import sqlite3, sys, time
con = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
con.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
con.execute("ROLLBACK")
"""


@contextmanager
def lock_held(path: Path, seconds: float) -> Iterator[subprocess.Popen]:
    """Another process takes the write lock (BEGIN EXCLUSIVE) and sleeps `seconds` holding it."""
    proc = subprocess.Popen([sys.executable, "-c", LOCKER, str(path), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        yield proc
    finally:
        proc.kill()
        proc.wait()


def chattr(flag: str, path: Path) -> bool:
    try:
        return subprocess.run(["chattr", flag, str(path)], capture_output=True, check=False).returncode == 0
    except FileNotFoundError:
        return False


@contextmanager
def immutable(path: Path) -> Iterator[Path]:
    """`path` (a file or a folder) read-only even for root, until the block ends."""
    if not chattr("+i", path):
        pytest.skip("chattr +i is not available here: cannot make a file read-only for root")
    try:
        yield path
    finally:
        chattr("-i", path)
