"""Storage: migrations own the schema, engine settings, file modes, seeding, UTC timestamps."""

from __future__ import annotations

import os
import sqlite3
import stat
from datetime import UTC, datetime, timedelta, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import exc, text
from sqlmodel import SQLModel

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.db import models
from aesthetix_tui.db.migrate import alembic_config, upgrade
from aesthetix_tui.domain.errors import DatabaseProblem
from aesthetix_tui.domain.seed import open_database

TABLES = {"account", "support_grant", "integration", "legacy_key", "feature_setting", "audit_event"}


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# -- the schema ----------------------------------------------------------------------

def test_migrations_produce_exactly_the_models_schema(database):
    assert TABLES <= set(SQLModel.metadata.tables)
    with database.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_the_comparison_can_see_a_difference(database):
    """The check above is not vacuous: a table the migrations lack shows up."""
    from sqlalchemy import Column, Integer, MetaData, Table

    extra = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(extra)
    Table("not_migrated", extra, Column("id", Integer, primary_key=True))
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), extra)
    assert [d[0] for d in diff] == ["add_table"]


def test_the_database_is_at_the_newest_revision(database):
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    with database.engine.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
    assert upgrade(database.engine) is False  # nothing left to do


def test_reopening_neither_migrates_nor_seeds_again(db_path, clock, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    first = open_database(resolve_target(db=str(db_path)), clock)
    first.dispose()
    second = open_database(resolve_target(db=str(db_path)), clock)
    try:
        with second.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM account")).scalar() == 1
    finally:
        second.dispose()


def test_foreign_keys_are_enforced(database):
    with database.engine.connect() as conn, pytest.raises(exc.IntegrityError, match="(?i)FOREIGN KEY"):
        conn.execute(text("INSERT INTO legacy_key (account_id, key_hash, hint, created_at, created_by, disabled) "
                          "VALUES (999, 'h', 'x', '2026-01-01 00:00:00', 'a', FALSE)"))


# -- the engine -------------------------------------------------------------------------

@pytest.mark.sqlite_only  # PRAGMAs are SQLite's connection settings
def test_pragmas_on_every_connection(database):
    with database.engine.connect() as one, database.engine.connect() as two:
        for conn in (one, two):
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_wal_mode_is_in_the_file(database, db_path):
    con = sqlite3.connect(str(db_path))
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        con.close()


# -- files and folders ---------------------------------------------------------------------

def test_a_db_file_is_created_0600(database, db_path):
    assert mode(db_path) == 0o600
    for sidecar in (f"{db_path}-wal", f"{db_path}-shm"):
        if os.path.exists(sidecar):
            assert mode(sidecar) == 0o600


def test_an_existing_file_keeps_its_mode(tmp_path, clock):
    path = tmp_path / "mine.db"
    path.touch(mode=0o640)
    os.chmod(path, 0o640)
    db = open_database(resolve_target(db=str(path)), clock)
    db.dispose()
    assert mode(path) == 0o640


def test_the_default_location_is_created_0700_and_0600(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.delenv("AESTHETIX_DB", raising=False)
    monkeypatch.delenv("AESTHETIX_DATABASE_URL", raising=False)
    monkeypatch.setenv("TZ", "UTC")
    target = resolve_target()
    assert target.is_default
    assert target.path == tmp_path / "xdg" / "aesthetix-tui" / "aesthetix.db"
    db = open_database(target, clock)
    db.dispose()
    assert mode(target.path.parent) == 0o700
    assert mode(target.path) == 0o600


def test_a_missing_folder_for_db_is_not_created(tmp_path, clock):
    path = tmp_path / "no" / "such" / "folder" / "x.db"
    with pytest.raises(DatabaseProblem, match="folder .* does not exist; create it or choose another --db"):
        open_database(resolve_target(db=str(path)), clock)
    assert not path.parent.exists()


def test_a_corrupt_file_is_one_clear_sentence(tmp_path, clock):
    path = tmp_path / "junk.db"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(DatabaseProblem, match="damaged or is not an Aesthetix database") as info:
        open_database(resolve_target(db=str(path)), clock)
    assert str(path) in info.value.message


# -- seeding -------------------------------------------------------------------------------

def test_first_open_seeds_one_account_in_the_local_timezone(tmp_path, clock, monkeypatch):
    monkeypatch.setenv("TZ", "Europe/Paris")
    db = open_database(resolve_target(db=str(tmp_path / "new.db")), clock)
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT name, timezone FROM account")).all()
            events = conn.execute(text("SELECT action, actor, actor_kind FROM audit_event")).all()
    finally:
        db.dispose()
    assert rows == [("My Business", "Europe/Paris")]
    assert events == [("account.created", "system", "system")]


def test_open_without_seeding(tmp_path, clock):
    db = open_database(resolve_target(db=str(tmp_path / "bare.db")), clock, seed=False)
    try:
        with db.engine.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM account")).scalar() == 0
    finally:
        db.dispose()


# -- timestamps ----------------------------------------------------------------------------

def test_timestamps_come_back_aware_utc(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    paris = timezone(timedelta(hours=1))
    clock = ManualClock(datetime(2026, 11, 26, 16, 30, tzinfo=paris))
    db = open_database(resolve_target(db=str(tmp_path / "t.db")), clock)
    try:
        with db.session() as s:
            account = s.exec(models.Account.__table__.select()).first()
        with db.session() as s:
            loaded = s.get(models.Account, account.id)
            assert loaded.created_at == datetime(2026, 11, 26, 15, 30, tzinfo=UTC)
            assert loaded.created_at.tzinfo is not None
            assert loaded.created_at.utcoffset() == timedelta(0)
        with db.engine.connect() as conn:
            raw = conn.execute(text("SELECT created_at FROM account")).scalar()
        assert str(raw).startswith("2026-11-26 15:30:00")  # stored as UTC
    finally:
        db.dispose()


def test_naive_datetimes_are_not_stored(session, account):
    account.created_at = datetime(2026, 1, 1, 12, 0)
    session.add(account)
    with pytest.raises(exc.StatementError, match="naive datetimes are not stored"):
        session.commit()
    session.rollback()


@pytest.mark.parametrize("tz", ["Bogus/Zone", "Europe/", "../../etc/passwd"])
def test_first_open_seeds_even_when_tz_is_not_a_zone(tmp_path, clock, monkeypatch, tz):
    """An unusable TZ must not leave a migrated database without its first account."""
    from zoneinfo import ZoneInfo

    monkeypatch.setenv("TZ", tz)
    db = open_database(resolve_target(db=str(tmp_path / "tz.db")), clock)
    try:
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT name, timezone FROM account")).all()
    finally:
        db.dispose()
    assert [r[0] for r in rows] == ["My Business"]
    ZoneInfo(rows[0][1])  # a zone that works


def test_0008_gives_the_database_and_every_existing_account_an_id(tmp_path, clock, monkeypatch):
    """The witness's keys (aesthetix_tui/witness.py): accounts made before 0008 get distinct
    uids, the database one id, and an account inserted later without a uid gets one."""
    from tests.domain.helpers import at_revision

    monkeypatch.setenv("TZ", "UTC")
    path = tmp_path / "old.db"
    with at_revision(path, "0007") as conn:
        for name in ("One", "Two"):
            conn.execute(text("INSERT INTO account (name, timezone, support_max_days, created_at, audit_seq, "
                              "audit_head) VALUES (:n, 'UTC', 30, '2026-11-01 10:00:00', 0, '')"), {"n": name})
    database = open_database(resolve_target(db=str(path)), clock)  # migrates to head
    try:
        with database.session() as s:
            s.execute(text("INSERT INTO account (name, timezone, support_max_days, created_at, audit_seq, "
                           "audit_head) VALUES ('Three', 'UTC', 30, '2026-11-01 10:00:00', 0, '')"))
            uids = s.execute(text("SELECT uid FROM account ORDER BY id")).scalars().all()
            assert len(set(uids)) == 3 and all(len(uid) == 32 for uid in uids)
            assert len(s.execute(text("SELECT id FROM database_identity")).scalars().all()) == 1
    finally:
        database.dispose()
