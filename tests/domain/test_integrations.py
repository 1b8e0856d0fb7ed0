"""Private Integrations: create, edit, revoke, rotate, verify, and every refusal."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from helpers import all_text, query, recorded, refused, snapshot_rows, stored_instant

from aesthetix_tui.domain import accounts, audit, integrations, tokens
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.domain.errors import AccessDenied, Conflict, InvalidInput, NotFound

READ = "contacts.readonly"
WRITE = "contacts.write"
CAL = "calendars.readonly"


@pytest.fixture
def make(session, clock, account, owner):
    def make(name="CRM Sync", scopes=(READ,), description=None, acct=None):
        return integrations.create(session, clock, (acct or account).id, name, list(scopes), owner, description)
    return make


def row(database, integration_id: int) -> dict:
    cols = ["name", "description", "scopes", "token_hash", "token_hint", "old_token_hash", "old_token_hint",
            "old_expires_at", "created_at", "created_by", "last_used_at", "revoked_at", "revoked_by"]
    values = query(database, f"SELECT {', '.join(cols)} FROM integration WHERE id = ?", (integration_id,))[0]
    return dict(zip(cols, values))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def denied_message(session, clock, token, scope=None) -> str:
    with pytest.raises(AccessDenied) as info:
        integrations.verify(session, clock, token, scope)
    return str(info.value)


# -- create ------------------------------------------------------------------------

def test_create_returns_the_token_once_and_stores_only_its_hash(make, database, clock):
    issued = make(" CRM Sync ", scopes=[WRITE, READ, READ], description="  Syncs contacts  ")
    token, item = issued.token, issued.integration
    assert tokens.is_well_formed(token)
    assert item.name == "CRM Sync"
    assert item.description == "Syncs contacts"
    assert integrations.scope_list(item) == [READ, WRITE]  # sorted, no duplicates
    stored = row(database, item.id)
    assert stored["token_hash"] == sha256(token)
    assert stored["token_hint"] == "pit-" + token[-4:]
    assert stored["created_by"] == "alice"
    assert stored_instant(stored["created_at"]) == clock.now()
    assert stored["last_used_at"] is None and stored["revoked_at"] is None
    assert token not in all_text(database)


def test_create_writes_an_audit_event_without_the_token(make, session, account):
    issued = make()
    event = audit.recent(session, account, limit=1)[0]
    assert event.action == "integration.created"
    assert event.target == f"integration:{issued.integration.id}"
    assert issued.integration.token_hint in event.details
    assert issued.token not in event.details


def test_each_create_issues_a_different_token(make):
    tokens_seen = {make(f"app {i}").token for i in range(5)}
    assert len(tokens_seen) == 5


def test_new_integration_verifies(make, session, clock):
    issued = make(scopes=[READ, CAL])
    assert integrations.verify(session, clock, issued.token).id == issued.integration.id
    assert integrations.verify(session, clock, issued.token, CAL).id == issued.integration.id
    # Surrounding whitespace (a pasted line) is tolerated.
    assert integrations.verify(session, clock, f"  {issued.token}\n").id == issued.integration.id


def test_as_dict_never_holds_the_token(make, clock):
    issued = make()
    data = integrations.as_dict(issued.integration, clock.now())
    assert data["status"] == "active" and data["token_hint"] == issued.integration.token_hint
    assert issued.token not in repr(data)


def test_list_and_find(make, session, clock, account, owner):
    b = make("beta").integration
    a = make("Alpha").integration
    integrations.revoke(session, clock, account.id, "beta", owner)
    assert [i.name for i in integrations.list_for(session, account)] == ["Alpha"]
    assert [i.name for i in integrations.list_for(session, account, include_revoked=True)] == ["Alpha", "beta"]
    assert integrations.find(session, account, str(a.id)).id == a.id
    assert integrations.find(session, account, "ALPHA").id == a.id
    assert integrations.find(session, account, "beta").id == b.id  # a revoked one is still found
    with pytest.raises(NotFound, match="no Private Integration named or numbered 'gamma'"):
        integrations.find(session, account, "gamma")


def test_find_prefers_the_live_integration_over_a_revoked_namesake(make, session, clock, account, owner):
    old = make("Zapier").integration
    integrations.revoke(session, clock, account.id, str(old.id), owner)
    new = make("zapier").integration
    assert integrations.find(session, account, "ZAPIER").id == new.id


def test_integrations_are_per_account(make, session, clock, account, owner):
    other = accounts.create(session, clock, "Other", "UTC", owner)
    mine = make("Shared name").integration
    theirs = make("Shared name", acct=other).integration  # same name in another account is fine
    assert [i.id for i in integrations.list_for(session, other)] == [theirs.id]
    with pytest.raises(NotFound):
        integrations.find(session, other, str(mine.id))


# -- name, description and scope rules ---------------------------------------------------

@pytest.mark.parametrize("name, match", [
    ("", "Give the integration a name"),
    ("   ", "Give the integration a name"),
    ("x" * 65, "The name is 65 characters; use at most 64"),
    ("tab\there", "printable"),
    ("two\nlines", "printable"),
    ("nul\x00", "printable"),
    ("bell\x07", "printable"),
])
def test_bad_names_are_refused(make, database, name, match):
    with refused(database, InvalidInput, match):
        make(name)


def test_name_of_64_characters_is_allowed(make):
    assert make("n" * 64).integration.name == "n" * 64


def test_duplicate_name_is_refused_case_insensitively(make, database):
    make("CRM Sync")
    with refused(database, Conflict, "named 'crm sync' already exists"):
        make("crm sync")


def test_name_may_be_reused_after_revoke(make, session, clock, account, owner):
    first = make("CRM Sync").integration
    integrations.revoke(session, clock, account.id, "CRM Sync", owner)
    second = make("CRM SYNC").integration
    assert second.id != first.id


def test_description_over_500_characters_is_refused(make, database):
    with refused(database, InvalidInput, "description is 501 characters; use at most 500"):
        make(description="d" * 501)
    assert make(description="d" * 500).integration.description == "d" * 500


@pytest.mark.parametrize("scopes", [[], [""], ["  "]])
def test_empty_scopes_are_refused(make, database, scopes):
    with refused(database, InvalidInput, "Choose at least one scope"):
        make(scopes=scopes)


def test_unknown_scope_is_refused(make, database):
    with refused(database, InvalidInput, "Unknown scope 'contacts.delete'"):
        make(scopes=[READ, "contacts.delete"])


# -- which field an error names -----------------------------------------------------

FIELD_ERRORS = [  # (check, input, field, the message: the same as without a field)
    ("name", "", "name", "Give the integration a name."),
    ("name", "   ", "name", "Give the integration a name."),
    ("name", "x" * 65, "name", "The name is 65 characters; use at most 64."),
    ("name", "tab\there", "name", ("The name must be printable characters on one line (no control characters): "
                                    "it contains U+0009 (CHARACTER TABULATION), a control character.")),
    ("name", "a\u202eb", "name", ("The name must be printable characters on one line (no control characters): "
                                  "it contains U+202E (RIGHT-TO-LEFT OVERRIDE), which can hide or reorder text.")),
    ("name", "42", "name", "An integration name cannot be only digits, so that it is never mistaken for an id."),
    ("description", "d" * 501, "description", "The description is 501 characters; use at most 500."),
    ("description", "two\nlines", "description",
     ("The description must be printable characters on one line (no control characters): "
      "it contains U+000A (LINE FEED), a control character.")),
    ("scopes", [], "scopes", "Choose at least one scope: grant only what the integration needs."),
    ("scopes", ["  "], "scopes", "Choose at least one scope: grant only what the integration needs."),
    ("scopes", [READ, "contacts.delete"], "scopes",
     "Unknown scope 'contacts.delete'; see `aesthetix-tui scopes` for the list."),
]
CHECKS = {"name": integrations.check_name, "description": integrations.check_description,
          "scopes": integrations.check_scopes}


@pytest.mark.parametrize("check, given, field, message", FIELD_ERRORS)
def test_each_invalid_input_names_its_field(check, given, field, message):
    with pytest.raises(InvalidInput) as info:
        CHECKS[check](given)
    assert info.value.field == field
    assert info.value.message == str(info.value) == message


@pytest.mark.parametrize("check, given, field, message", FIELD_ERRORS)
def test_create_and_edit_refuse_with_the_field(make, session, clock, account, owner, database,
                                               check, given, field, message):
    make("CRM Sync")
    with refused(database, InvalidInput, re.escape(message)) as info:
        make(**{"name": "Other", "scopes": [READ], check: given})
    assert (info.value.field, info.value.message) == (field, message)
    with refused(database, InvalidInput, re.escape(message)) as info:
        integrations.edit(session, clock, account.id, "CRM Sync", owner, **{check: given})
    assert (info.value.field, info.value.message) == (field, message)


def test_nothing_to_change_names_no_field(make, session, clock, account, owner, database):
    make("CRM Sync")
    with refused(database, InvalidInput, "Nothing to change") as info:
        integrations.edit(session, clock, account.id, "CRM Sync", owner)
    assert info.value.field is None


def test_invalid_input_without_a_field_is_as_before():
    error = InvalidInput("Some sentence.")
    assert (error.field, error.message, str(error), error.args) == (None, "Some sentence.", "Some sentence.",
                                                                    ("Some sentence.",))
    named = InvalidInput("Some sentence.", field="name")
    assert (named.field, named.message, str(named), named.args) == ("name", "Some sentence.", "Some sentence.",
                                                                    ("Some sentence.",))


# -- edit --------------------------------------------------------------------------

def test_edit_keeps_the_token(make, session, clock, account, database):
    issued = make("CRM Sync", scopes=[READ])
    before_hash = row(database, issued.integration.id)["token_hash"]
    item = integrations.edit(session, clock, account.id, "CRM Sync", Actor("bob"), name="CRM Sync v2",
                             description="new text", scopes=[WRITE, CAL])
    assert item.name == "CRM Sync v2" and item.description == "new text"
    assert integrations.scope_list(item) == [CAL, WRITE]
    stored = row(database, item.id)
    assert stored["token_hash"] == before_hash
    assert (stored["name"], stored["scopes"]) == ("CRM Sync v2", f"{CAL} {WRITE}")
    assert integrations.verify(session, clock, issued.token, WRITE).id == item.id
    with pytest.raises(AccessDenied, match="does not grant the scope contacts.readonly"):
        integrations.verify(session, clock, issued.token, READ)
    event = audit.recent(session, account, limit=1)[0]
    assert (event.action, event.actor) == ("integration.edited", recorded(database, Actor("bob"))[0])
    assert '"added":["calendars.readonly","contacts.write"]' in event.details
    assert '"removed":["contacts.readonly"]' in event.details


def test_edit_only_the_description(make, session, clock, account, owner):
    item = make(description="a").integration
    edited = integrations.edit(session, clock, account.id, str(item.id), owner, description="b")
    assert (edited.name, edited.description) == ("CRM Sync", "b")


def test_edit_may_change_the_case_of_its_own_name(make, session, clock, account, owner):
    make("crm sync")
    assert integrations.edit(session, clock, account.id, "crm sync", owner, name="CRM Sync").name == "CRM Sync"


def test_edit_with_nothing_changed_is_refused(make, session, clock, account, owner, database):
    make("CRM Sync", scopes=[READ], description="d")
    with refused(database, InvalidInput, "Nothing to change"):
        integrations.edit(session, clock, account.id, "CRM Sync", owner)
    with refused(database, InvalidInput, "Nothing to change"):
        integrations.edit(session, clock, account.id, "CRM Sync", owner, name=" CRM Sync ", description="d",
                          scopes=[READ])


def test_edit_to_a_taken_name_is_refused(make, session, clock, account, owner, database):
    make("One")
    make("Two")
    with refused(database, Conflict, "named 'ONE' already exists"):
        integrations.edit(session, clock, account.id, "Two", owner, name="ONE")


@pytest.mark.parametrize("change, error, match", [
    ({"name": ""}, InvalidInput, "Give the integration a name"),
    ({"name": "x" * 65}, InvalidInput, "at most 64"),
    ({"description": "d" * 501}, InvalidInput, "at most 500"),
    ({"scopes": []}, InvalidInput, "at least one scope"),
    ({"scopes": ["nope.read"]}, InvalidInput, "Unknown scope 'nope.read'"),
])
def test_edit_with_bad_input_is_refused(make, session, clock, account, owner, database, change, error, match):
    make("CRM Sync")
    with refused(database, error, match):
        integrations.edit(session, clock, account.id, "CRM Sync", owner, **change)


def test_edit_unknown_or_revoked_is_refused(make, session, clock, account, owner, database):
    make("CRM Sync")
    with refused(database, NotFound, "no Private Integration named or numbered 'Other'"):
        integrations.edit(session, clock, account.id, "Other", owner, description="x")
    integrations.revoke(session, clock, account.id, "CRM Sync", owner)
    with refused(database, Conflict, "was revoked; revoking is permanent"):
        integrations.edit(session, clock, account.id, "CRM Sync", owner, description="x")


# -- revoke ---------------------------------------------------------------------------

def test_revoke_is_immediate_and_permanent(make, session, clock, account, database):
    issued = make()
    clock.advance(timedelta(minutes=5))
    item = integrations.revoke(session, clock, account.id, "CRM Sync", Actor("bob"))
    assert integrations.state_of(item, clock.now()) == "revoked"
    stored = row(database, item.id)
    assert stored_instant(stored["revoked_at"]) == clock.now() and stored["revoked_by"] == "bob"
    assert denied_message(session, clock, issued.token) == integrations.INVALID
    with refused(database, Conflict, "was revoked; revoking is permanent"):
        integrations.revoke(session, clock, account.id, "CRM Sync", Actor("bob"))
    assert audit.recent(session, account, limit=1)[0].action == "integration.revoked"


def test_revoke_during_a_rotation_stops_both_tokens(make, session, clock, account, owner, database):
    old = make()
    new = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    integrations.revoke(session, clock, account.id, "CRM Sync", owner)
    for token in (old.token, new.token):
        assert denied_message(session, clock, token) == integrations.INVALID
    assert row(database, old.integration.id)["old_token_hash"] is None


# -- rotate -------------------------------------------------------------------------

def test_rotate_now_stops_the_old_token_at_once(make, session, clock, account, owner, database):
    old = make()
    new = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "now")
    assert new.token != old.token and tokens.is_well_formed(new.token)
    assert integrations.verify(session, clock, new.token).id == old.integration.id
    assert denied_message(session, clock, old.token) == integrations.INVALID
    stored = row(database, old.integration.id)
    assert stored["token_hash"] == sha256(new.token) and stored["old_token_hash"] is None
    assert integrations.state_of(new.integration, clock.now()) == "active"


def test_rotate_7d_keeps_the_old_token_for_seven_days(make, session, clock, account, owner, database):
    old = make()
    start = clock.now()
    new = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    stored = row(database, old.integration.id)
    assert stored["old_token_hash"] == sha256(old.token)
    assert stored["old_token_hint"] == "pit-" + old.token[-4:]
    assert stored_instant(stored["old_expires_at"]) == start + timedelta(days=7)
    assert integrations.state_of(new.integration, clock.now()) == "rotating"
    data = integrations.as_dict(new.integration, clock.now())
    assert data["old_token_hint"] == "pit-" + old.token[-4:]
    for token in (old.token, new.token):
        assert integrations.verify(session, clock, token).id == old.integration.id
    clock.advance(timedelta(days=7) - timedelta(seconds=1))
    assert integrations.verify(session, clock, old.token).id == old.integration.id
    clock.advance(timedelta(seconds=1))  # the grace period is over
    assert denied_message(session, clock, old.token) == integrations.INVALID
    assert integrations.verify(session, clock, new.token).id == old.integration.id
    assert integrations.state_of(new.integration, clock.now()) == "active"
    event = next(e for e in audit.recent(session, account) if e.action == "integration.rotated")
    assert '"expire_old":"7d"' in event.details and old.token not in event.details


def test_one_rotation_at_a_time(make, session, clock, account, owner, database):
    make()
    integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    for mode in ("7d", "now"):
        with refused(database, Conflict, "already being rotated; cancel the rotation or expire"):
            integrations.rotate(session, clock, account.id, "CRM Sync", owner, mode)
    clock.advance(timedelta(days=7))
    third = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")  # the grace ended
    assert integrations.verify(session, clock, third.token)


def test_rotate_with_an_unknown_grace_is_refused(make, session, clock, account, owner, database):
    make()
    with refused(database, InvalidInput, "'now' or '7d'"):
        integrations.rotate(session, clock, account.id, "CRM Sync", owner, "30d")


def test_rotate_a_revoked_integration_is_refused(make, session, clock, account, owner, database):
    make()
    integrations.revoke(session, clock, account.id, "CRM Sync", owner)
    with refused(database, Conflict, "was revoked"):
        integrations.rotate(session, clock, account.id, "CRM Sync", owner, "now")


def test_cancel_rotation_restores_the_old_token_with_no_end(make, session, clock, account, owner, database):
    old = make()
    new = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    item = integrations.cancel_rotation(session, clock, account.id, "CRM Sync", Actor("bob"))
    assert denied_message(session, clock, new.token) == integrations.INVALID
    assert integrations.verify(session, clock, old.token).id == item.id
    stored = row(database, item.id)
    assert stored["token_hash"] == sha256(old.token)
    assert stored["old_token_hash"] is None and stored["old_expires_at"] is None
    clock.advance(timedelta(days=30))
    assert integrations.verify(session, clock, old.token).id == item.id
    assert audit.recent(session, account, limit=1)[0].action == "integration.rotation_cancelled"


def test_expire_old_now_ends_the_grace_period(make, session, clock, account, owner, database):
    old = make()
    new = integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    item = integrations.expire_old_now(session, clock, account.id, "CRM Sync", owner)
    assert denied_message(session, clock, old.token) == integrations.INVALID
    assert integrations.verify(session, clock, new.token).id == item.id
    assert row(database, item.id)["old_token_hash"] is None
    assert integrations.state_of(item, clock.now()) == "active"
    assert audit.recent(session, account, limit=1)[0].action == "integration.old_token_expired"


@pytest.mark.parametrize("action", ["cancel_rotation", "expire_old_now"])
def test_no_rotation_to_cancel_or_expire(make, session, clock, account, owner, database, action):
    make()
    with refused(database, Conflict, "'CRM Sync' has no rotation in progress"):
        getattr(integrations, action)(session, clock, account.id, "CRM Sync", owner)
    integrations.rotate(session, clock, account.id, "CRM Sync", owner, "now")
    with refused(database, Conflict, "no rotation in progress"):
        getattr(integrations, action)(session, clock, account.id, "CRM Sync", owner)
    integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    clock.advance(timedelta(days=7, seconds=1))
    with refused(database, Conflict, "no rotation in progress"):  # the grace period ran out
        getattr(integrations, action)(session, clock, account.id, "CRM Sync", owner)


# -- verify --------------------------------------------------------------------------

def mutate(token: str, index: int) -> str:
    ch = token[index]
    return token[:index] + ("B" if ch != "B" else "C") + token[index + 1:]


@pytest.mark.parametrize("shape", ["empty", "prefix", "short", "long", "checksum", "body", "charset"])
def test_malformed_tokens_are_refused_before_the_database(make, session, clock, database, monkeypatch, shape):
    token = make().token
    bad = {
        "empty": "",
        "prefix": "pat-" + token[4:],
        "short": token[:-1],
        "long": token + "A",
        "checksum": mutate(token, len(token) - 1),
        "body": mutate(token, 10),
        "charset": token[:10] + "_" + token[11:],
    }[shape]

    def no_database(*args, **kwargs):
        raise AssertionError("a malformed token reached the database")

    monkeypatch.setattr(session, "exec", no_database)
    with refused(database, AccessDenied, "not a Private Integration Token: it is malformed"):
        integrations.verify(session, clock, bad)


def test_unknown_and_revoked_tokens_get_the_same_answer(make, session, clock, account, owner, database):
    revoked = make("Gone").token
    integrations.revoke(session, clock, account.id, "Gone", owner)
    rotated_away = make("Rotated").token
    integrations.rotate(session, clock, account.id, "Rotated", owner, "now")
    unknown = tokens.new_pit()
    before = snapshot_rows(database)
    answers = {denied_message(session, clock, t) for t in (unknown, revoked, rotated_away)}
    assert answers == {integrations.INVALID}
    assert "unknown, revoked or expired" in integrations.INVALID
    assert snapshot_rows(database) == before


def test_missing_scope_is_refused(make, session, clock, database):
    token = make(scopes=[READ]).token
    with refused(database, AccessDenied, "does not grant the scope contacts.write"):
        integrations.verify(session, clock, token, WRITE)


def test_unknown_scope_in_verify_is_refused(make, session, clock, database):
    token = make().token
    with refused(database, InvalidInput, "Unknown scope 'contacts.everything'"):
        integrations.verify(session, clock, token, "contacts.everything")


def test_verify_with_an_old_token_checks_the_same_scopes(make, session, clock, account, owner):
    old = make(scopes=[READ]).token
    integrations.rotate(session, clock, account.id, "CRM Sync", owner, "7d")
    assert integrations.verify(session, clock, old, READ)
    with pytest.raises(AccessDenied, match="does not grant the scope"):
        integrations.verify(session, clock, old, WRITE)


def test_last_used_is_updated_at_most_once_a_minute(make, session, clock, database):
    issued = make()
    item_id = issued.integration.id
    first = clock.now()
    integrations.verify(session, clock, issued.token)
    assert stored_instant(row(database, item_id)["last_used_at"]) == first
    clock.advance(timedelta(seconds=30))
    integrations.verify(session, clock, issued.token)
    assert stored_instant(row(database, item_id)["last_used_at"]) == first
    clock.advance(timedelta(seconds=31))  # 61 s after the recorded use
    integrations.verify(session, clock, issued.token)
    assert stored_instant(row(database, item_id)["last_used_at"]) == clock.now()


def test_verify_writes_no_audit_event(make, session, clock, account, database):
    token = make().token
    before = query(database, "SELECT COUNT(*) FROM audit_event")
    integrations.verify(session, clock, token)
    assert query(database, "SELECT COUNT(*) FROM audit_event") == before


def test_refused_verify_does_not_touch_last_used(make, session, clock, database):
    issued = make(scopes=[READ])
    with pytest.raises(AccessDenied):
        integrations.verify(session, clock, issued.token, WRITE)
    assert row(database, issued.integration.id)["last_used_at"] is None
