"""The audit log screen: paging (with 1,000,000 events), filters, export, verify, snapshots."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Input, RadioButton, Static

from aesthetix_tui.config import resolve_target
from aesthetix_tui.domain.actor import Actor
from aesthetix_tui.ui.screens.audit_log import AuditLogScreen
from tests.ui.profile_helpers import OWNER, ready
from tests.ui.toolkit import make_app, messages, settle, until

BOB = Actor("bob", "owner")
MILLION = 1_000_000
# The 1M test builds a 1,000,000-row database (about 5 s); AESTHETIX_QUICK=1 skips it.
million = pytest.mark.skipif(os.environ.get("AESTHETIX_QUICK") == "1", reason="AESTHETIX_QUICK=1")


def make_trail(path, clock) -> None:
    """Real events, through the domain functions: 7 events over three days, by alice, bob, system."""
    from aesthetix_tui.domain import accounts, features, support_access
    from aesthetix_tui.domain.seed import open_database

    db = open_database(resolve_target(db=str(path)), clock)
    try:
        with db.session() as s:
            aid = accounts.resolve(s, None).id  # 1 account.created (system)
            clock.advance(timedelta(hours=1))
            support_access.enable(s, clock, aid, date(2026, 12, 3), OWNER, reason="Ticket #4521: billing sync")
            clock.advance(timedelta(hours=20))
            features.update(s, clock, aid, {"legacy_campaigns": True}, BOB)  # 3
            support_access.extend(s, clock, aid, date(2026, 12, 5), OWNER)  # 4
            clock.advance(timedelta(days=1))
            features.update(s, clock, aid, {"legacy_triggers": True}, BOB)  # 5
            support_access.revoke(s, clock, aid, OWNER)  # 6
            features.update(s, clock, aid, {"legacy_campaigns": False}, OWNER)  # 7
    finally:
        db.dispose()


def fill_audit(path, count: int, step_seconds: int = 30) -> None:
    """`count` synthetic events for account 1 in one statement (the hash chain is not valid)."""
    con = sqlite3.connect(str(path))
    try:
        indexes = con.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                              "AND tbl_name = 'audit_event' AND sql IS NOT NULL").fetchall()
        with con:
            con.execute("DELETE FROM audit_event")
            for name, _ in indexes:
                con.execute(f'DROP INDEX "{name}"')
            con.execute("""
                WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < :n)
                INSERT INTO audit_event (account_id, seq, at, actor, actor_kind, action, target, details,
                                         prev_hash, hash)
                SELECT 1, i,
                       strftime('%Y-%m-%d %H:%M:%f', '2026-11-26 15:00:00',
                                '-' || ((:n - i) * :step) || ' seconds') || '000',
                       CASE WHEN i % 2 THEN 'alice' ELSE 'bob' END, 'owner',
                       CASE WHEN i % 3 THEN 'feature.enabled' ELSE 'support_access.extended' END,
                       'feature:f' || (i % 10), '{"n":' || i || '}', '', ''
                FROM s""", {"n": count, "step": step_seconds})
            for _, sql in indexes:
                con.execute(sql)
            con.execute("UPDATE account SET audit_seq = ?, audit_head = '' WHERE id = 1", (count,))
    finally:
        con.close()


def tamper(path, seq: int) -> None:
    con = sqlite3.connect(str(path))
    try:
        with con:
            con.execute("UPDATE audit_event SET details = '{\"name\":\"Campaigns\",\"sneaky\":1}' WHERE seq = ?",
                        (seq,))
    finally:
        con.close()


def screen(app) -> AuditLogScreen:
    assert isinstance(app.screen, AuditLogScreen), app.screen
    return app.screen


def loaded(app) -> bool:
    s = app.screen
    return isinstance(s, AuditLogScreen) and s.page is not None and not s.fetching


async def open_audit(pilot) -> AuditLogScreen:
    await ready(pilot)
    await pilot.press("a")
    await until(pilot, lambda: loaded(pilot.app))
    await settle(pilot, loaded, every_worker=True)
    return screen(pilot.app)


def shown(app) -> list[int]:
    return [e.seq for e in screen(app).page.events]


def table_rows(app) -> list[list[str]]:
    table = screen(app).query_one(DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]



def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


# -- the screen -----------------------------------------------------------------------------

async def test_newest_first_with_time_actor_action_target_and_details(ui_db, clock):
    make_trail(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)
        assert shown(app) == [7, 6, 5, 4, 3, 2, 1]
        rows = table_rows(app)
        assert rows[0][:4] == ["7", "28 Nov 2026 12:00", "alice (owner)", "feature.disabled"]
        assert rows[0][4] == "feature:legac…"  # cut to fit 100 columns; the detail line has it whole
        assert rows[0][5].startswith("name=")
        assert rows[-1][:5] == ["1", "26 Nov 2026 15:00", "system (system)", "account.created", "account:1"]
        assert rows[-2][5].startswith("grant=1, ")  # cut to the room left; the detail line has it all
        assert rows[-2][5].endswith("…")
        detail = text_of(app, "#audit-detail")
        assert "#7 · Sat 28 Nov 2026 12:00 · alice (owner) · feature.disabled" in detail
        await pilot.press("end")  # one page: End goes to its oldest event, #1
        assert screen(app).current_event().seq == 1
        await pilot.press("up")
        detail = text_of(app, "#audit-detail")
        assert "#2 · Thu 26 Nov 2026 16:00 · alice (owner) · support_access.enabled · support_access" in detail
        assert "reason=Ticket #4521: billing sync, until=2026-12-03" in detail
        assert "Newest first · 7 events" in text_of(app, "#audit-status")
        # One page: no paging offered in the palette, only the jumps to the newest and oldest
        # event; the rest is, by plain name.
        titles = [t for t, _, _ in screen(app).palette_commands()]
        assert titles == ["Newest audit events", "Oldest audit events", "Filter audit log", "Export audit log",
                          "Verify integrity"]
        system = [c.title for c in app.get_system_commands(app.screen)]
        assert "Verify integrity" in system and "Export audit log" in system


async def test_a_single_event_is_counted_as_one(ui_db, clock):
    """A new account's trail (its one account.created event): "1 event, #1", not "1 events, #1 to #1"."""
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)
        assert shown(app) == [1]
        assert text_of(app, "#audit-status").startswith("Newest first · 1 event, #1 (newest and oldest)")


async def test_times_are_in_the_accounts_timezone(ui_db, clock):
    make_trail(ui_db, clock)
    con = sqlite3.connect(str(ui_db))
    with con:
        con.execute("UPDATE account SET timezone = 'Asia/Tokyo'")
    con.close()
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)
        assert table_rows(app)[-1][1] == "27 Nov 2026 00:00"  # 15:00 UTC is midnight in Tokyo


@million
@pytest.mark.slow
async def test_a_million_events_page_and_jump(ui_db, clock):
    """Each step lands on the right page of a million events; the timings are printed only."""
    from aesthetix_tui.domain.seed import open_database

    open_database(resolve_target(db=str(ui_db)), clock).dispose()
    fill_audit(ui_db, MILLION)
    app = make_app(ui_db, clock)
    timings: dict[str, tuple[float, float]] = {}

    async def step(name: str, key: str | None, done) -> None:
        began = time.perf_counter()
        if key is None:
            screen(app).apply_filters(_filters(action="support_access.", actor="bob"))
        else:
            await pilot.press(key)
        await until(pilot, lambda: loaded(app) and done(shown(app)))
        timings[name] = (time.perf_counter() - began, screen(app).load_seconds)

    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        began = time.perf_counter()
        await pilot.press("a")
        await settle(pilot, loaded, every_worker=True)
        timings["open the screen (a)"] = (time.perf_counter() - began, screen(app).load_seconds)
        assert shown(app) == list(range(MILLION, MILLION - 50, -1))
        assert table_rows(app)[0][0] == str(MILLION)

        await step("older (pagedown)", "pagedown", lambda s: s[0] == MILLION - 50)
        await step("older (n)", "n", lambda s: s[0] == MILLION - 100)
        await step("newer (pageup)", "pageup", lambda s: s[0] == MILLION - 50)
        await step("newer (p)", "p", lambda s: s[0] == MILLION)
        await step("oldest (end)", "end", lambda s: s == list(range(50, 0, -1)))
        assert "(oldest)" in text_of(app, "#audit-status")
        assert screen(app).current_event().seq == 1  # End: the oldest event, not the page's top
        await step("newer than the oldest", "pageup", lambda s: s[-1] == 51)
        await step("newest (home)", "home", lambda s: s[0] == MILLION)
        # alice/bob alternate and every third action is support_access.extended: seq % 6 == 0
        await step("filter action prefix+actor", None, lambda s: s[0] == 999_996 and len(s) == 50)
        await step("filtered oldest (end)", "end", lambda s: s[-1] == 6)
    print("\n  step                          wall (Pilot)   screen load")
    print("\n".join(f"  {k:<28} {w * 1000:9.1f} ms {l * 1000:9.1f} ms" for k, (w, l) in timings.items()))
    # Speed is measured by `make bench`, not asserted here; the query plans are checked in
    # tests/domain/test_audit_query.py (no scan, no sort, no offset).


def synthetic_trail(path, clock, count: int) -> None:
    from aesthetix_tui.domain.seed import open_database

    open_database(resolve_target(db=str(path)), clock).dispose()
    fill_audit(path, count)


async def test_home_and_end_go_to_the_newest_and_oldest_event(ui_db, clock):
    """Issue 24: within one page and across pages, Home and End reach the newest and oldest event."""
    synthetic_trail(ui_db, clock, 77)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_audit(pilot)
        current = lambda: screen(app).current_event().seq
        assert shown(app)[0] == 77 and current() == 77
        await pilot.press("down", "down", "home")
        assert current() == 77  # the newest page: Home moves within it
        await pilot.press("end")  # 77 events: the oldest page, #50 to #1, on #1
        await until(pilot, lambda: loaded(app) and shown(app)[-1] == 1 and current() == 1)
        await pilot.press("up", "up", "end")
        assert current() == 1
        await pilot.press("home")
        await until(pilot, lambda: loaded(app) and shown(app)[0] == 77 and current() == 77)


async def test_the_action_column_keeps_the_verb_at_80x24_and_the_filter_line_is_whole(ui_db, clock):
    synthetic_trail(ui_db, clock, 12)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_audit(pilot)
        actions = {row[3] for row in table_rows(app)}
        assert actions == {"feature.enabled", "suppor….extended"}  # not "support_access.…"
        screen(app).apply_filters(_filters(action="support_access."))
        await until(pilot, lambda: loaded(app) and len(shown(app)) == 4)
        await settle(pilot, loaded, every_worker=True)
        assert {row[3] for row in table_rows(app)} == {"extended"}  # the status line names the prefix
        status = app.screen.query_one("#audit-status", Static)
        assert text_of(app, "#audit-status").endswith("filtered: action support_access. (c clears)")
        assert status.size.height == 2  # wrapped, not cut


def _filters(**kwargs):
    from aesthetix_tui.domain.audit_query import AuditFilters

    return AuditFilters(**kwargs)


# -- filters ----------------------------------------------------------------------------------

async def filter_with(pilot, action="", actor="", from_text="", to_text="", expect_error=False):
    app = pilot.app
    await pilot.press("f")
    await until(pilot, lambda: app.screen.id == "audit-filter")
    modal = app.screen
    for name, value in (("action", action), ("actor", actor), ("from", from_text), ("to", to_text)):
        modal.query_one(f"#filter-{name}", Input).value = value
    await pilot.press("ctrl+s")
    if expect_error:
        await pilot.pause()
        return modal
    await until(pilot, lambda: loaded(app) and app.screen.id == "audit-screen")
    await settle(pilot, loaded, every_worker=True)
    return None


async def test_each_filter_and_clearing_them(ui_db, clock):
    make_trail(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)
        assert app.screen.check_action("clear_filters", ()) is False  # hidden: nothing to clear

        await filter_with(pilot, action="support_access.enabled")
        assert shown(app) == [2]
        assert "filtered: action support_access.enabled" in text_of(app, "#audit-status")

        await filter_with(pilot, action="support_access.")
        assert shown(app) == [6, 4, 2]

        await filter_with(pilot, actor="bob")
        assert shown(app) == [5, 3]

        await filter_with(pilot, from_text="2026-11-27", to_text="2026-11-27")
        assert shown(app) == [4, 3]

        await filter_with(pilot, action="feature.", actor="bob", from_text="2026-11-28")
        assert shown(app) == [5]

        await filter_with(pilot, action="nothing.like.this")
        assert shown(app) == []
        assert "No event matches these filters." in text_of(app, "#audit-status")

        assert app.screen.check_action("clear_filters", ()) is True
        await pilot.press("c")
        await settle(pilot, loaded, every_worker=True)
        assert shown(app) == [7, 6, 5, 4, 3, 2, 1]
        assert "filtered" not in text_of(app, "#audit-status")


async def test_the_filter_dialog_keeps_its_values_refuses_bad_dates_and_clears(ui_db, clock):
    make_trail(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)
        await filter_with(pilot, actor="bob")
        modal = await filter_with(pilot, actor="bob", from_text="28/11/2026", expect_error=True)
        assert app.screen is modal
        assert "Write the date as YYYY-MM-DD, for example 2026-12-03." in text_of(app, "#filter-error")
        modal.query_one("#filter-from", Input).value = "2026-11-28"
        modal.query_one("#filter-to", Input).value = "2026-11-27"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "must not be after" in text_of(app, "#filter-error")
        await pilot.press("escape")  # cancel: it asks first (dates were typed), then the filters stay
        await until(pilot, lambda: app.screen.id == "discard-confirm")
        await pilot.press("tab", "enter")
        await settle(pilot, loaded, every_worker=True)
        assert shown(app) == [5, 3]

        await pilot.press("f")
        await until(pilot, lambda: app.screen.id == "audit-filter")
        assert app.screen.query_one("#filter-actor", Input).value == "bob"
        await pilot.click("#filter-clear")
        await settle(pilot, loaded, every_worker=True)
        assert shown(app) == [7, 6, 5, 4, 3, 2, 1]


# -- export --------------------------------------------------------------------------------------

def cli_export(path, fmt: str) -> str:
    from aesthetix_tui.cli import cli

    result = CliRunner().invoke(cli, ["--db", str(path), "audit", "export", "--format", fmt],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def expected_events(path) -> list[dict]:
    from aesthetix_tui.clock import SystemClock
    from aesthetix_tui.domain import accounts, audit
    from aesthetix_tui.domain.seed import open_database

    db = open_database(resolve_target(db=str(path)), SystemClock())
    try:
        with db.session() as s:
            account = accounts.resolve(s, None)
            return [audit.as_dict(e) for e in reversed(audit.recent(s, account, limit=1000))]
    finally:
        db.dispose()


async def export_to(pilot, fmt: str, target: str | None):
    app = pilot.app
    await pilot.press("x")
    await until(pilot, lambda: app.screen.id == "audit-export")
    modal = app.screen
    if fmt == "json":
        modal.query_one("#format-json", RadioButton).value = True
        await pilot.pause()
    if target is not None:
        modal.query_one("#export-path", Input).value = target
    await pilot.press("enter")


async def test_export_both_formats_round_trip_and_match_the_cli(ui_db, clock, home):
    make_trail(ui_db, clock)
    events = expected_events(ui_db)
    assert len(events) == 7
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)

        # CSV, at the pre-filled path in the home folder.
        await pilot.press("x")
        await until(pilot, lambda: app.screen.id == "audit-export")
        path_input = app.screen.query_one("#export-path", Input)
        assert path_input.value == "~/aesthetix-audit-20261128.csv"
        assert path_input.has_focus and path_input.selected_text == path_input.value  # typing replaces it
        app.screen.query_one("#format-json", RadioButton).value = True
        await pilot.pause()
        assert path_input.value == "~/aesthetix-audit-20261128.json"  # the extension follows the format
        app.screen.query_one("#format-csv", RadioButton).value = True
        await pilot.pause()
        assert path_input.value == "~/aesthetix-audit-20261128.csv"
        await pilot.press("enter")
        csv_path = home / "aesthetix-audit-20261128.csv"
        await until(pilot, lambda: any("Wrote" in m for m in messages(app)))
        assert f"Wrote 7 events to {csv_path}." in messages(app)
        rows = list(csv.DictReader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
        assert rows and all(r.pop("actor_label") == "" for r in rows)  # no event here has a label
        assert [{**r, "seq": int(r["seq"]), "details": json.loads(r["details"])} for r in rows] == events
        assert csv_path.read_text(encoding="utf-8") == cli_export(ui_db, "csv")

        # JSON, at a path typed by hand.
        json_path = home / "out" / "trail.json"
        json_path.parent.mkdir()
        app.clear_notifications()
        await export_to(pilot, "json", str(json_path))
        await until(pilot, lambda: any("Wrote" in m for m in messages(app)))
        assert f"Wrote 7 events to {json_path}." in messages(app)
        assert json.loads(json_path.read_text(encoding="utf-8")) == events
        assert json_path.read_text(encoding="utf-8") == cli_export(ui_db, "json")


async def test_export_problems_are_one_sentence_and_replacing_asks_first(ui_db, clock, home):
    make_trail(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)
        missing = home / "no" / "such" / "trail.csv"
        await export_to(pilot, "csv", str(missing))
        await until(pilot, lambda: bool(messages(app)))
        assert messages(app) == [f"The folder {missing.parent} does not exist; create it or choose another path."]
        assert not missing.parent.exists()

        app.clear_notifications()
        await export_to(pilot, "csv", str(home))
        await until(pilot, lambda: bool(messages(app)))
        assert messages(app)[0].startswith(f"{home} is a folder; give a file name")

        existing = home / "old.csv"
        existing.write_text("keep me")
        app.clear_notifications()
        await export_to(pilot, "csv", str(existing))
        await until(pilot, lambda: app.screen.id == "export-replace")
        await pilot.press("escape")  # Cancel is focused; escape cancels too
        await settle(pilot, loaded, every_worker=True)
        assert existing.read_text() == "keep me"

        await export_to(pilot, "csv", str(existing))
        await until(pilot, lambda: app.screen.id == "export-replace")
        await pilot.click("#confirm")
        await until(pilot, lambda: any("Wrote" in m for m in messages(app)))
        assert existing.read_text(encoding="utf-8").startswith("seq,at,actor")

        app.clear_notifications()
        await export_to(pilot, "csv", "")
        await pilot.pause()
        assert "Give a file to write" in text_of(app, "#export-error")
        await pilot.press("escape")  # the emptied path is typing: it asks first
        await until(pilot, lambda: app.screen.id == "discard-confirm")
        await pilot.press("tab", "enter")
        await settle(pilot, loaded, every_worker=True)
        assert messages(app) == []


# -- verify integrity -----------------------------------------------------------------------------

def change_elsewhere(path, clock) -> None:
    """One more event (a feature turned off by bob), written by another connection."""
    from aesthetix_tui.domain import features
    from aesthetix_tui.domain.seed import open_database

    db = open_database(resolve_target(db=str(path)), clock)
    try:
        with db.session() as s:
            features.update(s, clock, 1, {"legacy_triggers": False}, BOB)
    finally:
        db.dispose()


async def verify_intact(pilot) -> None:
    """Open the Audit log, press v, and wait for the "intact" verdict."""
    app = pilot.app
    await open_audit(pilot)
    await pilot.press("v")
    await until(pilot, lambda: not screen(app).verifying and "intact" in text_of(app, "#audit-verify"))


async def test_verify_warns_when_an_events_time_goes_backwards(ui_db, clock):
    """A host with a slow clock: the chain holds, and the screen says which event looks wrong."""
    make_trail(ui_db, clock)
    clock.advance(timedelta(hours=-3))
    change_elsewhere(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await verify_intact(pilot)
        assert "Warning: Event #8 is dated before event #7" in text_of(app, "#audit-verify")
        assert screen(app).broken_seq is None


async def test_verify_an_intact_chain_and_follow_new_events(ui_db, clock):
    make_trail(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await verify_intact(pilot)
        assert "The audit trail is intact: 7 events verified." in text_of(app, "#audit-verify")
        assert screen(app).query_one("#audit-verify").has_class("-ok")
        assert screen(app).broken_seq is None

        # An event made elsewhere shows on the newest page by itself, and the chain still holds.
        change_elsewhere(ui_db, clock)
        await until(pilot, lambda: shown(app)[0] == 8)
        await pilot.press("v")
        await until(pilot, lambda: "8 events verified" in text_of(app, "#audit-verify"))


async def test_verify_a_tampered_chain_names_and_shows_the_first_broken_entry(ui_db, clock):
    make_trail(ui_db, clock)
    tamper(ui_db, 3)
    tamper(ui_db, 5)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_audit(pilot)
        await filter_with(pilot, actor="alice")  # the jump shows the broken entry unfiltered
        await pilot.press("v")
        await until(pilot, lambda: screen(app).broken_seq is not None)
        await settle(pilot, loaded, every_worker=True)
        banner = text_of(app, "#audit-verify")
        assert "The audit trail is broken at event #3: its contents were changed." in banner
        assert screen(app).query_one("#audit-verify").has_class("-broken")
        assert any("broken at event #3" in m for m in messages(app))
        s = screen(app)
        assert s.filters is None
        assert s.current_event().seq == 3  # the cursor is on it
        assert "#3 · " in text_of(app, "#audit-detail")


# -- keys, palette, imports --------------------------------------------------------------------------

def test_every_binding_has_an_audit_id_and_a_palette_entry():
    ids = {b.id for b in AuditLogScreen.BINDINGS}
    assert ids == {"audit.next_page", "audit.previous_page", "audit.newest", "audit.oldest", "audit.filter",
                   "audit.clear_filters", "audit.export", "audit.verify"}
    actions = {b.action for b in AuditLogScreen.BINDINGS}
    assert actions == {c.action for c in AuditLogScreen.commands()}  # the palette is the bindings
    assert "Verify integrity" in {c.palette_title for c in AuditLogScreen.commands()}


def test_importing_the_audit_screen_does_not_load_the_database_stack():
    code = ("import sys, aesthetix_tui.ui.screens.audit_log, aesthetix_tui.ui.app; "
            "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'alembic') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# -- snapshots ----------------------------------------------------------------------------------

async def snapshot_open(pilot) -> None:
    await open_audit(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def snapshot_verify_failure(pilot) -> None:
    await open_audit(pilot)
    await pilot.press("v")
    await until(pilot, lambda: screen(pilot.app).broken_seq is not None)
    await settle(pilot, loaded, every_worker=True)
    pilot.app.clear_notifications()
    await pilot.pause()


def test_snapshot_audit_log(snap_compare, ui_db, clock):
    make_trail(ui_db, clock)
    assert snap_compare(make_app(ui_db, clock), terminal_size=(100, 30), run_before=snapshot_open)


def test_snapshot_verify_failure(snap_compare, ui_db, clock):
    make_trail(ui_db, clock)
    tamper(ui_db, 3)
    assert snap_compare(make_app(ui_db, clock), terminal_size=(100, 30), run_before=snapshot_verify_failure)


async def snapshot_dialog(pilot, key: str, screen_id: str) -> None:
    await snapshot_open(pilot)
    await pilot.press(key)
    await until(pilot, lambda: pilot.app.screen.id == screen_id)


def test_snapshot_audit_log_at_80x24(snap_compare, ui_db, clock):
    make_trail(ui_db, clock)
    assert snap_compare(make_app(ui_db, clock), terminal_size=(80, 24), run_before=snapshot_open)


def test_snapshot_audit_log_in_16_colours(snap_compare, ui_db, clock):
    make_trail(ui_db, clock)
    app = make_app(ui_db, clock)
    app.theme = "aesthetix-16"
    assert snap_compare(app, terminal_size=(80, 24), run_before=snapshot_open)


def test_snapshot_filter_dialog(snap_compare, ui_db, clock):
    make_trail(ui_db, clock)
    assert snap_compare(make_app(ui_db, clock), terminal_size=(80, 24),
                        run_before=lambda pilot: snapshot_dialog(pilot, "f", "audit-filter"))


def test_snapshot_export_dialog(snap_compare, ui_db, clock):
    make_trail(ui_db, clock)
    assert snap_compare(make_app(ui_db, clock), terminal_size=(80, 24),
                        run_before=lambda pilot: snapshot_dialog(pilot, "x", "audit-export"))


@pytest.mark.parametrize("key, screen_id, field", [("f", "audit-filter", "#filter-actor"),
                                                   ("x", "audit-export", "#export-path")])
async def test_escape_asks_before_throwing_typing_away(ui_db, clock, key, screen_id, field):
    make_trail(ui_db, clock)
    app = make_app(ui_db, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_audit(pilot)
        await pilot.press(key)
        await until(pilot, lambda: app.screen.id == screen_id)
        await pilot.press("escape")  # nothing typed: closes at once
        await until(pilot, lambda: app.screen.id == "audit-screen")
        await pilot.press(key)
        await until(pilot, lambda: app.screen.id == screen_id)
        app.screen.query_one(field).focus()
        await pilot.press("z")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.id == "discard-confirm")
        await pilot.press("enter")  # Keep editing
        await until(pilot, lambda: app.screen.id == screen_id)
        assert "z" in app.screen.query_one(field).value
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.id == "discard-confirm")
        await pilot.press("tab", "enter")  # Discard changes
        await until(pilot, lambda: app.screen.id == "audit-screen")


def test_snapshot_export_dialog_in_16_colours(snap_compare, ui_db, clock):
    # Issue 24: the pre-filled path shows selected (reverse video) in 16 colours too.
    make_trail(ui_db, clock)
    app = make_app(ui_db, clock)
    app.theme = "aesthetix-16"
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=lambda pilot: snapshot_dialog(pilot, "x", "audit-export"))


def test_snapshot_filtered_by_a_prefix_at_80x24(snap_compare, ui_db, clock):
    # Issue 24: the status line wraps rather than cutting the filter; the actions show their verb.
    make_trail(ui_db, clock)

    async def filtered(pilot) -> None:
        await snapshot_open(pilot)
        screen(pilot.app).apply_filters(_filters(action="support_access."))
        await until(pilot, lambda: loaded(pilot.app) and len(shown(pilot.app)) == 3)
        await settle(pilot, loaded, every_worker=True)

    assert snap_compare(make_app(ui_db, clock), terminal_size=(80, 24), run_before=filtered)
