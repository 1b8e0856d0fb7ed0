"""`audit verify` reads the chain and its head in one snapshot, so a writer meanwhile breaks nothing."""

from __future__ import annotations

import threading

from aesthetix_tui.domain import accounts, audit, features

VERIFY_RUNS = 50


def test_verify_is_ok_while_another_session_appends(database, clock, account, owner):
    account_id = account.id
    stop = threading.Event()
    first_write = threading.Event()
    written = []
    errors: list[BaseException] = []

    def writer() -> None:
        value = True
        try:
            with database.session() as s:
                while not stop.is_set():
                    features.update(s, clock, account_id, {"legacy_triggers": value}, owner)
                    value = not value
                    written.append(value)
                    first_write.set()
        except BaseException as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)
            first_write.set()

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    reports = []
    try:
        assert first_write.wait(60)
        for _ in range(VERIFY_RUNS):
            with database.session() as s:  # as `audit verify` does: resolve, then verify
                reports.append(audit.verify(s, accounts.get(s, account_id)))
    finally:
        stop.set()
        thread.join(60)
    assert errors == []
    assert len(written) > 1
    broken = [r.message for r in reports if not r.ok]
    assert broken == [], f"{len(broken)} of {VERIFY_RUNS} runs: {broken[0]}"
    assert [r.checked for r in reports] == sorted(r.checked for r in reports)
