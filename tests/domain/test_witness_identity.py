"""The witness is kept under what the database says it is (issue 22, item 8): its own id and
the account's uid given at creation, not the spelling of a path or address, nor an account's
id or name. Another spelling finds the same witness; a re-created account is reported."""

from __future__ import annotations

import json
import os
from datetime import timedelta

from sqlalchemy import text

from aesthetix_tui import witness
from aesthetix_tui.config import DatabaseTarget, resolve_target
from aesthetix_tui.domain import accounts, witness_check
from aesthetix_tui.domain.actor import SYSTEM
from aesthetix_tui.domain.seed import open_database
from tests.domain.test_witness import make_events
from tests.witness_helpers import ATTACKS, seen

RECREATED = "The account was deleted and created again since Thu 26 Nov 2026 15:15."


def other_spellings(database, tmp_path) -> dict[str, DatabaseTarget]:
    """The same database reached another way than the test's own target."""
    target = database.target
    if target.path is None:
        assert "@127.0.0.1:" in target.url
        return {"localhost": resolve_target(database_url=target.url.replace("@127.0.0.1:", "@localhost:"))}
    real = target.path
    os.link(real, tmp_path / "hard.db")
    (tmp_path / "soft.db").symlink_to(real)
    return {"hard link": resolve_target(db=str(tmp_path / "hard.db")),
            "symlink": resolve_target(db=str(tmp_path / "soft.db")),
            "relative": resolve_target(db=os.path.relpath(real)),
            "read-only url": resolve_target(database_url=f"sqlite:///{real}?mode=ro")}


def check_through(database, target, clock, account_id: int):
    """A client that opens the database at `target` and reads the account's trail (the test's
    own connections closed first: SQLite names a WAL after the path it was opened by)."""
    database.engine.dispose()
    other = open_database(target, clock)
    try:
        with other.session() as s:
            return witness.check_and_advance(s, target, accounts.get(s, account_id), clock)
    finally:
        other.dispose()


def test_another_spelling_of_the_database_finds_the_same_witness(database, clock, owner, tmp_path):
    # No session left open (no `account` fixture): SQLite refuses a hard link to a file open in WAL mode.
    with database.session() as s:
        account = accounts.resolve(s, None)
        make_events(s, clock, account, owner)
        assert witness.check_and_advance(s, database.target, account, clock).ok  # seen #4 as the test spells it
    spellings = other_spellings(database, tmp_path)
    for name, target in spellings.items():
        if name in ("localhost", "hard link"):  # a key by spelling would differ: no check at all
            assert witness.database_key(target) != witness.database_key(database.target), name
        assert check_through(database, target, clock, account.id).ok, name
    ATTACKS["truncated"](database, account.id)
    for name, target in spellings.items():
        result = check_through(database, target, clock, account.id)
        assert not result.ok, name
        assert result.problem.endswith("event #4 is missing."), (name, result.problem)


def test_the_identity_is_the_databases_own(database, account):
    with database.session() as s:
        ident = witness_check.identity(s, account.id)
    assert ident.name == account.name and len(ident.account) == 32
    if database.target.path is None:
        with database.session() as s:
            system = s.execute(text("SELECT system_identifier FROM pg_control_system()")).scalar()
            oid = s.execute(text("SELECT oid FROM pg_database WHERE datname = current_database()")).scalar()
        assert ident.database == f"postgresql:{system}:{oid}"
    else:
        with database.session() as s:
            stored = s.execute(text("SELECT id FROM database_identity")).scalar()
        assert ident.database == f"stored:{stored}"


def delete_account(database, account_id: int) -> None:
    """Someone with write access deletes the account (its rows go with it)."""
    with database.session() as s:
        s.execute(text("DELETE FROM account WHERE id = :id"), {"id": account_id})
        s.commit()


def test_an_account_recreated_under_the_same_name_is_reported(database, clock, account, owner):
    with database.session() as s:
        make_events(s, clock, account, owner)
        assert witness.check_and_advance(s, database.target, account, clock).ok
    delete_account(database, account.id)
    clock.advance(timedelta(days=1))
    with database.session() as s:
        again = accounts.create(s, clock, account.name, "UTC", SYSTEM)
        make_events(s, clock, again, owner)
    with database.session() as s:
        again = accounts.get(s, again.id)
        result = witness.check_and_advance(s, database.target, again, clock)
        assert (result.ok, result.problem) == (False, RECREATED)
        # Not moved on: the next reader is told too.
        assert witness.check_and_advance(s, database.target, again, clock).problem == RECREATED
    assert seen(database, again.id) is None


def test_an_account_recreated_under_the_same_id_is_reported(database, clock, account, owner):
    with database.session() as s:
        make_events(s, clock, account, owner)
        assert witness.check_and_advance(s, database.target, account, clock).ok
    delete_account(database, account.id)
    with database.session() as s:  # raw SQL, as a writer with database access would: no uid given
        s.execute(text("INSERT INTO account (id, name, timezone, support_max_days, created_at, audit_seq, "
                       "audit_head) VALUES (:id, 'Another Name', 'UTC', 30, :at, 0, '')"),
                  {"id": account.id, "at": clock.now()})
        s.commit()
    with database.session() as s:
        again = accounts.get(s, account.id)
        assert again.uid and again.uid != account.uid  # given by the trigger
        result = witness.check_and_advance(s, database.target, again, clock)
    assert result.problem == RECREATED


def test_a_renamed_account_is_no_recreated_one(database, clock, account, owner):
    with database.session() as s:
        make_events(s, clock, account, owner)
        assert witness.check_and_advance(s, database.target, account, clock).ok
        other = accounts.create(s, clock, "Second", "UTC", SYSTEM)
        assert witness.check_and_advance(s, database.target, other, clock).ok
    with database.session() as s:  # the first account is renamed, a new one takes its old name
        s.execute(text("UPDATE account SET name = 'Renamed' WHERE id = :id"), {"id": account.id})
        s.commit()
        third = accounts.create(s, clock, account.name, "UTC", SYSTEM)
        assert witness.check_and_advance(s, database.target, third, clock).ok
        assert witness.check_and_advance(s, database.target, accounts.get(s, account.id), clock).ok
        assert witness.check_and_advance(s, database.target, accounts.get(s, other.id), clock).ok


def old_witness(database, clock, account, owner, witness_file):
    """Four events, and a witness file as clients wrote it before the ids: by path or URL and
    account id, at #4. Returns the account as read then."""
    with database.session() as s:
        make_events(s, clock, account, owner)
        head = accounts.get(s, account.id)
    witness_file.write_text(json.dumps({"version": 1, "databases": {witness.database_key(database.target): {
        str(account.id): {"seq": 4, "hash": head.audit_head, "seen_at": "2026-11-26T15:15:00+00:00"}}}}))
    return head


def test_a_witness_written_before_the_ids_is_still_read(database, clock, account, owner, witness_file):
    old_witness(database, clock, account, owner, witness_file)
    ATTACKS["rewritten"](database, account.id)
    with database.session() as s:
        result = witness.check_and_advance(s, database.target, account, clock)
    assert result.problem == ("The audit history was rewritten or truncated since Thu 26 Nov 2026 15:15: "
                              "event #4 was changed.")


def test_an_old_entry_that_still_holds_moves_to_the_new_key(database, clock, account, owner, witness_file):
    head = old_witness(database, clock, account, owner, witness_file)
    old_key = witness.database_key(database.target)
    with database.session() as s:
        assert witness.check_and_advance(s, database.target, account, clock).ok
    assert seen(database, account.id) == witness.Seen(4, head.audit_head, clock.now())
    stored = json.loads(witness_file.read_text())
    assert stored["version"] == witness.VERSION
    [new_key] = [key for key in stored["databases"] if key != old_key]
    assert stored["databases"][new_key][account.uid]["name"] == account.name
