"""Write the README's SVG screenshots from the same app states the snapshot tests use.

Run with `make screenshots`. Fixed clock, fixed sizes, fake secrets only.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


async def capture(name: str, state, out: Path) -> None:
    from aesthetix_tui.clock import ManualClock
    from tests.conftest import START
    from tests.ui.profile_helpers import seed
    from tests.ui.steady import steady
    from tests.ui.toolkit import make_app

    home = Path(tempfile.mkdtemp())
    os.environ["HOME"] = str(home)  # the header then shows ~/aesthetix.db
    clock = ManualClock(START)
    db = home / "aesthetix.db"
    seed(db, clock, **state.seed)
    saved = dict(os.environ)
    os.environ.update(state.env or {})
    try:
        app = make_app(db, clock)
    finally:
        os.environ.clear()
        os.environ.update(saved)
    if state.theme:
        app.theme = state.theme
    async with app.run_test(size=state.size) as pilot:
        await state.run(pilot)
        await steady(pilot)
        app.save_screenshot(filename=f"{name}.svg", path=str(out))
    print(f"wrote {out / (name + '.svg')}")


async def main(out: Path) -> None:
    from aesthetix_tui.domain import tokens
    from tests.ui.profile_helpers import FAKE_LEGACY_KEY
    from tests.ui.screenshot_states import all_states

    os.environ["TZ"] = "UTC"
    # Pictures in true colour whatever terminal runs this; a state asks for 16 colours itself.
    os.environ.update({"COLORTERM": "truecolor", "TERM": "xterm-256color"})
    os.environ.pop("NO_COLOR", None)
    tokens.new_legacy_key = lambda: FAKE_LEGACY_KEY  # never a real secret in a picture
    out.mkdir(parents=True, exist_ok=True)
    for name, state in all_states().items():
        await capture(name, state, out)
    from screenshots import accounts_states, integrations_states

    for path in await integrations_states.capture_all(out):
        print(f"wrote {path}")
    for path in await accounts_states.capture_all(out):
        print(f"wrote {path}")


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "screenshots"))
