"""Grep the raw database file: no plaintext token or key may be in it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from helpers import execute

from aesthetix_tui.domain import integrations, legacy_key, tokens
from aesthetix_tui.domain.errors import AccessDenied

SCOPES = ["contacts.readonly", "calendars.readonly"]


def raw_bytes(path: Path) -> bytes:
    """The database file and whatever its write-ahead log holds."""
    data = path.read_bytes()
    for extra in (Path(f"{path}-wal"), Path(f"{path}-journal")):
        if extra.exists():
            data += extra.read_bytes()
    return data


@pytest.fixture
def secrets_issued(session, clock, account, owner):
    """Several integrations, rotations both ways, a cancelled rotation, and two legacy keys."""
    issued = [integrations.create(session, clock, account.id, f"App {i}", SCOPES, owner) for i in range(4)]
    plaintext = [i.token for i in issued]
    plaintext.append(integrations.rotate(session, clock, account.id, "App 0", owner, "7d").token)
    plaintext.append(integrations.rotate(session, clock, account.id, "App 1", owner, "now").token)
    plaintext.append(integrations.rotate(session, clock, account.id, "App 2", owner, "7d").token)
    integrations.cancel_rotation(session, clock, account.id, "App 2", owner)
    integrations.revoke(session, clock, account.id, "App 3", owner)
    for token in plaintext:  # use them, so last_used is written too
        try:
            integrations.verify(session, clock, token)
        except AccessDenied:
            pass
    clock.advance(timedelta(minutes=2))
    plaintext.append(legacy_key.regenerate(session, clock, account.id, owner).key)
    plaintext.append(legacy_key.regenerate(session, clock, account.id, owner).key)
    assert len(set(plaintext)) == len(plaintext) == 9
    return plaintext


def assert_clean(data: bytes, plaintext: list[str]) -> None:
    for secret in plaintext:
        assert secret.encode() not in data, "a plaintext secret is in the database file"
        body = secret.removeprefix("pit-")
        assert body.encode() not in data, "a token's random part is in the database file"
    assert tokens.find_in_text(data.decode("latin-1")) == []


def test_no_plaintext_while_open(database, db_path, secrets_issued):
    data = raw_bytes(db_path)
    assert_clean(data, secrets_issued)
    # Controls: what is stored (the hash and the hint) is found by the same search.
    assert tokens.digest(secrets_issued[0]).encode() in data
    assert tokens.pit_hint(secrets_issued[0]).encode() in data


def test_no_plaintext_after_close(database, db_path, secrets_issued):
    database.dispose()  # the last connection checkpoints the log into the file
    data = raw_bytes(db_path)
    assert_clean(data, secrets_issued)
    assert tokens.digest(secrets_issued[-1]).encode() in data
    assert tokens.digest(secrets_issued[4]).encode() in data  # the rotated-in token's hash


def test_the_check_would_catch_a_leak(database, db_path, secrets_issued):
    """Write one secret where it must never go, and see the same check fail."""

    execute(database, "UPDATE integration SET description = ? WHERE name = 'App 0'", (secrets_issued[0],))
    with pytest.raises(AssertionError, match="plaintext secret"):
        assert_clean(raw_bytes(db_path), secrets_issued)
