"""The visible Business Profile states, shared by snapshot tests and screenshots."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Awaitable, Callable

from tests.ui.profile_helpers import ready, until


@dataclass(frozen=True)
class State:
    seed: dict = field(default_factory=dict)
    size: tuple[int, int] = (100, 30)
    steps: Callable[..., Awaitable[None]] | None = None


async def settle(pilot) -> None:
    await ready(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()


async def picker_open(pilot) -> None:
    await pilot.press("e")
    await pilot.pause()
    await pilot.press("down", "right")


async def extend_confirmation(pilot) -> None:
    await pilot.press("x")
    await pilot.pause()
    await pilot.press("down", "enter", "enter")
    await until(pilot, lambda: pilot.app.screen.id == "extend-confirm")


async def revoke_modal(pilot) -> None:
    await pilot.press("r")
    await until(pilot, lambda: pilot.app.screen.id == "revoke-confirm")


async def legacy_key_show_once(pilot) -> None:
    await pilot.press("g")
    await pilot.pause()
    await pilot.press("enter")
    await until(pilot, lambda: type(pilot.app.screen).__name__ == "ShowSecretModal")
    pilot.app.clear_notifications()


async def features_unsaved(pilot) -> None:
    pilot.app.screen.query_one("#feature-legacy_campaigns").focus()
    await pilot.press("space")
    await pilot.pause()


async def help_screen(pilot) -> None:
    await pilot.press("question_mark")
    await pilot.pause()


STATES = {
    "support-off": State({"state": "off"}),
    "support-active": State({"state": "active", "legacy": "enabled"}),
    "support-expired": State({"state": "expired"}),
    "support-revoked": State({"state": "revoked"}),
    "picker-open": State(steps=picker_open),
    "extend-confirmation": State({"state": "active"}, steps=extend_confirmation),
    "revoke-modal": State({"state": "active"}, steps=revoke_modal),
    "legacy-key-show-once": State(steps=legacy_key_show_once),
    "features-unsaved": State(steps=features_unsaved),
    "help": State(steps=help_screen),
    "profile-80x24-off": State({"legacy": "enabled"}, size=(80, 24)),
    "profile-80x24-active": State({"state": "active", "legacy": "enabled"}, size=(80, 24)),
}


def run_before(state: State):
    async def run(pilot) -> None:
        await settle(pilot)
        if state.steps is not None:
            await state.steps(pilot)

    return run
