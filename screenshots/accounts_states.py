"""The Accounts screen's states for the README screenshots: the same as its snapshot tests
(tests/ui/accounts_helpers.py). `capture_all(out)` writes every SVG itself."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class _Patch:
    """pytest's monkeypatch.setattr, undone when the picture is taken."""

    def __init__(self) -> None:
        self.undo: list = []

    def setattr(self, target, name, value) -> None:
        self.undo.append((target, name, getattr(target, name)))
        setattr(target, name, value)

    def restore(self) -> None:
        for target, name, value in reversed(self.undo):
            setattr(target, name, value)


def accounts_states():
    """(name, terminal size, how many numbered accounts, run_before(db, ids), failing account)."""
    from tests.ui.accounts_helpers import NARROW, WIDE, failed_summary, no_accounts_left, to_accounts

    return [
        ("accounts", WIDE, 12, lambda db, ids: to_accounts(), None),
        ("accounts-80x24", NARROW, 12, lambda db, ids: to_accounts(), None),
        ("accounts-revoke-all", WIDE, 3, lambda db, ids: to_accounts("R"), None),
        ("accounts-revoke-all-failed", WIDE, 3, lambda db, ids: failed_summary, "Client 00"),
        ("accounts-none", NARROW, 0, no_accounts_left, None),
    ]


async def capture_all(out: Path) -> list[Path]:
    from tests.ui.accounts_helpers import fail_in, seed_accounts
    from tests.ui.integrations_helpers import make_clock
    from tests.ui.toolkit import make_app

    os.environ["TZ"] = "UTC"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size, many, run_for, failing in accounts_states():
        home = Path(tempfile.mkdtemp())
        os.environ["HOME"] = str(home)  # the header then shows ~/aesthetix.db
        clock = make_clock()
        db = home / "aesthetix.db"
        ids = seed_accounts(db, clock, many=many)
        patch = _Patch()
        if failing:
            fail_in(patch, failing)
        try:
            app = make_app(db, clock, settings_path=home / "settings.json")
            async with app.run_test(size=size) as pilot:
                await run_for(db, ids)(pilot)
                app.save_screenshot(filename=f"{name}.svg", path=str(out))
        finally:
            patch.restore()
        written.append(out / f"{name}.svg")
    return written


if __name__ == "__main__":
    import asyncio

    for path in asyncio.run(capture_all(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots")):
        print(f"wrote {path}")
