"""Benchmark 3: key press to updated frame, median of 50, for a deprecated-feature checkbox
(space on the focused box) and for opening the revoke dialog (`r`, with access active);
baseline: the same keys in a bare Textual app with a Checkbox and a ModalScreen.

Measured in-process with Pilot (headless, 120x40): from posting the key until the app has
handled it and refreshed the screen with the change (Pilot.press waits for the screen's
update; then we poll the widget state every 2 ms). A pty was tried first: the profile screen
repaints its Support Access line every second and a checkbox toggle changes only colours,
so "the frame that shows the change" cannot be told from the byte stream reliably.
"""

from __future__ import annotations

import time

from bare_app import BareApp, Modal
from seeding import account_db
from textual.widgets import Checkbox, Label

from aesthetix_tui.clock import SystemClock
from aesthetix_tui.ui.run import make_app
from tests.ui.toolkit import until

PRESSES = 50
SIZE = (120, 40)


STEP = 0.002  # until()'s steps: the wait is measured


async def timed_press(pilot, key: str, done) -> float:
    began = time.perf_counter()
    await pilot.press(key)
    await until(pilot, done, 10.0, STEP)
    return (time.perf_counter() - began) * 1000


async def toggles(pilot, box: Checkbox, changed) -> list[float]:
    samples = []
    for _ in range(PRESSES):
        before = box.value
        samples.append(await timed_press(pilot, "space",
                                         lambda before=before: box.value != before and changed(box.value)))
    return samples


async def modals(pilot, is_modal, is_back) -> list[float]:
    samples = []
    for _ in range(PRESSES):
        samples.append(await timed_press(pilot, "r", is_modal))
        await pilot.press("escape")
        await until(pilot, is_back, 10.0, STEP)
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    return samples


async def tui_samples(path) -> tuple[list[float], list[float]]:
    from aesthetix_tui.ui.modals.confirm import ConfirmModal
    from aesthetix_tui.ui.screens.business_profile import BusinessProfileScreen
    from aesthetix_tui.ui.widgets.features_panel import FeaturesPanel

    app = make_app(path, SystemClock(), actor_name="bench")
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: getattr(app.screen, "profile", None) is not None, 10.0, STEP)
        await app.workers.wait_for_complete()
        panel = app.screen.query_one(FeaturesPanel)
        box = panel.query(Checkbox).first()
        box.focus()
        await pilot.pause()
        unsaved = panel.query_one("#unsaved")
        checkbox = await toggles(pilot, box, lambda value: ("unsaved change" in str(unsaved.render())) == (
            value != panel.saved[box.id.removeprefix("feature-")]))
        if panel.changes():  # leave nothing unsaved
            await pilot.press("space")
        modal = await modals(pilot, lambda: isinstance(app.screen, ConfirmModal),
                             lambda: isinstance(app.screen, BusinessProfileScreen))
    return checkbox, modal


async def bare_samples() -> tuple[list[float], list[float]]:
    app = BareApp(checkbox=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        box = app.query_one(Checkbox)
        label = app.query_one("#changed", Label)
        checkbox = await toggles(pilot, box, lambda value: bool(str(label.render()).strip()) == value)
        modal = await modals(pilot, lambda: isinstance(app.screen, Modal), lambda: not isinstance(app.screen, Modal))
    return checkbox, modal


async def test_key_press_to_frame(tmp_path, bench_record):
    path = account_db(tmp_path / "aesthetix.db", active=True)
    tui_box, tui_modal = await tui_samples(path)
    bare_box, bare_modal = await bare_samples()
    bench_record("3a space → checkbox frame (Pilot)", "ms", tui_box, bare_box, "≤ 1.5×")
    bench_record("3b r → revoke dialog frame (Pilot)", "ms", tui_modal, bare_modal, "≤ 1.5×")
