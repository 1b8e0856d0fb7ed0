"""The Private Integrations states for the README screenshots (the same as the snapshot tests).

`integrations_states()` lists (name, terminal size, seed, run): `seed(db_path, clock)` fills the
database, `run(pilot)` brings the app to the state. `capture_all(out)` writes every SVG itself,
so screenshots/make_screenshots.py can simply `await capture_all(out)`.

Every token the app issues here is tests.ui.integrations_helpers.FAKE_TOKEN: its checksum is
wrong, it can never verify, and secret scanners (tokens.find_in_text) skip it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WIDE, NARROW = (100, 30), (80, 24)


class _Patch:
    """The one monkeypatch method the seed helpers use; screenshots run in their own process."""

    def setattr(self, target, name, value) -> None:
        setattr(target, name, value)


def _empty(db, clock) -> None:
    from tests.ui.integrations_helpers import fake_tokens, seed

    seed(db, clock, lambda *args: None)
    fake_tokens(_Patch())


def _sample(db, clock) -> None:
    from tests.ui.integrations_helpers import seed_sample

    seed_sample(db, clock, _Patch())  # ends with fake_tokens: the app only issues FAKE_TOKEN


def _keys(*keys: str, then=None):
    async def run(pilot) -> None:
        from tests.ui.toolkit import settle

        await pilot.pause()
        await pilot.press("i")
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        if then is not None:
            await then(pilot)
            await settle(pilot)

    return run


async def _fill_create_form(pilot) -> None:
    from aesthetix_tui.ui.widgets.scope_picker import ScopePicker
    from tests.ui.integrations_helpers import CAL, READ

    await pilot.press(*"Zapier")
    pilot.app.screen.query_one(ScopePicker).set_chosen([READ, CAL])
    await pilot.press("ctrl+s")


def integrations_states():
    return [
        ("integrations-empty", WIDE, _empty, _keys()),
        ("integrations-list", WIDE, _sample, _keys("down")),
        ("integrations-pending-rotation", WIDE, _sample, _keys()),
        ("integrations-create-errors", WIDE, _empty, _keys("n", "ctrl+s")),
        ("integrations-show-once", WIDE, _empty, _keys("n", then=_fill_create_form)),
        ("integrations-detail", WIDE, _sample, _keys("down", "enter")),
        ("integrations-rotate-choice", WIDE, _sample, _keys("down", "down", "r")),
        ("integrations-revoke-modal", WIDE, _sample, _keys("down", "down", "delete")),
        ("integrations-80x24", NARROW, _sample, _keys("down")),
    ]


async def capture_all(out: Path) -> list[Path]:
    from aesthetix_tui.domain import tokens
    from tests.ui.integrations_helpers import make_clock
    from tests.ui.toolkit import make_app

    os.environ["TZ"] = "UTC"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    original = tokens.new_pit
    try:
        for name, size, seed, run in integrations_states():
            home = Path(tempfile.mkdtemp())
            os.environ["HOME"] = str(home)  # the header then shows ~/aesthetix.db
            clock = make_clock()
            db = home / "aesthetix.db"
            seed(db, clock)
            app = make_app(db, clock)
            async with app.run_test(size=size) as pilot:
                await run(pilot)
                await pilot.pause()
                app.save_screenshot(filename=f"{name}.svg", path=str(out))
            svg = out / f"{name}.svg"
            assert tokens.find_in_text(svg.read_text()) == [], f"{svg} shows a real token"
            written.append(svg)
    finally:
        tokens.new_pit = original
    return written


if __name__ == "__main__":
    import asyncio

    for path in asyncio.run(capture_all(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots")):
        print(f"wrote {path}")
