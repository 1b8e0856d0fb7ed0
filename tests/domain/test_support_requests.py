"""Access requests: asking, replacing, expiring at 7 days, approving, declining, and every refusal."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from helpers import query, recorded, refused

from aesthetix_tui.domain import support_access
from aesthetix_tui.domain import support_requests as requests
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import AccessDenied, Conflict, InvalidInput

TODAY = date(2026, 11, 26)
SAM = Actor("sam", "support")


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def ask(session, clock, account, days_asked=3, ticket="T-1042", reason="Billing sync fails", agent=SAM):
    return requests.make(session, clock, account.id, agent, ticket, reason, days_asked)


def events(database, account_id: int, prefix: str = "support_") -> list[tuple[str, dict]]:
    rows = query(database, "SELECT action, details FROM audit_event WHERE account_id = ? ORDER BY seq", (account_id,))
    return [(a, json.loads(d)) for a, d in rows if a.startswith(prefix)]


def agent_name(database) -> str:
    return recorded(database, SAM)[0]


def test_a_request_is_recorded_pending(session, clock, account, database):
    made = ask(session, clock, account)
    assert (made.state, made.agent, made.ticket, made.reason, made.days) == (
        "pending", agent_name(database), "T-1042", "Billing sync fails", 3)
    assert made.account_name == account.name
    assert made.created_at == clock.now()
    assert made.expires_at == clock.now() + timedelta(days=7)
    assert made.sentence("UTC") == (f"{agent_name(database)} asks for 3 days: ticket T-1042, "
                                    "“Billing sync fails” (Thu 26 Nov 2026 15:00)")
    assert [r.id for r in requests.pending(session, clock, account.id)] == [made.id]
    assert [r.id for r in requests.of_agent(session, clock, agent_name(database))] == [made.id]
    [(action, details)] = events(database, account.id)
    assert action == "support_request.created"
    assert details["request_id"] == made.id and details["ticket"] == "T-1042" and details["days"] == 3


def test_asking_again_replaces_the_pending_request(session, clock, account, database):
    first = ask(session, clock, account, ticket="T-1")
    clock.advance(timedelta(hours=1))
    second = ask(session, clock, account, ticket="T-2", days_asked=5)
    listed = requests.for_account(session, clock, account.id)
    assert [(r.id, r.state) for r in listed] == [(second.id, "pending"), (first.id, "replaced")]
    assert query(database, "SELECT replaced_by FROM support_request WHERE id = ?", (first.id,)) == [(second.id,)]
    assert [r.id for r in requests.pending(session, clock, account.id)] == [second.id]
    actions = [(a, d["request_id"]) for a, d in events(database, account.id)]
    assert actions == [("support_request.created", first.id), ("support_request.created", second.id),
                       ("support_request.replaced", first.id)]


@pytest.mark.sqlite_only
def test_another_agent_does_not_replace(session, clock, account):
    ask(session, clock, account)
    ask(session, clock, account, agent=Actor("kim", "support"))
    assert len(requests.pending(session, clock, account.id)) == 2


def test_a_request_expires_after_seven_days(session, clock, account, database):
    made = ask(session, clock, account)
    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert requests.get(session, clock, made.id).state == "pending"
    clock.advance(timedelta(seconds=1))
    # Reads show it expired at once, before anything is written.
    assert requests.get(session, clock, made.id).state == "expired"
    assert requests.pending(session, clock, account.id) == []
    assert query(database, "SELECT state FROM support_request WHERE id = ?", (made.id,)) == [("pending",)]
    # The next write on the account's requests stores it, with its event.
    again = ask(session, clock, account, ticket="T-2")
    assert query(database, "SELECT state, replaced_by FROM support_request WHERE id = ?", (made.id,)) == [
        ("expired", None)]
    assert [a for a, _ in events(database, account.id)] == [
        "support_request.created", "support_request.expired", "support_request.created"]
    assert requests.get(session, clock, again.id).state == "pending"


def test_approve_enables_access_for_the_days_asked(session, clock, account, owner, database):
    made = ask(session, clock, account, days_asked=3)
    assert requests.approve_window(session, clock, made.id) == (TODAY, days(account.support_max_days), days(3))
    approved = requests.approve(session, clock, made.id, None, owner)
    status = support_access.status(session, clock, account)
    assert status.is_active and status.until_date == days(3) and status.reason == "T-1042"
    assert (approved.state, approved.grant_id, approved.approved_until) == ("approved", status.grant_id, days(3))
    assert approved.answered_by == recorded(database, owner)[0] or approved.answered_by == owner.name
    assert approved.answered_at == clock.now()
    tail = events(database, account.id)[-2:]
    assert [a for a, _ in tail] == ["support_access.enabled", "support_request.approved"]
    assert tail[1][1]["request_id"] == made.id and tail[1][1]["grant_id"] == status.grant_id


def test_approve_extends_access_that_is_on(session, clock, account, owner, database):
    support_access.enable(session, clock, account.id, days(2), owner, reason="earlier")
    made = ask(session, clock, account, days_asked=5)
    assert requests.approve_window(session, clock, made.id) == (days(3), days(account.support_max_days), days(5))
    approved = requests.approve(session, clock, made.id, None, owner)
    status = support_access.status(session, clock, account)
    assert status.until_date == days(5) and approved.approved_until == days(5)
    assert [a for a, _ in events(database, account.id)][-2:] == ["support_access.extended", "support_request.approved"]


def test_a_request_approved_as_an_extension_is_named_beside_the_grant(session, clock, account, owner):
    """The grant keeps the reason it was enabled for; the profile names the extension's ticket."""
    from aesthetix_tui.domain import profile

    support_access.enable(session, clock, account.id, days(2), owner, reason="earlier")
    assert profile.read(session, account.id, clock).extended_for is None
    made = ask(session, clock, account, days_asked=5)
    requests.approve(session, clock, made.id, None, owner)
    read = profile.read(session, account.id, clock)
    assert read.extended_for == "T-1042" and read.grant.reason == "earlier"


def test_approve_with_a_chosen_date(session, clock, account, owner):
    made = ask(session, clock, account, days_asked=3)
    requests.approve(session, clock, made.id, days(1), owner)
    assert support_access.status(session, clock, account).until_date == days(1)


def test_approve_beyond_the_maximum_is_refused(session, clock, account, owner, database):
    made = ask(session, clock, account)
    with refused(database, InvalidInput, "at most 30 days"):
        requests.approve(session, clock, made.id, days(account.support_max_days + 1), owner)


@pytest.mark.parametrize("ticket, reason, days_asked, match", [
    ("", "Billing", 3, "The ticket cannot be empty"),
    ("T" * 65, "Billing", 3, "The ticket is 65 characters; use at most 64"),
    ("T-\x1b1", "Billing", 3, "The ticket must be printable characters on one line"),
    ("T-1", "one\ntwo", 3, "The reason must be printable characters on one line.*LINE FEED"),
    ("T-1", "r" * 501, 3, "The reason is 501 characters; use at most 500"),
    ("T-1", "", 3, "The reason cannot be empty"),
    ("T-1", "Billing", 0, "Ask for 1 to 30 days; 30 is the account's maximum"),
    ("T-1", "Billing", 31, "Ask for 1 to 30 days; 30 is the account's maximum"),
])
def test_bad_input_is_refused(session, clock, account, database, ticket, reason, days_asked, match):
    assert account.support_max_days == 30
    with refused(database, InvalidInput, match):
        requests.make(session, clock, account.id, SAM, ticket, reason, days_asked)


def neither_answer(session, clock, database, request_id, actor, kind, words) -> None:
    """Approve and decline are both refused with the same sentence, and nothing changes."""
    with refused(database, kind, words):
        requests.approve(session, clock, request_id, None, actor)
    with refused(database, kind, words):
        requests.decline(session, clock, request_id, None, actor)


def test_an_agent_cannot_answer(session, clock, account, database):
    made = ask(session, clock, account)
    neither_answer(session, clock, database, made.id, SAM, AccessDenied, "only the account owner can")


def test_approving_an_expired_request_is_refused(session, clock, account, owner, database):
    made = ask(session, clock, account)
    clock.advance(timedelta(days=7))
    neither_answer(session, clock, database, made.id, owner, Conflict,
                   f"Access request {made.id} expired with no answer")


def test_approving_a_replaced_request_is_refused(session, clock, account, owner, database):
    first = ask(session, clock, account)
    second = ask(session, clock, account)
    with refused(database, Conflict, f"was replaced by request {second.id}; answer that one"):
        requests.approve(session, clock, first.id, None, owner)


def test_approving_an_answered_request_is_refused(session, clock, account, owner, database):
    made = ask(session, clock, account)
    requests.approve(session, clock, made.id, None, owner)
    neither_answer(session, clock, database, made.id, owner, Conflict, "was already approved by")


def test_decline_with_a_note_and_twice_refused(session, clock, account, owner, database):
    made = ask(session, clock, account)
    declined = requests.decline(session, clock, made.id, "Use the sandbox", owner)
    assert (declined.state, declined.note) == ("declined", "Use the sandbox")
    assert support_access.status(session, clock, account).state == "off"
    (action, details) = events(database, account.id)[-1]
    assert action == "support_request.declined" and details["request_id"] == made.id
    neither_answer(session, clock, database, made.id, owner, Conflict,
                   f"Access request {made.id} was already declined by")


def test_a_bad_note_is_refused(session, clock, account, owner, database):
    made = ask(session, clock, account)
    with refused(database, InvalidInput, "The note must be printable"):
        requests.decline(session, clock, made.id, "a\x07b", owner)


def test_an_unknown_request_is_not_found(session, clock, owner, database):
    from aesthetix_tui.domain.errors import NotFound

    with refused(database, NotFound, "There is no access request numbered 999"):
        requests.approve(session, clock, 999, None, owner)


def test_asking_while_access_is_on(session, clock, account, owner):
    support_access.enable(session, clock, account.id, days(1), owner)
    made = ask(session, clock, account, days_asked=7)
    assert made.state == "pending"
