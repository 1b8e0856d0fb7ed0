"""The witness: a file outside the database that remembers the newest audit event seen, and
the check that catches a history rewritten, cut or wiped even when its chain verifies."""

from __future__ import annotations

import json
import os
import stat
from datetime import UTC, datetime, timedelta

import pytest

from aesthetix_tui import witness
from aesthetix_tui.config import DatabaseTarget, resolve_target
from aesthetix_tui.domain import audit, features, witness_check
from tests.conftest import START
from tests.witness_helpers import ATTACKS, seen

SEEN = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)
H1, H2, H3 = "1" * 64, "2" * 64, "3" * 64


def make_events(session, clock, account, owner, count: int = 3) -> None:
    """`count` more events (the account starts with account.created, #1)."""
    for index in range(count):
        clock.advance(timedelta(minutes=5))
        features.update(session, clock, account.id, {"legacy_campaigns": index % 2 == 0}, owner)


# -- the file --------------------------------------------------------------------------------

def test_an_advance_is_remembered(witness_file):
    assert witness.remembered("db", 1) is None
    assert witness.advance("db", 1, 4, H1, SEEN)
    assert witness.remembered("db", 1) == witness.Seen(4, H1, SEEN)
    assert witness.remembered("db", 2) is None  # another account
    assert witness.remembered("other", 1) is None  # another database
    stored = json.loads(witness_file.read_text())
    assert stored["databases"]["db"]["1"] == {"seq": 4, "hash": H1, "seen_at": "2026-11-20T09:30:00+00:00"}


def test_the_default_path_is_in_the_users_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(witness.ENV)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert witness.witness_path() == tmp_path / "aesthetix-tui" / "witness.json"


def test_the_folder_is_0700_the_file_0600_and_no_temp_file_is_left(tmp_path):
    path = tmp_path / "new" / "witness.json"
    os.umask(0o022)
    assert witness.advance("db", 1, 1, H1, SEEN, path=path)
    assert witness.advance("db", 1, 2, H2, SEEN, path=path)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in path.parent.iterdir()) == ["witness.json", "witness.json.lock"]


def test_only_forward(witness_file):
    assert witness.advance("db", 1, 5, H1, SEEN)
    assert not witness.advance("db", 1, 3, H2, SEEN + timedelta(days=1))  # older: kept out
    assert not witness.advance("db", 1, 5, H2, SEEN + timedelta(days=1))  # the same event: no news
    assert witness.remembered("db", 1) == witness.Seen(5, H1, SEEN)
    assert witness.advance("db", 1, 7, H3, SEEN + timedelta(days=2))
    assert witness.remembered("db", 1) == witness.Seen(7, H3, SEEN + timedelta(days=2))
    assert not witness.advance("db", 1, 0, "", SEEN)  # an empty trail is nothing to remember


@pytest.mark.parametrize("content", [b"{not json", b"\xff\xfe garbage", b"[1, 2]", b'{"databases": 3}'])
def test_a_corrupt_file_counts_as_empty_and_is_set_aside(witness_file, content):
    witness_file.write_bytes(content)
    assert witness.remembered("db", 1) is None
    assert witness_file.read_bytes() == content  # reading never rewrites it
    assert witness.advance("db", 1, 2, H2, SEEN)
    assert witness_file.with_name("witness.json.corrupt").read_bytes() == content
    assert witness.remembered("db", 1) == witness.Seen(2, H2, SEEN)


def test_a_bad_entry_counts_as_never_seen(witness_file):
    witness_file.write_text(json.dumps({"databases": {"db": {"1": {"seq": "4", "hash": H1, "seen_at": "x"}},
                                                      "other": []}}))
    assert witness.remembered("db", 1) is None
    assert witness.remembered("other", 1) is None
    assert witness.advance("db", 1, 1, H1, SEEN)


def test_an_unreadable_file_is_never_overwritten(tmp_path):
    path = tmp_path / "witness.json"
    path.mkdir()  # a folder in its place: cannot be read (even by root)
    assert witness.remembered("db", 1, path=path) is None
    assert not witness.advance("db", 1, 2, H2, SEEN, path=path)
    assert path.is_dir()


def test_a_folder_that_cannot_be_made_is_no_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert not witness.advance("db", 1, 2, H2, SEEN, path=blocker / "witness.json")


def test_the_store_loads_no_database_stack_and_no_textual():
    from tests.test_imports import loaded

    assert loaded(["aesthetix_tui.witness"], ["sqlalchemy", "sqlmodel", "alembic", "textual"]) == []


# -- which database ----------------------------------------------------------------------------

def test_a_sqlite_file_is_known_by_its_real_path(tmp_path):
    real = tmp_path / "real.db"
    link = tmp_path / "link.db"
    link.symlink_to(real)
    key = witness.database_key(resolve_target(db=str(real)))
    assert key == f"sqlite:{os.path.realpath(real)}"
    assert witness.database_key(resolve_target(db=str(link))) == key
    assert witness.database_key(resolve_target(database_url=f"sqlite:///{link}?mode=ro")) == key


def test_a_url_is_known_without_user_or_password():
    def key(url: str) -> str | None:
        return witness.database_key(DatabaseTarget(url=url, path=None))

    first = key("postgresql+psycopg://alice:s3cr%40t@DB.example.com:5432/crm?sslmode=require&password=hunter2")
    assert first == "postgresql://db.example.com:5432/crm"
    assert key("postgresql://bob:other@db.example.com:5432/crm") == first  # another login, same database
    assert key("postgresql://db.example.com:5433/crm") != first
    assert key("postgresql://db.example.com:5432/crm2") != first
    assert key("postgresql:///crm?host=/run/postgresql&password=x") == "postgresql:///run/postgresql:/crm"
    assert key("postgresql://u:p@[::1]:5432/crm") == "postgresql://[::1]:5432/crm"
    assert key("sqlite:///:memory:") is None
    assert key("postgresql://u:pa/ss:wd@host/crm") == "postgresql://host:/crm"  # "/" in a password
    assert key("postgresql://u:p:w@host:5432/crm") == "postgresql://host:5432/crm"


# -- the check ------------------------------------------------------------------------------------

def test_nothing_remembered_is_ok_and_names_the_head(session, account):
    result = witness_check.check(session, account.id, None, None)
    assert result == witness_check.WitnessCheck(True, "", account.audit_seq, account.audit_head)


def test_the_remembered_event_is_still_there(session, clock, account, owner):
    make_events(session, clock, account, owner)
    first = audit.recent(session, account, 10)[-1]
    assert witness_check.check(session, account.id, first.seq, first.hash, SEEN).ok
    changed = witness_check.check(session, account.id, first.seq, H1, SEEN)
    assert changed.problem == ("The audit history was rewritten or truncated since Fri 20 Nov 2026 09:30: "
                               "event #1 was changed.")
    assert witness_check.check(session, account.id, 9, H1).problem == (
        "The audit history was rewritten or truncated: event #9 is missing.")


def test_the_date_is_in_the_accounts_timezone(database, account):
    from tests.domain.helpers import execute

    execute(database, "UPDATE account SET timezone = 'Asia/Tokyo' WHERE id = ?", (account.id,))
    with database.session() as s:
        problem = witness_check.check(s, account.id, 5, H1, SEEN).problem
    assert "since Fri 20 Nov 2026 18:30:" in problem


def test_check_and_advance_moves_forward_with_the_trail(session, database, clock, account, owner):
    target = database.target
    first = witness.check_and_advance(session, target, account, clock)
    assert first.ok and seen(database, account.id) == witness.Seen(1, account.audit_head, START)
    make_events(session, clock, account, owner)
    assert witness.check_and_advance(session, target, account, clock, advance_on_ok=False).ok
    assert seen(database, account.id).seq == 1  # asked not to move
    assert witness.check_and_advance(session, target, account, clock).ok
    assert seen(database, account.id) == witness.Seen(4, session.get(type(account), account.id).audit_head,
                                                               clock.now())


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_every_forgery_verifies_but_the_witness_catches_it(database, clock, account, owner, attack):
    target = database.target
    with database.session() as s:
        make_events(s, clock, account, owner)
        assert witness.check_and_advance(s, target, account, clock).ok  # a client saw #4
    ATTACKS[attack](database, account.id)
    clock.advance(timedelta(days=1))
    with database.session() as s:
        assert audit.verify(s, account).ok, "the forgery must fool the chain alone"
        result = witness.check_and_advance(s, target, account, clock)
    assert not result.ok
    ending = "was changed." if attack == "rewritten" else "is missing."
    assert result.problem == f"The audit history was rewritten or truncated since Thu 26 Nov 2026 15:15: event #4 {ending}"
    # Not moved onto the forged head: the next reader is told too.
    assert seen(database, account.id).seq == 4
    with database.session() as s:
        assert not witness.check_and_advance(s, target, account, clock).ok
