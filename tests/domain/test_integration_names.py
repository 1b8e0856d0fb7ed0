"""Names are not ids: an integration name of only digits would be read as an id by `find`,
so `revoke 1` could revoke another integration. Such names are refused; the deliver hook
shows a secret inside the transaction, and a failure there changes nothing."""

from __future__ import annotations

import pytest
from helpers import refused, snapshot_rows

from aesthetix_tui.domain import integrations, legacy_key
from aesthetix_tui.domain.errors import InvalidInput

READ = "contacts.readonly"
DIGITS = "An integration name cannot be only digits, so that it is never mistaken for an id."


@pytest.mark.parametrize("name", ["1", "42", " 7 ", "0001", "١٢"])
def test_check_name_refuses_only_digits(name):
    with pytest.raises(InvalidInput) as info:
        integrations.check_name(name)
    assert info.value.message == DIGITS


@pytest.mark.parametrize("name", ["1st CRM", "CRM 2", "12-0", "v2", "3.0"])
def test_check_name_accepts_names_with_other_characters(name):
    assert integrations.check_name(name) == name


def test_create_and_edit_refuse_a_digit_name(database, session, clock, account, owner):
    first = integrations.create(session, clock, account.id, "CRM Sync", [READ], owner).integration
    with refused(database, InvalidInput, "only digits"):
        integrations.create(session, clock, account.id, str(first.id), [READ], owner)
    with refused(database, InvalidInput, "only digits"):
        integrations.edit(session, clock, account.id, first.id, owner, name="12")


def test_a_failing_delivery_rolls_back(database, session, clock, account, owner):
    first = integrations.create(session, clock, account.id, "CRM Sync", [READ], owner)
    legacy_key.regenerate(session, clock, account.id, owner)

    def unwritable(_):
        raise OSError(28, "No space left on device")

    before = snapshot_rows(database)
    for attempt in (
        lambda: integrations.create(session, clock, account.id, "Zapier", [READ], owner, deliver=unwritable),
        lambda: integrations.rotate(session, clock, account.id, "CRM Sync", owner, "now", deliver=unwritable),
        lambda: legacy_key.regenerate(session, clock, account.id, owner, deliver=unwritable),
    ):
        with pytest.raises(OSError):
            attempt()
        assert snapshot_rows(database) == before
    assert integrations.verify(session, clock, first.token).name == "CRM Sync"


def test_a_delivery_sees_the_secret_before_the_commit(database, session, clock, account, owner):
    seen = []

    def deliver(issued):
        seen.append((issued.token, snapshot_rows(database)["integration"]))

    issued = integrations.create(session, clock, account.id, "Zapier", [READ], owner, deliver=deliver)
    assert seen[0][0] == issued.token
    assert seen[0][1] == []  # not yet committed when it was shown
    assert len(snapshot_rows(database)["integration"]) == 1
