"""SQLite file faults on the command line: one clear sentence, exit 1, no traceback, no damage."""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner

from aesthetix_tui.cli import cli
from aesthetix_tui.db import engine
from aesthetix_tui.db.errors import BUSY
from tests.faults.sqlite_faults import immutable, lock_held

READ_ONLY = "is read-only, so changes cannot be saved; check the permissions of the file and its folder."


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("AESTHETIX_DB", raising=False)
    monkeypatch.delenv("AESTHETIX_DATABASE_URL", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "x.db"
    assert run("--db", str(path), "features", "update", "legacy_triggers=on").exit_code == 0
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def one_sentence(result, sentence: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output.strip().endswith(sentence), result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def settings(path) -> list[tuple]:
    con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        return con.execute("SELECT feature_key, enabled FROM feature_setting ORDER BY feature_key").fetchall()
    finally:
        con.close()


def test_a_read_only_file_reads_but_refuses_writes(db):
    with immutable(db):
        listed = run("--db", str(db), "features", "list")
        assert listed.exit_code == 0 and "legacy_triggers" in listed.output
        one_sentence(run("--db", str(db), "features", "update", "legacy_triggers=off"), READ_ONLY)
        one_sentence(run("--db", str(db), "integrations", "create", "--name", "CRM", "--scope", "contacts.readonly"),
                     READ_ONLY)
    assert settings(db) == [("legacy_triggers", 1)]


def test_a_read_only_folder_reads_but_refuses_writes(db):
    """No -wal/-shm can be made beside the file: it is opened read-only (immutable)."""
    assert not (db.parent / "x.db-wal").exists()  # a clean close removed them
    with immutable(db.parent):
        listed = run("--db", str(db), "features", "list", "--json")
        assert listed.exit_code == 0 and '"enabled": true' in listed.output
        one_sentence(run("--db", str(db), "features", "update", "legacy_triggers=off"), READ_ONLY)
        assert sorted(p.name for p in db.parent.iterdir()) == ["x.db"]
    assert settings(db) == [("legacy_triggers", 1)]


def test_a_lock_held_past_the_busy_timeout(db, monkeypatch):
    monkeypatch.setattr(engine, "BUSY_TIMEOUT_MS", 300)
    with lock_held(db, 5):
        # reading still works (WAL); a write waits 0.3 s, then says so
        assert run("--db", str(db), "features", "list").exit_code == 0
        one_sentence(run("--db", str(db), "features", "update", "legacy_triggers=off"), BUSY)
    assert settings(db) == [("legacy_triggers", 1)]
    assert run("--db", str(db), "features", "update", "legacy_triggers=off").exit_code == 0


def test_a_missing_folder(tmp_path):
    missing = tmp_path / "no" / "such" / "x.db"
    one_sentence(run("--db", str(missing), "features", "list"),
                 f"The folder {missing.parent} does not exist; create it or choose another --db path.")
    one_sentence(run("--database-url", f"sqlite:///{missing}", "features", "list"),
                 f"The folder {missing.parent} does not exist; create it or choose another --db path.")
    assert not missing.parent.exists()


@pytest.mark.parametrize("url, sentence", [
    ("nonsense", "The database URL nonsense is not valid; check --database-url."),
    ("postgresql+nosuchdriver://u:secret@h/db",
     "The database URL postgresql+nosuchdriver://***@h/db is not valid; check --database-url."),
    ("postgresql+psycopg://u:secret@127.0.0.1:1/db",
     ("The database server for postgresql+psycopg://***@127.0.0.1:1/db cannot be reached; "
      "check that it is running.")),
])
def test_a_bad_database_url(url, sentence, monkeypatch):
    monkeypatch.delenv("AESTHETIX_DATABASE_URL", raising=False)
    result = run("--database-url", url, "features", "list")
    one_sentence(result, sentence)
    assert "secret" not in result.output


def test_a_read_only_url_reads_but_refuses_writes(db, tmp_path):
    """?mode=ro opens any SQLite file read-only (and never creates one)."""
    url = f"sqlite:///{db}?mode=ro"
    listed = run("--database-url", url, "features", "list", "--json")
    assert listed.exit_code == 0 and '"enabled": true' in listed.output
    one_sentence(run("--database-url", url, "features", "update", "legacy_triggers=off"), READ_ONLY)
    assert settings(db) == [("legacy_triggers", 1)]
    missing = tmp_path / "data" / "missing.db"
    assert run("--database-url", f"sqlite:///{missing}?mode=ro", "features", "list").exit_code == 1
    assert not missing.exists()
