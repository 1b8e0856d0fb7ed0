"""Accounts: resolving by id or name, creating, and the refusals."""

from __future__ import annotations

import pytest
from helpers import query, recorded, refused

from aesthetix_tui.domain import accounts, audit
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import Conflict, InvalidInput, NotFound


def test_the_only_account_is_chosen_without_a_name(session, account):
    assert account.name == "My Business"
    for empty in (None, "", "   "):
        assert accounts.resolve(session, empty).id == account.id


def test_resolve_by_name_or_id(session, clock, account, owner):
    other = accounts.create(session, clock, "Clinic Two", "Europe/Paris", owner)
    assert accounts.resolve(session, "Clinic Two").id == other.id
    assert accounts.resolve(session, " Clinic Two ").id == other.id
    assert accounts.resolve(session, str(other.id)).id == other.id
    assert accounts.resolve(session, str(account.id)).id == account.id
    assert accounts.get(session, other.id).timezone == "Europe/Paris"


def test_several_accounts_need_a_choice(session, clock, account, owner):
    accounts.create(session, clock, "Clinic Two", "UTC", owner)
    with pytest.raises(InvalidInput, match="several accounts; choose one with --account"):
        accounts.resolve(session, None)


@pytest.mark.parametrize("name", ["Nope", "999", "my business"])
def test_unknown_account(session, account, name):
    with pytest.raises(NotFound, match=f"no account named or numbered '{name}'"):
        accounts.resolve(session, name)


def test_no_accounts_at_all(clock, tmp_path):
    from aesthetix_tui.config import resolve_target
    from aesthetix_tui.domain.seed import open_database

    db = open_database(resolve_target(db=str(tmp_path / "empty.db")), clock, seed=False)
    try:
        with db.session() as s, pytest.raises(NotFound, match="no accounts yet; create one"):
            accounts.resolve(s, None)
    finally:
        db.dispose()


def test_get_unknown_id(session):
    with pytest.raises(NotFound, match="no account with id 42"):
        accounts.get(session, 42)


def test_create_records_an_audit_event_in_its_own_chain(session, clock, owner, database):
    sam = Actor("sam", "support")
    other = accounts.create(session, clock, "  Clinic Two  ", "Asia/Tokyo", sam)
    assert (other.name, other.timezone, other.created_at) == ("Clinic Two", "Asia/Tokyo", clock.now())
    assert other.support_max_days == 30
    events = audit.recent(session, other)
    assert [(e.seq, e.action, e.actor, e.actor_kind, e.target) for e in events] == [
        (1, "account.created", *recorded(database, sam), f"account:{other.id}")]
    assert audit.verify(session, other).ok


def test_list_is_sorted_by_name(session, clock, owner):
    accounts.create(session, clock, "Zeta Spa", "UTC", owner)
    accounts.create(session, clock, "Alpha Clinic", "UTC", owner)
    assert [a.name for a in accounts.list_accounts(session)] == ["Alpha Clinic", "My Business", "Zeta Spa"]


@pytest.mark.parametrize("tz", ["Mars/Olympus_Mons", "", "Europe/", "../etc/passwd"])
def test_bad_timezone_is_refused(session, clock, owner, database, tz):
    with refused(database, InvalidInput, "not a known timezone; use a name like Europe/Paris"):
        accounts.create(session, clock, "Clinic Two", tz, owner)


def test_duplicate_name_is_refused(session, clock, owner, database):
    with refused(database, Conflict, "account named 'My Business' already exists"):
        accounts.create(session, clock, "My Business", "UTC", owner)


@pytest.mark.parametrize("name, match", [
    ("", "1 to 100 printable"),
    ("   ", "1 to 100 printable"),
    ("x" * 101, "1 to 100 printable"),
    ("two\nlines", "printable characters on one line"),
    ("evil\u202egnp.exe", "U\\+202E"),
    ("12345", "only digits"),
])
def test_bad_names_are_refused(session, clock, owner, database, name, match):
    with refused(database, InvalidInput, match):
        accounts.create(session, clock, name, "UTC", owner)


def test_a_name_with_a_joined_emoji_is_accepted(session, clock, owner):
    account = accounts.create(session, clock, "👩\u200d💻 Dev desk", "UTC", owner)
    assert account.name == "👩\u200d💻 Dev desk"


def test_ensure_first_only_seeds_an_empty_database(session, clock, owner, database):
    assert accounts.ensure_first(session, clock, "UTC", owner) is None
    assert query(database, "SELECT name FROM account") == [("My Business",)]


def test_bad_actor_is_refused():
    with pytest.raises(InvalidInput, match="kind must be one of owner, support, system"):
        Actor("x", "admin")
    with pytest.raises(InvalidInput, match="1 to 100 characters"):
        Actor("  ")


@pytest.mark.parametrize("name", ["my business", "MY BUSINESS", " My business "])
def test_a_name_differing_only_by_case_is_refused(session, clock, owner, database, name):
    with refused(database, Conflict, r"^An account named 'My Business' already exists \(names ignore capital "
                                     r"letters\); choose another name\.$"):
        accounts.create(session, clock, name, "UTC", owner)
