"""Access requests across processes (issue 16): an agent's `support request` in another process
appears on the owner's open TUI, the owner approves there; and an agent's open console sees the
account once an owner in another process approves. The other processes run on the test's clock
(libfaketime, tests/processes.py)."""

from __future__ import annotations

import asyncio

from textual.widgets import DataTable

from tests.processes import cli_argv, clocked_env
from tests.ui.profile_helpers import TODAY, current_status, profile_open, seed
from tests.ui.requests_helpers import console, line, open_dialog, panel, requests_of
from tests.ui.toolkit import until


async def run_cli(clock, *args: str) -> str:
    """aesthetix-tui ARGS in another process, while the app under test keeps running."""
    process = await asyncio.create_subprocess_exec(
        *cli_argv(*args), stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=clocked_env(clock))
    out, err = await process.communicate()
    assert process.returncode == 0, err.decode()
    return out.decode()


def ask_args(path, account: str = "My Business") -> list[str]:
    return ["--db", str(path), "support", "request", account, "--agent", "sam", "--ticket", "T-77",
            "--reason", "Invoices fail to sync", "--days", "2"]


async def test_an_agents_request_reaches_the_open_owner_tui_who_approves(ui_db, clock):
    async with profile_open(ui_db, clock) as (app, pilot):
        assert not panel(app).display
        await run_cli(clock, *ask_args(ui_db))
        await until(pilot, lambda: panel(app).display)  # the poll reads it within a second or so
        assert line(app).startswith("sam asks for 2 days: ticket T-77, “Invoices fail to sync”")
        await open_dialog(pilot, "y", "approve-request")
        await pilot.press("enter")  # Approve has the focus: the preset day, the 2 days asked
        await until(pilot, lambda: app.screen.id == "business-profile" and not panel(app).display)
    status = current_status(ui_db, clock)
    assert status.is_active and status.until_date.toordinal() == TODAY.toordinal() + 2
    assert status.reason == "T-77"
    assert requests_of(ui_db, clock)[0].state == "approved"


async def test_the_agents_open_console_sees_the_account_once_approved_elsewhere(home, ui_db, clock):
    seed(ui_db, clock)  # access off: the console lists nothing
    app = console(ui_db, clock, agent="sam")
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: type(app.screen).__name__ == "AccountListScreen" and app.screen.loaded)
        table = app.screen.query_one("#accounts", DataTable)
        assert table.row_count == 0
        await run_cli(clock, *ask_args(ui_db))
        [request] = requests_of(ui_db, clock)
        await run_cli(clock, "--db", str(ui_db), "support-access", "approve", str(request.id), "--actor", "alice")
        await until(pilot, lambda: table.row_count == 1)  # the console polls every second
        assert str(table.get_row_at(0)[0]) == "My Business"
        requests = app.screen.query_one("#requests", DataTable)
        await until(pilot, lambda: requests.row_count == 1 and "approved through" in str(requests.get_row_at(0)[3]))
