"""domain/token_check.py: the gateway's check, held to the contract in its docstring, and the
explicit transaction steps it rests on (db/engine.begin_write, end_transaction)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers import query, snapshot_rows, stored_instant

from aesthetix_tui.db.engine import TransactionOpen, begin_write, end_transaction
from aesthetix_tui.db.models import Account
from aesthetix_tui.domain import integrations, token_check, tokens
from aesthetix_tui.domain.errors import AccessDenied, InvalidInput

READ = "contacts.readonly"


@pytest.fixture
def issued(session, clock, account, owner):
    return integrations.create(session, clock, account.id, "Gateway", [READ], owner)


def test_integrations_verify_is_the_token_check():
    assert integrations.verify is token_check.verify
    assert integrations.INVALID == token_check.INVALID
    assert integrations.LAST_USED_EVERY == token_check.LAST_USED_EVERY
    assert not hasattr(integrations, "touch") and not hasattr(integrations, "touch_id")


def test_a_due_use_commits_the_callers_transaction_then_its_own(database, session, clock, account, issued):
    """Explicit commit 1 ends the caller's transaction (what it wrote included); commit 2 records use."""
    session.get(Account, account.id).timezone = "Europe/Paris"  # the caller's own pending write
    session.flush()
    assert session.in_transaction()
    token_check.verify(session, clock, issued.token, READ)
    assert not session.in_transaction()  # both committed, nothing left open
    assert query(database, "SELECT timezone FROM account WHERE id = ?", (account.id,)) == [("Europe/Paris",)]
    [(used,)] = query(database, "SELECT last_used_at FROM integration WHERE id = ?", (issued.integration.id,))
    assert stored_instant(used) == clock.now()


def test_a_use_not_due_writes_and_commits_nothing(database, session, clock, issued):
    token_check.verify(session, clock, issued.token)
    clock.advance(timedelta(seconds=30))
    found = token_check.verify(session, clock, issued.token)
    assert session.in_transaction()  # the check's read transaction, left as the caller has it
    assert found.last_used_at == clock.now() - timedelta(seconds=30)
    session.rollback()
    [(used,)] = query(database, "SELECT last_used_at FROM integration WHERE id = ?", (issued.integration.id,))
    assert stored_instant(used) == clock.now() - timedelta(seconds=30)


def test_a_refused_token_commits_nothing(database, session, clock, account, issued):
    session.get(Account, account.id).timezone = "Europe/Paris"
    session.flush()
    with pytest.raises(AccessDenied, match="does not grant the scope"):
        token_check.verify(session, clock, issued.token, "contacts.write")
    assert session.in_transaction()
    session.rollback()
    assert query(database, "SELECT last_used_at FROM integration WHERE id = ?", (issued.integration.id,)) == [(None,)]
    assert query(database, "SELECT timezone FROM account WHERE id = ?", (account.id,)) != [("Europe/Paris",)]


def test_without_a_held_copy_verify_returns_a_view_with_every_column(database, clock, issued):
    with database.session() as fresh:
        found = token_check.verify(fresh, clock, issued.token)
        assert isinstance(found, token_check.Verified)
        assert (found.id, found.name, found.token_hint) == (issued.integration.id, "Gateway",
                                                            issued.integration.token_hint)
        with pytest.raises(AttributeError):
            _ = found.no_such_column


def test_refused_gives_the_reason_and_use_due_the_minute(clock, issued):
    now = clock.now()
    hashed = "h" * 64
    row = token_check.Checked(1, hashed, READ, None, None, None)
    assert token_check.refused(None, hashed, now, None) == token_check.INVALID
    assert token_check.refused(row._replace(revoked_at=now), hashed, now, None) == token_check.INVALID
    assert token_check.refused(row, "other", now, None) == token_check.INVALID  # an old token, no grace left
    assert token_check.refused(row._replace(old_expires_at=now + timedelta(seconds=1)), "other", now, None) is None
    assert "does not grant" in token_check.refused(row, hashed, now, "contacts.write")
    assert token_check.refused(row, hashed, now, READ) is None
    assert token_check.use_due(row, now)
    assert not token_check.use_due(row._replace(last_used_at=now - timedelta(seconds=59)), now)
    assert token_check.use_due(row._replace(last_used_at=now - timedelta(seconds=60)), now)


def test_begin_write_refuses_an_open_transaction_and_changes_nothing(session, account):
    session.get(Account, account.id, populate_existing=True)  # a read: the session is in a transaction
    assert session.in_transaction()
    with pytest.raises(TransactionOpen, match="end_transaction"):
        begin_write(session)
    assert session.in_transaction()  # not committed behind the caller's back
    end_transaction(session)
    assert not session.in_transaction()
    end_transaction(session)  # nothing open: nothing to do
    begin_write(session)
    assert session.in_transaction()
    session.rollback()


# -- verify_many: the same check for a gateway's chunk ---------------------------------------------

def kinds(session, clock, account, owner) -> dict[str, str]:
    """A token of every kind verify answers, three days after they were made."""
    made = {}
    for name, expires in (("Valid", None), ("Revoked", None), ("Expired", 1), ("Rotated", None)):
        made[name] = integrations.create(session, clock, account.id, name, [READ], owner, expires=expires).token
    integrations.revoke(session, clock, account.id, "Revoked", owner)
    rotated = integrations.rotate(session, clock, account.id, "Rotated", owner, expire_old="7d").token
    clock.advance(timedelta(days=3))
    return {"valid": made["Valid"], "revoked": made["Revoked"], "expired": made["Expired"],
            "old token in grace": made["Rotated"], "new token": rotated,
            "unknown": tokens.new_pit(), "malformed": "pit-nonsense", "empty": "", "padded": f"  {made['Valid']} ",
            "huge": "x" * 300_000}


def one_by_one(database, clock, token: str, scope=None):
    """What verify answers for TOKEN on a session of its own: (integration id, None) or (None, why not)."""
    with database.session() as fresh:
        try:
            return token_check.verify(fresh, clock, token, scope).id, None
        except AccessDenied as refusal:
            return None, refusal.message


def test_verify_many_answers_each_token_as_verify_does_in_order(database, session, clock, account, owner):
    given = kinds(session, clock, account, owner)
    order = list(given) + list(reversed(given))  # each twice, in an order of its own
    with database.session() as fresh:
        answers = token_check.verify_many(fresh, clock, [given[k] for k in order], READ)
    got = {k: (a.integration.id if a.integration else None, a.refusal) for k, a in zip(order, answers)}
    assert len(answers) == len(order)
    for kind, token in given.items():
        assert got[kind] == one_by_one(database, clock, token, READ), kind
    assert [k for k, (found, _) in got.items() if found] == ["valid", "old token in grace", "new token", "padded"]
    assert "expired on" in got["expired"][1] and got["revoked"][1] == got["unknown"][1] == token_check.INVALID
    assert got["empty"][1] == got["huge"][1] == token_check.MALFORMED
    with database.session() as fresh:
        [answer] = token_check.verify_many(fresh, clock, [given["valid"]], "contacts.write")
    assert answer.refusal == one_by_one(database, clock, given["valid"], "contacts.write")[1]


def test_verify_many_reads_once_per_chunk_and_records_each_due_use_in_one_write(database, session, clock,
                                                                                account, owner):
    from sqlalchemy import event

    given = kinds(session, clock, account, owner)
    statements = []
    event.listen(database.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with database.session() as fresh:
        answers = token_check.verify_many(fresh, clock, [given["valid"], given["valid"], given["new token"]])
    assert [a.integration.last_used_at for a in answers] == [clock.now()] * 3
    queries = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "UPDATE"))]
    assert [s.split()[0].upper() for s in queries] == ["SELECT", "UPDATE"], queries
    for token in (given["valid"], given["new token"]):
        assert one_by_one(database, clock, token)[0] is not None
    [(used,)] = query(database, "SELECT last_used_at FROM integration WHERE name = 'Valid'")
    assert stored_instant(used) == clock.now()


def test_verify_many_refusing_every_token_changes_nothing(database, session, clock, account, owner):
    given = kinds(session, clock, account, owner)
    refused_only = [t for k, t in given.items() if k in ("revoked", "expired", "unknown", "malformed", "empty")]
    before = snapshot_rows(database)
    with database.session() as fresh:
        assert all(a.refusal for a in token_check.verify_many(fresh, clock, refused_only))
        fresh.commit()
    assert snapshot_rows(database) == before


def test_verify_many_refuses_an_unknown_scope_before_reading(database, clock):
    with database.session() as fresh:
        with pytest.raises(InvalidInput, match="Unknown scope"):
            token_check.verify_many(fresh, clock, ["pit-x"], "no.such")
        assert not fresh.in_transaction()
