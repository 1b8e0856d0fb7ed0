"""db/quick.py's stdlib-sqlite3 reads find accounts by the domain's one rule (db/account_ref.py)
and answer as the domain does, for every kind of name and every Support Access state:
`support check` (quick.support_check ~ support_sessions.check_access) and the TUI's first frame
(quick.support_preview ~ profile.choose_account + latest grant + open session).

None from a fast read means "not answered here" (the full stack answers): it is allowed only
where the domain refuses, or (support check) for a blank reference."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.db import account_ref, quick
from aesthetix_tui.domain import accounts, profile, support_access, support_sessions
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import DomainError
from aesthetix_tui.domain.seed import open_database
from aesthetix_tui.domain.support_status import status_of
from aesthetix_tui.domain.support_status import support_check as rule

START = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)
OWNER = Actor("alice", "owner")
AGENT = "bob"

# Refs: every account by name and by id, and what is near them: case, spaces, digits, unknowns.
REFS = ["My Business", " My Business ", "my business", "Spa  Two", "Spa Two", " Spa  Two\t", "Shop", "Shops", "shop",
        "SHOP", "2", "02", " 2 ", "3", "4", "5", "6", "7", "1", "999", "nobody", "²", "١",
        "99999999999999999999999", "", "   "]


@pytest.fixture
def world(tmp_path):
    """Six accounts: "My Business" (1), "Spa  Two" (2), "Shop" (3), "Shops" (4), "Seven" (5), and
    one named "2" (6) that looks like account 2's id. Support Access in every state:
    1 active with a live support session, 2 active, 3 expired, 4 revoked, 5 and 6 never enabled."""
    clock = ManualClock(START)
    db = open_database(resolve_target(db=str(tmp_path / "q.db")), clock)
    with db.session() as session:
        first = accounts.resolve(session, None)
        ids = [first.id] + [accounts.create(session, clock, name, "Europe/Paris", OWNER).id
                            for name in ("Spa  Two", "Shop", "Shops", "Seven", "Two")]
    conn = sqlite3.connect(db.target.path)
    conn.execute("UPDATE account SET name = '2' WHERE id = ?", (ids[5],))  # the domain refuses such a name
    conn.commit()
    conn.close()
    with db.session() as session:
        support_access.enable(session, clock, ids[0], date(2026, 12, 3), OWNER, reason="Ticket 1")
        support_access.enable(session, clock, ids[1], date(2026, 12, 20), OWNER)
        support_access.enable(session, clock, ids[2], date(2026, 11, 26), OWNER)
        support_access.enable(session, clock, ids[3], date(2026, 12, 10), OWNER)
        support_access.revoke(session, clock, ids[3], OWNER)
        support_sessions.start(session, clock, ids[0], AGENT)
    clock.advance(timedelta(days=1))  # account 3's grant has expired
    yield db, clock, ids
    db.dispose()


def domain_check(db, clock, ref):
    with db.session() as session:
        try:
            return support_sessions.check_access(session, clock, ref)
        except DomainError as error:
            return type(error), error.message


def fast_check(db, clock, ref):
    answer = quick.support_check(db.target, clock.now(), ref, rule)
    if answer is None:
        return None
    return (type(answer), answer.message) if isinstance(answer, DomainError) else answer


def domain_preview(db, clock, ref):
    """What the full load shows: the account's timezone, its Support Access status, the open session."""
    with db.session() as session:
        try:
            info = profile.choose_account(session, ref)
        except DomainError:
            return None
        grant = support_access.latest_grant(session, info.id)
        open_session = support_sessions.open_session_for(session, info.id)
    return info.timezone, status_of(grant, clock.now()), (
        None if open_session is None else (open_session.id, open_session.agent, open_session.started_at,
                                           open_session.grant_id))


def fast_preview(db, clock, ref):
    answer = quick.support_preview(db.target, ref)
    if answer is None:
        return None
    tz, grant, open_session = answer
    return tz, status_of(grant, clock.now()), (
        None if open_session is None else (open_session.id, open_session.agent, open_session.started_at,
                                           open_session.grant_id))


def agree(db, clock) -> None:
    for ref in REFS:
        fast, full = fast_check(db, clock, ref), domain_check(db, clock, ref)
        if account_ref.parse(ref) is None:
            assert fast is None, repr(ref)  # blank: the full stack answers
        else:
            assert fast == full, repr(ref)
        assert fast_preview(db, clock, ref) == domain_preview(db, clock, ref), repr(ref)
    assert fast_preview(db, clock, None) == domain_preview(db, clock, None)


def test_fast_reads_agree_with_the_domain_in_every_state(world):
    db, clock, _ids = world
    answers = {ref: domain_check(db, clock, ref) for ref in REFS}
    # The world is what it claims: each state, and each kind of name, is there.
    assert answers["My Business"].name == "My Business" and answers[" Spa  Two\t"].name == "Spa  Two"
    assert "has expired" in answers["Shop"][1] and "was revoked" in answers["Shops"][1]
    assert "is off" in answers["2"][1] and answers["2"][1].startswith("Support Access to 2 ")  # the name wins
    assert answers["02"].name == "Spa  Two" and answers["6"][1].startswith("Support Access to 2 ")
    assert answers["SHOP"][1] == ("There is no account named or numbered 'SHOP'. The accounts are: "
                                  "'2', 'My Business', 'Seven', 'Shop', 'Shops', 'Spa  Two'.")
    assert answers["99999999999999999999999"][1].startswith("There is no account")
    assert domain_preview(db, clock, "1")[2][1] == AGENT  # the live support session
    agree(db, clock)
    clock.advance(timedelta(days=10))  # account 1 expired (its session still open), account 2 active
    agree(db, clock)
    clock.advance(timedelta(days=20))  # every grant over
    agree(db, clock)


@pytest.mark.parametrize("text, expected", [
    ("Shop", ("Shop", None)), ("  Spa  Two\n", ("Spa  Two", None)), ("12", ("12", 12)), (" 007 ", ("007", 7)),
    ("١٢", ("١٢", 12)), ("²", ("²", None)), (str(2**31), (str(2**31), None)), (str(2**31 - 1), (str(2**31 - 1), 2**31 - 1)), ("0", ("0", None)),
    (12, ("12", 12)),
])
def test_parse_strips_and_reads_ids(text, expected):
    ref = account_ref.parse(text)
    assert (ref.text, ref.id) == expected


@pytest.mark.parametrize("blank", [None, "", "  ", "\t\n"])
def test_blank_names_no_account(blank):
    assert account_ref.parse(blank) is None


def test_find_tries_the_name_first_then_the_id():
    by_name = {"2": "named 2", "Shop": "shop row"}.get
    by_id = {2: "id 2", 7: "id 7"}.get
    assert account_ref.find(account_ref.parse("2"), by_name, by_id) == "named 2"
    assert account_ref.find(account_ref.parse("7"), by_name, by_id) == "id 7"
    assert account_ref.find(account_ref.parse("Shop"), by_name, by_id) == "shop row"
    assert account_ref.find(account_ref.parse("Nope"), by_name, by_id) is None



def test_not_found_names_up_to_twenty_accounts_else_counts_them():
    ref = account_ref.parse(" Nope ")
    asked = []

    def names_of(names):
        return lambda limit: (asked.append(limit), sorted(names)[:limit])[1]

    def not_found(names) -> str:
        return account_ref.not_found(ref, names_of(names), lambda: len(names)).message

    assert not_found([]) == "There is no account named or numbered 'Nope'."
    assert not_found(["b", "A", "O'Brien"]) == \
        "There is no account named or numbered 'Nope'. The accounts are: 'A', \"O'Brien\", 'b'."
    twenty = [f"Shop {i:02}" for i in range(20)]
    assert not_found(twenty).endswith(". The accounts are: 'Shop 00', " + ", ".join(repr(n) for n in twenty[1:]) + ".")
    assert not_found(twenty + ["Extra"]) == \
        "There is no account named or numbered 'Nope'; `aesthetix-tui accounts list` shows the 21 accounts."
    assert not_found([f"S{i}" for i in range(1234)]).endswith("shows the 1,234 accounts.")
    assert set(asked) == {21}  # never more than one past the limit
