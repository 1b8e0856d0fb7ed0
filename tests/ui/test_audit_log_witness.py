"""The audit log screen and the witness: a history rewritten since this client saw it is said
in the banner, on opening and on verify, and the screen stays usable."""

from __future__ import annotations

from datetime import timedelta

import pytest

from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.dates import format_instant
from tests.ui.test_audit_log import loaded, make_trail, open_audit, screen, shown, text_of
from tests.ui.toolkit import make_app, messages, settle, until
from tests.witness_helpers import ATTACKS


def forge(path, clock, attack: str) -> None:
    from aesthetix_tui.domain.seed import open_database

    database = open_database(resolve_target(db=str(path)), clock)
    try:
        ATTACKS[attack](database, 1)
    finally:
        database.dispose()


@pytest.mark.parametrize("attack", sorted(ATTACKS))
async def test_a_rewritten_history_is_shown_on_opening_and_on_verify(ui_db, clock, attack):
    make_trail(ui_db, clock)
    seen_at = clock.now()
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:  # this client sees #7
        await open_audit(pilot)
        assert not screen(app).query_one("#audit-verify").has_class("-broken")

    forge(ui_db, clock, attack)
    clock.advance(timedelta(days=1))
    ending = "was changed." if attack == "rewritten" else "is missing."
    sentence = (f"The audit history was rewritten or truncated since {format_instant(seen_at, 'UTC')}: "
                f"event #7 {ending}")
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        s = await open_audit(pilot)
        banner = s.query_one("#audit-verify")
        assert banner.has_class("-broken")
        assert text_of(app, "#audit-verify") == f"✗ {sentence}"
        assert sentence in messages(app)
        assert len(shown(app)) == {"rewritten": 8, "truncated": 2, "wiped": 0}[attack]  # still shown

        # Verify: the chain alone holds, and the banner still says what the witness saw.
        await pilot.press("v")
        await until(pilot, lambda: not screen(app).verifying and banner.has_class("-broken")
                    and "intact" not in text_of(app, "#audit-verify"))
        await settle(pilot, loaded, every_worker=True)
        assert text_of(app, "#audit-verify") == f"✗ {sentence}"
        assert screen(app).broken_seq is None

        # Still usable: filters open and close, paging keys answer.
        await pilot.press("f")
        await until(pilot, lambda: app.screen.id == "audit-filter")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is s)
        await pilot.press("home")
        await settle(pilot, loaded, every_worker=True)
        assert text_of(app, "#audit-verify") == f"✗ {sentence}"


async def test_a_recreated_account_is_shown_on_opening(ui_db, clock):
    from sqlalchemy import text

    from aesthetix_tui.domain import accounts
    from aesthetix_tui.domain.actor import SYSTEM
    from aesthetix_tui.domain.seed import open_database

    make_trail(ui_db, clock)
    seen_at = clock.now()
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:  # this client sees the account's trail
        await open_audit(pilot)
    database = open_database(resolve_target(db=str(ui_db)), clock)
    try:
        with database.session() as s:  # someone with the file deletes the account, then makes it again
            name = accounts.get(s, 1).name
            s.execute(text("DELETE FROM account WHERE id = 1"))
            s.commit()
            accounts.create(s, clock, name, "UTC", SYSTEM)
    finally:
        database.dispose()
    clock.advance(timedelta(days=1))
    sentence = f"The account was deleted and created again since {format_instant(seen_at, 'UTC')}."
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)
        assert text_of(app, "#audit-verify") == f"✗ {sentence}"
        assert sentence in messages(app)
