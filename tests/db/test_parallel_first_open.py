"""Many processes opening a new database at once: one migrates and seeds, all succeed."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, text

PROCESSES = 8


def start(*database_args: str) -> subprocess.Popen:
    argv = [sys.executable, "-m", "aesthetix_tui", *database_args, "support-access", "status", "--json"]
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finish(children: list[subprocess.Popen]) -> list[str]:
    """The failures: each child's exit code and stderr, for those that did not exit 0."""
    failures = []
    for child in children:
        out, err = child.communicate(timeout=120)
        if child.returncode != 0:
            failures.append(f"exit {child.returncode}: {err.strip()}")
        else:
            json.loads(out)
    return failures


@pytest.mark.slow
def test_a_new_sqlite_file_opened_by_eight_processes_at_once(tmp_path):
    path = tmp_path / "new.db"
    children = [start("--db", str(path)) for _ in range(PROCESSES)]
    assert finish(children) == []
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT count(*) FROM account").fetchone() == (1,)
    finally:
        conn.close()


@pytest.mark.slow
def test_a_new_postgresql_database_opened_by_eight_processes_at_once(pg_empty_url):
    children = [start("--database-url", pg_empty_url) for _ in range(PROCESSES)]
    assert finish(children) == []
    engine = create_engine(pg_empty_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM account")).scalar() == 1
    finally:
        engine.dispose()
