"""The audit log shows a name given with --actor beside the login that acted: "NAME (via LOGIN)"."""

from __future__ import annotations

from datetime import timedelta

from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor
from tests.ui.test_audit_log import make_trail, open_audit, shown, table_rows, text_of
from tests.ui.toolkit import make_app


def add_labelled_event(path, clock) -> None:
    """Event 8, as `features update legacy_triggers=off --actor alice` by the login carol records it."""
    from aesthetix_tui.domain import accounts, features
    from aesthetix_tui.domain.seed import open_database

    db = open_database(resolve_target(db=str(path)), clock)
    try:
        with db.session() as s:
            clock.advance(timedelta(minutes=5))
            features.update(s, clock, accounts.resolve(s, None).id, {"legacy_triggers": False},
                            Actor("carol", "owner", "alice"))
    finally:
        db.dispose()


async def test_an_event_with_a_label_shows_it_via_the_login(ui_db, clock):
    make_trail(ui_db, clock)
    add_labelled_event(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(140, 30)) as pilot:
        await open_audit(pilot)
        assert shown(app) == [8, 7, 6, 5, 4, 3, 2, 1]
        rows = table_rows(app)
        # The actor column is at most 20 wide (audit_log.COLUMNS): the cell is cut, the detail line has it all.
        assert rows[0][2].startswith("alice (via carol) (") and rows[0][3] == "feature.disabled"
        assert rows[1][2] == "alice (owner)"  # no label: the actor alone
        assert "#8 · Sat 28 Nov 2026 12:05 · alice (via carol) (owner) · feature.disabled" in \
            text_of(app, "#audit-detail")
