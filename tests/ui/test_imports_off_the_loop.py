"""The database stack loads in the gate's thread only, never on the event loop meanwhile.

Two threads importing SQLAlchemy at once can hand one of them a half-loaded module
("cannot import name 'AdaptedConnection' from partially initialized module"): CI saw the
support console crash so. Each app runs in a fresh interpreter with the gate's thread held
until the screen's first read has started, and records which thread loaded each module of
the stack.
"""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import asyncio, importlib.abc, json, sys, threading

loaded_on_loop = []

class Watch(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in ("sqlalchemy", "sqlmodel", "alembic") and threading.current_thread() is threading.main_thread():
            loaded_on_loop.append(name)
        return None

sys.meta_path.insert(0, Watch())

from aesthetix_tui.clock import ManualClock
from aesthetix_tui.config import resolve_target
from aesthetix_tui.ui.database_gate import DatabaseGate

open_in_thread = DatabaseGate._open
held = threading.Event()

def slow_open(self):
    held.wait(60)  # until the screen's first read has started on the event loop (main() lets go)
    return open_in_thread(self)

DatabaseGate._open = slow_open
from datetime import datetime, timezone
from pathlib import Path
clock = ManualClock(datetime(2026, 12, 1, 12, tzinfo=timezone.utc))
target = resolve_target(db={db!r})
if {app!r} == "console":
    from aesthetix_tui.ui.console.app import SupportConsoleApp
    app = SupportConsoleApp(target, agent="sam", clock=clock)
else:
    from aesthetix_tui.ui.run import make_app
    app = make_app(target, clock, settings_path=Path({db!r}).with_suffix(".toml"))

async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        while not getattr(app.screen, "reading", False):  # its first read waits for the gate
            await pilot.pause(0.02)
        held.set()
        await app.gate.ready.wait()
        while app.screen.reading:  # and runs to its end once the database is open
            await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        assert app.gate.database is not None, app.gate.error

asyncio.run(main())
print(json.dumps(loaded_on_loop))
"""


def modules_loaded_on_the_loop(app: str, db: str) -> list[str]:
    result = subprocess.run([sys.executable, "-c", PROBE.format(app=app, db=db)],
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_support_console_loads_the_stack_off_the_loop(tmp_path):
    assert modules_loaded_on_the_loop("console", str(tmp_path / "a.db")) == []


def test_the_owner_app_loads_the_stack_off_the_loop(tmp_path):
    assert modules_loaded_on_the_loop("owner", str(tmp_path / "a.db")) == []
