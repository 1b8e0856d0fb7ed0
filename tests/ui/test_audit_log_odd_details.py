"""The audit log screen with details that are not JSON (written past the app, kept for ever):
the row and the detail line show the odd value escaped, and the export still writes the whole
trail."""

from __future__ import annotations

import json
import sqlite3

from tests.ui.test_audit_log import export_to, loaded, make_trail, open_audit, table_rows, text_of
from tests.ui.toolkit import make_app, until


def spoil(path, seq: int) -> None:
    con = sqlite3.connect(str(path))
    try:
        with con:
            con.execute("UPDATE audit_event SET details = ? WHERE seq = ?", ("not json \x1b[31m", seq))
    finally:
        con.close()


async def test_the_odd_value_is_shown_escaped_and_exported(ui_db, clock, home):
    make_trail(ui_db, clock)
    spoil(ui_db, 7)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)
        row = table_rows(app)[0]
        assert row[0] == "7" and row[5].startswith("not json") and "\x1b" not in row[5]
        detail = text_of(app, "#audit-detail")
        assert "not json" in detail and "\x1b" not in detail
        target = home / "trail.json"
        await export_to(pilot, "json", str(target))
        await until(pilot, lambda: target.exists() and loaded(app) and app.screen.id == "audit-screen")
    events = json.loads(target.read_text(encoding="utf-8"))
    assert [e["seq"] for e in events] == list(range(1, 8))
    assert events[-1]["details"].startswith("not json")
