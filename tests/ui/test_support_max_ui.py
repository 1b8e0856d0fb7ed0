"""The Business Profile follows the account's Support Access maximum when it changes elsewhere
(`accounts set-support-max`): the date dialog offers only what the new cap allows."""

from __future__ import annotations

from datetime import timedelta

from aesthetix_tui.config import resolve_target
from tests.ui.profile_helpers import OWNER, TODAY, profile_open
from tests.ui.toolkit import until


def set_max(path, clock, days: int) -> None:
    from aesthetix_tui.domain import accounts, support_access
    from aesthetix_tui.domain.seed import open_database

    db = open_database(resolve_target(db=str(path)), clock)
    try:
        with db.session() as session:
            support_access.set_max_days(session, clock, accounts.resolve(session, None).id, days, OWNER)
    finally:
        db.dispose()


async def test_the_date_dialog_follows_a_new_maximum(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        assert app.screen.profile.account.support_max_days == 30
        set_max(ui_db, clock, 3)
        await until(pilot, lambda: app.screen.profile.account.support_max_days == 3)
        await pilot.press("e")
        await until(pilot, lambda: type(app.screen).__name__ == "ChooseDateModal")
        assert (sorted(app.screen.presets), app.screen.max_date) == ([1, 3], TODAY + timedelta(days=3))
